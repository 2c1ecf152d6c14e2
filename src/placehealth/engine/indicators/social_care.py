"""Adult social care: permanent care-home admissions of over-65s, reablement at 91 days."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.catalogue.records import records
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import age_at, financial_year, flag
from placehealth.engine.indicators.context import Context, fy_label
from placehealth.engine.indicators.defined import EVENTS, beside, population_within, rolled
from placehealth.engine.indicators.standardise import crude_rate, proportion
from placehealth.engine.population import count_events, persons

CARE_HOME = ["residential", "nursing"]
CARE_HOME_ADMISSIONS = ("care-home-admissions-65", "care-home-admissions-18-64")
OLDER = 65
DISCHARGE_MONTHS = [10, 11, 12]  # ASCOF 2B(i): discharges from 1 October to 31 December
REABLEMENT_WITHIN_DAYS = 7  # reablement starting this many days after discharge follows it
FOLLOW_UP_DAYS = 91
KEYS = ["person_key", "discharge_date"]


def care_home_admissions(ctx: Context) -> list[pd.DataFrame]:
    """Permanent admissions (a person's first care-home episode) of people 65+ (ASCOF 2A(ii))
    and of adults 18-64 (ASCOF 2A(i)), per 100,000 people of those ages; the ages are the
    catalogue definitions' (catalogue/records.yaml)."""
    episodes = ctx.backend.table(t.SOCIAL_CARE).filter(nw.col("service").is_in(CARE_HOME))
    first = episodes.group_by("person_key").agg(nw.col("start_date").min().alias("start_date"))
    counts = count_events(
        ctx.backend, first, "start_date", years=ctx.years, banding="none", name=EVENTS,
        min_age=min(records().computed[i].min_age or 0 for i in CARE_HOME_ADMISSIONS),
    )  # fmt: skip
    frames = []
    for indicator_id in CARE_HOME_ADMISSIONS:
        definition = records().computed[indicator_id]
        admitted = rolled(ctx, counts, definition, ["year"])
        frame = beside(admitted, population_within(ctx, definition, ["year"]), ["year"])
        frame["period"] = frame.pop("year").map(fy_label)
        frames.append(crude_rate(frame, EVENTS, indicator_id))
    return frames


def reablement(ctx: Context) -> list[pd.DataFrame]:
    """ASCOF 2B(i): people 65+ discharged from hospital into reablement in October–December
    who are still at home 91 days after discharge; and ASCOF 2B(ii): those discharged into
    reablement as a share of everyone 65+ discharged alive in those months. By the financial
    year of discharge.

    Discharged into reablement: a reablement episode starts within 7 days of the
    discharge. At home on day 91: alive, not in a residential or nursing episode and
    not in hospital (the national definition leaves out of the numerator those in
    hospital or a care home on that day and those who died before it).
    """
    b = ctx.backend
    discharged = reablement_discharges(b, ctx.years)
    day91 = discharged.select("person_key", "discharge_date", "day91")
    homes = b.table(t.SOCIAL_CARE).filter(nw.col("service").is_in(CARE_HOME))
    homes = homes.select("person_key", "start_date", "end_date")
    stays = b.table(t.APC_SPELL).select(
        "person_key", nw.col("admit_date").alias("start_date"),
        nw.col("discharge_date").alias("end_date"),
    )  # fmt: skip
    in_home = _on_day91(day91, homes, last_day_inclusive=True)
    in_hospital = _on_day91(day91, stays, last_day_inclusive=False)
    away = nw.concat([in_home, in_hospital], how="vertical").unique()
    outcome = (
        discharged.join(away.with_columns(away=nw.lit(1)), on=KEYS, how="left")
        .with_columns(
            at_home=flag(
                nw.col("away").is_null()
                & (nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("day91")))
            )
        )
        .group_by("lsoa", "practice_code", "year")
        .agg(nw.col("at_home").sum().alias("at_home"), nw.len().alias("discharged"))
    )
    offered = (
        older_discharges(b, ctx.years, alive=True)
        .join(discharged.select(KEYS).with_columns(reabled=nw.lit(1)), on=KEYS, how="left")
        .group_by("lsoa", "practice_code", "year")
        .agg(flag(~nw.col("reabled").is_null()).sum().alias("reabled"), nw.len().alias("all"))
    )
    rolled_at_home = ctx.roll_up(b.collect(outcome), ["at_home", "discharged"], ["year"])
    rolled_offered = ctx.roll_up(b.collect(offered), ["reabled", "all"], ["year"])
    for frame in (rolled_at_home, rolled_offered):
        frame["period"] = frame.pop("year").map(fy_label)
    return [
        proportion(rolled_at_home, "at_home", "discharged", "reablement-91-days"),
        proportion(rolled_offered, "reabled", "all", "reablement-access-65"),
    ]


def older_discharges(
    backend: Backend, years: list[int], *, alive: bool = False
) -> nw.LazyFrame[Any]:
    """Discharges from hospital of people 65+ in October–December of each financial year
    in ``years`` (with ``alive``, not those who died in hospital): one row per person and
    discharge date, with the person's area, death, the year and day 91."""
    spells = backend.table(t.APC_SPELL)
    if alive:
        spells = spells.filter(nw.col("discharge_destination").fill_null("") != "died")
    return (
        spells.filter(nw.col("discharge_date").dt.month().is_in(DISCHARGE_MONTHS))
        .select(KEYS)
        .unique()
        .join(persons(backend), on="person_key")
        .with_columns(
            year=financial_year("discharge_date"),
            age=age_at("birth_month", "discharge_date"),
            day91=nw.col("discharge_date").dt.offset_by(f"{FOLLOW_UP_DAYS}d"),
        )
        .filter(nw.col("age") >= OLDER, nw.col("year").is_in(years))
    )


def reablement_discharges(backend: Backend, years: list[int]) -> nw.LazyFrame[Any]:
    """ASCOF 2B(i)'s denominator: the :func:`older_discharges` followed within 7 days by the
    start of reablement."""
    starts = backend.table(t.SOCIAL_CARE).filter(nw.col("service") == "reablement")
    starts = starts.select("person_key", nw.col("start_date").alias("reablement_start"))
    window = nw.col("discharge_date").dt.offset_by(f"{REABLEMENT_WITHIN_DAYS}d")
    followed = (
        older_discharges(backend, years)
        .select(KEYS)
        .join(starts, on="person_key")
        .filter(
            nw.col("reablement_start") >= nw.col("discharge_date"),
            nw.col("reablement_start") <= window,
        )
        .select(KEYS)
        .unique()
    )
    return older_discharges(backend, years).join(followed, on=KEYS)


def _on_day91(
    day91: nw.LazyFrame[Any], stays: nw.LazyFrame[Any], *, last_day_inclusive: bool
) -> nw.LazyFrame[Any]:
    """The discharges whose person is in one of ``stays`` (start_date, end_date) on day 91.

    A care-home episode's end date is its last day there; a hospital spell's discharge
    date is the day the patient leaves. An open stay (no end) runs on.
    """
    end = nw.col("end_date")
    after = end >= nw.col("day91") if last_day_inclusive else end > nw.col("day91")
    return (
        day91.join(stays, on="person_key")
        .filter(nw.col("start_date") <= nw.col("day91"), end.is_null() | after)
        .select(KEYS)
        .unique()
    )
