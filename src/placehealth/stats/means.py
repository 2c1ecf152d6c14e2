"""Means with Student's t limits (phe_mean)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

from placehealth.stats.confidence import normalise_levels
from placehealth.stats.frame import fail_at, groups, numeric
from placehealth.stats.results import assemble


def mean(
    data: pd.DataFrame,
    values: str,
    by: str | Sequence[str] | None = None,
    *,
    confidence: float | Iterable[float] | None = None,
) -> pd.DataFrame:
    """Mean of ``values`` per group with t-distribution limits (n - 1 degrees of freedom).

    ``numerator`` is the sum and ``denominator`` the number of values; the
    sample standard deviation is returned as ``stdev``.
    """
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    v = numeric(data, values, grp=grp, what="value")
    n = grp.size().astype(float)
    total = grp.sum(v)
    avg = total / n
    squares = grp.sum((v - avg[grp.codes]) ** 2)
    single = n < 2
    if single.any():
        code = int(np.flatnonzero(single)[0])
        raise fail_at(
            f"group {grp.label(code)} has one value; a mean's limits need at least two",
            column=values,
            grp=None,
            position=None,
        )
    sd = np.sqrt(squares / (n - 1))
    se = sd / np.sqrt(n)
    limits = {}
    for level in levels:
        t = st.t.ppf(level + (1 - level) / 2, n - 1)
        limits[level] = (avg - t * se, avg + t * se)
    return assemble(
        grp,
        numerator=total,
        denominator=n,
        value=avg,
        limits=limits,
        statistic="mean",
        method="Student's t-distribution",
        extra={"stdev": sd},
    )
