"""Population segments: everyone alive at an index date in exactly one of seven segments.

The seven segments of the city strategy of seed 002 (lines 172-180) are
decided by a hierarchy, first match wins: end of life > frailty and dementia >
complex lives > disability > mental health > long-term conditions > healthy.
A person meeting two rules lands in the higher segment, so the segments add up
to the population. The codes and thresholds live in ``codelists/segments.yaml``;
docs/phm-segments.md sets out the rules and why.

Everything is one lazy Narwhals query (flags built per source, left-joined onto
the people alive at the index date), so DuckDB or Spark does the work.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field, field_validator

from placehealth import icd10
from placehealth.data.conditions import condition_list
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import age_at
from placehealth.periods import add_months
from placehealth.phm.frailty import efi, hfrs
from placehealth.phm.population import alive_at, check_index_date
from placehealth.yamlfile import load_model, reject_repeats

FOLDER = Path(__file__).parent / "codelists"
KEY = "person_key"
MH_CONTACT = "mh_contact"

SEGMENTS = (
    "end_of_life",
    "frailty_dementia",
    "complex_lives",
    "disability",
    "mental_health",
    "long_term_conditions",
    "healthy",
)
SEGMENT_NAMES = {
    "end_of_life": "End of life",
    "frailty_dementia": "Frailty and dementia",
    "complex_lives": "Complex lives",
    "disability": "Disability",
    "mental_health": "Mental health",
    "long_term_conditions": "Long-term conditions",
    "healthy": "Healthy",
}
# Flags deciding each segment, in the order of the hierarchy.
RULES: dict[str, tuple[str, ...]] = {
    "end_of_life": ("palliative_care",),
    "frailty_dementia": ("dementia", "frailty_score", "care_home"),
    "complex_lives": ("substance_self_harm", "crisis_frequent_ae"),
    "disability": ("learning_disability", "home_care_under_65"),
    "mental_health": ("serious_mental_illness", "common_mental_health_contact"),
    "long_term_conditions": ("any_ltc",),
}
FLAGS = tuple(flag for flags in RULES.values() for flag in flags)
LTC_BANDS = ("0", "1", "2", "3", "4+")
# Condition groups of the warehouse's code list that are registers, not long-term conditions.
NOT_LTC = frozenset({"palliative_care"})


class SegmentCodes(BaseModel):
    """The SNOMED CT ids and ICD-10 prefixes that put a person in one clinical group."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    version: str
    purpose: str
    source: str
    snomed: list[str] = Field(default_factory=list)
    icd10: list[str] = Field(default_factory=list)


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    end_of_life_months: int = Field(gt=0)
    frailty_min_age: int = Field(ge=0)
    hfrs_bands: list[str]
    efi_bands: list[str]
    complex_lives_years: int = Field(gt=0)
    hospital_years: int = Field(gt=0)
    crisis_months: int = Field(gt=0)
    frequent_ae: int = Field(gt=0)
    home_care_under_age: int = Field(gt=0)
    mental_health_months: int = Field(gt=0)
    mental_health_services: list[str]
    learning_disability_services: list[str]


class SegmentRules(BaseModel):
    """The segment rules file: thresholds plus one code list per clinical group."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    version: str
    purpose: str
    source: str
    rules: Rules
    lists: list[SegmentCodes] = Field(min_length=1)

    @field_validator("lists")
    @classmethod
    def _unique(cls, value: list[SegmentCodes]) -> list[SegmentCodes]:
        reject_repeats([c.id for c in value], "code lists")
        return value

    def codes(self, list_id: str) -> SegmentCodes:
        for code_list in self.lists:
            if code_list.id == list_id:
                return code_list
        raise KeyError(list_id)


@cache
def segment_rules() -> SegmentRules:
    return load_model(FOLDER / "segments.yaml", SegmentRules)


def ltc_groups() -> list[str]:
    """Condition groups that count as long-term conditions (multimorbidity)."""
    return [c for c in condition_list().ids() if c not in NOT_LTC]


def segments(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """One row per person alive and registered at ``index_date``.

    Columns: person_key, segment, ltc_count, ltc_band, age, the flags of every
    rule (booleans), lsoa and practice_code (for profiles by area).
    """
    check_index_date(index_date, backend)
    people = alive(backend, index_date)
    flags = [
        _palliative(backend, index_date),
        _dementia(backend, index_date),
        _frailty_score(backend, index_date, people),
        _care_home(backend, index_date),
        _substance_self_harm(backend, index_date),
        _crisis_frequent_ae(backend, index_date),
        _learning_disability(backend, index_date),
        _home_care_under_age(backend, index_date, people),
        _serious_mental_illness(backend, index_date),
        _common_mental_health_contact(backend, index_date),
    ]
    frame = people.join(_ltc_count(backend, index_date), on=KEY, how="left")
    for flag in flags:
        frame = frame.join(flag, on=KEY, how="left")
    count = nw.col("ltc_count").fill_null(0).cast(nw.Int32)
    frame = frame.with_columns(
        *[nw.col(f).fill_null(False).cast(nw.Boolean) for f in FLAGS if f != "any_ltc"],
        ltc_count=count,
    ).with_columns(any_ltc=nw.col("ltc_count") > 0, ltc_band=_ltc_band(nw.col("ltc_count")))
    return frame.select(
        KEY,
        _segment().alias("segment"),
        "ltc_count",
        "ltc_band",
        "age",
        *FLAGS,
        "lsoa",
        "practice_code",
    )


def alive(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """People alive and registered at the index date (``population.alive_at``), with age."""
    return (
        alive_at(backend, index_date)
        .with_columns(age=age_at("birth_month", "_index"))
        .select(KEY, "age", "lsoa", "practice_code")
    )


def _segment() -> nw.Expr:
    """The hierarchy: the first segment whose rules any flag meets."""
    chain: Any = None
    for segment, flags in RULES.items():
        met = _any([nw.col(f) for f in flags])
        chain = (
            nw.when(met).then(nw.lit(segment))
            if chain is None
            else chain.when(met).then(nw.lit(segment))
        )
    return chain.otherwise(nw.lit("healthy"))


def _ltc_band(count: nw.Expr) -> nw.Expr:
    return nw.when(count >= 4).then(nw.lit("4+")).otherwise(count.cast(nw.String))


def _any(parts: list[nw.Expr]) -> nw.Expr:
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


def _window(column: str, index_date: dt.date, months: int | None) -> nw.Expr:
    """Dated after ``months`` before the index date, up to and including it."""
    keep = nw.col(column) <= nw.lit(index_date)
    if months is not None:
        keep = keep & (nw.col(column) > nw.lit(add_months(index_date, -months)))
    return keep


def _gp_record(
    backend: Backend, index_date: dt.date, list_id: str, months: int | None
) -> nw.LazyFrame[Any]:
    """People with a code of the list on the GP record (condition table) in the window."""
    codes = segment_rules().codes(list_id)
    system = nw.col("code_system").str.to_lowercase()
    code = icd10.clean_expr(nw.col("code"))
    match = ((system == "snomed") & code.is_in(codes.snomed or ["-"])) | (
        (system == "icd10") & icd10.match_expr(nw.col("code"), codes.icd10)
    )
    return (
        backend.table(t.CONDITION)
        .filter(_window("recorded_date", index_date, months))
        .filter(match.fill_null(False))
        .select(KEY)
    )


def _hospital(
    backend: Backend, index_date: dt.date, list_ids: list[str], months: int | None
) -> nw.LazyFrame[Any]:
    """People admitted with a primary diagnosis from the lists in the window."""
    prefixes = [c for i in list_ids for c in segment_rules().codes(i).icd10]
    return (
        backend.table(t.APC_SPELL)
        .filter(_window("admit_date", index_date, months))
        .filter(icd10.match_expr(nw.col("primary_diagnosis"), prefixes))
        .select(KEY)
    )


def _flag(frames: list[nw.LazyFrame[Any]], name: str) -> nw.LazyFrame[Any]:
    """Union of people → [person_key, name = True], one row each."""
    union = frames[0] if len(frames) == 1 else nw.concat(frames, how="vertical")
    return union.unique([KEY]).with_columns(nw.lit(True).alias(name))


def _palliative(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    months = segment_rules().rules.end_of_life_months
    return _flag(
        [
            _gp_record(backend, index_date, "palliative_care", months),
            _hospital(backend, index_date, ["palliative_care"], months),
        ],
        "palliative_care",
    )


def _dementia(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    months = segment_rules().rules.hospital_years * 12
    return _flag(
        [
            _gp_record(backend, index_date, "dementia", None),
            _hospital(backend, index_date, ["dementia"], months),
        ],
        "dementia",
    )


def _frailty_score(
    backend: Backend, index_date: dt.date, people: nw.LazyFrame[Any]
) -> nw.LazyFrame[Any]:
    """HFRS from hospital diagnoses (2 years) or eFI from the GP record plus hospital codes,
    for people at or over the frailty age."""
    rules = segment_rules().rules
    older = people.filter(nw.col("age") >= rules.frailty_min_age).select(KEY)
    diagnoses = backend.table(t.APC_SPELL).select(
        KEY, nw.col("primary_diagnosis").alias("code"), nw.col("admit_date").alias("date")
    )
    gp = backend.table(t.CONDITION).select(
        KEY, nw.col("code"), nw.col("recorded_date").alias("date")
    )
    # scoring only the older people's records keeps the eFI's many prefix tests small
    diagnoses = diagnoses.join(older, on=KEY, how="semi")
    gp = gp.join(older, on=KEY, how="semi")
    scored_h = hfrs(diagnoses, index_date, people=older)
    scored_e = efi(nw.concat([gp, diagnoses], how="vertical"), index_date, people=older)
    frail_h = scored_h.filter(nw.col("hfrs_band").is_in(rules.hfrs_bands)).select(KEY)
    frail_e = scored_e.filter(nw.col("efi_band").is_in(rules.efi_bands)).select(KEY)
    return _flag([frail_h, frail_e], "frailty_score")


def _care_home(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    return _flag([_social_care(backend, index_date, ["residential", "nursing"])], "care_home")


def _social_care(backend: Backend, index_date: dt.date, services: list[str]) -> nw.LazyFrame[Any]:
    """People with a social care service of these kinds active on the index date."""
    day = nw.lit(index_date)
    return (
        backend.table(t.SOCIAL_CARE)
        .filter(
            nw.col("service").is_in(services),
            nw.col("start_date") <= day,
            nw.col("end_date").is_null() | (nw.col("end_date") >= day),
        )
        .select(KEY)
    )


def _substance_self_harm(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    months = segment_rules().rules.complex_lives_years * 12
    lists = ["substance_misuse", "self_harm", "homelessness"]
    return _flag(
        [
            _hospital(backend, index_date, lists, months),
            _gp_record(backend, index_date, "substance_misuse", months),
        ],
        "substance_self_harm",
    )


def _crisis_frequent_ae(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """A mental health crisis contact and frequent A&E attendance in the same 12 months."""
    rules = segment_rules().rules
    crisis = (
        backend.table(MH_CONTACT)
        .filter(
            nw.col("service") == "crisis", _window("contact_date", index_date, rules.crisis_months)
        )
        .select(KEY)
        .unique([KEY])
    )
    frequent = (
        backend.table(t.AE_ATTENDANCE)
        .filter(_window("arrival_date", index_date, rules.crisis_months))
        .group_by(KEY)
        .agg(nw.len().alias("attendances"))
        .filter(nw.col("attendances") >= rules.frequent_ae)
        .select(KEY)
    )
    return _flag([crisis.join(frequent, on=KEY, how="inner")], "crisis_frequent_ae")


def _learning_disability(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    rules = segment_rules().rules
    service = (
        backend.table(MH_CONTACT)
        .filter(
            nw.col("service").is_in(rules.learning_disability_services),
            _window("contact_date", index_date, None),
        )
        .select(KEY)
    )
    return _flag(
        [_gp_record(backend, index_date, "learning_disability", None), service],
        "learning_disability",
    )


def _home_care_under_age(
    backend: Backend, index_date: dt.date, people: nw.LazyFrame[Any]
) -> nw.LazyFrame[Any]:
    limit = segment_rules().rules.home_care_under_age
    younger = people.filter(nw.col("age") < limit).select(KEY)
    care = _social_care(backend, index_date, ["home_care"]).join(younger, on=KEY, how="inner")
    return _flag([care], "home_care_under_65")


def _serious_mental_illness(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    months = segment_rules().rules.hospital_years * 12
    return _flag(
        [
            _gp_record(backend, index_date, "serious_mental_illness", None),
            _hospital(backend, index_date, ["serious_mental_illness"], months),
        ],
        "serious_mental_illness",
    )


def _common_mental_health_contact(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """Depression or anxiety on the record and a mental health service contact in 12 months."""
    rules = segment_rules().rules
    diagnosed = _gp_record(backend, index_date, "common_mental_health", None).unique([KEY])
    contact = (
        backend.table(MH_CONTACT)
        .filter(
            nw.col("service").is_in(rules.mental_health_services),
            _window("contact_date", index_date, rules.mental_health_months),
        )
        .select(KEY)
        .unique([KEY])
    )
    return _flag([diagnosed.join(contact, on=KEY, how="inner")], "common_mental_health_contact")


def _ltc_count(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """Distinct long-term condition groups recorded on or before the index date."""
    return (
        backend.table(t.CONDITION)
        .filter(
            _window("recorded_date", index_date, None),
            nw.col("condition").is_in(ltc_groups()),
        )
        .select(KEY, "condition")
        .unique([KEY, "condition"])
        .group_by(KEY)
        .agg(nw.len().alias("ltc_count"))
    )
