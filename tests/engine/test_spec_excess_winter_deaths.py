"""Excess winter deaths index (ONS method), counted by hand.

The pooled window of calendar years 2015–2017 holds the three winter years from
August 2014 to July 2017 (winters December–March ending in 2015, 2016 and 2017).
Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators.winter import INDICATOR
from tests.engine.spec import PLACE, Life, compute, lives, pick

PERIOD = "2014-08..2017-07"
WINTER = [  # L1: 9 deaths from December to March
    "2014-12-01",  # the first winter's first day
    "2015-01-15",
    "2015-03-31",  # its last day
    "2015-12-25",
    "2016-01-10",
    "2016-02-29",
    "2016-12-31",
    "2017-01-15",
    "2017-03-31",  # the last winter's last day
]
NON_WINTER = [  # L1: 6 deaths in August–November and April–July
    "2014-08-01",  # the window's first day
    "2014-11-30",  # the day before winter
    "2015-04-01",  # the day after winter
    "2016-07-31",
    "2016-09-15",
    "2017-07-31",  # the window's last day
]
OUTSIDE = ["2014-07-31", "2017-08-01"]  # the days before and after the window
LIVES: list[Life] = [
    *((1, f"w{i}", "F", "1930-01", d, "J18.9", "L1") for i, d in enumerate(WINTER)),
    *((1, f"n{i}", "F", "1930-01", d, "I21.9", "L1") for i, d in enumerate(NON_WINTER)),
    *((1, f"o{i}", "F", "1930-01", d, "I21.9", "L1") for i, d in enumerate(OUTSIDE)),
    (1, "w-l2", "M", "1930-01", "2016-02-01", "J18.9", "L2"),  # L2: 1 winter death
    (1, "n-l2", "M", "1930-01", "2016-06-01", "J18.9", "L2"),  # and 1 other
]
NOT_RESIDENT = [("x", "2016-01-05", "J18.9")]  # registered here, living elsewhere


def expected(winter: int, others: int) -> float:
    """ONS: (winter − average of the two four-month spells) / that average × 100."""
    average = others / 2
    return 100 * (winter - average) / average


def wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    return ((2 * x + z**2 - root) / 2 / (n + z**2), (2 * x + z**2 + root) / 2 / (n + z**2))


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = lives(LIVES, NOT_RESIDENT)
    folder = tmp_path_factory.mktemp("winter")
    return compute(folder, connect, tables, "excess winter deaths", year=2015)


def test_index_in_an_lsoa(values: pd.DataFrame) -> None:
    row = pick(values, INDICATOR, "lsoa", "L1", PERIOD)
    assert (row["numerator"], row["denominator"]) == (9, 6)
    assert row["value"] == pytest.approx(expected(9, 6), rel=1e-9)  # 200
    assert row["value"] == pytest.approx(200, rel=1e-9)


def test_index_in_the_place_with_limits(values: pd.DataFrame) -> None:
    row = pick(values, INDICATOR, "place", PLACE, PERIOD)
    assert (row["numerator"], row["denominator"]) == (10, 7)
    assert row["value"] == pytest.approx(expected(10, 7), rel=1e-9)
    # the winter share 10 of 17 (Wilson), carried to the index: 100 × (2p / (1 − p) − 1)
    low, high = wilson(10, 17)
    assert row["lower95_0cl"] == pytest.approx(100 * (2 * low / (1 - low) - 1), rel=1e-9)
    assert row["upper95_0cl"] == pytest.approx(100 * (2 * high / (1 - high) - 1), rel=1e-9)
    assert row["lower99_8cl"] < row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_only_the_one_window(values: pd.DataFrame) -> None:
    assert set(values["period"]) == {PERIOD}
    l2 = pick(values, INDICATOR, "lsoa", "L2", PERIOD)
    assert (l2["numerator"], l2["denominator"], l2["value"]) == (1, 1, pytest.approx(100))
