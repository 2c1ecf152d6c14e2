"""Neighbourhood case finding: people at or above a risk threshold, for the team caring for them.

Seed 000 (lines 4469–4485) describes the cohort with a risk of unplanned admission
above 50%, each reviewed by a multidisciplinary neighbourhood team that names a
lead professional; seed 004 (lines 562, 852–854) asks that people at high risk
have an accountable lead professional. This module builds that list from a risk
frame ([person_key, risk], from :func:`placehealth.phm.scoring.score`) and the
warehouse, and a suppressed count of it for everyone else.

A person belongs to the neighbourhood of their GP practice (``geo_practice``);
only someone with no known practice falls back to the neighbourhood of their
LSOA. The GP is the accountable lead and the team works from its practices'
registered lists, so the practice decides whose list a person is on, even when
they live across the boundary. This is the rule the risk features use too.

Re-identification is by matching only: the warehouse holds HMAC-SHA256(key, NHS
number), so NHS numbers the team already holds (``patients``) are hashed with
the same key and joined to the list. Nobody can recover a number the team did
not bring.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth.data.nhs_number import is_valid
from placehealth.data.pseudonymise import PseudoKey
from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import age_at, band_label, day_number, five_year_band
from placehealth.errors import ConfigurationError, InputFileError, ValidationError
from placehealth.periods import add_months
from placehealth.phm.frailty import efi, hfrs
from placehealth.phm.population import alive_at, check_index_date
from placehealth.publish import DISCLOSURE, Hierarchy, suppress_long

KEY = "person_key"
WINDOW_MONTHS = 12
COLUMNS = [
    KEY,
    "practice_code",
    "age_band",
    "sex",
    "segment",
    "risk",
    "hfrs_band",
    "efi_band",
    "emergency_admissions_12m",
    "ae_attendances_12m",
    "bed_days_12m",
]


def check_threshold(threshold: float) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise ValidationError(
            f"threshold {threshold:g} is not a probability",
            column="--threshold",
            hint="give a risk from 0 to 1, e.g. 0.5 for a 50% risk",
        )


def neighbourhoods(backend: Backend) -> list[str]:
    """Every neighbourhood named in the practice and LSOA look-ups, sorted."""
    names: set[str] = set()
    for table in (t.PRACTICE, t.LSOA):
        frame = backend.collect(backend.table(table).select("neighbourhood").unique())
        names.update(str(n) for n in frame["neighbourhood"].dropna())
    return sorted(names)


def check_neighbourhood(backend: Backend, neighbourhood: str) -> None:
    valid = neighbourhoods(backend)
    if neighbourhood not in valid:
        raise ValidationError(
            f"unknown neighbourhood '{neighbourhood}'",
            column="--neighbourhood",
            hint=f"valid: {', '.join(valid)}",
        )


def people(backend: Backend, index_date: dt.date) -> nw.LazyFrame[Any]:
    """[person_key, practice_code, neighbourhood, sex, age]: alive and registered on the date."""
    alive = alive_at(backend, index_date)
    lsoa = backend.table(t.LSOA).select("lsoa", nw.col("neighbourhood").alias("_lsoa_nb"))
    practice = backend.table(t.PRACTICE).select(
        "practice_code", nw.col("neighbourhood").alias("_practice_nb")
    )
    return (
        alive.join(lsoa, on="lsoa", how="left")
        .join(practice, on="practice_code", how="left")
        .select(
            KEY,
            "practice_code",
            nw.coalesce(nw.col("_practice_nb"), nw.col("_lsoa_nb")).alias("neighbourhood"),
            "sex",
            age_at("birth_month", "_index").alias("age"),
        )
    )


def at_risk(
    backend: Backend, risk: nw.LazyFrame[Any], *, threshold: float, index_date: dt.date
) -> nw.LazyFrame[Any]:
    """Everyone alive on the date with risk ≥ ``threshold``, with practice and neighbourhood."""
    scored = risk.select(KEY, nw.col("risk").cast(nw.Float64)).filter(nw.col("risk") >= threshold)
    return people(backend, index_date).join(scored, on=KEY, how="inner")


def cohort(
    backend: Backend,
    risk: nw.LazyFrame[Any],
    *,
    neighbourhood: str,
    threshold: float,
    index_date: dt.date,
    segments: nw.LazyFrame[Any] | None = None,
) -> pd.DataFrame:
    """The case list of one neighbourhood, highest risk first (columns :data:`COLUMNS`).

    Frailty bands use the two years of hospital diagnoses (HFRS) and the GP record
    (eFI) up to the day before the index date; activity counts the 12 months
    before it. ``segments`` ([person_key, segment]) adds each person's segment.
    """
    check_threshold(threshold)
    check_index_date(index_date, backend)
    found = at_risk(backend, risk, threshold=threshold, index_date=index_date).filter(
        nw.col("neighbourhood") == neighbourhood
    )
    # the risk query is large: run it once, then join the small list back in the engine
    listed = backend.from_pandas(backend.collect(found), "cohort_list")
    keys = listed.select(KEY)
    before = index_date - dt.timedelta(days=1)
    diagnoses = (
        backend.table(t.APC_SPELL)
        .join(keys, on=KEY, how="semi")
        .select(KEY, nw.col("primary_diagnosis").alias("code"), nw.col("admit_date").alias("date"))
    )
    coded = (
        backend.table(t.CONDITION)
        .join(keys, on=KEY, how="semi")
        .select(KEY, "code", nw.col("recorded_date").alias("date"))
    )
    frail = hfrs(diagnoses, before, lookback_years=2, people=keys).select(KEY, "hfrs_band")
    efi_frame = efi(coded, before, people=keys).select(KEY, "efi_band")
    frame = (
        listed.join(frail, on=KEY, how="left")
        .join(efi_frame, on=KEY, how="left")
        .join(_activity(backend, keys, index_date), on=KEY, how="left")
    )
    if segments is not None:
        frame = frame.join(segments.select(KEY, "segment"), on=KEY, how="left")
    else:
        frame = frame.with_columns(segment=nw.lit(None, dtype=nw.String))
    counts = ["emergency_admissions_12m", "ae_attendances_12m", "bed_days_12m"]
    frame = frame.with_columns(
        nw.col(counts).fill_null(0).cast(nw.Int64),
        age_band=five_year_band(nw.col("age")),
    )
    out = backend.collect(frame.select(*[c for c in COLUMNS if c != "age_band"], "age_band"))
    out["age_band"] = out["age_band"].map(band_label)
    out = out.sort_values(["risk", KEY], ascending=[False, True], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def _activity(backend: Backend, keys: nw.LazyFrame[Any], index_date: dt.date) -> nw.LazyFrame[Any]:
    """Emergency admissions, A&E attendances and bed-days of spells admitted in the 12 months
    before the index date (bed-days: discharge minus admission, over emergency and elective
    spells, as in the risk features)."""
    start, end = nw.lit(add_months(index_date, -WINDOW_MONTHS)), nw.lit(index_date)
    spells = (
        backend.table(t.APC_SPELL)
        .join(keys, on=KEY, how="semi")
        .filter((nw.col("admit_date") >= start) & (nw.col("admit_date") < end))
        .filter(nw.col("admission_method").is_in(["emergency", "elective"]))
    )
    stay = (day_number("discharge_date") - day_number("admit_date")).fill_null(0)
    apc = (
        spells.select(
            KEY,
            (nw.col("admission_method") == "emergency").cast(nw.Int64).alias("emergency"),
            stay.cast(nw.Int64).alias("bed_days"),
        )
        .group_by(KEY)
        .agg(
            nw.col("emergency").sum().alias("emergency_admissions_12m"),
            nw.col("bed_days").sum().alias("bed_days_12m"),
        )
    )
    ae = (
        backend.table(t.AE_ATTENDANCE)
        .join(keys, on=KEY, how="semi")
        .filter((nw.col("arrival_date") >= start) & (nw.col("arrival_date") < end))
        .group_by(KEY)
        .agg(nw.len().alias("ae_attendances_12m"))
    )
    return keys.join(apc, on=KEY, how="left").join(ae, on=KEY, how="left")


def summary(
    backend: Backend, risk: nw.LazyFrame[Any], *, threshold: float, index_date: dt.date
) -> pd.DataFrame:
    """People at or above the threshold per neighbourhood and per practice, published.

    Columns: level ('neighbourhood', 'practice', 'total'), neighbourhood,
    practice_code, people (nullable; <NA> where hidden), suppressed, disclosure.
    Practices add up to their neighbourhood and neighbourhoods to the total; the
    one publishing step (:mod:`placehealth.publish`) hides counts of 1–7 and every
    count that would give one back across both levels, then rounds the rest to 5,
    because the threshold and the index date are the user's to choose.
    """
    check_threshold(threshold)
    check_index_date(index_date, backend)
    listed = at_risk(backend, risk, threshold=threshold, index_date=index_date)
    everyone = people(backend, index_date).select("practice_code", "neighbourhood").unique()
    found = backend.collect(
        listed.group_by("neighbourhood", "practice_code").agg(nw.len().alias("people"))
    )
    grid = backend.collect(everyone)
    practice = grid.merge(found, on=["neighbourhood", "practice_code"], how="left")
    practice = practice.dropna(subset=["neighbourhood"]).fillna({"practice_code": "(none)"})
    practice["people"] = practice["people"].fillna(0).astype("int64")
    practice = practice.sort_values(["neighbourhood", "practice_code"]).reset_index(drop=True)
    by_nb = practice.groupby("neighbourhood", sort=True)["people"].sum()
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "level": "neighbourhood",
                    "neighbourhood": by_nb.index,
                    "practice_code": None,
                    "people": by_nb.to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "level": ["total"],
                    "neighbourhood": ["Total"],
                    "practice_code": None,
                    "people": [int(by_nb.sum())],
                }
            ),
            practice.assign(level="practice")[
                ["level", "neighbourhood", "practice_code", "people"]
            ],
        ],
        ignore_index=True,
    )
    keys = ("level", "neighbourhood", "practice_code")
    up = pd.DataFrame({"level": "practice", "neighbourhood": practice["neighbourhood"],
                       "practice_code": practice["practice_code"],
                       "parent_level": "neighbourhood",
                       "parent_neighbourhood": practice["neighbourhood"],
                       "parent_practice_code": None})  # fmt: skip
    top = pd.DataFrame({"level": "neighbourhood", "neighbourhood": by_nb.index,
                        "practice_code": None, "parent_level": "total",
                        "parent_neighbourhood": "Total", "parent_practice_code": None})  # fmt: skip
    out = suppress_long(table, ["people"], keys=keys, rounded=True,
                        hierarchies=[Hierarchy(keys, pd.concat([up, top]))])  # fmt: skip
    out["people"] = out["people"].astype("Int64")
    return out[["level", "neighbourhood", "practice_code", "people", "suppressed", DISCLOSURE]]


def key_matches(backend: Backend, key: PseudoKey) -> None:
    """Refuse a key other than the warehouse's: matching would silently find no one."""
    meta = backend.collect(backend.table("warehouse_meta"))
    values = dict(zip(meta["name"].astype(str), meta["value"].astype(str), strict=True))
    if values.get("key_check") != key.check_value():
        raise ConfigurationError(
            "the pseudonymisation key is not the warehouse's: NHS numbers cannot be matched",
            hint="use the key the warehouse was loaded with (PLACEHEALTH_PSEUDO_KEY or --key-file)",
        )


def hash_patients(patients: pd.DataFrame, key: PseudoKey, *, file: Any = None) -> pd.DataFrame:
    """[nhs_number, person_key] for each valid NHS number in ``patients`` (column nhs_number).

    Spaces and hyphens are dropped as at ingestion; numbers failing the Modulus 11
    check cannot be in the warehouse and are left out. Hashing runs in Python, as at
    ingestion (:meth:`PseudoKey.hash_numbers`), so DuckDB never holds a raw number.
    """
    if "nhs_number" not in patients.columns:
        raise InputFileError(
            "missing column 'nhs_number'",
            file=file,
            hint=f"columns present: {', '.join(map(str, patients.columns))}",
        )
    text = patients["nhs_number"].astype("string").str.strip().str.replace("[ -]", "", regex=True)
    numbers = np.asarray(text.dropna().unique(), dtype=str)
    valid = numbers[is_valid(numbers)].tolist()
    return pd.DataFrame({"nhs_number": valid, KEY: key.hash_numbers(valid)})


def reidentify(listed: pd.DataFrame, hashed: pd.DataFrame) -> pd.DataFrame:
    """The list with ``nhs_number`` first, where the team's own list holds the person."""
    out = listed.merge(hashed, on=KEY, how="left", validate="many_to_one")
    return out[["nhs_number", *listed.columns]]
