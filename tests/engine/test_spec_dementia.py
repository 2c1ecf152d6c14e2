"""Dementia diagnosis rate, counted by hand.

People 65 and over, alive on 30 September of the financial year, with dementia
recorded by then, as a percentage of the number expected: each five-year band's
people times its prevalence (``dementia-expected-prevalence``: 65-69 1.7%, 70-74 3.0%,
80-84 11.1%, 90+ 29.9%), summed over an area and rounded to whole people
(docs/indicators.md). Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, day, lives, pick

MID = "2015-09-30"  # the middle of 2015/16
LIVES: list[Life] = [
    # n, key, sex, born, died, cause, LSOA; ages on 30 September 2015
    (200, "seventy", "M", "1945-01", None, None, "L1"),  # 70
    (10, "dementia", "F", "1934-01", None, None, "L1"),  # 81, recorded in 2014
    (90, "eighty", "M", "1934-01", None, None, "L1"),  # 81
    (1, "turned65", "F", "1950-09", None, None, "L1"),  # 65 this month, recorded on 30 Sept
    (1, "aged64", "M", "1950-10", None, None, "L1"),  # 64: under 65, recorded in 2012
    (1, "later", "F", "1934-01", None, None, "L1"),  # recorded the day after 30 Sept
    (1, "diedonmid", "M", "1934-01", MID, None, "L1"),  # recorded, died on 30 Sept
    (1, "diedafter", "F", "1934-01", "2015-10-01", None, "L1"),  # recorded, alive on 30 Sept
    (1, "copd", "M", "1934-01", None, None, "L1"),  # COPD, not dementia
    (100, "ninety", "F", "1924-01", None, None, "L2"),  # 91, none recorded
]  # fmt: skip
CONDITION = pd.DataFrame(
    [
        *[(f"dementia{i}", "dementia", day("2014-06-01")) for i in range(1, 11)],
        ("dementia1", "dementia", day("2015-01-10")),  # a second record: still one person
        ("turned65", "dementia", day(MID)),
        ("aged64", "dementia", day("2012-01-01")),
        ("later", "dementia", day("2015-10-01")),
        ("diedonmid", "dementia", day("2014-06-01")),
        ("diedafter", "dementia", day("2014-06-01")),
        ("copd", "copd", day("2014-06-01")),
        ("visitor", "dementia", day("2014-06-01")),  # no person row: not a resident
    ],
    columns=["person_key", "condition", "recorded_date"],
)

# Expected, by band (people alive on 30 September 2015, 65 and over):
#   65-69 turned65 1 × 0.017 = 0.017; 70-74 seventy 200 × 0.030 = 6.0;
#   80-84 dementia 10 + eighty 90 + later + diedafter + copd = 103 × 0.111 = 11.433;
#   90+ ninety 100 × 0.299 = 29.9 (all in L2, neighbourhood N2).
# Place: 47.35 → 47; N1: 17.45 → 17; N2: 29.9 → 30.
# Recorded: dementia 10 + turned65 + diedafter = 12; not aged64 (64), later (after 30
# September), diedonmid (not alive on 30 September), copd or the visitor.


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = {**lives(LIVES), "condition": CONDITION}
    return compute(tmp_path_factory.mktemp("dementia"), connect, tables, "dementia diagnosis")


def test_dementia_diagnosis_rate(values: pd.DataFrame) -> None:
    row = pick(values, "dementia-diagnosis", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (12, 47)
    assert row["value"] == pytest.approx(100 * 12 / 47, rel=1e-9)  # 25.53…%
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_expected_cases_are_rounded_in_each_area(values: pd.DataFrame) -> None:
    n1 = pick(values, "dementia-diagnosis", "neighbourhood", "N1", "2015/16")
    assert (n1["numerator"], n1["denominator"]) == (12, 17)
    assert n1["value"] == pytest.approx(100 * 12 / 17, rel=1e-9)
    n2 = pick(values, "dementia-diagnosis", "neighbourhood", "N2", "2015/16")
    assert (n2["numerator"], n2["denominator"], n2["value"]) == (0, 30, 0)
