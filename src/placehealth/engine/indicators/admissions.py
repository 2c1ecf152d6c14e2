"""Hospital activity: emergency admissions, composite avoidable admissions, A&E attendances."""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from placehealth.catalogue.codelists import code_list
from placehealth.engine import tables as t
from placehealth.engine.indicators.context import Context, fy_label, with_band_labels
from placehealth.engine.indicators.standardise import (
    crude_rate,
    directly_standardised,
)
from placehealth.engine.population import count_events


def _by_financial_year(ctx: Context, events: pd.DataFrame, count: str) -> pd.DataFrame:
    """Events and mid-year population rolled up to every area, by year and age band."""
    rolled = ctx.with_population(events, count, ["year", "age_start"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    return with_band_labels(rolled)


def emergency_admissions(ctx: Context) -> list[pd.DataFrame]:
    """All emergency admissions and the composite of avoidable ones, DSR per 100,000."""
    spells = (
        ctx.backend.table(t.APC_SPELL)
        .filter(nw.col("admission_method") == "emergency")
        .select("person_key", "admit_date", "primary_diagnosis")
    )
    composite = code_list("icd10-emergency-composite").expression("primary_diagnosis")
    results = []
    for indicator_id, events in (
        ("emergency-admissions", spells),
        ("emergency-admissions-composite", spells.filter(composite)),
    ):
        counts = count_events(ctx.backend, events, "admit_date", years=ctx.years, name="admissions")
        results.append(
            directly_standardised(
                _by_financial_year(ctx, counts, "admissions"), "admissions", indicator_id
            )
        )
    return results


def ae_attendances(ctx: Context) -> list[pd.DataFrame]:
    """A&E attendances per 1,000 population (crude)."""
    events = ctx.backend.table(t.AE_ATTENDANCE).select("person_key", "arrival_date")
    counts = count_events(ctx.backend, events, "arrival_date", years=ctx.years, name="attendances")
    frame = _by_financial_year(ctx, counts, "attendances")
    return [crude_rate(frame, "attendances", "ae-attendances", multiplier=1000)]
