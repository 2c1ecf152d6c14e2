"""Health-state life expectancy by Sullivan's method: years lived free of a state.

The life table of :mod:`placehealth.stats.life_expectancy` gives the person-years L
lived in each band by 100,000 born (l0); the share of people in the band *with* the
state, pi = prevalent / population, takes those years out:

    HLE at birth = sum(L * (1 - pi)) / l0

ONS's healthy life expectancy is this with self-reported health from a survey. From
records the state is a recorded condition (``placehealth indicators inequalities``
uses any long-term condition), so the measure is *condition-free life expectancy*.
Its standard error counts the prevalence's binomial error (Jagger et al., *Health
expectancy calculation by the Sullivan method: a practical guide*, 2006):
var = sum(L**2 * pi * (1 - pi) / population) / l0**2, the mortality part being small
beside it. A group the life table cannot be closed for (life expectancy's rules) has
no value, with the same note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from placehealth.stats.bands import band_positions
from placehealth.stats.confidence import lower_name, normalise_levels, upper_name, z_value
from placehealth.stats.frame import fail_at, groups, not_above, numeric
from placehealth.stats.life_expectancy import BANDS, LABELS, life_expectancy, person_years
from placehealth.stats.standards import LIFE_TABLE_STARTS

METHOD = "Sullivan, on a Chiang II life table; prevalence error only"


def sullivan(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    prevalent: str,
    by: str | Sequence[str] | None = None,
    *,
    age_band: str = "age_band",
    confidence: float | Iterable[float] | None = None,
) -> pd.DataFrame:
    """State-free life expectancy at birth per group: one row each, PHE column names.

    ``prevalent`` counts the people of ``population`` with the state (so it is at most
    the population). ``numerator`` is the prevalent total, ``denominator`` the population.
    """
    levels = normalise_levels(confidence)
    le = life_expectancy(data, deaths, population, by, age_band=age_band, ages=[0],
                         confidence=levels, invalid="suppress")  # fmt: skip
    grp = groups(data, by)
    d = numeric(data, deaths, grp=grp, what="deaths", missing="keep")
    p = numeric(data, population, grp=grp, what="population", missing="keep")
    k = numeric(data, prevalent, grp=grp, what="prevalent count", minimum=0, missing="keep")
    ok = ~np.isnan(k) & ~np.isnan(p)
    not_above(np.where(ok, k, 0), np.where(ok, p, np.inf), small_name="prevalent count",
              large_name="population", column=prevalent, grp=grp)  # fmt: skip
    band = band_positions(data, age_band, grp, LIFE_TABLE_STARTS, labels=LABELS,
                          context="the life table")  # fmt: skip
    cell = grp.codes * BANDS + band
    grids = []
    for values in (d, p, k):
        flat = np.full(grp.count * BANDS, np.nan)
        flat[cell] = values
        grids.append(flat.reshape(grp.count, BANDS))
    dd, pp, kk = grids
    lx, big_l = person_years(np.nan_to_num(dd), np.where(np.isnan(pp) | (pp <= 0), 1, pp))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pp > 0, kk / pp, 0.0)
        value = (big_l * (1 - share)).sum(axis=1) / lx[:, 0]
        var = (big_l**2 * share * (1 - share) / pp).sum(axis=1) / lx[:, 0] ** 2
    if len(le) != grp.count:
        raise fail_at("every group needs the life table's first band ('0')", column=age_band,
                      grp=None, position=None)  # fmt: skip
    closed = le["value"].notna().to_numpy()  # life_expectancy returns groups in code order
    out = le[grp.by].reset_index(drop=True).copy() if grp.by else pd.DataFrame(index=[0])
    out["numerator"] = np.nansum(kk, axis=1)
    out["denominator"] = np.nansum(pp, axis=1)
    out["value"] = np.where(closed, value, np.nan)
    for level in levels:
        half = z_value(level) * np.sqrt(var)
        out[lower_name(level)] = np.where(closed, value - half, np.nan)
        out[upper_name(level)] = np.where(closed, value + half, np.nan)
    out["note"] = le["note"].to_numpy()
    out["statistic"] = "state-free life expectancy at 0"
    out["method"] = METHOD
    return out
