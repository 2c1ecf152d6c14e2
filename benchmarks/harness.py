"""Timing and recording shared by every benchmark.

Each benchmark times our implementation and a baseline in the same run and
reports the ratio, so the figure means something on any machine. Results go
into their own section of ``docs/benchmarks.md`` (between markers), so
benchmarks of different areas never overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


@dataclass
class Timing:
    name: str
    seconds: float
    peak_mb: float | None = None


def measure(fn: Callable[[], Any], *, repeat: int = 3, memory: bool = False) -> tuple[float, Any]:
    """Best wall-clock time of ``repeat`` runs (and the last result)."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory_mb(fn: Callable[[], Any]) -> float:
    """Peak Python-allocated memory of one run, in MB (native buffers of numpy included)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def record(section: str, title: str, table: list[dict[str, Any]], notes: str = "") -> None:
    """Replace ``section`` of docs/benchmarks.md with a Markdown table of ``table`` rows."""
    header = list(table[0])
    lines = [
        f"## {title}",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(_fmt(row[h]) for h in header) + " |" for row in table]
    if notes:
        lines += ["", notes.strip()]
    body = "\n".join(lines)
    start, end = f"<!-- bench:{section} -->", f"<!-- /bench:{section} -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{start}\n{body}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else f"{text.rstrip()}\n\n{block}\n"
    )
    DOC.write_text(text, encoding="utf-8")
    print(body)


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value != value:  # NaN: nothing to report
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)
