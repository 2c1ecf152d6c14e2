"""People with diabetes: their other recorded conditions, heart attacks and deaths under 75.

Every measure is of the diabetes register: people alive on 30 September of the
financial year with diabetes recorded on their GP record by that day, at the ages of
the recorded prevalence of diabetes (``prevalence-diabetes`` in catalogue/records.yaml,
17 and over after the QOF register). The register is counted at the person's LSOA
and practice, as every prevalence is.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.catalogue.codelists import code_list
from placehealth.catalogue.records import records
from placehealth.engine import tables as t
from placehealth.engine.expressions import age_at, financial_year, flag
from placehealth.engine.indicators.context import Context, fy_label
from placehealth.engine.indicators.prevalence import having
from placehealth.engine.indicators.standardise import crude_rate, proportion
from placehealth.engine.population import persons

DIABETES = "diabetes"
ALSO_RECORDED = {  # indicator: the condition group recorded besides diabetes
    "bp-diabetes-heart-disease": "chd",
    "bp-diabetes-kidney-disease": "ckd",
    "bp-diabetes-stroke": "stroke_tia",
}
HEART_ATTACK = "bp-diabetes-heart-attack"
HEART_ATTACKS = "icd10-acute-mi"
MORTALITY = "bp-diabetes-mortality-u75"
UNDER = 75  # the mortality's ages: under 75
GRAIN = ["lsoa", "practice_code", "year"]


def register_age() -> int:
    """The youngest age on the diabetes register: that of the recorded prevalence."""
    return records().computed["prevalence-diabetes"].min_age or 0


def diabetes_indicators(ctx: Context) -> list[pd.DataFrame]:
    """Each recorded condition and heart attacks as a % of the register; deaths under 75
    per 100,000 of the register under 75."""
    b = ctx.backend
    wanted = [DIABETES, *ALSO_RECORDED.values()]
    # one row per person and year, a flag for each condition held: one pass over the
    # conditions held (not one join per condition, each recomputing them)
    held = {c: flag(nw.col("condition") == c).max().alias(f"has_{c}") for c in wanted}
    people = (
        having(ctx, wanted, ["condition"])
        .group_by("person_key", "year")
        .agg(
            nw.col("age").max(), nw.col("lsoa").max(), nw.col("practice_code").max(),
            *held.values(),
        )
    )  # fmt: skip
    register = people.filter(nw.col(f"has_{DIABETES}") == 1, nw.col("age") >= register_age())
    flags = [nw.col(f"has_{c}").sum().alias(c) for c in ALSO_RECORDED.values()]
    widened = register.join(_heart_attacks(ctx), on=["person_key", "year"], how="left")
    counts = widened.group_by(GRAIN).agg(
        nw.len().alias("register"),
        flag(nw.col("age") < UNDER).sum().alias("register_u75"),
        flag(~nw.col("attack").is_null()).sum().alias("attack"),
        *flags,
    )
    values = ["register", "register_u75", "attack", *ALSO_RECORDED.values(), "deaths"]
    both = nw.concat(
        [_zero_beside(counts, values), _zero_beside(_deaths_u75(ctx), values)], how="vertical"
    )
    counted = b.collect(both.group_by(GRAIN).agg(nw.col(values).sum().cast(nw.Int64)))
    rolled = ctx.roll_up(counted, values, ["year"])
    rolled["period"] = rolled.pop("year").map(fy_label)
    frames = [
        proportion(rolled, condition, "register", indicator)
        for indicator, condition in ALSO_RECORDED.items()
    ]
    frames.append(proportion(rolled, "attack", "register", HEART_ATTACK))
    per = rolled.rename(columns={"register_u75": "population"})
    frames.append(crude_rate(per, "deaths", MORTALITY))
    return frames


def _zero_beside(frame: nw.LazyFrame[Any], values: list[str]) -> nw.LazyFrame[Any]:
    """``frame``'s counts with zeros for the other ``values``, so two can be stacked."""
    given = frame.collect_schema().names()
    counts = [(nw.col(v) if v in given else nw.lit(0)).cast(nw.Int64).alias(v) for v in values]
    year = nw.col("year").cast(nw.Int32)
    return frame.select("lsoa", "practice_code", year, *counts)


def _heart_attacks(ctx: Context) -> nw.LazyFrame[Any]:
    """(person, financial year) of every emergency admission for a heart attack, once each."""
    spells = ctx.backend.table(t.APC_SPELL).filter(
        nw.col("admission_method") == "emergency",
        code_list(HEART_ATTACKS).expression("primary_diagnosis"),
    )
    return (
        spells.select("person_key", year=financial_year("admit_date"))
        .unique()
        .with_columns(attack=nw.lit(1))
    )


def _deaths_u75(ctx: Context) -> nw.LazyFrame[Any]:
    """Deaths in each financial year at the register's ages under 75 of residents with
    diabetes recorded on or before the day they died."""
    b = ctx.backend
    died = b.table(t.DEATH).group_by("person_key").agg(nw.col("date_of_death").min())
    recorded = (
        b.table(t.CONDITION)
        .filter(nw.col("condition") == DIABETES)
        .group_by("person_key")
        .agg(nw.col("recorded_date").min())
    )
    return (
        died.join(recorded, on="person_key")
        .filter(nw.col("recorded_date") <= nw.col("date_of_death"))
        .join(persons(b), on="person_key")
        .with_columns(
            year=financial_year("date_of_death"), age=age_at("birth_month", "date_of_death")
        )
        .filter(
            nw.col("year").is_in(ctx.years),
            nw.col("age") >= register_age(),
            nw.col("age") < UNDER,
        )
        .group_by(GRAIN)
        .agg(nw.len().alias("deaths"))
    )
