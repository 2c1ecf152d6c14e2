"""Directly standardised rates with Dobson limits (phe_dsr / calculate_dsr).

DSR = sum_i(w_i x_i / n_i) / sum_i(w_i) * multiplier, for events x_i,
population n_i and standard population w_i in band i. Its variance
var = sum_i(w_i^2 x_i / n_i^2) / (sum_i w_i)^2 is scaled onto the Byar's
limits of the total count O: DSR + sqrt(var / O) * (O_limit - O) (Dobson et
al. 1991). Where one person can have several events, each event in a
frequency-f row adds f (not 1) to the variance term.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from placehealth.stats.bands import band_positions, require_complete, require_group_size
from placehealth.stats.confidence import byars_lower, byars_upper, normalise_levels
from placehealth.stats.frame import Groups, fail_at, groups, numeric
from placehealth.stats.results import assemble, multiplier_text
from placehealth.stats.standards import standard_by_name, standard_starts

MIN_COUNT = 10


def row_standard(
    data: pd.DataFrame,
    grp: Groups,
    *,
    age_band: str | None,
    standard: str | pd.Series | None,
    standard_column: str | None,
    repeats_allowed: bool = False,
) -> tuple[np.ndarray, np.ndarray | None, list[str] | None]:
    """The standard population of each row, each row's band index, and the band labels."""
    if standard_column is not None:
        std = numeric(data, standard_column, grp=grp, what="standard population", minimum=0)
        return std, None, None
    series = (
        standard if isinstance(standard, pd.Series) else standard_by_name(standard or "esp2013")
    )
    name = str(series.name or "the standard")
    weights = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    if np.isnan(weights).any() or (weights < 0).any():
        raise fail_at(
            f"standard population {name} has a missing or negative value",
            column=None,
            grp=None,
            position=None,
        )
    labels = [str(label) for label in series.index]
    if age_band is None:
        require_group_size(grp, len(weights), what=name)
        # position of each row within its group, in row order
        order = np.argsort(grp.codes, kind="stable")
        band = np.empty(len(grp.codes), dtype=np.intp)
        band[order] = np.arange(len(grp.codes)) - np.repeat(
            np.concatenate([[0], np.cumsum(grp.size())[:-1]]), grp.size()
        )
        return weights[band], band, labels
    starts = standard_starts(series)
    band = band_positions(data, age_band, grp, starts, labels=labels, context=name)
    require_complete(grp, band, labels, column=age_band, repeats_allowed=repeats_allowed)
    return weights[band], band, labels


def dsr(
    data: pd.DataFrame,
    count: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    age_band: str | None = None,
    standard: str | pd.Series = "esp2013",
    standard_column: str | None = None,
    event_frequency: str | None = None,
    multiplier: float = 100_000,
    confidence: float | Iterable[float] | None = None,
) -> pd.DataFrame:
    """Directly age-standardised rate per group, with Dobson limits.

    Rows are matched to the standard by ``age_band`` (start age), or by position
    within each group if no band column is named, or use ``standard_column``
    for a standard held in the data. Missing counts count as 0 (as the
    reference does); groups with fewer than 10 events get no value.
    """
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    if event_frequency is not None and age_band is None:
        raise fail_at(
            "non-independent events need the age band column to be named",
            column=event_frequency,
            grp=None,
            position=None,
        )
    x = numeric(data, count, grp=grp, what="count", minimum=0, missing="zero")
    n = numeric(data, population, grp=grp, what="population", positive=True)
    std, band, _ = row_standard(
        data,
        grp,
        age_band=age_band,
        standard=standard,
        standard_column=standard_column,
        repeats_allowed=event_frequency is not None,
    )
    variance_events = x
    pop_rows = np.ones(len(x), dtype=bool)
    if event_frequency is not None and band is not None:
        freq = numeric(data, event_frequency, grp=grp, what="event frequency", positive=True)
        variance_events = x * freq
        pop_rows = _first_row_per_band(grp, band, n, population)
    weighted = std / n
    total_count = grp.sum(x)
    total_pop = grp.sum(np.where(pop_rows, n, 0.0))
    std_total = grp.sum(np.where(pop_rows, std, 0.0))
    value = grp.sum(x * weighted) / std_total * multiplier
    var = grp.sum(variance_events * weighted**2) / std_total**2
    small = total_count < MIN_COUNT
    limits = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(var / total_count) * multiplier
        for level in levels:
            lower = value + scale * (byars_lower(total_count, level) - total_count)
            upper = value + scale * (byars_upper(total_count, level) - total_count)
            limits[level] = (np.where(small, np.nan, lower), np.where(small, np.nan, upper))
    statistic = np.where(
        small, f"dsr NA for total count < {MIN_COUNT}", f"dsr per {multiplier_text(multiplier)}"
    )
    method = "Dobson"
    if event_frequency is not None:
        method = "Dobson, with confidence adjusted for non-independent events"
    return assemble(
        grp,
        numerator=total_count,
        denominator=total_pop,
        value=np.where(small, np.nan, value),
        limits=limits,
        statistic=statistic,
        method=method,
    )


def _first_row_per_band(grp: Groups, band: np.ndarray, n: np.ndarray, column: str) -> np.ndarray:
    """With several frequency rows per band, count each band's population once."""
    nb = int(band.max()) + 1
    key = grp.codes * nb + band
    order = np.lexsort((np.arange(len(key)), key))
    first = np.zeros(len(key), dtype=bool)
    sorted_key = key[order]
    first[order[np.r_[True, sorted_key[1:] != sorted_key[:-1]]]] = True
    lo = np.full(grp.count * nb, np.inf)
    hi = np.full(grp.count * nb, -np.inf)
    np.minimum.at(lo, key, n)
    np.maximum.at(hi, key, n)
    differs = hi[key] != lo[key]
    if differs.any():
        pos = int(np.flatnonzero(differs)[0])
        raise fail_at(
            "rows of one age band give different populations",
            column=column,
            grp=grp,
            position=pos,
            hint="each event-frequency row of a band must repeat the band's population",
        )
    return first
