"""Life expectancy at birth by sex (three-year pooled), and its inequality across deciles."""

from __future__ import annotations

import pandas as pd

from placehealth import stats
from placehealth.engine.expressions import band_label
from placehealth.engine.indicators.context import CONFIDENCE, Context, long_format, pool
from placehealth.engine.indicators.mortality import deaths
from placehealth.engine.indicators.standardise import complete_bands
from placehealth.engine.population import count_events
from placehealth.stats.life_expectancy import LABELS as LIFE_TABLE_LABELS

AREAS = ("place", "imd_decile", "neighbourhood")
LIFE_EXPECTANCY, INEQUALITY = "life-expectancy-birth", "life-expectancy-sii"
REPETITIONS, SEED = 1000, 1  # simulations of the SII's limits, and their seed
KEYS = ["area_type", "area_code", "period", "sex"]


def life_expectancy(ctx: Context) -> list[pd.DataFrame]:
    """Chiang II life expectancy at birth by sex; slope index of inequality across deciles."""
    counts = count_events(
        ctx.backend, deaths(ctx), "date_of_death", years=ctx.calendar_years, basis="calendar",
        banding="life", name="deaths",
    )  # fmt: skip
    rolled = ctx.with_population(counts, "deaths", ["year", "age_start", "sex"], "calendar", "life")
    rolled = rolled[rolled["area_type"].isin(AREAS)]
    pooled = pool(rolled, ctx.pooled, ["deaths", "population"])
    pooled["age_band"] = pooled.pop("age_start").astype(int).map(lambda s: band_label(s, 0))
    full = complete_bands(pooled, KEYS, LIFE_TABLE_LABELS,
                          ["deaths", "population"])  # fmt: skip
    le = stats.life_expectancy(
        full, "deaths", "population", KEYS, age_band="age_band", ages=[0],
        confidence=CONFIDENCE, invalid="suppress",
    )  # fmt: skip
    values = long_format(le, LIFE_EXPECTANCY)
    values["age_band"] = "0"
    return [values, _sii(values)]


def _sii(values: pd.DataFrame) -> pd.DataFrame:
    """Slope index of inequality in life expectancy across IMD deciles, per period and sex:
    the inequality module's indices (one definition), weighted by each decile's people."""
    from placehealth.engine.inequalities import SII, inequality_indices  # it imports this package

    indices = inequality_indices(values, repetitions=REPETITIONS, seed=SEED)
    sii = indices[indices["measure"] == SII].drop(columns=["indicator_id", "measure"])
    if sii.empty:
        return long_format(pd.DataFrame(columns=KEYS), INEQUALITY)
    return long_format(sii, INEQUALITY, age_band="0")
