"""Crude rates: exact Poisson limits below 10 events, Byar's otherwise (phe_rate)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from placehealth.stats.confidence import normalise_levels, poisson_limits
from placehealth.stats.frame import fail_at, groups
from placehealth.stats.proportions import Missing, group_totals
from placehealth.stats.results import assemble, multiplier_text


def rate(
    data: pd.DataFrame,
    count: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    multiplier: float = 100_000,
    confidence: float | Iterable[float] | None = None,
    missing: Missing = "error",
) -> pd.DataFrame:
    """Events per ``multiplier`` population, summed per group.

    Events may exceed the population (repeat events, person-years), so that is
    allowed; a zero population is not.
    """
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    x, n = group_totals(data, grp, [(count, "count"), (population, "population")], missing=missing)
    zero = ~np.isnan(n) & (n <= 0)
    if zero.any():
        code = int(np.flatnonzero(zero)[0])
        raise fail_at(
            f"group {grp.label(code)}: population must be greater than zero",
            column=population,
            grp=None,
            position=None,
            hint="a rate needs a population; drop the group or correct the denominator",
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        value = x / n * multiplier
    limits = {}
    exact = np.zeros(len(x), dtype=bool)
    for level in levels:
        lower, upper, exact = poisson_limits(x, level)
        with np.errstate(invalid="ignore"):
            limits[level] = (lower / n * multiplier, upper / n * multiplier)
    method = pd.Series(np.where(exact, "Exact", "Byars"), dtype=object).where(~np.isnan(x))
    return assemble(
        grp,
        numerator=x,
        denominator=n,
        value=value,
        limits=limits,
        statistic=f"rate per {multiplier_text(multiplier)}",
        method=method,
    )
