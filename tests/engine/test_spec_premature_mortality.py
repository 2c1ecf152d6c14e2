"""Premature mortality (all causes, circulatory, respiratory, cancer), counted by hand.

Deaths under 75 in the pooled calendar years 2015-17, by underlying cause, directly
standardised to the ESP2013 bands under 75 (docs/indicators.md). The people below
are counted by hand; each test runs on DuckDB and on Spark.

Age is whole years from the birth month (kept as its first day) to the date:
someone born in July 1941 is 74 until the end of June 2016 and 75 from 1 July 2016.
The population is the people alive on 30 June of each of 2015, 2016 and 2017.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators.context import TOO_FEW_EVENTS
from tests.engine.spec import PLACE, Life, compute, lives, pick

LIVES: list[Life] = [
    # n, key, sex, born, died, underlying cause, LSOA
    (20, "alive", "F", "1943-01", None, None, "L1"),  # 72, 73, 74 on the three 30 Junes
    (10, "heart", "M", "1943-01", "2016-03-01", "I21.9", "L1"),  # died at 73
    (9, "chest", "F", "1943-01", "2016-03-01", "J18.1", "L1"),  # died at 73
    (1, "lung", "M", "1943-01", "2016-03-01", "C34.1", "L1"),  # neither circulatory nor respiratory
    (1, "unclear", "F", "1943-01", "2016-03-01", "R99", "L1"),  # ill-defined: all causes only
    (1, "aged74", "M", "1941-07", "2016-06-15", "J44.0", "L1"),  # 74 on the day: counted
    (1, "aged75", "F", "1941-07", "2016-07-20", "I21.9", "L1"),  # 75 on the day: not counted
    (1, "lastday", "M", "1943-01", "2017-12-31", "I64", "L1"),  # last day of 2015-17: counted
    (1, "nextyear", "F", "1943-01", "2018-01-01", "I21.9", "L1"),  # after the window
    (1, "before", "M", "1943-01", "2014-12-31", "I21.9", "L1"),  # before the window
    (1, "older", "F", "1935-01", "2016-05-01", "J44.0", "L1"),  # died at 81
    (1, "young", "M", "2000-01", None, None, "L2"),  # 15, 16, 17: band 15-19, in N2
]  # fmt: skip
# a death registered in the place of someone who does not live there (no person row)
VISITOR = ("visitor", "2016-05-01", "I21.9")

# Population under 75 on the three 30 Junes, all in band 70-74 but the young man:
#   alive 20 × 3 = 60; heart 10, chest 9, lung 1, unclear 1, aged74 1 (2015 only);
#   aged75 2 (2015, 2016: 74 on 30 June 2016); lastday 3; nextyear 3; before 0;
#   older is 80 on 30 June 2015 (band 80-84, over 75) → 70-74: 90 person-years.
#   young: 3 person-years in band 15-19.
BAND_70_74, BAND_15_19 = 90, 3
# ESP2013 weights: 5,000 for 70-74, and 91,000 for every band under 75 together
WEIGHT_70_74, WEIGHT_UNDER_75 = 5_000, 91_000


def dsr_70_74(deaths: int) -> float:
    """The DSR when every death and all but the young man's population are in 70-74."""
    return deaths / BAND_70_74 * WEIGHT_70_74 / WEIGHT_UNDER_75 * 100_000


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = lives(LIVES, others=[VISITOR])
    return compute(tmp_path_factory.mktemp("deaths"), connect, tables, "premature mortality")


def test_premature_mortality_all_causes(values: pd.DataFrame) -> None:
    # heart 10 + chest 9 + lung 1 + unclear 1 + aged74 1 + lastday 1 = 23; not aged75,
    # nextyear, before, older or the visitor
    row = pick(values, "premature-mortality-all", "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == (23, BAND_70_74 + BAND_15_19)
    assert row["value"] == pytest.approx(dsr_70_74(23), rel=1e-9)  # 1,404.15…
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_premature_circulatory_mortality(values: pd.DataFrame) -> None:
    # ICD-10 chapter IX (I): heart 10 + lastday (I64) 1 = 11; aged75, nextyear, before and
    # the visitor died of I21.9 too, but at 75, outside 2015-17 or outside the place
    row = pick(values, "premature-mortality-circulatory", "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == (11, 93)
    assert row["value"] == pytest.approx(dsr_70_74(11), rel=1e-9)


def test_premature_respiratory_mortality(values: pd.DataFrame) -> None:
    # ICD-10 chapter X (J): chest 9 + aged74 (J44.0 at 74) 1 = 10, just enough for a
    # rate; older's J44.0 was at 81
    row = pick(values, "premature-mortality-respiratory", "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == (10, 93)
    assert row["value"] == pytest.approx(dsr_70_74(10), rel=1e-9)


def test_premature_cancer_mortality_below_ten_deaths_has_no_rate(values: pd.DataFrame) -> None:
    # lung (C34.1) alone: one death is too few for a DSR; R99 is not a cancer
    row = pick(values, "premature-mortality-cancer", "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == (1, 93)
    assert np.isnan(row["value"])
    assert row["value_note"] == f"{TOO_FEW_EVENTS}10"


def test_premature_mortality_by_area(values: pd.DataFrame) -> None:
    # L1 (neighbourhood N1, decile 1) holds every death; N2 only the young man
    n1 = pick(values, "premature-mortality-all", "neighbourhood", "N1", "2015-17")
    assert (n1["numerator"], n1["denominator"]) == (23, BAND_70_74)
    assert n1["value"] == pytest.approx(dsr_70_74(23), rel=1e-9)
    n2 = pick(values, "premature-mortality-all", "imd_decile", "10", "2015-17")
    assert (n2["numerator"], n2["denominator"]) == (0, BAND_15_19)
    assert np.isnan(n2["value"])
