"""Emergency readmissions within 30 days of discharge (NHS Outcomes Framework 3b).

A readmission is judged against the discharge before it, so the pipeline joins
each person's discharges to their own later emergency admissions in the engine.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.catalogue.codelists import code_list
from placehealth.engine import tables as t
from placehealth.engine.expressions import financial_year, flag
from placehealth.engine.indicators.context import Context, fy_label
from placehealth.engine.indicators.standardise import proportion
from placehealth.engine.population import persons

INDICATOR = "emergency-readmissions-30-days"
EXCLUSIONS = "icd10-readmission-exclusions"  # cancer, chemotherapy, obstetric spells
WITHIN_DAYS = 30  # the day of discharge is day 0; day 29 is the last that counts
NOT_AN_END = ["died", "other_hospital"]  # discharges that end no stay: death, transfer
SPELL = ["person_key", "admit_date", "discharge_date"]


def emergency_readmissions(ctx: Context) -> list[pd.DataFrame]:
    """Discharges followed by an emergency admission within 30 days, as a % of discharges.

    By the financial year of the discharge. Left out, both as discharges and as
    readmissions: spells whose primary diagnosis is on the exclusion code list;
    left out as discharges: spells still open, ended by death or by transfer to
    another hospital (the next spell continues the stay).
    """
    b = ctx.backend
    spells = b.table(t.APC_SPELL).filter(~code_list(EXCLUSIONS).expression("primary_diagnosis"))
    discharges = (
        spells.filter(
            ~nw.col("discharge_date").is_null(),
            ~nw.col("discharge_destination").fill_null("").is_in(NOT_AN_END),
        )
        .select(SPELL)
        .with_columns(year=financial_year("discharge_date"))
    )
    discharges = discharges.filter(nw.col("year").is_in(ctx.years))
    outcome = (
        discharges.join(_readmitted(discharges, spells), on=SPELL, how="left")
        .join(persons(b), on="person_key")
        .group_by("lsoa", "practice_code", "year")
        .agg(
            flag(~nw.col("readmitted").is_null()).sum().alias("readmitted"),
            nw.len().alias("discharges"),
        )
    )
    rolled = ctx.roll_up(b.collect(outcome), ["readmitted", "discharges"], ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    return [proportion(rolled, "readmitted", "discharges", INDICATOR)]


def _readmitted(discharges: nw.LazyFrame[Any], spells: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The discharges (one row each) after which an emergency admission came within 30 days."""
    back = spells.filter(nw.col("admission_method") == "emergency").select(
        "person_key",
        nw.col("admit_date").alias("back_admit"),
        nw.col("discharge_date").alias("back_discharge"),
    )
    last_day = nw.col("discharge_date").dt.offset_by(f"{WITHIN_DAYS - 1}d")
    other_spell = (
        (nw.col("back_admit") != nw.col("admit_date"))
        | nw.col("back_discharge").is_null()
        | (nw.col("back_discharge") != nw.col("discharge_date"))
    )
    return (
        discharges.join(back, on="person_key")
        .filter(
            nw.col("back_admit") >= nw.col("discharge_date"),
            nw.col("back_admit") <= last_day,
            other_spell,
        )
        .select(SPELL)
        .unique()
        .with_columns(readmitted=nw.lit(1))
    )
