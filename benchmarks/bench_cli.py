"""Start-up: ``placehealth --help`` and every command's ``--help``, against ``python -c pass``.

Each is a fresh process, as a user starts it, timed several times in the same run as
the bare interpreter; the figure is the best and the median wall-clock time. Target
from the issue: every ``--help`` under 0.5 s on this machine (it was about 5.5 s when
every command module, pandas, scipy and the engines were imported first).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from typer.main import get_command

from benchmarks.harness import record
from placehealth.cli.main import app

REPEAT = 5
TARGET = 0.5


def command_paths() -> Iterator[list[str]]:
    """Every command and group, as the words typed after ``placehealth``."""

    def walk(command, path):  # type: ignore[no-untyped-def]
        if not hasattr(command, "list_commands"):
            return
        ctx = command.context_class(command)
        for name in command.list_commands(ctx):
            yield [*path, name]
            yield from walk(command.get_command(ctx, name), [*path, name])

    yield []
    yield from walk(get_command(app), [])


def placehealth() -> list[str]:
    """The console script a user runs, installed beside this interpreter."""
    script = Path(sys.executable).parent / "placehealth"
    found = str(script) if script.exists() else shutil.which("placehealth")
    return [found] if found else [sys.executable, "-m", "placehealth"]


def wall(argv: list[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of ``REPEAT`` runs of ``argv``, each checked
    to succeed. CPU time is the steadier figure on a shared machine: waiting for a core
    adds to wall-clock time only."""
    env = {**os.environ, "COLUMNS": "100"}
    times, cpu = [], []
    for _ in range(REPEAT):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return times, cpu


def main() -> None:
    bare, bare_cpu = wall([sys.executable, "-c", "pass"])
    load = os.getloadavg()[0]
    rows = [
        {
            "command": "python -c pass (baseline)",
            "best s": min(bare),
            "median s": statistics.median(bare),
            "median CPU s": statistics.median(bare_cpu),
            "under 0.5 s": "—",
        }
    ]
    slowest = slowest_cpu = 0.0
    for path in command_paths():
        times, cpu = wall([*placehealth(), *path, "--help"])
        slowest = max(slowest, statistics.median(times))
        slowest_cpu = max(slowest_cpu, statistics.median(cpu))
        rows.append(
            {
                "command": " ".join(["placehealth", *path, "--help"]),
                "best s": min(times),
                "median s": statistics.median(times),
                "median CPU s": statistics.median(cpu),
                "under 0.5 s": "yes" if statistics.median(times) < TARGET else "no",
            }
        )
    load = max(load, os.getloadavg()[0])
    record(
        "cli",
        "Start-up: every --help",
        rows,
        notes=f"""
Each row is a fresh process ({REPEAT} runs; best and median wall-clock time, and the
median CPU time the process used), the console script a user runs, timed in the same
run as the bare interpreter. Slowest median: {slowest:.3f} s wall-clock, {slowest_cpu:.3f} s
CPU (target: under {TARGET} s; about 5.5 s before commands were loaded on first use).
Load average during the run: up to {load:.1f} on {os.cpu_count()} cores (a shared
machine: waiting for a core inflates the wall-clock figures, the baseline's included;
the CPU figures are the steadier measure of the work done).
""",
    )
    print(f"slowest --help: {slowest:.3f} s, CPU {slowest_cpu:.3f} s; bare {min(bare):.3f} s")


if __name__ == "__main__":
    main()
