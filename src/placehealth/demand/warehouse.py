"""A baseline from the warehouse: activity and bed-days by point of delivery, age band and
sex in one financial year, and the people alive at its midpoint — the engine's population
and event grain (:mod:`placehealth.engine.population`), so DuckDB and Spark give the same.

Points of delivery from the records: elective and non-elective spells (with their
bed-days), A&E attendances, first and follow-up outpatient attendances. The frame stays in
memory: it holds small counts and is never written (only the projection is).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth.demand.inputs import BANDS, Baseline, baseline_arrays
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend, open_backend
from placehealth.engine.expressions import age_at, day_number, financial_year, five_year_band
from placehealth.engine.population import persons, population
from placehealth.engine.window import data_window
from placehealth.errors import ConfigurationError, ValidationError

SEXES = ("M", "F")


# pod, table, date column, (column, value) the rows are chosen by, whether it has bed-days
PODS: tuple[tuple[str, str, str, tuple[str, str] | None, bool], ...] = (
    ("elective", t.APC_SPELL, "admit_date", ("admission_method", "elective"), True),
    ("non-elective", t.APC_SPELL, "admit_date", ("admission_method", "emergency"), True),
    ("ae", t.AE_ATTENDANCE, "arrival_date", None, False),
    ("op-first", t.OP_APPOINTMENT, "appt_date", ("first_or_followup", "first"), False),
    ("op-follow-up", t.OP_APPOINTMENT, "appt_date", ("first_or_followup", "followup"), False),
)


def _events(backend: Backend) -> list[tuple[str, nw.LazyFrame[Any]]]:
    """(pod, its events: person_key, date, bed_days) for each pod whose table the
    warehouse has (a warehouse may lack a kind of activity)."""
    out = []
    for pod, name, date, chosen, stays in PODS:
        try:
            table = backend.table(name)
        except ConfigurationError:
            continue
        if chosen is not None:
            table = table.filter(nw.col(chosen[0]) == chosen[1])
        days = (
            (day_number("discharge_date") - day_number("admit_date")).cast(nw.Float64)
            if stays
            else nw.lit(0.0)
        )
        out.append(
            (pod, table.select("person_key", nw.col(date).alias("date"), days.alias("bed_days")))
        )
    return out


def _fy(day: dt.date) -> int:
    return day.year - (day.month < 4)


def baseline_frame(backend: Backend, year: int | None = None) -> pd.DataFrame:
    """``pod, age_band, sex, activity, bed_days, population`` for financial year ``year``
    (default: the last whole year in the records), every band and sex present."""
    window = data_window(backend)
    touched = list(range(_fy(window.start), _fy(window.end) + 1))
    complete = _fy(window.end + dt.timedelta(days=1)) - 1  # the last year ending in the data
    chosen = year if year is not None else max(complete, touched[0])
    if chosen not in touched:
        raise ValidationError(
            f"the warehouse has no activity in {chosen}/{str(chosen + 1)[2:]}",
            column="--year",
            hint=f"years in the records: {', '.join(map(str, touched))}",
        )
    people = (
        population(backend, [chosen])
        .groupby(["sex", "age_start"], as_index=False)["population"]
        .sum()
    )
    parts = []
    who = persons(backend)
    events = _events(backend)
    for pod, rows in events:
        joined = (
            rows.join(who, on="person_key")
            .with_columns(year=financial_year("date"), age=age_at("birth_month", "date"))
            .filter(nw.col("year") == chosen)
            .with_columns(age_start=five_year_band(nw.col("age")))
            .group_by("sex", "age_start")
            .agg(nw.len().alias("activity"), nw.col("bed_days").sum().alias("bed_days"))
        )
        parts.append(backend.collect(joined).assign(pod=pod))
    counted = pd.concat(parts, ignore_index=True)
    grid = pd.MultiIndex.from_product(
        [[p for p, _ in events], SEXES, np.arange(0, 95, 5)],
        names=["pod", "sex", "age_start"],
    ).to_frame(index=False)
    frame = grid.merge(counted, on=["pod", "sex", "age_start"], how="left").merge(
        people, on=["sex", "age_start"], how="left"
    )
    frame[["activity", "bed_days", "population"]] = frame[
        ["activity", "bed_days", "population"]
    ].fillna(0)
    frame["age_band"] = np.array(BANDS)[frame["age_start"].to_numpy() // 5]
    out = frame[["pod", "age_band", "sex", "activity", "bed_days", "population"]].copy()
    out.attrs["year"] = chosen
    return out


def warehouse_baseline(
    warehouse: Path, *, year: int | None = None, engine: str = "duckdb"
) -> tuple[Baseline, int]:
    """The warehouse's baseline as the model's arrays (checked like a baseline file), and
    its financial year."""
    backend = open_backend(engine, warehouse)
    try:
        frame = baseline_frame(backend, year)
    finally:
        backend.close()
    return baseline_arrays(frame, warehouse), int(frame.attrs["year"])
