"""Each small area's need, for sharing a budget across neighbourhoods (docs/phm-methods.md).

Need is read per LSOA (people alive at the date, emergency admissions in the 12
months before it, IMD decile) and weighted by deprivation, by activity, or by
both with equal weight; :func:`placehealth.phm.allocation.allocate` then shares
the budget by need-weighted population with a universal floor.
"""

from __future__ import annotations

import datetime as dt

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.errors import ValidationError
from placehealth.phm.allocation import activity_need, allocate, combine_need, deprivation_need
from placehealth.phm.profiles import activity
from placehealth.phm.segments import alive

NEEDS = ("deprivation", "activity", "combined")


def check_need(need: str, option: str = "--need") -> str:
    if need not in NEEDS:
        raise ValidationError(
            f"unknown {option} '{need}'", column=option, hint=f"use one of {', '.join(NEEDS)}"
        )
    return need


def lsoa_need(backend: Backend, day: dt.date) -> pd.DataFrame:
    """Per LSOA: people alive at ``day``, emergency admissions in the 12 months before, and
    the LSOA's neighbourhood and IMD decile."""
    people = alive(backend, day).group_by("lsoa").agg(nw.len().alias("population"))
    admissions = (
        activity(backend, day, "before")
        .join(backend.table(t.PERSON).select("person_key", "lsoa"), on="person_key", how="inner")
        .group_by("lsoa")
        .agg(nw.col("emergency_admissions").sum())
    )
    geo = backend.table(t.LSOA).select("lsoa", "neighbourhood", "imd_decile")
    joined = (
        people.join(geo, on="lsoa", how="inner")
        .join(admissions, on="lsoa", how="left")
        .with_columns(nw.col("emergency_admissions").fill_null(0))
    )
    return backend.collect(joined).sort_values("lsoa").reset_index(drop=True)


def need_index(lsoa: pd.DataFrame, need: str) -> pd.Series:
    """Each LSOA's need (1 = average) by ``need``: deprivation, activity or combined."""
    deprivation = deprivation_need(lsoa["imd_decile"])
    use = activity_need(lsoa["emergency_admissions"], lsoa["population"])
    weights = {
        "deprivation": lambda: deprivation,
        "activity": lambda: use,
        "combined": lambda: combine_need(
            lsoa["population"], {"deprivation": deprivation, "activity": use}
        ),
    }
    return pd.Series(weights[check_need(need)](), index=lsoa.index, name="need_index")


def allocate_by_need(
    lsoa: pd.DataFrame, budget: float, *, need: str = "combined", universal_share: float = 0.5
) -> pd.DataFrame:
    """The budget shared across neighbourhoods (one row each); a whole-pound budget in whole
    pounds that still add up to it."""
    weighted = lsoa.assign(need_index=need_index(lsoa, need))
    whole = float(budget).is_integer()
    return allocate(
        weighted,
        budget,
        by="neighbourhood",
        universal_share=universal_share,
        unit=1.0 if whole else None,
    ).reset_index()
