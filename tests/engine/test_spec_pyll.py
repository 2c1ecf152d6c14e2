"""Potential years of life lost before 75 from amenable causes, counted by hand.

Deaths under 75 in the pooled calendar years 2015-17 from causes on the amenable list
(``icd10-amenable``); each loses 75 minus its band's midpoint (a death at 40-44 loses
32.5 years), and the rate is standardised to the ESP2013 bands under 75
(src/placehealth/stats/pyll.py). An area gets a value only when every ESP2013 band,
0-4 to 90+, has people. Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, lives, pick

# one woman in each band, born in January: 1, 2, 3 on the three 30 Junes (band 0-4),
# 6, 7, 8 (5-9) … 91, 92, 93 (90+): three person-years in every band
EVERY_BAND: list[Life] = [
    (1, f"band{k}", "F", f"{2014 - 5 * k}-01", None, None, "L1") for k in range(19)
]
LIVES: list[Life] = [
    *EVERY_BAND,
    # n, key, sex, born, died, underlying cause, LSOA
    (1, "infant", "M", "2016-01", "2016-03-01", "P07.3", "L1"),  # amenable (P), 0-4: 72.5 years
    (1, "breast", "F", "1974-01", "2016-03-01", "C50.9", "L1"),  # amenable, 42: 32.5 years
    (1, "lung", "M", "1974-01", "2016-03-01", "C34.1", "L1"),  # not on the amenable list
    (1, "lastday", "F", "1974-01", "2017-12-31", "E10.9", "L1"),  # amenable, 43: 32.5 years
    (1, "nextyear", "M", "1974-01", "2018-01-01", "E10.9", "L1"),  # after the window
    (1, "heart", "M", "1943-01", "2016-03-01", "I21.9", "L1"),  # amenable, 73: 2.5 years
    (1, "aged74", "F", "1941-07", "2016-06-15", "I21.9", "L1"),  # 74 on the day: 2.5 years
    (1, "aged75", "M", "1941-07", "2016-07-20", "I21.9", "L1"),  # 75 on the day: none
    (1, "elsewhere", "F", "1980-01", None, None, "L2"),  # 35-37, the only person in N2
]  # fmt: skip
VISITOR = ("visitor", "2016-05-01", "J45.9")  # amenable, but no person row: not a resident

# Person-years on the three 30 Junes in the bands with deaths:
#   0-4: band0 3 (the infant was born after 30 June 2015 and died before 30 June 2016)
#   40-44: band8 3 + breast 1 + lung 1 + lastday 3 + nextyear 3 = 11
#   70-74: band14 3 + heart 1 + aged74 1 + aged75 2 (73 and 74) = 7
# Years lost: 0-4: 72.5; 40-44: 2 × 32.5 = 65; 70-74: 2 × 2.5 = 5.
# Under 75: 15 bands × 3 + 8 extra at 40-44 + 4 extra at 70-74 + elsewhere 3 = 60.
# ESP2013 weights: 0-4 5,000; 40-44 7,000; 70-74 5,000; every band under 75 91,000.
YEARS_LOST = 72.5 + 65 + 5
PYLL = (5_000 * 72.5 / 3 + 7_000 * 65 / 11 + 5_000 * 5 / 7) / 91_000 * 100_000  # 182,163.1…


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = lives(LIVES, others=[VISITOR])
    return compute(tmp_path_factory.mktemp("pyll"), connect, tables, "years of life lost")


def test_amenable_years_of_life_lost(values: pd.DataFrame) -> None:
    row = pick(values, "pyll-amenable", "place", PLACE, "2015-17")
    assert (row["numerator"], row["denominator"]) == (YEARS_LOST, 60)
    assert row["value"] == pytest.approx(PYLL, rel=1e-9)
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]


def test_an_area_without_people_in_every_band_has_no_value(values: pd.DataFrame) -> None:
    # N1 holds every band and every death; N2 only the woman aged 35-37
    n1 = pick(values, "pyll-amenable", "neighbourhood", "N1", "2015-17")
    assert (n1["numerator"], n1["denominator"]) == (YEARS_LOST, 57)
    assert n1["value"] == pytest.approx(PYLL, rel=1e-9)  # the same rates in the bands with deaths
    assert (values["area_code"] == "N2").sum() == 0
