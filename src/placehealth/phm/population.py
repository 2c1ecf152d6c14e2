"""Who is in the population at an index date, and which index dates the data allow.

Segments, risk features and case finding all start from these people, so
their outputs join one to one. The dates the data cover are read from the
warehouse itself (the first and last day of recorded activity), never assumed:
a warehouse of any years works.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.window import DataWindow, check_is_date, data_window

__all__ = [
    "DataWindow",
    "alive_at",
    "check_index_date",
    "check_is_date",
    "data_window",
    "index_date_in",
]


def check_index_date(index_date: dt.date, backend: Backend | None = None) -> None:
    """The index date is a date and, given the warehouse, inside its data."""
    check_is_date(index_date)
    if backend is not None:
        data_window(backend).check(index_date)


def index_date_in(
    window: DataWindow, asked: dt.date | None, option: str = "--index-date"
) -> dt.date:
    """The date asked for, inside the data; none asked: the last 1 April with 12 months of
    data after it (the data's own latest whole year, never a fixed one)."""
    if asked is None:
        return window.latest_full_year()
    window.check(asked, option)
    return asked


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
