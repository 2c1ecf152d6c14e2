"""The indicator pipeline on DuckDB at 100,000, 500,000 and 2,000,000 persons.

Each size runs ``placehealth indicators compute`` in a child process, as a user
would, timed from outside and with its peak resident memory read from the
kernel; and, in another child, the computation alone (every pipeline on one
context, imports, disclosure control and the file left out). Two baselines in
the same run: one scan of every event table (one DuckDB query per table reading
every column), the least any pipeline over those rows must do — the ratio says
how many such scans the computation costs; and every indicator computed on its
own (each catalogue definition, and each other pipeline, on a fresh context,
times summed), what the pipeline costs when nothing is shared.

Synthetic warehouses are generated once and cached under out/bench/pipeline/
(not committed), so re-runs skip simulation and ingestion.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.harness import measure, record
from placehealth.data import schema
from placehealth.data.columns import Kind, Role

SIZES = (100_000, 500_000, 2_000_000)
SEED = 1
MAX_SYNTH = 800_000  # the NHS test range's limit on one synth run
PART = 500_000  # larger populations are made of parts this size
TARGET = {500_000: 60.0}
SCANS = 3.0  # the computation's target: at most this many scans' time (issue 16)
ALONE_UP_TO = 500_000  # larger sizes measure indicators alone only when asked (--alone)
ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "out" / "bench" / "pipeline"
KEY = "benchmark-key-not-a-secret-0001"
BIN = Path(sys.executable).parent / "placehealth"

CHILD = """
import json, resource, sys, time
from placehealth.cli.main import run
start = time.perf_counter()
sys.argv = ["placehealth", "indicators", "compute", "-w", sys.argv[1], "-o", sys.argv[2]]
try:
    run()
except SystemExit as stop:
    if stop.code:
        raise
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


COMPUTE = """
import json, resource, sys, time
from pathlib import Path
from placehealth.engine.indicators import compute_all
from placehealth.services.indicators import _context
start = time.perf_counter()
ctx = _context(Path(sys.argv[1]), "duckdb", None, None)
values = compute_all(ctx)
seconds = time.perf_counter() - start
ctx.backend.close()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "values": len(values)}))
"""

ALONE = """
import json, resource, sys, time
from pathlib import Path
from placehealth.catalogue.records import defined
from placehealth.engine.indicators import PIPELINES, Context
from placehealth.engine.indicators.defined import defined_indicator
from placehealth.services.indicators import _context
ctx = _context(Path(sys.argv[1]), "duckdb", None, None)
by_definition = {n for d in defined().values() for n in [d.pipeline]}
fresh = lambda: Context(ctx.backend, years=ctx.years, pooled=ctx.pooled, place=ctx.place)
seconds, count = 0.0, 0
for name, pipeline in PIPELINES.items():
    if name in by_definition:
        continue
    start = time.perf_counter()
    pipeline(fresh())
    seconds += time.perf_counter() - start
    count += 1
for indicator_id in defined():
    start = time.perf_counter()
    defined_indicator(fresh(), indicator_id)
    seconds += time.perf_counter() - start
    count += 1
ctx.backend.close()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "runs": count}))
"""


def warehouse(persons: int, seed: int = SEED) -> Path:
    """The cached warehouse of ``persons``, made (or copied) on first use."""
    folder = CACHE / (f"synth{persons}" if seed == SEED else f"synth{persons}-seed{seed}")
    path = folder / "warehouse.duckdb"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    if persons > MAX_SYNTH:
        return combined(persons, path)
    extract = folder / "extract"
    env = {**os.environ, "PLACEHEALTH_PSEUDO_KEY": KEY}
    run = [str(BIN), "synth", "--persons", str(persons), "--seed", str(seed), "--out"]
    subprocess.run([*run, str(extract)], check=True, env=env, stdout=subprocess.DEVNULL)
    loading = folder / "loading.duckdb"
    loading.unlink(missing_ok=True)
    subprocess.run(
        [str(BIN), "ingest", str(extract), "--warehouse", str(loading), "--synthetic"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    loading.rename(path)
    shutil.rmtree(extract)
    return path


def combined(persons: int, path: Path) -> Path:
    """More people than the NHS test range allows one synth run: several populations of
    ``PART`` persons (seeds 1, 2, …) side by side, their person keys told apart by part."""
    parts = [warehouse(PART, SEED + i) for i in range(-(-persons // PART))]
    loading = path.with_suffix(".loading")
    loading.unlink(missing_ok=True)
    con = duckdb.connect(str(loading))
    con.execute("set enable_progress_bar = false")
    try:
        for i, part in enumerate(parts):
            con.execute(f"attach '{part}' as part{i} (read_only)")
        for table in schema.GEOGRAPHY:
            con.execute(f"create table {table.name} as select * from part0.{table.name}")
        for table in schema.RECORDS:
            columns = ", ".join(
                f"{c.name} || ':{{i}}' as {c.name}" if c.kind is Kind.PERSON_KEY else c.name
                for c in table.columns
            )
            union = " union all ".join(
                f"select {columns.format(i=i)} from part{i}.{table.name}" for i in range(len(parts))
            )
            con.execute(f"create table {table.name} as {union}")
    finally:
        con.close()
    loading.rename(path)
    return path


def pipeline(path: Path, persons: int) -> dict[str, float]:
    """The compute command in a child process: its wall time seen from outside, the
    pipeline's own time (after start-up), and its peak resident memory."""
    output = CACHE / f"values-{persons}.parquet"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(output)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    child = json.loads(done.stdout.strip().splitlines()[-1])
    return {"command": wall, "seconds": child["seconds"], "peak_mb": child["peak_mb"]}


def child(code: str, path: Path) -> dict[str, float]:
    """A measuring script run in its own process; what it printed last, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def scan_sql(table: schema.Table) -> str:
    """One query reading every column: dates by min/max, the key by distinct count."""
    parts = ["count(*)"]
    for column in table.columns:
        if column.kind is Kind.PERSON_KEY:
            parts.append(f"count(distinct {column.name})")
        elif column.kind in (Kind.DATE, Kind.MONTH):
            parts += [f"min({column.name})", f"max({column.name})"]
        else:
            parts.append(f"count({column.name})")
    return f"select {', '.join(parts)} from {table.name}"


def scan(path: Path) -> tuple[float, int]:
    """Seconds to scan every event table once (best of three), and the rows read."""
    events = [t for t in schema.RECORDS if t.role is Role.EVENT]
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set enable_progress_bar = false")
    try:

        def once() -> int:
            rows = 0
            for table in events:
                first = con.execute(scan_sql(table)).fetchone()
                rows += int(first[0]) if first else 0
            return rows

        seconds, rows = measure(once, repeat=3)
    finally:
        con.close()
    return seconds, rows


def one_pass_sql(table: schema.Table) -> str:
    """The least an indicator by area, period and age does over a table: its events joined
    to their person and counted by LSOA, practice, financial year and five-year age band."""
    date = next(c.name for c in table.columns if c.kind is Kind.DATE)
    return (
        f"select p.lsoa, p.practice_code, year(e.{date}) - (month(e.{date}) < 4)::int as fy, "
        f"least(date_diff('year', p.birth_month, e.{date}) // 5, 18) as band, count(*) "
        f"from {table.name} e join person p on e.person_key = p.person_key group by all"
    )


def one_pass(path: Path) -> float:
    """Seconds for one grouped pass over every event table (best of three)."""
    events = [t for t in schema.RECORDS if t.role is Role.EVENT]
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set enable_progress_bar = false")
    try:

        def once() -> None:
            for table in events:
                con.execute(one_pass_sql(table)).fetchall()

        seconds, _ = measure(once, repeat=3)
    finally:
        con.close()
    return seconds


def main(sizes: tuple[int, ...] = SIZES, alone_up_to: int = ALONE_UP_TO) -> None:
    table: list[dict[str, Any]] = []
    load = os.getloadavg()
    for persons in sizes:
        path = warehouse(persons)
        scan_s, rows = scan(path)
        pass_s = one_pass(path)
        run = pipeline(path, persons)
        compute = child(COMPUTE, path)
        alone = child(ALONE, path) if persons <= alone_up_to else None
        target = TARGET.get(persons)
        table.append(
            {
                "persons": f"{persons:,}",
                "event rows scanned": f"{rows:,}",
                "pipeline s": run["seconds"],
                "command s": run["command"],
                "peak MB": run["peak_mb"],
                "target": f"≤ {target:.0f} s" if target else "—",
                "scan s (baseline)": scan_s,
                "ratio pipeline ÷ scan": run["seconds"] / scan_s,
                "compute s": compute["seconds"],
                "compute peak MB": compute["peak_mb"],
                f"ratio compute ÷ scan (target ≤ {SCANS:.0f})": compute["seconds"] / scan_s,
                "one grouped pass s (baseline)": pass_s,
                "ratio compute ÷ grouped pass": compute["seconds"] / pass_s,
                "indicators alone s (baseline)": alone["seconds"] if alone else "—",
                "alone peak MB": alone["peak_mb"] if alone else "—",
                "ratio alone ÷ compute": alone["seconds"] / compute["seconds"] if alone else "—",
            }
        )
        print(table[-1], flush=True)
    record(
        "pipeline",
        "Indicator pipeline on DuckDB",
        table,
        notes=(
            "Pipeline: `placehealth indicators compute` over every financial year "
            "2014/15–2018/19 and both pooled windows, every area type, run in a child "
            "process. Pipeline s: from the command's start to its end, the Parquet file "
            "written; command s: the child's wall clock seen from outside, Python start-up "
            "and imports included; peak MB: the child's maximum resident set. "
            "Baseline: one DuckDB query per event table reading every column (count, "
            "distinct person keys, min and max of each date), best of three, on the same "
            "warehouse. One grouped pass: one DuckDB query per event table joining its "
            "rows to their person and counting them by LSOA, practice, financial year and "
            "five-year age band (the least any indicator by area, period and age does over "
            "that table), best of three. "
            "Synthetic Liverpool: seed 1 for 100,000 and 500,000 persons "
            "(registered on 1 April 2014; births and arrivals come on top); 2,000,000 is "
            "four 500,000 populations (seeds 1–4) side by side, as one synth run cannot "
            f"number more than {MAX_SYNTH:,}. {os.cpu_count()} cores shared with other "
            f"work; load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at "
            "the end. "
            "Compute s: `compute_all` alone in a child process — the warehouse opened, "
            "every pipeline on one context, the values in memory (no imports, disclosure "
            "control or file); compute peak MB its maximum resident set. Indicators alone: "
            "each of the catalogue's definitions (`defined_indicator`) and each other "
            "pipeline run on a fresh context, times summed, in one child process; measured "
            f"up to {alone_up_to:,} persons unless asked (`--alone`). "
            "Reproduce: uv run python -m benchmarks.bench_pipeline [sizes…] [--alone]"
        ),
    )


if __name__ == "__main__":
    asked = [a for a in sys.argv[1:] if a != "--alone"]
    main(
        tuple(int(a) for a in asked) or SIZES,
        max(SIZES) if "--alone" in sys.argv else ALONE_UP_TO,
    )
