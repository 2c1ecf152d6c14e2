"""Serious diabetic emergencies (the plan's counts of ketoacidosis and hypoglycaemia
admissions), counted by hand.

Emergency spells admitted in the financial year 2015/16 whose primary diagnosis is on
``icd10-ketoacidosis`` or ``icd10-hypoglycaemia``. Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, Spell, compute, lives, pick, spells

LIVES: list[Life] = [(6, "d", "F", "1970-01", None, None, "L1")]
E = "emergency"
SPELLS: list[Spell] = [
    ("d1", "2015-05-01", "2015-05-03", E, "E10.1"),  # ketoacidosis
    ("d2", "2015-06-01", "2015-06-03", E, "e11.1"),  # ketoacidosis, in lower case
    ("d3", "2016-03-31", "2016-04-02", E, "E14.1"),  # ketoacidosis on the last day
    ("d3", "2016-04-01", "2016-04-02", E, "E10.1"),  # 2016/17
    ("d4", "2015-07-01", "2015-07-01", E, "E16.0"),  # hypoglycaemia
    ("d5", "2015-08-01", "2015-08-02", E, "E10.0"),  # diabetic coma
    ("d5", "2015-09-01", "2015-09-02", "elective", "E16.1"),  # not an emergency
    ("d6", "2015-10-01", "2015-10-02", E, "E11.9"),  # diabetes without complication
    ("stranger", "2015-10-01", "2015-10-02", E, "E10.1"),  # no person row
]
EXPECTED = {"bp-ketoacidosis": 3, "bp-severe-hypoglycaemia": 2}


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = {**lives(LIVES), "apc_spell": spells(SPELLS)}
    return compute(tmp_path_factory.mktemp("diabetic"), connect, tables, "defined")


@pytest.mark.parametrize("indicator", EXPECTED)
def test_emergencies_counted(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015/16")
    assert row["numerator"] == row["value"] == EXPECTED[indicator]
