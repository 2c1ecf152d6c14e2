"""Recorded conditions: dementia diagnosis rate and long-term condition prevalence."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.catalogue.codelists import rates
from placehealth.engine import tables as t
from placehealth.engine.expressions import age_at, five_year_band
from placehealth.engine.indicators.context import Context, fy_label, midpoint_frame
from placehealth.engine.indicators.standardise import proportion
from placehealth.engine.population import persons

DEMENTIA = "dementia"


def having(ctx: Context, conditions: list[str] | None, by: list[str]) -> nw.LazyFrame[Any]:
    """People alive at each mid-year with a condition recorded by then: one row per
    person, year and ``by`` (e.g. the condition), with the person's age then."""
    b = ctx.backend
    records = b.table(t.CONDITION).select("person_key", "condition", "recorded_date")
    if conditions is not None:
        records = records.filter(nw.col("condition").is_in(conditions))
    # a person holds a condition from its first record: one row per person and ``by``, so
    # the rows below are unique without a window over millions of them
    records = records.group_by("person_key", *by).agg(nw.col("recorded_date").min())
    periods = midpoint_frame(ctx)
    people = (
        persons(b)
        .join(periods, how="cross")
        .filter(
            nw.col("birth_month") <= nw.col("mid"),
            nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("mid")),
        )
    )
    return (
        people.join(records, on="person_key")
        .filter(nw.col("recorded_date") <= nw.col("mid"))
        .with_columns(age=age_at("birth_month", "mid"))
    )


def _recorded(ctx: Context, conditions: list[str] | None) -> pd.DataFrame:
    """People alive at each mid-year with a condition recorded by then, at population grain."""
    grouped = (
        having(ctx, conditions, [])
        .with_columns(age_start=five_year_band(nw.col("age")))
        .group_by("lsoa", "practice_code", "year", "sex", "age_start")
        .agg(nw.len().alias("recorded"))
    )
    return ctx.backend.collect(grouped)


def dementia_diagnosis(ctx: Context) -> list[pd.DataFrame]:
    """People 65+ with recorded dementia as a percentage of those expected from prevalence."""
    prevalence = rates("dementia-expected-prevalence").rates
    recorded = _recorded(ctx, [DEMENTIA])
    recorded = recorded[recorded["age_start"] >= 65]
    population = ctx.population(min_age=65)
    population = population[population["age_start"] >= 65]
    expected = population.assign(
        expected=population["population"] * population["age_start"].map(prevalence)
    )
    rolled = _beside(
        ctx.roll_up(expected, ["expected"], ["year"]),
        ctx.roll_up(recorded, ["recorded"], ["year"]),
    )
    rolled["period"] = rolled.pop("year").map(fy_label)
    rolled["expected"] = rolled["expected"].round()
    return [proportion(rolled, "recorded", "expected", "dementia-diagnosis")]


def ltc_prevalence(ctx: Context) -> list[pd.DataFrame]:
    """People with at least one recorded long-term condition, as a % of the population."""
    recorded = _recorded(ctx, None)
    rolled = _beside(ctx.rolled_population(["year"]), ctx.roll_up(recorded, ["recorded"], ["year"]))
    rolled["period"] = rolled.pop("year").map(fy_label)
    return [proportion(rolled, "recorded", "population", "ltc-prevalence")]


def _beside(people: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """Recorded counts next to every area's people (areas without a record count zero).

    Records are of living residents at the same grain as the population, so every
    area with a record also has people.
    """
    keys = ["area_type", "area_code", "year"]
    return people.merge(recorded, on=keys, how="left").fillna({"recorded": 0})
