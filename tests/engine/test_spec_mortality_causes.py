"""Mortality by cause and place of death defined in the catalogue, counted by hand.

Rates: deaths in the calendar years 2015-17 by age at death, over the people alive on
30 June of each year (summed), directly standardised to ESP2013. Place of death:
deaths in the financial year 2015/16. Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth import stats
from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, lives, pick

LIVES: list[Life] = [
    # n, key, sex, born, died, cause, LSOA; everyone is in one five-year band throughout
    (20, "alive", "F", "1955-01", None, None, "L1"),  # 60-62: band 60-64
    (2, "liver", "M", "1955-01", "2016-05-01", "K70.3", "L1"),
    (3, "lung", "M", "1955-01", "2015-08-01", "C34.1", "L1"),
    (1, "stroke", "F", "1955-01", "2017-02-01", "I63.9", "L1"),
    (1, "accident", "M", "1955-01", "2016-02-01", "W10.0", "L1"),
    (1, "copd", "F", "1955-01", "2017-03-01", "J44.1", "L1"),
    (7, "old", "F", "1930-01", None, None, "L2"),  # 85-87: band 85-89
    (2, "bowel", "M", "1930-01", "2016-07-01", "C18.9", "L2"),
    (1, "heart", "F", "1930-01", "2017-01-10", "I21.9", "L2"),
]
PLACES = {"lung1": "hospital", "lung2": "home", "lung3": "care_home", "accident": "hospice"}

# People alive on 30 June 2015, 2016 and 2017, summed, in band 60-64:
# alive 20 × 3, liver 2 × 1, lung 3 × 1, stroke 1 × 2, accident 1 × 1, copd 1 × 2 = 70;
# in band 85-89: old 7 × 3, bowel 2 × 2, heart 1 × 2 = 27.
UNDER_75, ALL_AGES = 70, 97
# Deaths in 2015-17: 8 at 60-64 (liver 2, lung 3, stroke, accident, copd), 3 at 85-89.
POOLED = {
    # indicator: (numerator, denominator)
    "vs-vsb01": (11, ALL_AGES),
    "bp-all-age-cancer-mortality": (5, ALL_AGES),  # lung 3, bowel 2
    "bp-liver-disease-mortality-u75": (2, UNDER_75),
    "bp-lung-cancer-mortality-u75": (3, UNDER_75),
    "stroke-mortality": (1, ALL_AGES),
    "accidental-deaths": (1, ALL_AGES),
}


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = lives(LIVES, others=[("visitor", "2015-10-01", "I21.9")])  # not a resident
    deaths = tables["death"]
    deaths["place_of_death"] = deaths["person_key"].map(PLACES).fillna("hospital")
    return compute(tmp_path_factory.mktemp("mortality"), connect, tables, "defined")


@pytest.mark.parametrize("indicator", POOLED)
def test_pooled_numerator_and_denominator(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == POOLED[indicator]


def test_all_age_mortality_standardised(values: pd.DataFrame) -> None:
    esp = stats.ESP2013
    assert (esp["60-64"], esp["85-89"]) == (6_000, 1_500)
    expected = 8 / 70 * 6_000 + 3 / 27 * 1_500
    row = pick(values, "vs-vsb01", "place", PLACE, "2015-17")
    assert row["value"] == pytest.approx(expected, rel=1e-9)  # 852.4 per 100,000


def test_under_75_rates_have_too_few_deaths_for_a_value(values: pd.DataFrame) -> None:
    row = pick(values, "bp-liver-disease-mortality-u75", "place", PLACE, "2015-17")
    assert pd.isna(row["value"])
    assert row["value_note"] == "too few events for a rate: fewer than 10"


def test_place_of_death(values: pd.DataFrame) -> None:
    # deaths in 2015/16: lung ×3 (August 2015), accident (February 2016); the visitor has no
    # person row. Hospital: lung1; usual residence: lung2 at home, lung3 in a care home.
    hospital = pick(values, "deaths-in-hospital", "place", PLACE, "2015/16")
    assert (hospital["numerator"], hospital["denominator"]) == (1, 4)
    assert hospital["value"] == pytest.approx(25.0)
    home = pick(values, "deaths-usual-residence", "place", PLACE, "2015/16")
    assert (home["numerator"], home["denominator"]) == (2, 4)
    assert home["value"] == pytest.approx(50.0)
    count = pick(values, "deaths-in-hospital-count", "place", PLACE, "2015/16")
    assert count["numerator"] == count["value"] == 1
