"""Features for the emergency-admission risk model, built in the engine at an index date.

One row per person alive and registered on the index date: demographics, service
use in the 12 and 24 months before it, long-term conditions, frailty (HFRS, eFI)
and social care. Everything is a Narwhals lazy frame, so DuckDB or Spark does the
work; nothing is looped over in Python. The index day itself is not looked back
on: it is the first day of follow-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from placehealth.data.conditions import condition_list
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import age_at, day_number
from placehealth.errors import ValidationError
from placehealth.periods import add_months
from placehealth.phm.frailty import efi, hfrs
from placehealth.phm.population import DataWindow, alive_at

KEY = "person_key"
HISTORY_MONTHS = 24
FOLLOW_UP_MONTHS = 12
WINDOWS = (12, 24)


@dataclass(frozen=True)
class Activity:
    """One kind of contact counted before the index date."""

    name: str
    table: str
    date: str
    where: tuple[str, str] | None = None  # (column, value) the rows must have


ACTIVITIES = (
    Activity("emergency", t.APC_SPELL, "admit_date", ("admission_method", "emergency")),
    Activity("elective", t.APC_SPELL, "admit_date", ("admission_method", "elective")),
    Activity("ae", t.AE_ATTENDANCE, "arrival_date"),
    Activity("outpatient", "op_appointment", "appt_date"),
    Activity("gp", "gp_contact", "contact_date"),
    Activity("community", "community_contact", "contact_date"),
    Activity("mental_health", "mh_contact", "contact_date"),
)
CONDITIONS = tuple(condition_list().ids())
CARE_HOME = ("residential", "nursing")


def check_index(
    window: DataWindow, index_date: dt.date, *, follow_up: bool = True, what: str = "index date"
) -> None:
    """The index date must leave 24 months of history (and 12 of follow-up) inside the data."""
    earliest, latest = index_range(window, follow_up=follow_up)
    if not earliest <= index_date <= latest:
        need = "24 months of history and 12 of follow-up" if follow_up else "24 months of history"
        raise ValidationError(
            f"{what} {index_date.isoformat()} is outside the data ({window}): the model "
            f"needs {need}",
            hint=f"choose a date from {earliest.isoformat()} to {latest.isoformat()}",
        )


def index_range(window: DataWindow, *, follow_up: bool = True) -> tuple[dt.date, dt.date]:
    """The first and last index dates with enough history (and follow-up) in the data."""
    earliest = add_months(window.start, HISTORY_MONTHS)
    latest = add_months(window.end + dt.timedelta(days=1), -FOLLOW_UP_MONTHS if follow_up else 0)
    return earliest, latest


def activity_columns() -> list[str]:
    """Names of the count columns, e.g. 'emergency_12m', 'bed_days_24m'."""
    names = [f"{a.name}_{w}m" for a in ACTIVITIES for w in WINDOWS]
    return names + [f"bed_days_{w}m" for w in WINDOWS]


def condition_columns() -> list[str]:
    return [f"ltc_{c}" for c in CONDITIONS]


def feature_columns() -> list[str]:
    """Every column ``features`` returns besides the key and the area columns."""
    return [
        "age",
        "female",
        "imd_decile",
        *activity_columns(),
        *condition_columns(),
        "ltc_count",
        "hfrs",
        "efi",
        "social_care_12m",
        "home_care",
        "care_home",
    ]


def population(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """People alive on the index date, with their area: one row each.

    The same rule as the segments and the population denominators: a birth month
    starting on or before the index date, no death on or before it.
    """
    alive = alive_at(backend, index_date)
    lsoa = backend.table(t.LSOA).select(
        "lsoa", "imd_decile", nw.col("neighbourhood").alias("_lsoa_nb")
    )
    practice = backend.table(t.PRACTICE).select("practice_code", "neighbourhood")
    return (
        alive.join(lsoa, on="lsoa", how="left")
        .join(practice, on="practice_code", how="left")
        .select(
            KEY,
            age_at("birth_month", "_index").alias("age"),
            "sex",
            (nw.col("sex") == "F").fill_null(False).cast(nw.Int32).alias("female"),
            nw.col("imd_decile").fill_null(5).cast(nw.Int32),
            "practice_code",
            nw.coalesce(nw.col("neighbourhood"), nw.col("_lsoa_nb")).alias("neighbourhood"),
        )
    )


def _activity(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """Counts per person and window, from every activity table stacked into one long frame."""
    start = add_months(index_date, -max(WINDOWS))
    parts = []
    for a in ACTIVITIES:
        frame = backend.table(a.table)
        if a.where is not None:
            frame = frame.filter(nw.col(a.where[0]) == a.where[1])
        is_apc = a.table == t.APC_SPELL
        bed_days = day_number("discharge_date") - day_number("admit_date") if is_apc else nw.lit(0)
        parts.append(
            frame.filter(
                (nw.col(a.date) >= nw.lit(start)) & (nw.col(a.date) < nw.lit(index_date))
            ).select(
                KEY,
                nw.col(a.date).alias("_date"),
                nw.lit(a.name).alias("_kind"),
                bed_days.fill_null(0).cast(nw.Int64).alias("_bed_days"),
            )
        )
    events = nw.concat(parts, how="vertical")
    flags: list[nw.Expr] = []
    for w in WINDOWS:
        inside = nw.col("_date") >= nw.lit(add_months(index_date, -w))
        flags.extend(
            ((nw.col("_kind") == a.name) & inside).cast(nw.Int64).alias(f"{a.name}_{w}m")
            for a in ACTIVITIES
        )
        flags.append(nw.when(inside).then(nw.col("_bed_days")).otherwise(0).alias(f"bed_days_{w}m"))
    return events.select(KEY, *flags).group_by(KEY).agg(nw.col(activity_columns()).sum())


def _conditions(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """0/1 per long-term condition recorded before the index date."""
    frame = backend.table(t.CONDITION).filter(nw.col("recorded_date") < nw.lit(index_date))
    flags = [(nw.col("condition") == c).cast(nw.Int32).alias(f"ltc_{c}") for c in CONDITIONS]
    return frame.select(KEY, *flags).group_by(KEY).agg(nw.col(condition_columns()).max())


def _social_care(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """Any service in the last 12 months; home care and a care-home place on the index date."""
    day, start = nw.lit(index_date), nw.lit(add_months(index_date, -12))
    frame = backend.table(t.SOCIAL_CARE).filter(nw.col("start_date") < day)
    ends_after = nw.col("end_date").is_null()
    service = nw.col("service")
    return (
        frame.select(
            KEY,
            (ends_after | (nw.col("end_date") >= start)).cast(nw.Int32).alias("social_care_12m"),
            ((ends_after | (nw.col("end_date") >= day)) & (service == "home_care"))
            .cast(nw.Int32)
            .alias("home_care"),
            ((ends_after | (nw.col("end_date") >= day)) & service.is_in(list(CARE_HOME)))
            .cast(nw.Int32)
            .alias("care_home"),
        )
        .group_by(KEY)
        .agg(nw.col("social_care_12m", "home_care", "care_home").max())
    )


def features(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """The feature frame at ``index_date``: one row per person alive and registered then.

    Columns: person_key, age, sex, female, imd_decile, practice_code, neighbourhood,
    the activity counts (``<kind>_12m``, ``<kind>_24m``, ``bed_days_*``), one
    ``ltc_<condition>`` flag each and ``ltc_count``, ``hfrs`` (emergency and
    elective primary diagnoses in the two years before) and ``efi`` (GP-coded
    conditions), ``social_care_12m``, ``home_care`` and ``care_home`` (on the date).
    """
    people = population(backend, index_date)
    before = index_date - dt.timedelta(days=1)
    diagnoses = backend.table(t.APC_SPELL).select(
        KEY, nw.col("primary_diagnosis").alias("code"), nw.col("admit_date").alias("date")
    )
    coded = backend.table(t.CONDITION).select(KEY, "code", nw.col("recorded_date").alias("date"))
    keys = people.select(KEY)
    frail = hfrs(diagnoses, before, lookback_years=2, people=keys).select(KEY, "hfrs")
    efi_frame = efi(coded, before, people=keys).select(KEY, "efi")
    counts = activity_columns()
    ltcs = condition_columns()
    social = ["social_care_12m", "home_care", "care_home"]
    joined = (
        people.join(_activity(backend, index_date), on=KEY, how="left")
        .join(_conditions(backend, index_date), on=KEY, how="left")
        .join(_social_care(backend, index_date), on=KEY, how="left")
        .join(frail, on=KEY, how="left")
        .join(efi_frame, on=KEY, how="left")
        .with_columns(
            nw.col(counts).fill_null(0).cast(nw.Int64),
            nw.col(ltcs).fill_null(0).cast(nw.Int32),
            nw.col(social).fill_null(0).cast(nw.Int32),
            nw.col("hfrs", "efi").fill_null(0.0).cast(nw.Float64),
        )
        .with_columns(ltc_count=nw.sum_horizontal(*[nw.col(c) for c in ltcs]).cast(nw.Int32))
    )
    return joined.select(
        KEY,
        "age",
        "sex",
        "female",
        "imd_decile",
        "practice_code",
        "neighbourhood",
        *counts,
        *ltcs,
        "ltc_count",
        "hfrs",
        "efi",
        *social,
    )


def outcome(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """[person_key, emergency_admission]: 1 if an emergency spell starts in the 12 months
    from the index date (index day included), for the people in ``population``."""
    end = add_months(index_date, FOLLOW_UP_MONTHS)
    spells = backend.table(t.APC_SPELL).filter(
        (nw.col("admission_method") == "emergency")
        & (nw.col("admit_date") >= nw.lit(index_date))
        & (nw.col("admit_date") < nw.lit(end))
    )
    admitted = spells.select(KEY).unique().with_columns(emergency_admission=nw.lit(1))
    return (
        population(backend, index_date)
        .select(KEY)
        .join(admitted, on=KEY, how="left")
        .with_columns(nw.col("emergency_admission").fill_null(0).cast(nw.Int32))
    )
