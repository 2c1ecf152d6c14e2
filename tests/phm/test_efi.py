"""eFI-style cumulative deficit index (Clegg et al., Age and Ageing 2016) on hand-made records."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.phm import efi, efi_deficits
from tests.phm.conftest import MakeFrame, collect

D = dt.date
INDEX = D(2021, 3, 31)

# Clegg et al. 2016, the 36 deficits of the electronic frailty index.
CLEGG_DEFICITS = [
    "activity limitation", "anaemia", "arthritis", "atrial fibrillation",
    "cerebrovascular disease", "chronic kidney disease", "diabetes", "dizziness", "dyspnoea",
    "falls", "foot problems", "fragility fracture", "hearing impairment", "heart failure",
    "heart valve disease", "housebound", "hypertension", "hypotension/syncope",
    "ischaemic heart disease", "memory and cognitive problems",
    "mobility and transfer problems", "osteoporosis", "Parkinsonism and tremor",
    "peptic ulcer", "peripheral vascular disease", "polypharmacy", "requirement for care",
    "respiratory disease", "skin ulcer", "sleep disturbance", "social vulnerability",
    "thyroid disease", "urinary incontinence", "urinary system disease", "visual impairment",
    "weight loss and anorexia",
]  # fmt: skip


def test_the_mapping_has_the_36_deficits_and_says_it_is_illustrative() -> None:
    table = efi_deficits()
    assert [d.name for d in table.deficits] == CLEGG_DEFICITS
    assert table.illustrative
    assert "NOT THE eFI CODE SETS" in table.notes
    assert "Age and Ageing 2016" in table.source
    # SNOMED CT ids are digits and ICD-10 prefixes start with a letter: one code column serves
    for deficit in table.deficits:
        assert all(code.isdigit() for code in deficit.snomed), deficit.name
        assert all(code[0].isalpha() for code in deficit.icd10), deficit.name
    uncoded = [d.name for d in table.deficits if not d.icd10 and not d.snomed]
    assert uncoded == ["polypharmacy"]


def conditions(rows: list[tuple[str, str, dt.date]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_key", "code", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


HAND_MADE = conditions(
    [
        # a: hypertension (I10 and SNOMED 38341003: once), AF (I48.0 and 49436004: once),
        #    diabetes (E11.9), incontinence (N39.4) and urinary disease (N39.0) = 5 deficits
        ("a", "I10", D(2010, 1, 1)),
        ("a", "38341003", D(2017, 1, 1)),
        ("a", "I48.0", D(2019, 1, 1)),
        ("a", "49436004", D(2019, 2, 1)),
        ("a", "E11.9", D(2012, 5, 5)),
        ("a", "N39.4", D(2020, 5, 5)),
        ("a", "N39.0", D(2020, 6, 5)),
        ("a", "G20", D(2021, 4, 1)),  # after the index date
        ("a", "K40.9", D(2020, 1, 1)),  # inguinal hernia: not a deficit
        # b: CKD stage 2 is not a deficit, stage 3 is; falls (W19) and fragility
        #    fracture + osteoporosis from M80 (both) = 4 deficits
        ("b", "N18.2", D(2019, 1, 1)),
        ("b", "N18.3", D(2020, 1, 1)),
        ("b", "W19", D(2020, 1, 1)),
        ("b", "M80.0", D(2020, 2, 1)),
        # c: only CKD stage 1: none
        ("c", "N18.1", D(2019, 1, 1)),
    ]
)


def test_hand_made_records_count_each_deficit_once(make_frame: MakeFrame) -> None:
    result = collect(efi(make_frame(HAND_MADE), INDEX, detail=True))
    assert result["efi_deficits"].to_dict() == {"a": 5, "b": 4, "c": 0}
    assert result.loc["a", "efi"] == pytest.approx(5 / 36)
    assert result["efi_band"].to_dict() == {"a": "mild", "b": "fit", "c": "fit"}
    present_b = sorted(c for c in result.columns[3:] if result.loc["b", c] == 1)
    assert present_b == ["chronic_kidney_disease", "falls", "fragility_fracture", "osteoporosis"]
    assert result.loc["a", "hypertension"] == 1
    assert result.loc["a", "parkinsonism_and_tremor"] == 0


def test_a_look_back_drops_old_codes(make_local_frame: MakeFrame) -> None:
    result = collect(efi(make_local_frame(HAND_MADE), INDEX, lookback_years=5))
    # from 31 March 2016: I10 (2010) and E11.9 (2012) drop out, 38341003 (2017) keeps hypertension
    assert result.loc["a", "efi_deficits"] == 4


def test_extra_deficits_add_polypharmacy_and_never_double_count(make_frame: MakeFrame) -> None:
    extra = pd.DataFrame(
        {
            "person_key": ["b", "b", "c", "d"],
            "deficit": ["polypharmacy", "falls", "housebound", "polypharmacy"],
        }
    )
    result = collect(efi(make_frame(HAND_MADE), INDEX, extra=make_frame(extra)))
    # b: 4 + polypharmacy (falls already present) = 5; c: housebound = 1;
    # d has no conditions, so is not in the output unless listed in people
    assert result["efi_deficits"].to_dict() == {"a": 5, "b": 5, "c": 1}


def test_unknown_extra_deficits_are_a_user_error() -> None:
    extra = pd.DataFrame({"person_key": ["b"], "deficit": ["frailty"]})
    with pytest.raises(ValidationError, match="unknown deficit"):
        efi(HAND_MADE, INDEX, extra=extra)


def test_band_edges() -> None:
    # 4/36 = 0.111 ≤ 0.12 < 5/36 = 0.139; 8/36 = 0.222 ≤ 0.24 < 9/36 = 0.25;
    # 12/36 = 0.333 ≤ 0.36 < 13/36 = 0.361
    expected = {0: "fit", 4: "fit", 5: "mild", 8: "mild", 9: "moderate", 12: "moderate",
                13: "severe", 35: "severe"}  # fmt: skip
    coded = [d for d in efi_deficits().deficits if d.icd10]
    rows = [
        (f"p{k:02d}", deficit.icd10[0], D(2020, 1, 1)) for k in expected for deficit in coded[:k]
    ] + [(f"p{k:02d}", "K40.9", D(2020, 1, 1)) for k in expected]
    result = collect(efi(conditions(rows), INDEX))
    for k, band in expected.items():
        person = result.loc[f"p{k:02d}"]
        assert (person["efi_deficits"], person["efi_band"]) == (k, band)
        assert person["efi"] == pytest.approx(k / 36)


def test_everyone_in_people_gets_a_row() -> None:
    people = pd.DataFrame({"person_key": ["a", "z"]})
    result = collect(efi(HAND_MADE, INDEX, people=people))
    assert result["efi_deficits"].to_dict() == {"a": 5, "z": 0}
    assert result.loc["z", "efi_band"] == "fit"
