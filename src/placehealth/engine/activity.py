"""Hospital activity by provider, point of delivery and month: the actual of plan against
actual, one pipeline for DuckDB and Spark.

:data:`POINTS` is the one definition of how the warehouse's records make each point of
delivery (ids from :mod:`placehealth.activity.pods`). The warehouse has no patient
classification, so a day case is an elective spell discharged on the day it was admitted
(a spell still open is ordinary). Only residents count: an event needs its person in the
warehouse, and with ``place`` set, living in one of the place's LSOAs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend

COLUMNS = ["provider_code", "pod", "year", "month", "activity"]


@dataclass(frozen=True)
class Point:
    """A point of delivery: the table its events come from, their date, which rows."""

    pod: str
    table: str
    date: str
    rows: nw.Expr | None = None  # None: every row


def _elective() -> nw.Expr:
    return nw.col("admission_method") == "elective"


def _same_day() -> nw.Expr:
    return ~nw.col("discharge_date").is_null() & (nw.col("discharge_date") == nw.col("admit_date"))


def _first() -> nw.Expr:
    return nw.col("first_or_followup") == "first"


def _from_gp() -> nw.Expr:
    return nw.col("referral_source") == "gp"


POINTS: tuple[Point, ...] = (
    Point("elective-ordinary", t.APC_SPELL, "admit_date", _elective() & ~_same_day()),
    Point("elective-daycase", t.APC_SPELL, "admit_date", _elective() & _same_day()),
    Point("non-elective", t.APC_SPELL, "admit_date", nw.col("admission_method") == "emergency"),
    Point("op-first", t.OP_APPOINTMENT, "appt_date", _first()),
    Point("op-first-gp", t.OP_APPOINTMENT, "appt_date", _first() & _from_gp()),
    Point("op-follow-up", t.OP_APPOINTMENT, "appt_date", nw.col("first_or_followup") == "followup"),
    Point("ae", t.AE_ATTENDANCE, "arrival_date"),
)  # fmt: skip
PODS: tuple[str, ...] = tuple(p.pod for p in POINTS)


def residents(backend: Backend, place: str | None = None) -> nw.LazyFrame[Any]:
    """The person keys of the warehouse's residents (of ``place``, when given)."""
    people = backend.table(t.PERSON).select("person_key", "lsoa")
    if place is not None:
        lsoas = backend.table(t.LSOA).filter(nw.col("place") == place).select("lsoa")
        people = people.join(lsoas, on="lsoa")
    return people.select("person_key")


def activity_by_month(backend: Backend, place: str | None = None) -> pd.DataFrame:
    """Events by provider code, point of delivery, calendar year and month (``COLUMNS``)."""
    people = residents(backend, place)
    parts = []
    for point in POINTS:  # one query per point of delivery (seven), never per row
        table = backend.table(point.table)
        if point.rows is not None:
            table = table.filter(point.rows)
        events = (
            table.join(people, on="person_key")
            .with_columns(
                year=nw.col(point.date).dt.year().cast(nw.Int32),
                month=nw.col(point.date).dt.month().cast(nw.Int32),
            )
            .group_by("provider_code", "year", "month")
            .agg(nw.len().alias("activity"))
        )
        parts.append(backend.collect(events).assign(pod=point.pod))
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    out["activity"] = out["activity"].astype("int64")
    out[["year", "month"]] = out[["year", "month"]].astype("int64")
    return out.sort_values(COLUMNS[:4], ignore_index=True)
