"""Stats row by row: crude rates and ISR over 1,000,000 rows, beside proportions.

Each row is its own group (an area-year, say), so every row gets its limits.
The baseline is the earlier implementation, kept here: exact Poisson limits
computed for every row and then thrown away where the count is 10 or more.
Both run in the same process on the same rows and must agree exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd

from benchmarks.harness import measure, record
from placehealth.stats import isr, proportion, rate
from placehealth.stats.confidence import byars_lower, byars_upper, exact_lower, exact_upper

ROWS = 1_000_000
TARGET = 2.0  # rates and ISR within 2x of proportions over the same rows


def rows(rng: np.random.Generator) -> pd.DataFrame:
    """Counts from a few to a few hundred (about 1 in 8 under 10), as small-area data."""
    population = rng.integers(500, 20_000, ROWS)
    count = rng.binomial(population, rng.uniform(0.0005, 0.02, ROWS))
    return pd.DataFrame(
        {
            "id": np.arange(ROWS),
            "count": count,
            "population": population,
            "ref_count": rng.integers(50, 5_000, ROWS),
            "ref_population": rng.integers(100_000, 500_000, ROWS),
        }
    )


def old_poisson_limits(count: np.ndarray, level: float, small: int = 10) -> tuple[Any, ...]:
    """The earlier placehealth: exact limits for every row, then chosen below ``small``."""
    x = np.asarray(count, dtype=float)
    exact = x < small
    lower = np.where(exact, exact_lower(x, level), byars_lower(x, level))
    upper = np.where(exact, exact_upper(x, level), byars_upper(x, level))
    return lower, upper, exact


@contextmanager
def old_limits() -> Any:
    with (
        mock.patch("placehealth.stats.rates.poisson_limits", old_poisson_limits),
        mock.patch("placehealth.stats.isr.poisson_limits", old_poisson_limits),
    ):
        yield


def timed(fn: Callable[[], pd.DataFrame], *, old: bool = False) -> tuple[float, pd.DataFrame]:
    if old:
        with old_limits():
            return measure(fn, repeat=1)
    return measure(fn, repeat=3)


def main() -> None:
    data = rows(np.random.default_rng(2026))
    small = float((data["count"] < 10).mean())
    base_t, _ = timed(lambda: proportion(data, "count", "population", "id"))
    table = [
        {
            "task": "proportion (Wilson)",
            "rows": f"{ROWS:,}",
            "before (s)": float("nan"),
            "after (s)": base_t,
            "speed-up": float("nan"),
            "÷ proportion": 1.0,
            "target": "—",
            "agree": "—",
        }
    ]
    for name, fn in (
        ("crude rate (exact < 10, Byar's)", lambda: rate(data, "count", "population", "id")),
        ("ISR (indirectly standardised rate)", lambda: isr(data, "count", "population", "id")),
    ):
        before_t, before = timed(fn, old=True)
        after_t, after = timed(fn)
        table.append(
            {
                "task": name,
                "rows": f"{ROWS:,}",
                "before (s)": before_t,
                "after (s)": after_t,
                "speed-up": before_t / after_t,
                "÷ proportion": after_t / base_t,
                "target": f"≤ {TARGET:g}× proportion",
                "agree": "yes" if after.equals(before) else "NO",
            }
        )
    record(
        "stats-rows",
        "Stats row by row: rates and ISR over 1,000,000 rows",
        table,
        notes=(
            f"Each row is its own group, with 95% and 99.8% limits; {small:.0%} of the counts "
            "are under 10. 'before' is the earlier implementation (exact Poisson limits "
            "computed for every row), kept in benchmarks/bench_stats_rows.py and run in the "
            "same process on the same rows; 'agree' means the two output frames are "
            "identical. '÷ proportion' is the time over that of proportions on the same rows "
            "(target ≤ 2). Best of 3 runs after, 1 run before, on a shared 2-core machine."
        ),
    )


if __name__ == "__main__":
    main()
