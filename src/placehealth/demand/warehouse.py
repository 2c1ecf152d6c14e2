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


def _chosen_year(backend: Backend, year: int | None) -> int:
    """``year`` if the records touch it (default: the last whole year in the records)."""
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
    return chosen


def lsoa_quintiles(backend: Backend) -> pd.DataFrame:
    """``lsoa, imd_quintile``: deciles 1-2 are quintile 1 (most deprived) … 9-10 quintile 5;
    0 where an LSOA has no decile."""
    deciles = backend.collect(backend.table(t.LSOA).select("lsoa", "imd_decile"))
    quintile = ((pd.to_numeric(deciles["imd_decile"]) + 1) // 2).fillna(0).astype("int64")
    return pd.DataFrame({"lsoa": deciles["lsoa"], "imd_quintile": quintile})


def baseline_by_deprivation(backend: Backend, year: int | None = None) -> pd.DataFrame:
    """``pod, age_band, sex, imd_quintile, activity, bed_days, population, rate`` for
    financial year ``year`` (default: the last whole year in the records), every band,
    sex and quintile 1-5 present (quintile 0 only where some LSOA has no decile); ``rate``
    is activity per head (none where nobody lives)."""
    chosen = _chosen_year(backend, year)
    quintiles = lsoa_quintiles(backend)
    who = (  # a person in an LSOA without a decile (or none) is in quintile 0
        persons(backend)
        .join(backend.from_pandas(quintiles, "demand_lsoa_quintile"), on="lsoa", how="left")
        .with_columns(nw.col("imd_quintile").fill_null(0))
    )
    people = (
        population(backend, [chosen])  # the one definition of who is alive at the midpoint
        .merge(quintiles, on="lsoa", how="left")
        .fillna({"imd_quintile": 0})
        .astype({"imd_quintile": "int64"})
        .groupby(["sex", "age_start", "imd_quintile"], as_index=False)["population"]
        .sum()
    )
    parts = []
    events = _events(backend)
    for pod, rows in events:
        joined = (
            rows.join(who, on="person_key")
            .with_columns(year=financial_year("date"), age=age_at("birth_month", "date"))
            .filter(nw.col("year") == chosen)
            .with_columns(age_start=five_year_band(nw.col("age")))
            .group_by("sex", "age_start", "imd_quintile")
            .agg(nw.len().alias("activity"), nw.col("bed_days").sum().alias("bed_days"))
        )
        parts.append(backend.collect(joined).assign(pod=pod))
    counted = pd.concat(parts, ignore_index=True)
    keys = ["sex", "age_start", "imd_quintile"]
    fifths = sorted({1, 2, 3, 4, 5} | set(people["imd_quintile"]) | set(counted["imd_quintile"]))
    grid = pd.MultiIndex.from_product(
        [[p for p, _ in events], SEXES, np.arange(0, 95, 5), fifths],
        names=["pod", *keys],
    ).to_frame(index=False)
    frame = grid.merge(counted, on=["pod", *keys], how="left").merge(people, on=keys, how="left")
    counts = ["activity", "bed_days", "population"]
    frame[counts] = frame[counts].fillna(0).astype("float64")
    frame["age_band"] = np.array(BANDS)[frame["age_start"].to_numpy() // 5]
    frame["rate"] = frame["activity"] / frame["population"].where(frame["population"] > 0)
    out = frame[["pod", "age_band", "sex", "imd_quintile", *counts, "rate"]].copy()
    out.attrs["year"] = chosen
    return out


def baseline_frame(backend: Backend, year: int | None = None) -> pd.DataFrame:
    """``pod, age_band, sex, activity, bed_days, population`` for financial year ``year``
    (default: the last whole year in the records), every band and sex present: the
    deprivation baseline summed over quintiles (the model projects by age and sex)."""
    by_quintile = baseline_by_deprivation(backend, year)
    keys = ["pod", "age_band", "sex"]
    out = by_quintile.groupby(keys, sort=False, as_index=False)[
        ["activity", "bed_days", "population"]
    ].sum()
    out.attrs["year"] = by_quintile.attrs["year"]
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
