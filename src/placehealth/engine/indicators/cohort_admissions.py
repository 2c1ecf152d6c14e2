"""Emergency admissions of three groups of people: care-home residents, people with a
long-term condition, and people in their last year of life.

Each is a count of emergency spells (``admission_method`` emergency) by the person's
LSOA and practice, with a row, zero or more, wherever people live. A spell counts once
however many of the group's records place the person in the group that day.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.data.conditions import condition_list
from placehealth.engine import tables as t
from placehealth.engine.expressions import day_number
from placehealth.engine.indicators.context import Context, fy_label, long_format
from placehealth.engine.indicators.social_care import CARE_HOME
from placehealth.engine.indicators.standardise import AREA_KEYS
from placehealth.engine.population import count_events

CARE_HOME_RESIDENTS = "bp-care-home-resident-admissions"
LONG_TERM_CONDITION = "ltc-non-elective-utilisation"
END_OF_LIFE = "bp-end-of-life-admissions"
NOT_A_CONDITION = "palliative_care"  # a register, not a long-term condition
LAST_YEAR_DAYS = 365  # admitted 0 to 364 days before the day of death
SPELL = ["person_key", "admit_date"]


def cohort_admissions(ctx: Context) -> list[pd.DataFrame]:
    """The three counts, by the financial year of admission (of death, at the end of life)."""
    emergency = _emergency(ctx)
    return [
        _count(ctx, _in_care_home(ctx, emergency), "admit_date", CARE_HOME_RESIDENTS),
        _count(ctx, _with_condition(ctx, emergency), "admit_date", LONG_TERM_CONDITION),
        _count(ctx, _before_death(ctx, emergency), "date_of_death", END_OF_LIFE),
    ]


def _emergency(ctx: Context) -> nw.LazyFrame[Any]:
    spells = ctx.backend.table(t.APC_SPELL).filter(nw.col("admission_method") == "emergency")
    return spells.select(SPELL)


def _in_care_home(ctx: Context, emergency: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Spells that began on a day the person was in a residential or nursing episode (from
    its first day to its last; an open episode runs on)."""
    homes = ctx.backend.table(t.SOCIAL_CARE).filter(nw.col("service").is_in(CARE_HOME))
    days = (
        emergency.unique()
        .join(homes.select("person_key", "start_date", "end_date"), on="person_key")
        .filter(
            nw.col("start_date") <= nw.col("admit_date"),
            nw.col("end_date").is_null() | (nw.col("end_date") >= nw.col("admit_date")),
        )
        .select(SPELL)
        .unique()
    )
    return emergency.join(days, on=SPELL)


def _with_condition(ctx: Context, emergency: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Spells of people with a long-term condition recorded on or before the day admitted
    (any condition group but the palliative care register)."""
    conditions = [c for c in condition_list().ids() if c != NOT_A_CONDITION]
    first = (
        ctx.backend.table(t.CONDITION)
        .filter(nw.col("condition").is_in(conditions))
        .group_by("person_key")
        .agg(nw.col("recorded_date").min())
    )
    return (
        emergency.join(first, on="person_key")
        .filter(nw.col("recorded_date") <= nw.col("admit_date"))
        .select(SPELL)
    )


def _before_death(ctx: Context, emergency: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Spells that began in the 365 days ending on the day of death, dated by the death."""
    died = ctx.backend.table(t.DEATH).group_by("person_key").agg(nw.col("date_of_death").min())
    before = day_number("date_of_death") - day_number("admit_date")
    return (
        emergency.join(died, on="person_key")
        .filter(before >= 0, before < LAST_YEAR_DAYS)
        .select("person_key", "date_of_death")
    )


def _count(ctx: Context, events: nw.LazyFrame[Any], date: str, indicator: str) -> pd.DataFrame:
    """Events by the financial year of ``date``, rolled up to every area where people live."""
    counts = count_events(ctx.backend, events, date, years=ctx.years, banding="none", name="events")
    at_grain = counts.groupby(["lsoa", "practice_code", "year"], dropna=False)["events"].sum()
    rolled = ctx.with_population(at_grain.reset_index(), "events", ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    summed = rolled.groupby(AREA_KEYS, observed=True)["events"].sum().reset_index()
    counted = summed.assign(numerator=summed["events"], value=summed["events"], method="count")
    return long_format(counted, indicator)
