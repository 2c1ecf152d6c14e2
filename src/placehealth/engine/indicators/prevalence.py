"""Recorded conditions: dementia diagnosis rate and long-term condition prevalence."""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from placehealth.catalogue.codelists import rates
from placehealth.engine import tables as t
from placehealth.engine.expressions import age_at, five_year_band
from placehealth.engine.indicators.context import Context, fy_label, midpoint_frame
from placehealth.engine.indicators.standardise import proportion
from placehealth.engine.population import persons

DEMENTIA = "dementia"


def _recorded(ctx: Context, conditions: list[str] | None) -> pd.DataFrame:
    """People alive at each mid-year with a condition recorded by then, at population grain."""
    b = ctx.backend
    records = b.table(t.CONDITION).select("person_key", "condition", "recorded_date")
    if conditions is not None:
        records = records.filter(nw.col("condition").is_in(conditions))
    periods = midpoint_frame(ctx)
    people = (
        persons(b)
        .join(periods, how="cross")
        .filter(
            nw.col("birth_month") <= nw.col("mid"),
            nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("mid")),
        )
    )
    having = (
        people.join(records, on="person_key")
        .filter(nw.col("recorded_date") <= nw.col("mid"))
        .unique(["person_key", "year"])
    )
    grouped = (
        having.with_columns(age_start=five_year_band(age_at("birth_month", "mid")))
        .group_by("lsoa", "practice_code", "year", "sex", "age_start")
        .agg(nw.len().alias("recorded"))
    )
    return b.collect(grouped)


def dementia_diagnosis(ctx: Context) -> list[pd.DataFrame]:
    """People 65+ with recorded dementia as a percentage of those expected from prevalence."""
    prevalence = rates("dementia-expected-prevalence").rates
    recorded = _recorded(ctx, [DEMENTIA])
    population = ctx.population(min_age=65)
    keys = ["lsoa", "practice_code", "year", "sex", "age_start"]
    frame = population.merge(recorded, on=keys, how="left").fillna({"recorded": 0})
    frame = frame[frame["age_start"] >= 65]
    frame["expected"] = frame["population"] * frame["age_start"].map(prevalence)
    rolled = ctx.roll_up(frame, ["recorded", "expected"], ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    rolled["expected"] = rolled["expected"].round()
    return [proportion(rolled, "recorded", "expected", "dementia-diagnosis")]


def ltc_prevalence(ctx: Context) -> list[pd.DataFrame]:
    """People with at least one recorded long-term condition, as a % of the population."""
    recorded = _recorded(ctx, None)
    population = ctx.population()
    keys = ["lsoa", "practice_code", "year", "sex", "age_start"]
    frame = population.merge(recorded, on=keys, how="left").fillna({"recorded": 0})
    rolled = ctx.roll_up(frame, ["recorded", "population"], ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    return [proportion(rolled, "recorded", "population", "ltc-prevalence")]
