"""Each person's hospital use in a year, and how concentrated it is among them.

Seed 002 (line 184): about 11% of patients account for 74% of bed-days. The
people are everyone alive on the year's first day; the patients are those with
any of the measure in the year (for bed-days, any hospital spell, so a day-case
counts as a patient with no bed-day). The year is the 12 months from that day,
whatever years the warehouse holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.engine.backends import Backend
from placehealth.errors import ValidationError
from placehealth.phm.concentration import lorenz, top_share
from placehealth.phm.costs import person_costs
from placehealth.phm.profiles import FRACTIONS, PATIENTS, SPELLS, activity, window
from placehealth.phm.segments import alive

MEASURES = {"bed_days": "bed_days", "emergency_admissions": "emergency_admissions",
            "ae": "ae_attendances", "cost": "cost"}  # fmt: skip
"""The measures by the names users give them, and the column each is counted in."""
LORENZ_POINTS = 1001


def check_measure(measure: str, option: str = "--measure") -> str:
    """The column of a measure named by the user, or an error listing the measures."""
    if measure not in MEASURES:
        raise ValidationError(
            f"unknown {option} '{measure}'", column=option, hint=f"use one of {', '.join(MEASURES)}"
        )
    return MEASURES[measure]


def person_amounts(backend: Backend, start: dt.date, column: str) -> pd.DataFrame:
    """Everyone alive on ``start`` with their amount of ``column`` in the 12 months from it
    (and, for activity, their hospital spells, which say who is an inpatient)."""
    people = alive(backend, start).select("person_key")
    if column == "cost":
        end = window(start, "after")[1]
        priced = person_costs(backend, start, end)
        joined = people.join(priced, on="person_key", how="left")
        return backend.collect(joined.with_columns(nw.col("cost").fill_null(0.0)))
    amounts = activity(backend, start, "after").select("person_key", column, SPELLS)
    joined = people.join(amounts, on="person_key", how="left").with_columns(
        nw.col(column, SPELLS).fill_null(0)
    )
    return backend.collect(joined)


@dataclass(frozen=True)
class Concentration:
    """Shares of a year's total held by the heaviest users, among everyone and among patients."""

    people: int
    patients: int
    total: float
    top_share_people: pd.Series  # indexed by fraction of people (heaviest first)
    top_share_patients: pd.Series
    curve: pd.DataFrame  # Lorenz curve: people_share, quantity_share

    @property
    def shares(self) -> pd.DataFrame:
        """The top shares as a table to publish: the heaviest fraction of people, and the
        share of the total they hold among everyone and among patients."""
        return pd.DataFrame(
            {
                "heaviest": self.top_share_people.index.to_numpy(dtype=float),
                "share_of_everyone": self.top_share_people.to_numpy(dtype=float),
                "share_of_patients": self.top_share_patients.to_numpy(dtype=float),
            }
        )


def concentration_of(amounts: pd.DataFrame, column: str, *, label: str) -> Concentration:
    """How concentrated ``column`` is in ``amounts`` (from :func:`person_amounts`);
    ``label`` names the measure and year when there is none of it."""
    values = amounts[column].to_numpy(dtype=float)
    if values.sum() <= 0:
        raise ValidationError(f"no {label}", hint="choose another year or measure")
    base: Any = amounts[PATIENTS.get(column, column)].to_numpy(dtype=float) > 0
    return Concentration(
        people=len(values),
        patients=int(base.sum()),
        total=float(values.sum()),
        top_share_people=top_share(values, FRACTIONS),
        top_share_patients=top_share(values[base], FRACTIONS),
        curve=lorenz(values, points=LORENZ_POINTS),
    )


def patients_are(column: str, measure: str) -> str:
    """Who counts as a patient for ``column``, in words."""
    return "any hospital spell" if column in PATIENTS else f"any {measure}"
