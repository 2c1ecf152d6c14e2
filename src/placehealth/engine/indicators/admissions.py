"""Hospital activity: emergency admissions (all, avoidable, self-harm, falls and hip
fractures 65+),
alcohol-specific admissions, A&E attendances."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth import stats
from placehealth.catalogue.codelists import code_list
from placehealth.engine import tables as t
from placehealth.engine.indicators.context import Context, fy_label, with_band_labels
from placehealth.engine.indicators.social_care import OLDER
from placehealth.engine.indicators.standardise import (
    crude_rate,
    directly_standardised,
)
from placehealth.engine.population import count_events

OVER_65 = stats.ESP2013.iloc[13:]  # 65-69 … 90+
FALLS = "icd10-falls"
HIP = "icd10-hip-fracture"
DX = "primary_diagnosis"
ALCOHOL = "icd10-alcohol-specific"
SELF_HARM = "icd10-self-harm"


def _by_financial_year(ctx: Context, events: pd.DataFrame, count: str) -> pd.DataFrame:
    """Events and mid-year population rolled up to every area, by year and age band."""
    rolled = ctx.with_population(events, count, ["year", "age_start"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    return with_band_labels(rolled)


def emergency_admissions(ctx: Context) -> list[pd.DataFrame]:
    """All emergency admissions, the composite of avoidable ones and those for
    intentional self-harm, DSR per 100,000."""
    spells = _emergency_spells(ctx)
    composite = code_list("icd10-emergency-composite").expression("primary_diagnosis")
    self_harm = code_list(SELF_HARM).expression("primary_diagnosis")
    return [
        _standardised(ctx, spells, "emergency-admissions"),
        _standardised(ctx, spells.filter(composite), "emergency-admissions-composite"),
        _standardised(ctx, spells.filter(self_harm), "self-harm-admissions"),
    ]


def alcohol_specific_admissions(ctx: Context) -> list[pd.DataFrame]:
    """Admissions (any method) for conditions wholly caused by alcohol, DSR per 100,000."""
    spells = ctx.backend.table(t.APC_SPELL).select("person_key", "admit_date", "primary_diagnosis")
    alcohol = code_list(ALCOHOL).expression("primary_diagnosis")
    return [_standardised(ctx, spells.filter(alcohol), "alcohol-specific-admissions")]


def _standardised(ctx: Context, spells: nw.LazyFrame[Any], indicator_id: str) -> pd.DataFrame:
    """Admissions by the financial year of admission, DSR per 100,000 over all ESP2013 bands."""
    counts = count_events(ctx.backend, spells, "admit_date", years=ctx.years, name="admissions")
    frame = _by_financial_year(ctx, counts, "admissions")
    return directly_standardised(frame, "admissions", indicator_id)


def falls_admissions(ctx: Context) -> list[pd.DataFrame]:
    """Emergency admissions of people 65+ due to falls, and for hip fracture, each a DSR
    per 100,000 (ESP2013 bands 65+).

    Each admission counts (a person who falls twice counts twice), aged at admission.
    """
    spells = _emergency_spells(ctx)
    return [
        _over_65(ctx, spells.filter(code_list(FALLS).expression(DX)), "falls-injuries-65"),
        _over_65(ctx, spells.filter(code_list(HIP).expression(DX)), "hip-fractures-65"),
    ]


def _over_65(ctx: Context, spells: nw.LazyFrame[Any], indicator_id: str) -> pd.DataFrame:
    counts = count_events(
        ctx.backend, spells, "admit_date", years=ctx.years, name="admissions", min_age=OLDER
    )
    frame = _by_financial_year(ctx, counts, "admissions")
    frame = frame[frame["age_band"].isin(OVER_65.index)]
    return directly_standardised(frame, "admissions", indicator_id, standard=OVER_65)


def _emergency_spells(ctx: Context) -> nw.LazyFrame[Any]:
    return (
        ctx.backend.table(t.APC_SPELL)
        .filter(nw.col("admission_method") == "emergency")
        .select("person_key", "admit_date", "primary_diagnosis")
    )


def ae_attendances(ctx: Context) -> list[pd.DataFrame]:
    """A&E attendances per 1,000 population (crude)."""
    events = ctx.backend.table(t.AE_ATTENDANCE).select("person_key", "arrival_date")
    counts = count_events(ctx.backend, events, "arrival_date", years=ctx.years, name="attendances")
    frame = _by_financial_year(ctx, counts, "attendances")
    return [crude_rate(frame, "attendances", "ae-attendances", multiplier=1000)]
