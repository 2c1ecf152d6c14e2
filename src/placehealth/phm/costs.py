"""Cost of each person's hospital use in a year, from unit costs kept as data.

A cost is a weighted count: spells by admission method, bed-days, A&E and
outpatient attendances, each times its unit cost (``codelists/unit-costs.yaml``).
Computed in the engine, one row per person with any use.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import day_number
from placehealth.yamlfile import load_model

KEY = "person_key"
FILE = Path(__file__).parent / "codelists" / "unit-costs.yaml"


class UnitCosts(BaseModel):
    """Unit costs in pounds; every one must be given and none may be negative."""

    model_config = ConfigDict(extra="forbid")

    emergency_spell: float = Field(ge=0)
    elective_spell: float = Field(ge=0)
    bed_day: float = Field(ge=0)
    ae_attendance: float = Field(ge=0)
    outpatient_first: float = Field(ge=0)
    outpatient_followup: float = Field(ge=0)


class CostTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    version: str
    purpose: str
    source: str
    currency: str
    costs: UnitCosts


@cache
def unit_costs(path: Path = FILE) -> CostTable:
    return load_model(path, CostTable)


def person_costs(
    backend: Backend, start: dt.date, end: dt.date, costs: UnitCosts | None = None
) -> nw.LazyFrame[Any]:
    """[person_key, cost]: hospital use with dates in [start, end), priced."""
    c = costs or unit_costs().costs
    low, high = nw.lit(start), nw.lit(end)
    emergency = nw.col("admission_method") == "emergency"
    bed_days = (day_number("discharge_date") - day_number("admit_date")).fill_null(0)
    spells = (
        backend.table(t.APC_SPELL)
        .filter((nw.col("admit_date") >= low) & (nw.col("admit_date") < high))
        .select(
            KEY,
            (
                nw.when(emergency)
                .then(nw.lit(c.emergency_spell))
                .otherwise(nw.lit(c.elective_spell))
                + bed_days.cast(nw.Float64) * c.bed_day
            ).alias("cost"),
        )
    )
    ae = (
        backend.table(t.AE_ATTENDANCE)
        .filter((nw.col("arrival_date") >= low) & (nw.col("arrival_date") < high))
        .select(KEY, nw.lit(c.ae_attendance).cast(nw.Float64).alias("cost"))
    )
    first = nw.col("first_or_followup") == "first"
    outpatient = (
        backend.table(t.OP_APPOINTMENT)
        .filter((nw.col("appt_date") >= low) & (nw.col("appt_date") < high))
        .select(
            KEY,
            nw.when(first)
            .then(nw.lit(c.outpatient_first))
            .otherwise(nw.lit(c.outpatient_followup))
            .cast(nw.Float64)
            .alias("cost"),
        )
    )
    every = nw.concat([spells, ae, outpatient], how="vertical")
    return every.group_by(KEY).agg(nw.col("cost").sum())
