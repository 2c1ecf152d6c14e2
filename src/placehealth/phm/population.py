"""Who is in the population at an index date, and which index dates the data allow.

Segments, risk features and case finding all start from these people, so
their outputs join one to one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.errors import ValidationError

DATA_START = dt.date(2014, 4, 1)
"""First day of the warehouse's records (financial year 2014/15)."""
DATA_END = dt.date(2019, 3, 31)
"""Last day of the warehouse's records (financial year 2018/19)."""


def check_index_date(index_date: dt.date) -> None:
    """An index date outside the records cannot be looked back from."""
    if not isinstance(index_date, dt.date):
        raise ValidationError(
            f"index date {index_date!r} is not a date", hint="write e.g. 2018-04-01"
        )
    if not DATA_START <= index_date <= DATA_END:
        raise ValidationError(
            f"index date {index_date.isoformat()} is outside the data "
            f"({DATA_START.isoformat()} to {DATA_END.isoformat()})",
            column="--index-date",
            hint="choose a date inside the data, e.g. 2018-04-01",
        )


def alive_at(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """Person rows registered with a birth month starting on or before the index date
    and no death on or before it (the rule of the population denominators), with the
    date itself as ``_index``."""
    day = nw.lit(index_date)
    return (
        backend.table(t.PERSON)
        .filter(
            nw.col("birth_month") <= day,
            nw.col("death_date").is_null() | (nw.col("death_date") > day),
        )
        .with_columns(_index=day)
    )
