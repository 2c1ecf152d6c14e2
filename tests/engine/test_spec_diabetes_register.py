"""People with diabetes: other recorded conditions, heart attacks and deaths under 75,
counted by hand.

The register of financial year 2015/16: people alive on 30 September 2015 with diabetes
recorded by that day, aged 17 and over then. Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators.diabetes import HEART_ATTACK, MORTALITY
from tests.engine.spec import PLACE, Life, compute, day, lives, pick, spells

E, P = "emergency", "elective"
LIVES: list[Life] = [
    (10, "d", "F", "1960-01", None, None, "L1"),  # 55 on 30 September 2015: d1 … d10
    (1, "seventeen", "M", "1998-09", None, None, "L2"),  # 17 on the day: on the register
    (1, "teen", "M", "1999-01", None, None, "L2"),  # 16: not on the register
    (1, "late", "F", "1960-01", None, None, "L1"),  # diabetes recorded 1 October 2015
    (1, "eighty", "F", "1935-01", None, None, "L1"),  # 80: on the register, not under 75
    (1, "gone", "F", "1960-01", "2015-09-30", "E11.9", "L1"),  # died on the day: not on it
    (1, "old", "M", "1941-01", "2016-01-15", "I25.9", "L1"),  # 74 then, 75 at death
    (1, "s74", "M", "1941-03", "2016-02-10", "I25.9", "L1"),  # 74 then and at death
    (1, "newdiag", "F", "1960-01", "2016-01-01", "E11.9", "L1"),  # recorded on that day
    (1, "notdiab", "F", "1960-01", "2016-01-01", "I25.9", "L1"),  # no diabetes recorded
    (1, "after", "F", "1960-01", "2016-04-01", "E11.9", "L1"),  # died in 2016/17
    (1, "nodiab", "F", "1960-01", None, None, "L1"),  # stroke and heart attack, no diabetes
]
DIABETIC = [f"d{i}" for i in range(1, 11)] + ["seventeen", "teen", "eighty", "gone", "old", "s74",
                                              "after"]  # fmt: skip
CONDITIONS = [
    *((key, "diabetes", "2010-01-01") for key in DIABETIC),
    ("late", "diabetes", "2015-10-01"),  # after 30 September
    ("newdiag", "diabetes", "2016-01-01"),  # the day of death
    ("d1", "chd", "2012-01-01"),
    ("d2", "chd", "2015-09-30"),  # recorded on the day: counts
    ("d3", "chd", "2015-10-01"),  # recorded after the day
    ("late", "chd", "2012-01-01"),  # not on the register
    ("d4", "ckd", "2012-01-01"),
    ("teen", "ckd", "2012-01-01"),  # under 17
    ("d5", "stroke_tia", "2012-01-01"),
    ("d6", "stroke_tia", "2012-01-01"),
    ("d7", "stroke_tia", "2012-01-01"),
    ("d7", "stroke_tia", "2013-01-01"),  # recorded twice: one person
    ("nodiab", "stroke_tia", "2012-01-01"),
]
SPELLS = spells(
    [
        ("d1", "2015-04-01", "2015-04-05", E, "I21.9"),  # the year's first day
        ("d2", "2016-04-01", "2016-04-05", E, "I21.9"),  # 2016/17
        ("d3", "2015-06-01", "2015-06-02", P, "I21.9"),  # planned
        ("d4", "2015-06-01", "2015-06-02", E, "I25.1"),  # chronic, not a heart attack
        ("d5", "2015-07-01", "2015-07-05", E, "I22.0"),  # twice: one person
        ("d5", "2015-11-01", "2015-11-05", E, "I21.4"),
        ("d6", "2016-03-31", "2016-04-03", E, "I21.0"),  # the year's last day
        ("nodiab", "2015-07-01", "2015-07-05", E, "I21.9"),  # not on the register
    ]
)
# the register: d1 … d10, seventeen, eighty, old, s74, after = 15; under 75: 14 (not eighty)
REGISTER, UNDER_75 = 15, 14
EXPECTED = {
    "bp-diabetes-heart-disease": (2, REGISTER),  # d1, d2
    "bp-diabetes-kidney-disease": (1, REGISTER),  # d4
    "bp-diabetes-stroke": (3, REGISTER),  # d5, d6, d7
    HEART_ATTACK: (3, REGISTER),  # d1, d5, d6
}
DEATHS_U75 = 3  # gone (55), s74 (74), newdiag (recorded that day); not old (75), notdiab


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    condition = pd.DataFrame(
        [(key, group, day(date)) for key, group, date in CONDITIONS],
        columns=["person_key", "condition", "recorded_date"],
    )
    tables = {**lives(LIVES), "condition": condition, "apc_spell": SPELLS}
    folder = tmp_path_factory.mktemp("diabetes-register")
    return compute(folder, connect, tables, "diabetes register")


@pytest.mark.parametrize("indicator", EXPECTED)
def test_share_of_the_register(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015/16")
    numerator, denominator = EXPECTED[indicator]
    assert (row["numerator"], row["denominator"]) == (numerator, denominator)
    assert row["value"] == pytest.approx(100 * numerator / denominator, rel=1e-9)
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_deaths_under_75_per_100000_on_the_register(values: pd.DataFrame) -> None:
    row = pick(values, MORTALITY, "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (DEATHS_U75, UNDER_75)
    assert row["value"] == pytest.approx(100_000 * DEATHS_U75 / UNDER_75, rel=1e-9)
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_by_area(values: pd.DataFrame) -> None:
    # L2: seventeen alone is on the register (teen is 16), with nothing else recorded
    row = pick(values, "bp-diabetes-heart-disease", "lsoa", "L2", "2015/16")
    assert (row["numerator"], row["denominator"]) == (0, 1)
    row = pick(values, "bp-diabetes-heart-disease", "lsoa", "L1", "2015/16")
    assert (row["numerator"], row["denominator"]) == (2, REGISTER - 1)
