"""Emergency admissions of care-home residents, of people with a long-term condition and
in the last year of life, and of hip and vertebral fractures, counted by hand.

Counts for financial year 2015/16 (1 April 2015 to 31 March 2016); the comments give
each person's records. Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, compute_all
from placehealth.engine.indicators.cohort_admissions import (
    CARE_HOME_RESIDENTS,
    END_OF_LIFE,
    LONG_TERM_CONDITION,
)
from tests.engine.spec import PLACE, Life, day, lives, pick, spells, write_tables

E, P = "emergency", "elective"
HIP_AND_SPINE = "bp-hip-fracture-admissions"
LIVES: list[Life] = [
    (1, "c1", "F", "1940-01", None, None, "L1"),
    (1, "c2", "F", "1940-01", None, None, "L1"),
    (1, "c3", "F", "1940-01", None, None, "L1"),
    (1, "c4", "F", "1940-01", None, None, "L1"),
    (1, "c5", "F", "1940-01", None, None, "L2"),
    (1, "c6", "M", "1950-01", None, None, "L2"),
    (1, "c7", "M", "1950-01", None, None, "L2"),
    (1, "c8", "M", "1950-01", None, None, "L2"),
    (1, "e1", "F", "1930-01", "2016-01-31", "C34.9", "L1"),
    (1, "e2", "F", "1930-01", "2016-04-01", "C34.9", "L1"),
    (1, "e3", "F", "1930-01", None, None, "L1"),
    (1, "e4", "F", "1930-01", "2015-04-01", "C34.9", "L1"),
    (1, "h1", "F", "1930-01", None, None, "L1"),
    (1, "h2", "F", "1985-01", None, None, "L2"),  # 30: any age counts
]
SOCIAL_CARE = pd.DataFrame(
    [
        (key, day(start), day(end), service)
        for key, start, end, service in [
            ("c1", "2015-05-01", "2015-06-30", "residential"),
            ("c2", "2015-07-01", None, "nursing"),  # still open
            ("c3", "2015-01-01", None, "home_care"),  # not a care home
            ("c4", "2015-08-01", "2015-08-31", "residential"),
            ("c5", "2015-01-01", "2015-12-31", "residential"),  # two episodes at once
            ("c5", "2015-06-01", None, "nursing"),
        ]
    ],
    columns=["person_key", "start_date", "end_date", "service"],
)
CONDITIONS = [
    ("c6", "copd", "2015-06-01"),
    ("c7", "palliative_care", "2010-01-01"),  # a register, not a long-term condition
    ("c8", "asthma", "2010-01-01"),  # two conditions: the spell counts once
    ("c8", "diabetes", "2010-01-01"),
]
SPELLS = spells(
    [
        # care homes: c1 on the episode's first and last days, not the day after;
        # c2 on the first day of an open episode; c5 in two episodes that day: 4 spells
        ("c1", "2015-05-01", "2015-05-03", E, "J18.9"),
        ("c1", "2015-06-30", "2015-07-02", E, "J18.9"),
        ("c1", "2015-07-01", "2015-07-02", E, "J18.9"),  # the day after
        ("c2", "2015-07-01", "2015-07-02", E, "N39.0"),
        ("c2", "2015-08-01", "2015-08-02", P, "H25.9"),  # planned
        ("c2", "2016-04-01", "2016-04-02", E, "N39.0"),  # 2016/17
        ("c3", "2015-09-01", "2015-09-02", E, "N39.0"),  # home care
        ("c4", "2015-07-31", "2015-08-02", E, "N39.0"),  # the day before
        ("c5", "2015-07-01", "2015-07-02", E, "R55"),
        # long-term conditions: c6 on the day recorded, not the day before; c8: 2 spells
        ("c6", "2015-06-01", "2015-06-02", E, "J44.1"),
        ("c6", "2015-05-31", "2015-06-01", E, "J44.1"),  # before it was recorded
        ("c7", "2015-07-01", "2015-07-02", E, "R55"),  # palliative care register only
        ("c8", "2015-08-01", "2015-08-02", E, "J45.9"),
        # last year of life, by the year of death: e1 364 days before (in 2014/15) and on
        # the day of death, not 365 days before; e4 the day before a death on 1 April: 3
        ("e1", "2015-02-01", "2015-02-03", E, "C34.9"),
        ("e1", "2015-01-31", "2015-02-01", E, "C34.9"),  # 365 days before
        ("e1", "2015-12-01", "2015-12-02", P, "C34.9"),  # planned
        ("e1", "2016-01-31", None, E, "C34.9"),  # died in hospital that day
        ("e2", "2016-03-01", "2016-03-05", E, "C34.9"),  # death in 2016/17
        ("e3", "2015-10-01", "2015-10-02", E, "C34.9"),  # alive
        ("e4", "2015-03-31", None, E, "C34.9"),
        # hip and vertebral fractures, at any age: S72.0, S22.0, S32.0, S72.2 on the
        # year's last day: 4; not the shaft (S72.3), the sacrum (S32.1), a planned
        # S22.0 or S72.1 in 2016/17
        ("h1", "2015-05-01", "2015-05-09", E, "S72.0"),
        ("h2", "2015-05-01", "2015-05-09", E, "S22.0"),
        ("h2", "2015-06-01", "2015-06-09", E, "S32.0"),
        ("h1", "2016-03-31", "2016-04-09", E, "S72.2"),
        ("h1", "2015-07-01", "2015-07-09", E, "S72.3"),
        ("h2", "2015-07-01", "2015-07-09", E, "S32.1"),
        ("h2", "2015-08-01", "2015-08-09", P, "S22.0"),
        ("h1", "2016-04-01", "2016-04-09", E, "S72.1"),
    ]
)
EXPECTED = {CARE_HOME_RESIDENTS: 4, LONG_TERM_CONDITION: 2, END_OF_LIFE: 3, HIP_AND_SPINE: 4}


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    condition = pd.DataFrame(
        [(key, group, day(date)) for key, group, date in CONDITIONS],
        columns=["person_key", "condition", "recorded_date"],
    )
    tables = {**lives(LIVES), "condition": condition, "apc_spell": SPELLS,
              "social_care": SOCIAL_CARE}  # fmt: skip
    path = write_tables(tmp_path_factory.mktemp("groups") / "warehouse.duckdb", tables)
    ctx = Context(connect(path), years=[2015], pooled=[(2015, 2017)], place=PLACE)
    return compute_all(ctx, only=["emergency admissions of groups", "defined"])


@pytest.mark.parametrize("indicator", EXPECTED)
def test_count(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015/16")
    assert row["value"] == row["numerator"] == EXPECTED[indicator]
    assert row["method"] == "count"


def test_by_area(values: pd.DataFrame) -> None:
    counts = {
        indicator: tuple(pick(values, indicator, "lsoa", lsoa, "2015/16")["value"]
                         for lsoa in ("L1", "L2"))
        for indicator in EXPECTED
    }  # fmt: skip
    assert counts == {
        CARE_HOME_RESIDENTS: (3, 1),  # c1 twice, c2 | c5
        LONG_TERM_CONDITION: (0, 2),  # c6, c8 live in L2: L1 has a zero
        END_OF_LIFE: (3, 0),
        HIP_AND_SPINE: (2, 2),
    }
