"""Adult social care: permanent care-home admissions of over-65s, reablement at 91 days."""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.expressions import age_at, financial_year, flag
from placehealth.engine.indicators.context import Context, fy_label
from placehealth.engine.indicators.standardise import crude_rate, proportion
from placehealth.engine.population import count_events, persons

CARE_HOME = ["residential", "nursing"]
OLDER = 65


def care_home_admissions(ctx: Context) -> list[pd.DataFrame]:
    """Permanent admissions (a person's first care-home episode) of people 65+, per 100,000 65+."""
    episodes = ctx.backend.table(t.SOCIAL_CARE).filter(nw.col("service").is_in(CARE_HOME))
    first = episodes.group_by("person_key").agg(nw.col("start_date").min().alias("start_date"))
    counts = count_events(
        ctx.backend, first, "start_date", years=ctx.years, banding="none", name="admissions",
        min_age=OLDER,
    )  # fmt: skip
    rolled = ctx.with_population(counts, "admissions", ["year"], banding="none", min_age=OLDER)
    rolled["period"] = rolled.pop("year").map(fy_label)
    return [crude_rate(rolled, "admissions", "care-home-admissions-65")]


def reablement(ctx: Context) -> list[pd.DataFrame]:
    """People 65+ discharged from hospital into reablement who are at home 91 days later.

    Reablement counts when an episode starts within 7 days of a discharge. At home =
    alive, and not in a residential or nursing episode, on day 91 after discharge.
    """
    b = ctx.backend
    spells = b.table(t.APC_SPELL).select("person_key", "discharge_date")
    starts = b.table(t.SOCIAL_CARE).filter(nw.col("service") == "reablement")
    starts = starts.select("person_key", nw.col("start_date").alias("reablement_start"))
    discharged = (
        spells.join(starts, on="person_key")
        .filter(
            nw.col("reablement_start") >= nw.col("discharge_date"),
            nw.col("reablement_start") <= nw.col("discharge_date").dt.offset_by("7d"),
        )
        .group_by("person_key", "discharge_date")
        .agg(nw.len().alias("episodes"))
        .join(persons(b), on="person_key")
        .with_columns(
            year=financial_year("discharge_date"),
            age=age_at("birth_month", "discharge_date"),
            day91=nw.col("discharge_date").dt.offset_by("91d"),
        )
        .filter(nw.col("age") >= OLDER, nw.col("year").is_in(ctx.years))
    )
    homes = b.table(t.SOCIAL_CARE).filter(nw.col("service").is_in(CARE_HOME))
    homes = homes.select("person_key", "start_date", "end_date")
    in_home = (
        discharged.select("person_key", "discharge_date", "day91")
        .join(homes, on="person_key")
        .filter(
            nw.col("start_date") <= nw.col("day91"),
            nw.col("end_date").is_null() | (nw.col("end_date") >= nw.col("day91")),
        )
        .group_by("person_key", "discharge_date")
        .agg(nw.len().alias("in_home"))
    )
    outcome = (
        discharged.join(in_home, on=["person_key", "discharge_date"], how="left")
        .with_columns(
            at_home=flag(
                nw.col("in_home").is_null()
                & (nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("day91")))
            )
        )
        .group_by("lsoa", "practice_code", "year")
        .agg(nw.col("at_home").sum().alias("at_home"), nw.len().alias("discharged"))
    )
    rows = b.collect(outcome)
    rolled = ctx.roll_up(rows, ["at_home", "discharged"], ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    return [proportion(rolled, "at_home", "discharged", "reablement-91-days")]
