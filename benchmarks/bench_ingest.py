"""Ingest throughput at 500,000 persons: this code against an earlier commit, same run.

The earlier commit's ``src`` is unpacked with ``git archive`` and imported first in a
child process, so both versions load the same synthetic extracts into a new
warehouse on the same machine, back to back, alternating (baseline, ours, baseline,
ours), each timed around ``ingest()`` alone (not Python's start-up). The machine is
shared: the best of the runs of each is kept and the load average is recorded.

Usage: uv run python -m benchmarks.bench_ingest [BASELINE_COMMIT]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from benchmarks.harness import record
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write

PERSONS, SEED, ROUNDS = 500_000, 1, 2
BASELINE = "474ad6c"  # the commit before rows were accounted for (the "today")
ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import inspect, sys, time
from pathlib import Path
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
import placehealth
assert placehealth.__file__.startswith(sys.argv[1] or placehealth.__file__), placehealth.__file__
# the extracts are synthetic (999 test range); versions before the flag accepted them anyway
extra = {"synthetic": True} if "synthetic" in inspect.signature(ingest).parameters else {}
start = time.perf_counter()
result = ingest(Path(sys.argv[2]), Path(sys.argv[3]), PseudoKey(b"benchmark-key-not-a-secret-0001"),
                **extra)
seconds = time.perf_counter() - start
print("result", seconds, sum(f.rows_read for f in result.files),
      sum(f.rows_added for f in result.files))
"""


def unpack(commit: str, into: Path) -> Path:
    """The commit's ``src`` folder, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def load(src: str, extract: Path, warehouse: Path) -> tuple[float, int, int]:
    """Seconds, rows read and rows added of one ingest into a new warehouse."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, src, str(extract), str(warehouse)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for leftover in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        leftover.unlink(missing_ok=True)
    last = next(line for line in reversed(done.stdout.splitlines()) if line.startswith("result"))
    _, seconds, read, added = last.split()
    print(f"{src or 'ours'}: {seconds} s", file=sys.stderr, flush=True)
    return float(seconds), int(read), int(added)


def main(baseline: str = BASELINE) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        extract = work / "extract"
        write(simulate(PERSONS, SEED), extract)
        base_src = str(unpack(baseline, work / "baseline"))
        runs: dict[str, list[tuple[float, int, int]]] = {"baseline": [], "ours": []}
        loads = []
        for _ in range(ROUNDS):
            for name, src in (("baseline", base_src), ("ours", "")):
                loads.append(os.getloadavg()[0])
                runs[name].append(load(src, extract, work / f"{name}.duckdb"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = min(runs["baseline"])
    ours = min(runs["ours"])
    assert base[1] == ours[1], "both versions must read the same rows"
    rows = []
    labels = {"baseline": f"commit {baseline}", "ours": "this code"}
    for name, best in (("baseline", base), ("ours", ours)):
        label = labels[name]
        times = ", ".join(f"{r[0]:.1f}" for r in runs[name])
        rows.append(
            {
                "ingest into a new warehouse": label,
                "rows read": f"{best[1]:,}",
                "rows added": f"{best[2]:,}",
                "best s": best[0],
                "runs s": times,
                "rows per second": f"{best[1] / best[0]:,.0f}",
                "time / baseline": best[0] / base[0],
            }
        )
    record(
        "ingest",
        "Ingest throughput against the earlier code",
        rows,
        notes=(
            f"{PERSONS:,} synthetic persons (seed {SEED}, Parquet), loaded into a new "
            f"warehouse by commit {baseline} and by this code, alternately, {ROUNDS} times each, "
            "in the same run; the best of each is compared (target: at most 1.3 times the "
            f"baseline's time). {os.cpu_count()} cores shared with other work; load average "
            f"{min(loads):.1f}–{max(loads):.1f} when the runs started, so single times vary "
            "by tens of percent. Reproduce: uv run python -m benchmarks.bench_ingest"
        ),
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
