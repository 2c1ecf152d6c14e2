"""Indirectly standardised rates and ratios (phe_isr / calculate_ISRate, calculate_ISRatio).

Expected events E = sum_i(n_i * R_i / P_i), from the reference population's
events R_i and population P_i in band i. The ratio is O / E; the rate is
O / E times the reference's crude rate. Limits are the Poisson limits of the
observed count O (exact below 10 events, Byar's otherwise) divided by E.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.stats.bands import band_positions, require_complete
from placehealth.stats.confidence import normalise_levels, poisson_limits
from placehealth.stats.frame import fail_at, groups, numeric, require
from placehealth.stats.results import assemble, multiplier_text
from placehealth.stats.standards import start_ages


def isr(
    data: pd.DataFrame,
    count: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    ref_count: str = "ref_count",
    ref_population: str = "ref_population",
    reference: pd.DataFrame | None = None,
    age_band: str | None = None,
    kind: Literal["rate", "ratio"] = "rate",
    multiplier: float | None = None,
    confidence: float | Iterable[float] | None = None,
    missing: Literal["error", "zero"] = "error",
) -> pd.DataFrame:
    """Indirectly standardised rate (``kind="rate"``) or ratio (``"ratio"``) per group.

    The reference counts and populations are columns of ``data`` (repeated
    for each group), or a separate ``reference`` frame with the same
    ``age_band`` column and ``ref_count``/``ref_population`` columns.
    The multiplier defaults to 100,000 for rates and 100 for ratios. Missing
    counts count as 0. A band with a population of 0 adds no expected events
    (the reference refuses only negatives); a missing population is refused
    unless ``missing="zero"``, which (as the reference does) treats it as 0.
    """
    if kind not in ("rate", "ratio"):
        raise fail_at(
            f"unknown kind '{kind}'", column=None, grp=None, position=None, hint="rate or ratio"
        )
    mult = float(multiplier if multiplier is not None else (100_000 if kind == "rate" else 100))
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    x = numeric(data, count, grp=grp, what="count", minimum=0, missing="zero")
    n = numeric(data, population, grp=grp, what="population", minimum=0, missing="keep")
    gaps = np.isnan(n)
    if missing == "error" and gaps.any():
        raise fail_at(
            "population is missing",
            column=population,
            grp=grp,
            position=int(np.flatnonzero(gaps)[0]),
            hint="fill the cell, or count it as 0 as the reference does (--missing zero)",
        )
    n = np.where(gaps, 0.0, n)
    if reference is None:
        rx = numeric(data, ref_count, grp=grp, what="reference count", minimum=0, missing="zero")
        rn = numeric(data, ref_population, grp=grp, what="reference population", positive=True)
    else:
        rx, rn = _reference_by_band(data, reference, grp, age_band, ref_count, ref_population)
    observed = grp.sum(x)
    expected = grp.sum(n * rx / rn)
    ref_rate = grp.sum(rx) / grp.sum(rn)
    no_expected = expected <= 0
    if no_expected.any():
        code = int(np.flatnonzero(no_expected)[0])
        raise fail_at(
            f"group {grp.label(code)} has no expected events (reference counts are all 0)",
            column=ref_count,
            grp=None,
            position=None,
        )
    scale = mult * (ref_rate if kind == "rate" else 1.0) / expected
    limits = {}
    exact = np.zeros(observed.shape, dtype=bool)  # replaced by the first level's flags
    for level in levels:
        lower, upper, exact = poisson_limits(observed, level)
        limits[level] = (lower * scale, upper * scale)
    if kind == "rate":
        statistic = f"indirectly standardised rate per {multiplier_text(mult)}"
    else:
        statistic = f"indirectly standardised ratio x {multiplier_text(mult)}"
    return assemble(
        grp,
        numerator=observed,
        denominator=expected,
        value=observed * scale,
        limits=limits,
        statistic=statistic,
        method=np.where(exact, "Exact", "Byars"),
        extra={"ref_rate": ref_rate * mult if kind == "rate" else np.full(grp.count, np.nan)},
    )


def _reference_by_band(
    data: pd.DataFrame,
    reference: pd.DataFrame,
    grp: object,
    age_band: str | None,
    ref_count: str,
    ref_population: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Look up each row's reference count and population by its age band."""
    from placehealth.stats.frame import Groups

    assert isinstance(grp, Groups)
    if age_band is None:
        raise fail_at(
            "a separate reference table needs the age band column to be named",
            column=None,
            grp=None,
            position=None,
        )
    require(reference, [age_band, ref_count, ref_population])
    starts = start_ages(reference[age_band])
    if np.isnan(starts).any() or len(set(starts)) != len(starts):
        raise fail_at(
            "reference table age bands must be distinct start ages",
            column=age_band,
            grp=None,
            position=None,
        )
    labels = [str(v) for v in reference[age_band]]
    band = band_positions(data, age_band, grp, starts, labels=labels, context="the reference")
    require_complete(grp, band, labels, column=age_band)
    rx = numeric(reference, ref_count, what="reference count", minimum=0, missing="zero")
    rn = numeric(reference, ref_population, what="reference population", positive=True)
    return rx[band], rn[band]
