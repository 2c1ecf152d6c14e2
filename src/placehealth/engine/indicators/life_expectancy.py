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
    values = long_format(le, "life-expectancy-birth")
    values["age_band"] = "0"
    return [values, _sii(le, pooled)]


def _sii(le: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    """Slope index of inequality in life expectancy across IMD deciles, per period and sex."""
    deciles = le[le["area_type"] == "imd_decile"].copy()
    people = (
        pooled[pooled["area_type"] == "imd_decile"]
        .groupby(["area_code", "period", "sex"], observed=True)["population"]
        .sum()
        .reset_index()
    )
    deciles = deciles.merge(people, on=["area_code", "period", "sex"])
    deciles = deciles.dropna(subset=["value", "lower95_0cl", "upper95_0cl"])
    deciles["decile"] = deciles["area_code"].astype(int)
    complete = deciles.groupby(["period", "sex"])["decile"].transform("nunique") == 10
    deciles = deciles[complete]
    if deciles.empty:
        return long_format(pd.DataFrame(columns=KEYS), "life-expectancy-sii")
    result = stats.sii(
        deciles, "decile", "population", ["period", "sex"], value="value",
        value_type="normal", lower_cl="lower95_0cl", upper_cl="upper95_0cl",
        repetitions=1000, confidence=0.95, rii=False, seed=1,
    )  # fmt: skip
    result = result.rename(columns={"sii": "value", "sii_lower95_0cl": "lower95_0cl",
                                    "sii_upper95_0cl": "upper95_0cl"})  # fmt: skip
    result["area_type"], result["area_code"] = "place", ""
    return long_format(result, "life-expectancy-sii")
