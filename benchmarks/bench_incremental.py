"""An incremental indicator run after one new month of data, against a full run; and
the full pipeline on Spark, in event rows per second.

The 500,000-person synthetic warehouse (bench_pipeline's, cached under
out/bench/pipeline/) is copied and its last month of events taken out of every event
table (with the people born in it and the deaths dated in it). On that warehouse: a
full run, and a first incremental run (no state yet: every period, plus taking the
fingerprints and saving the state). The month is then put back, as a monthly load
would, and on the same data an incremental run and a full run are timed; their
published tables must be equal. Each run is ``placehealth indicators compute`` in a
child process, timed from inside it (after start-up).

Spark: the same command with ``--engine spark`` on the whole warehouse; the Parquet
export Spark reads is made first and timed apart. Rows per second are the event rows
of the warehouse (every row of every event table) divided by the pipeline's seconds.
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
import pandas as pd

from benchmarks.bench_pipeline import warehouse
from benchmarks.harness import record
from placehealth.data import schema
from placehealth.data.columns import Kind, Role

PERSONS = 500_000
SPARK_FALLBACK = 100_000  # Spark at 500,000 slower than SPARK_LIMIT: measured here instead
SPARK_LIMIT = float(os.environ.get("PLACEHEALTH_BENCH_SPARK_LIMIT", "900"))
SPARK_PERSONS = int(os.environ.get("PLACEHEALTH_BENCH_SPARK_PERSONS", str(PERSONS)))
ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "out" / "bench" / "incremental"

CHILD = """
import json, sys, time
from pathlib import Path
from placehealth.services.indicators import compute
warehouse, output, engine, incremental = sys.argv[1:5]
start = time.perf_counter()
run = compute(Path(warehouse), Path(output), engine=engine, incremental=incremental == "1")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "periods": run.periods, "values": run.values,
                  "computed": list(run.recomputed) if run.recomputed is not None else None,
                  "note": run.note}))
"""


def child(path: Path, output: Path, *, engine: str = "duckdb", incremental: bool = False,
          timeout: float | None = None) -> dict[str, Any]:  # fmt: skip
    """One ``indicators compute`` in a child process; its own timing and periods."""
    args = [sys.executable, "-c", CHILD, str(path), str(output), engine, str(int(incremental))]
    done = subprocess.run(args, check=True, capture_output=True, text=True, timeout=timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def event_dates() -> dict[str, str]:
    """Each event table's own date (its first date column): what places an event in time."""
    return {
        table.name: next(c.name for c in table.columns if c.kind is Kind.DATE)
        for table in schema.RECORDS
        if table.role is Role.EVENT
    }


def last_month(con: duckdb.DuckDBPyConnection) -> str:
    """The first day of the last month of the data's activity (the dates that bound the
    data, placehealth.engine.window), as an ISO date."""
    from placehealth.engine.window import ACTIVITY_DATES

    union = " union all ".join(f"select max({d}) as d from {t}" for t, d in ACTIVITY_DATES)
    (latest,) = con.sql(f"select max(d) from ({union})").fetchall()[0]
    return f"{latest.year:04d}-{latest.month:02d}-01"


def hold_back(path: Path, month: str) -> None:
    """Take the month out: its events, the people born in it, the deaths dated in it."""
    con = duckdb.connect(str(path))
    try:
        for table, date in event_dates().items():
            con.execute(f"delete from {table} where {date} >= DATE '{month}'")
        con.execute(f"delete from person where birth_month >= DATE '{month}'")
        con.execute(f"update person set death_date = null where death_date >= DATE '{month}'")
        con.execute("checkpoint")  # into the file: a read-only reader may not see the log
    finally:
        con.close()


def put_back(path: Path, original: Path, month: str) -> None:
    """The month's load: its rows from the original warehouse, appended."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"attach '{original}' as original (read_only)")
        for table, date in event_dates().items():
            con.execute(
                f"insert into {table} select * from original.{table} where {date} >= DATE '{month}'"
            )
        con.execute(
            f"insert into person select * from original.person where birth_month >= DATE '{month}'"
        )
        con.execute(
            "update person set death_date = o.death_date from original.person o "
            f"where person.person_key = o.person_key and o.death_date >= DATE '{month}'"
        )
        con.execute("checkpoint")
    finally:
        con.close()


def event_rows(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sum(
            int(con.sql(f"select count(*) from {t}").fetchall()[0][0]) for t in event_dates()
        )
    finally:
        con.close()


def incremental_rows(original: Path) -> tuple[list[dict[str, Any]], str]:
    """Full and incremental runs before and after the last month arrives."""
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "published").mkdir(parents=True)
    path = WORK / "warehouse.duckdb"
    shutil.copyfile(original, path)
    con = duckdb.connect(str(original), read_only=True)
    try:
        month = last_month(con)
    finally:
        con.close()
    hold_back(path, month)
    out = WORK / "published"
    rows = []
    held = {
        "full": child(path, out / "held-full.parquet"),
        "incremental": child(path, out / "held-incremental.parquet", incremental=True),
    }
    put_back(path, original, month)
    assert event_rows(path) == event_rows(original), "the month put back is not the month held"
    back = {
        "full": child(path, out / "full.parquet"),
        "incremental": child(path, out / "incremental.parquet", incremental=True),
    }
    same = pd.read_parquet(out / "full.parquet").equals(
        pd.read_parquet(out / "incremental.parquet")
    )
    for data, runs in (("last month held back", held), ("last month loaded", back)):
        full, inc = runs["full"], runs["incremental"]
        rows.append(
            {
                "data": data,
                "periods": inc["periods"],
                "computed incrementally": len(inc["computed"]),
                "which": ", ".join(inc["computed"]) or "none",
                "full run s": full["seconds"],
                "incremental run s": inc["seconds"],
                "ratio incremental ÷ full": inc["seconds"] / full["seconds"],
                "published tables equal": "—" if runs is held else ("yes" if same else "NO"),
            }
        )
        print(rows[-1], flush=True)
    return rows, month


def spark_row(persons: int, timeout: float | None) -> dict[str, Any]:
    """The Spark pipeline on a copy of the warehouse of ``persons`` (its Parquet export
    is written beside the copy)."""
    from placehealth.engine.backends import _parquet_export

    path = WORK / f"spark{persons}" / "warehouse.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse(persons), path)
    start = time.perf_counter()
    _parquet_export(path)
    export = time.perf_counter() - start
    rows = event_rows(path)
    run = child(path, WORK / "published" / f"spark-{persons}.parquet", engine="spark",
                timeout=timeout)  # fmt: skip
    return {
        "persons": f"{persons:,}",
        "event rows": f"{rows:,}",
        "Parquet export s": export,
        "Spark pipeline s": run["seconds"],
        "event rows per s": f"{rows / run['seconds']:,.0f}",
    }


def main() -> None:
    load = os.getloadavg()
    original = warehouse(PERSONS)
    rows, month = incremental_rows(original)
    try:
        if SPARK_PERSONS != PERSONS:
            raise subprocess.TimeoutExpired("spark", 0)
        spark = spark_row(PERSONS, SPARK_LIMIT)
        spark_note = ""
    except subprocess.TimeoutExpired:
        spark = spark_row(SPARK_FALLBACK, None)
        spark_note = (
            f" Spark at {PERSONS:,} persons was not run to the end: it takes longer than "
            f"{SPARK_LIMIT / 60:.0f} minutes on this machine (or was skipped with "
            f"PLACEHEALTH_BENCH_SPARK_PERSONS), so it was measured at {SPARK_FALLBACK:,}."
        )
    print(spark, flush=True)
    write_block(rows, month, spark, spark_note, load[0])


def write_block(
    rows: list[dict[str, Any]],
    month: str,
    spark: dict[str, Any],
    spark_note: str,
    load: float,
) -> None:
    """The section of docs/benchmarks.md: the runs, and Spark's rows per second."""
    for row in rows:
        row["Spark: persons"], row["Spark: event rows per s"] = "", ""
    rows[0]["Spark: persons"] = spark["persons"]
    rows[0]["Spark: event rows per s"] = (
        f"{spark['event rows per s']} ({spark['event rows']} rows in "
        f"{spark['Spark pipeline s']:,.0f} s; export {spark['Parquet export s']:,.0f} s)"
    )
    record(
        "incremental",
        "Incremental indicator runs, and the pipeline on Spark",
        rows,
        notes=(
            f"Synthetic Liverpool, {PERSONS:,} persons (seed 1), every whole financial year "
            "in the data and the pooled windows inside them. The last month of events "
            f"(from {month}: every event table by its own date, with the people born and "
            "the deaths dated in it) is held back, then loaded again. Full run: "
            "`placehealth indicators compute`; incremental run: the same with "
            "`--incremental` (fingerprinting the warehouse, reusing unchanged periods, "
            "disclosure control on the whole table, saving the state). Held back, the "
            "incremental run has no state yet and computes every period; loaded, it "
            "computes the periods the new month reaches (its financial year and the "
            "pooled windows holding its calendar year; a window or year it does not "
            "reach is reused), and its published table is compared with the full run's. "
            "Seconds are from inside a child process, after start-up. "
            "Spark: the full pipeline on `--engine spark` (local[2]), event rows per "
            "second = every row of every event table ÷ the pipeline's seconds; the "
            "Parquet export Spark reads is made once beforehand and timed apart."
            f"{spark_note} {os.cpu_count()} cores shared with other work; load average "
            f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end. "
            "Reproduce: uv run python -m benchmarks.bench_incremental"
        ),
    )


if __name__ == "__main__":
    main()
