"""Mid-period populations and event counts at (LSOA, practice, year, sex, age band) grain.

Every indicator divides events by people; both sides are built here the same
way — age at the event or at mid-period, banded in the engine — so numerators
and denominators always line up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import (
    age_at,
    calendar_year,
    financial_year,
    five_year_band,
    life_table_band,
)

Basis = Literal["financial", "calendar"]
Banding = Literal["five", "life", "none"]
GRAIN = ["lsoa", "practice_code", "year", "sex", "age_start"]


def midpoint(year: int, basis: Basis) -> dt.date:
    """30 September of a financial year; 30 June of a calendar year."""
    return dt.date(year, 9, 30) if basis == "financial" else dt.date(year, 6, 30)


def _band(age: nw.Expr, banding: Banding) -> nw.Expr:
    if banding == "five":
        return five_year_band(age)
    if banding == "life":
        return life_table_band(age)
    return age.cast(nw.Int32)


def persons(backend: Backend) -> nw.LazyFrame[Any]:
    return backend.table(t.PERSON).select(
        "person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"
    )


def population(
    backend: Backend,
    years: Sequence[int],
    *,
    basis: Basis = "financial",
    banding: Banding = "five",
    min_age: int | None = None,
) -> pd.DataFrame:
    """People alive at each period's midpoint, by LSOA, practice, year, sex and age band."""
    periods = backend.from_pandas(
        pd.DataFrame({"year": list(years), "mid": [midpoint(y, basis) for y in years]}),
        f"periods_{basis}",
    )
    alive = (
        persons(backend)
        .join(periods, how="cross")
        .filter(
            nw.col("birth_month") <= nw.col("mid"),
            nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("mid")),
        )
        .with_columns(age=age_at("birth_month", "mid"))
    )
    if min_age is not None:
        alive = alive.filter(nw.col("age") >= min_age)
    grouped = (
        alive.with_columns(age_start=_band(nw.col("age"), banding))
        .group_by(GRAIN)
        .agg(nw.len().alias("population"))
    )
    return backend.collect(grouped)


def count_events(
    backend: Backend,
    events: nw.LazyFrame[Any],
    date: str,
    *,
    years: Sequence[int],
    basis: Basis = "financial",
    banding: Banding = "five",
    name: str = "events",
    people: nw.LazyFrame[Any] | None = None,
    max_age: int | None = None,
    min_age: int | None = None,
    total: str | None = None,
) -> pd.DataFrame:
    """Events (one row each, with ``person_key`` and ``date``) by the population grain;
    with ``total``, also that column of the events summed (bed-days of spells)."""
    year_expr = financial_year(date) if basis == "financial" else calendar_year(date)
    joined = events.join(people if people is not None else persons(backend), on="person_key")
    joined = joined.with_columns(year=year_expr, age=age_at("birth_month", date)).filter(
        nw.col("year").is_in(list(years))
    )
    if max_age is not None:
        joined = joined.filter(nw.col("age") < max_age)
    if min_age is not None:
        joined = joined.filter(nw.col("age") >= min_age)
    sums = [nw.col(total).sum().cast(nw.Int64).alias(total)] if total is not None else []
    grouped = (
        joined.with_columns(age_start=_band(nw.col("age"), banding))
        .group_by(GRAIN)
        .agg(nw.len().alias(name), *sums)
    )
    return backend.collect(grouped)
