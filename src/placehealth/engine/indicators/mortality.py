"""Deaths: years of life lost, infant mortality (mortality rates by cause are defined in
the catalogue and computed by :mod:`placehealth.engine.indicators.defined`).

Calendar years pooled in three-year windows (e.g. 2015-17), as Fingertips does
for small-number mortality indicators.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth import stats
from placehealth.catalogue.codelists import code_list
from placehealth.engine import tables as t
from placehealth.engine.indicators.context import (
    CONFIDENCE,
    Context,
    long_format,
    pool,
    with_band_labels,
)
from placehealth.engine.population import count_events


def deaths(ctx: Context) -> nw.LazyFrame[Any]:
    return ctx.backend.table(t.DEATH).select("person_key", "date_of_death", "underlying_cause")


def _pooled(ctx: Context, events: pd.DataFrame, count: str, banding: str = "five") -> pd.DataFrame:
    keys = ["year", "age_start", "sex"]
    rolled = ctx.with_population(events, count, keys, "calendar", banding)  # type: ignore[arg-type]
    return pool(rolled, ctx.pooled, [count, "population"])


def years_of_life_lost(ctx: Context) -> list[pd.DataFrame]:
    """Potential years of life lost before 75 from amenable causes, DSR per 100,000."""
    events = deaths(ctx).filter(code_list("icd10-amenable").expression("underlying_cause"))
    counts = count_events(
        ctx.backend, events, "date_of_death", years=ctx.calendar_years, basis="calendar",
        name="deaths", max_age=75,
    )  # fmt: skip
    frame = with_band_labels(_pooled(ctx, counts, "deaths"))
    persons = (
        frame.groupby(["area_type", "area_code", "period", "age_band"], observed=True)[
            ["deaths", "population"]
        ]
        .sum()
        .reset_index()
    )
    persons = persons[persons["population"] > 0]
    complete = persons.groupby(["area_type", "area_code", "period"])["age_band"].transform("size")
    persons = persons[complete == len(stats.ESP2013)]
    result = stats.pyll(
        persons, "deaths", "population", ["area_type", "area_code", "period"],
        age_band="age_band", kind="standardised", confidence=CONFIDENCE,
    )  # fmt: skip
    return [long_format(result, "pyll-amenable")]


def infant_mortality(ctx: Context) -> list[pd.DataFrame]:
    """Deaths under one year per 1,000 live births (pooled), and the yearly count of deaths."""
    people = ctx.backend.table(t.PERSON).select(
        "person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"
    )
    births = (
        people.with_columns(year=nw.col("birth_month").dt.year().cast(nw.Int32))
        .filter(nw.col("year").is_in(ctx.calendar_years))
        .group_by("lsoa", "practice_code", "year")
        .agg(nw.len().alias("births"))
    )
    infant = count_events(
        ctx.backend, deaths(ctx), "date_of_death", years=ctx.calendar_years, basis="calendar",
        banding="none", name="deaths", max_age=1,
    )  # fmt: skip
    infant = infant.groupby(["lsoa", "practice_code", "year"])["deaths"].sum().reset_index()
    frame = (
        ctx.backend.collect(births)
        .merge(infant, on=["lsoa", "practice_code", "year"], how="outer")
        .fillna({"births": 0, "deaths": 0})
    )
    rolled = ctx.roll_up(frame, ["deaths", "births"], ["year"])
    pooled = pool(rolled, ctx.pooled, ["deaths", "births"])
    pooled = pooled[pooled["births"] > 0]
    rate = stats.rate(
        pooled, "deaths", "births", ["area_type", "area_code", "period"], multiplier=1000,
        confidence=CONFIDENCE,
    )  # fmt: skip
    yearly = rolled.assign(period=rolled["year"].astype(str), value=rolled["deaths"],
                           numerator=rolled["deaths"], method="count")  # fmt: skip
    return [long_format(rate, "infant-mortality"), long_format(yearly, "infant-deaths")]
