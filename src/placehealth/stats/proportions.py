"""Proportions with Wilson score limits (PHE: phe_proportion)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.stats.confidence import normalise_levels, wilson
from placehealth.stats.frame import Groups, fail_at, groups, not_above, numeric
from placehealth.stats.results import assemble, multiplier_text

Missing = Literal["error", "na"]


def group_totals(
    data: pd.DataFrame,
    grp: Groups,
    columns: Sequence[tuple[str, str]],
    *,
    missing: Missing,
) -> list[np.ndarray]:
    """Sum each (column, description) per group; a gap makes the group NaN if allowed."""
    totals = []
    for column, what in columns:
        mode = "error" if missing == "error" else "keep"
        values = numeric(data, column, grp=grp, what=what, minimum=0, missing=mode)
        gaps = grp.sum(np.isnan(values).astype(float)) > 0
        total = grp.sum(np.nan_to_num(values))
        totals.append(np.where(gaps, np.nan, total))
    return totals


def proportion(
    data: pd.DataFrame,
    numerator: str,
    denominator: str,
    by: str | Sequence[str] | None = None,
    *,
    multiplier: float = 1,
    confidence: float | Iterable[float] | None = None,
    missing: Missing = "error",
) -> pd.DataFrame:
    """Numerators and denominators summed per group, as a proportion with Wilson limits.

    ``multiplier`` 100 gives percentages. ``missing="na"`` returns NaN for a
    group with a gap (the reference's behaviour) instead of refusing it.
    """
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    x, n = group_totals(
        data, grp, [(numerator, "numerator"), (denominator, "denominator")], missing=missing
    )
    ok = ~(np.isnan(x) | np.isnan(n))
    not_above(
        np.where(ok, x, 0),
        np.where(ok, n, np.inf),
        small_name="numerator",
        large_name="denominator",
        column=numerator,
        grp=grp,
    )
    zero = ok & (n <= 0)
    if zero.any():
        code = int(np.flatnonzero(zero)[0])
        raise fail_at(
            f"group {grp.label(code)}: denominator must be greater than zero",
            column=denominator,
            grp=None,
            position=None,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        value = x / n * multiplier
    limits = {}
    for level in levels:
        lower, upper = wilson(x, n, level)
        limits[level] = (lower * multiplier, upper * multiplier)
    if multiplier == 1:
        statistic = "proportion of 1"
    elif multiplier == 100:
        statistic = "percentage"
    else:
        statistic = f"proportion of {multiplier_text(multiplier)}"
    return assemble(
        grp,
        numerator=x,
        denominator=n,
        value=value,
        limits=limits,
        statistic=statistic,
        method="Wilson",
    )
