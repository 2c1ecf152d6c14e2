"""Emergency admissions and the composite of avoidable ones, counted by hand.

Emergency admission spells in the financial year 2015/16 (1 April 2015 to 31 March
2016), by age at admission, directly standardised to ESP2013 per 100,000 over the
people alive on 30 September 2015; the composite counts spells whose primary
diagnosis is on ``icd10-emergency-composite`` (docs/indicators.md). Each test runs
on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, lives, pick, spells

LIVES: list[Life] = [
    # n, key, sex, born, died, cause, LSOA: all women of 65 or 66 through 2015/16
    (10, "copd", "F", "1950-01", None, None, "L1"),
    (1, "twice", "F", "1950-01", None, None, "L1"),
    (1, "lower", "F", "1950-01", None, None, "L1"),
    (1, "elective", "F", "1950-01", None, None, "L1"),
    (1, "early", "F", "1950-01", None, None, "L1"),
    (1, "late", "F", "1950-01", None, None, "L1"),
    (1, "diedonmid", "F", "1950-01", "2015-09-30", None, "L1"),  # dead on 30 September
    (34, "well", "F", "1950-01", None, None, "L1"),
]
SPELLS = [
    # key, admitted, method, primary diagnosis
    *[(f"copd{i}", "2015-06-01", "emergency", "J44.1") for i in range(1, 11)],  # composite
    ("twice", "2015-04-01", "emergency", "N39.0"),  # first day of 2015/16; composite
    ("twice", "2016-03-31", "emergency", "S72.0"),  # last day of 2015/16; not composite
    ("lower", "2015-06-01", "emergency", "j44.1"),  # codes are matched in capitals
    ("elective", "2015-07-01", "elective", "K40.9"),  # not an emergency
    ("elective", "2015-08-01", "emergency", "W19"),  # a fall: emergency, not composite
    ("early", "2015-03-31", "emergency", "J44.1"),  # 2014/15
    ("late", "2016-04-01", "emergency", "J44.1"),  # 2016/17
    ("diedonmid", "2015-06-01", "emergency", "I50.0"),  # composite; alive when admitted
    ("stranger", "2015-06-01", "emergency", "J44.1"),  # no person row: not a resident
]  # fmt: skip

# People alive on 30 September 2015, all in band 65-69: 49 (all but diedonmid).
# Emergency: copd 10 + twice 2 + lower 1 + diedonmid 1 + elective's fall 1 = 15.
# Composite: copd 10 + twice's N39.0 + lower's j44.1 + diedonmid's I50.0 = 13. The fall
# (W19) is not in it: none of the NHS Outcomes Framework parts (2.3.i, 2.3.ii, 3a, 3.2)
# counts falls. The list held W0 and W1 until December 2026, when this count was 14.
# ESP2013 weight of 65-69: 5,500 of 100,000, so DSR = admissions / 49 × 5,500.
PEOPLE, WEIGHT_65_69 = 49, 5_500


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    rows = [(key, when, when, method, code) for key, when, method, code in SPELLS]
    tables = {**lives(LIVES), "apc_spell": spells(rows)}
    return compute(tmp_path_factory.mktemp("admissions"), connect, tables, "emergency admissions")


def test_emergency_admissions(values: pd.DataFrame) -> None:
    row = pick(values, "emergency-admissions", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (15, PEOPLE)
    assert row["value"] == pytest.approx(15 / PEOPLE * WEIGHT_65_69, rel=1e-9)  # 1,683.7…
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_composite_emergency_admissions(values: pd.DataFrame) -> None:
    row = pick(values, "emergency-admissions-composite", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (13, PEOPLE)
    assert row["value"] == pytest.approx(13 / PEOPLE * WEIGHT_65_69, rel=1e-9)  # 1,459.2…
