"""Excess winter deaths index (the ONS method), over three winters pooled.

The ONS standard method takes December to March as winter and compares its deaths
with the average of the four months before (August to November) and the four after
(April to July): excess winter deaths = winter deaths − (August–November deaths +
April–July deaths) / 2, and the index = excess winter deaths / that average × 100
(ONS, Excess winter mortality in England and Wales, methodology; as NISRA states it,
https://www.nisra.gov.uk/statistics/cause-death/winter-mortality). Public Health
England's Fingertips pools three 'winter years' of August to July for local areas;
the catalogue entry says three-year pooled, so each of the context's pooled windows of
calendar years (a, b) gives the three winter years from August a−1 to July b, whose
winters end in a … b. The period is written as those months ('2014-08..2017-07').

Deaths are those registered of residents (the death table joined to the person), by the
date of death, at the person's LSOA and practice. The index is a ratio of two Poisson
counts, so its limits are those of the share of winter deaths among all the deaths of
the three years (Wilson), carried over to the index (it rises with that share). The
row's numerator is the winter deaths and its denominator the non-winter deaths (eight
months), both whole counts.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth import stats
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.indicators.context import CONFIDENCE, Context, long_format
from placehealth.engine.indicators.standardise import AREA_KEYS
from placehealth.engine.population import persons
from placehealth.periods import WINTER_YEAR_STARTS, winter_years_label
from placehealth.stats.confidence import lower_name, upper_name

INDICATOR = "excess-winter-deaths-index"
WINTER_MONTHS = [12, 1, 2, 3]
NON_WINTER_SPELLS = 2  # August–November and April–July, averaged
WINTERS = "winter"
OTHERS = "non_winter"


def excess_winter_deaths(ctx: Context) -> list[pd.DataFrame]:
    """The index for every area and pooled window whose three winter years hold a
    non-winter death."""
    b = ctx.backend
    wanted = sorted({y for a, last in ctx.pooled for y in range(a - 1, last)})
    month = nw.col("date_of_death").dt.month()
    year = nw.col("date_of_death").dt.year() - (month < WINTER_YEAR_STARTS).cast(nw.Int32)
    counted = (
        _deaths(b)
        .with_columns(winter_year=year.cast(nw.Int32), winter=month.is_in(WINTER_MONTHS))
        .filter(nw.col("winter_year").is_in(wanted))
        .group_by("lsoa", "practice_code", "winter_year")
        .agg(
            nw.col("winter").cast(nw.Int64).sum().cast(nw.Int64).alias(WINTERS),
            (~nw.col("winter")).cast(nw.Int64).sum().cast(nw.Int64).alias(OTHERS),
        )
    )
    rolled = ctx.roll_up(b.collect(counted), [WINTERS, OTHERS], ["winter_year"])
    windows = []
    for first, last in ctx.pooled:
        part = rolled[rolled["winter_year"].between(first - 1, last - 1)]
        summed = part.groupby(["area_type", "area_code"])[[WINTERS, OTHERS]].sum().reset_index()
        windows.append(summed.assign(period=winter_years_label(first, last)))
    pooled = pd.concat(windows, ignore_index=True) if windows else pd.DataFrame()
    if pooled.empty or not (pooled[OTHERS] > 0).any():
        return []
    return [index(pooled)]


def _deaths(backend: Backend) -> nw.LazyFrame[Any]:
    """Residents' deaths, one per person, by the date of death."""
    died = backend.table(t.DEATH).group_by("person_key").agg(nw.col("date_of_death").min())
    where = persons(backend).select("person_key", "lsoa", "practice_code")
    return died.join(where, on="person_key")


def index(frame: pd.DataFrame) -> pd.DataFrame:
    """The index of winter and non-winter deaths by area and period, in the long format."""
    frame = frame[frame[OTHERS] > 0]
    share = stats.proportion(
        frame.assign(all=frame[WINTERS] + frame[OTHERS]),
        WINTERS,
        "all",
        AREA_KEYS,
        confidence=CONFIDENCE,
    )
    result = share[AREA_KEYS].copy()
    for column in ["value", *(f(level) for level in CONFIDENCE for f in (lower_name, upper_name))]:
        result[column] = _from_share(share[column].to_numpy(dtype=float))
    result = result.merge(frame, on=AREA_KEYS)
    result = result.assign(
        numerator=result.pop(WINTERS),
        denominator=result.pop(OTHERS),
        method="excess winter deaths index (ONS), Wilson limits of the winter share",
    )
    return long_format(result, INDICATOR)


def _from_share(share: np.ndarray) -> np.ndarray:
    """The index from the winter share p of all deaths: winter / non-winter = p / (1 − p),
    average non-winter = non-winter / 2, so index = 100 × (2p / (1 − p) − 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = share / (1 - share)
    return 100 * (NON_WINTER_SPELLS * ratio - 1)
