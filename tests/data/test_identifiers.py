"""NHS numbers (Modulus 11) and clinical code shapes, vectorised and in SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from placehealth.data.codes import is_icd10, is_snomed_concept, normalise_icd10, verhoeff_valid
from placehealth.data.conditions import condition_list
from placehealth.data.ingest import ingest
from placehealth.data.nhs_number import (
    INVALID,
    OK,
    PLACEHOLDER,
    REFUSED,
    TEST_RANGE,
    TEST_RANGE_CAPACITY,
    check_digits,
    is_valid,
    normalise_sql,
    numbers_in_test_range,
    statuses,
    valid_sql,
)
from placehealth.data.pseudonymise import PseudoKey
from tests.data.conftest import geography_csv, write_csv
from tests.data.test_ingest import PERSON, problems


def modulus_11(number: str) -> bool:
    """The NHS Data Dictionary rule, written out digit by digit (the reference)."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


def test_known_numbers() -> None:
    # 943 476 5919 is the NHS Data Dictionary's worked example of a valid number
    numbers = [
        "9434765919",
        "943 476 5919",
        "943-476-5919",
        "9434765918",
        "943476591",
        "abcdefghij",
    ]
    assert is_valid(numbers).tolist() == [True, True, True, False, False, False]


def test_a_stem_whose_check_digit_would_be_10_has_no_valid_number() -> None:
    stems = np.arange(100_000_000, 100_000_200, dtype=np.int64)
    tens = stems[check_digits(stems) == 10]
    assert tens.size > 0
    candidates = [f"{s}{d}" for s in tens for d in range(10)]
    assert not is_valid(candidates).any()


def test_numpy_and_sql_agree_with_the_reference() -> None:
    rng = np.random.default_rng(11)
    random = rng.integers(0, 10_000_000_000, 20_000)  # mostly invalid
    valid = numbers_in_test_range(rng, 5_000)
    altered = valid + rng.integers(1, 9, valid.size)  # last digit changed: mostly invalid
    numbers = [f"{v:010d}" for v in np.concatenate([random, valid, altered])]
    expected = [modulus_11(n) for n in numbers]
    assert 5_000 <= sum(expected) < len(numbers)
    assert is_valid(numbers).tolist() == expected
    con = duckdb.connect()
    con.register("n", pd.DataFrame({"nhs": numbers, "i": range(len(numbers))}))
    sql = f"SELECT {valid_sql(normalise_sql('nhs'))} FROM n ORDER BY i"
    assert [bool(r[0]) for r in con.execute(sql).fetchall()] == expected


def test_numbers_in_test_range_are_valid_distinct_and_reproducible() -> None:
    numbers = numbers_in_test_range(np.random.default_rng(5), 50_000)
    text = numbers.astype(str)
    assert np.char.startswith(text, "999").all()
    assert is_valid(text).all()
    assert np.unique(numbers).size == numbers.size
    assert (numbers_in_test_range(np.random.default_rng(5), 50_000) == numbers).all()
    with pytest.raises(ValueError, match="test range"):
        numbers_in_test_range(np.random.default_rng(5), TEST_RANGE_CAPACITY + 1)


def test_every_snomed_id_in_the_condition_list_is_a_valid_concept_id() -> None:
    ids = [i for c in condition_list().conditions for i in c.snomed]
    assert is_snomed_concept(ids).all()


def test_snomed_shape_check_digit_and_partition() -> None:
    # 13645005 (COPD): change one digit, or the partition, and it is refused
    assert is_snomed_concept(["13645005"]).tolist() == [True]
    assert not is_snomed_concept(["13645004", "13645105", "0013645005", "12345", "J44.1"]).any()
    assert verhoeff_valid(["2363"]).tolist() == [True]  # Verhoeff's own example: 236 → 3


def test_icd10_shapes_and_normal_form() -> None:
    assert is_icd10(["J44.1", "J441", "I10", "W19X", "C50.91"]).all()
    assert not is_icd10(["J4", "44.1", "XYZ", "13645005", "J44.1.2"]).any()
    assert normalise_icd10(" j441 ") == "J44.1"


def test_condition_groups_by_system() -> None:
    codes = condition_list()
    assert codes.group_of("snomed", "13645005") == "copd"
    assert codes.group_of("icd10", "J44.1") == "copd"
    assert codes.group_of("icd10", "F03") == "dementia"
    assert codes.group_of("icd10", "K35.2") is None  # appendicitis: not a long-term condition
    assert codes.group_of("snomed", "999999999") is None


def test_every_repdigit_passes_modulus_11_so_it_is_refused_as_a_placeholder() -> None:
    repdigits = [str(d) * 10 for d in range(10)]
    assert is_valid(repdigits).all()  # why the check digit alone is not enough
    assert (statuses(repdigits) == PLACEHOLDER).all()
    assert (statuses(repdigits, synthetic=True) == PLACEHOLDER).all()


def test_the_test_range_is_refused_unless_the_data_is_synthetic() -> None:
    numbers = ["9434765919", "9990000026", "9990000027", "943476591", "0000000000"]
    assert statuses(numbers).tolist() == [OK, TEST_RANGE, INVALID, INVALID, PLACEHOLDER]
    assert statuses(numbers, synthetic=True).tolist() == [OK, OK, INVALID, INVALID, PLACEHOLDER]
    assert statuses([]).shape == (0,)


def test_placeholder_and_test_range_numbers_are_quarantined(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    geography_csv(source)
    write_csv(source, "person", PERSON,
              "9434765919,F,1950-03,,E01SYN001,SYN001",
              "0000000000,M,1960-01,,E01SYN001,SYN001",  # two unrelated people with
              "000 000 0000,F,1970-01,,E01SYN002,SYN002",  # the same placeholder
              "9990000026,M,1980-01,,E01SYN001,SYN001")  # 999: a test number  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    assert problems(result) == {
        ("person.csv", 2, "nhs_number", REFUSED[PLACEHOLDER]),
        ("person.csv", 3, "nhs_number", REFUSED[PLACEHOLDER]),
        ("person.csv", 4, "nhs_number", REFUSED[TEST_RANGE]),
    }
    assert "--synthetic" in REFUSED[TEST_RANGE]
    assert result.problems["value"].isna().all()
    # declared synthetic, the 999 number loads; the placeholders still do not
    result = ingest(source, tmp_path / "synthetic.duckdb", key, synthetic=True)
    assert {r[1] for r in problems(result)} == {2, 3}
    added = {f.table: f.rows_added for f in result.files}
    assert added["person"] == 2


def test_the_synthetic_numbers_hold_no_placeholder() -> None:
    """9999999999 is in the test range and passes Modulus 11: synthetic people must not get it."""
    every = numbers_in_test_range(np.random.default_rng(2), TEST_RANGE_CAPACITY).astype(str)
    assert (statuses(every, synthetic=True) == OK).all()
    assert np.char.startswith(every, "999").all() and np.unique(every).size == every.size
