"""Life expectancy at birth and its slope index of inequality, counted by hand.

In a Chiang II life table a band with no deaths keeps everyone alive through it, so
when every death is at 90 or over, life expectancy at birth is the 90 years of the
closed bands plus the open band's 1 / M, where M = deaths / person-years at 90+; its
standard error is then 1 / (M × √deaths) (src/placehealth/stats/life_expectancy.py).

Ten LSOAs, one in each IMD decile d, hold the same women, but for the deaths at 90+:
2,580 person-years at 90+ and 2,520 / d deaths, so life expectancy is 90 + 1.0238 d.
With equal populations, decile d's relative rank is (d - 0.5) / 10, so life
expectancy is a straight line in the rank with a slope (the slope index of
inequality) of 10.238 years.
Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, lives, pick

DECILES = range(1, 11)
OPEN_YEARS = 2_520  # person-years at 90+ in each decile: 840 women alive on all three 30 Junes
DEATHS = {d: OPEN_YEARS // d for d in DECILES}  # 2,520, 1,260, 840 … 252


def decile_lives(d: int) -> list[Life]:
    lsoa = f"L{d}"
    return [
        # n, key, sex, born, died, cause, LSOA; ages on 30 June 2015, 2016, 2017
        (100, f"baby{d}-", "F", "2015-01", None, None, lsoa),  # 0, 1, 2: band 0 once, 1-4 twice
        (100, f"toddler{d}-", "F", "2013-01", None, None, lsoa),  # 2, 3, 4
        # 6-8 (band 5-9), 11-13 … 86-88 (85-89): 100 women in each band, three times
        *[(100, f"b{d}-{k}-", "F", f"{2014 - 5 * k}-01", None, None, lsoa) for k in range(1, 18)],
        (840, f"old{d}-", "F", "1920-01", None, None, lsoa),  # 95, 96, 97
        # died at 95 before the first 30 June: deaths at 90+ without person-years
        (DEATHS[d], f"died{d}-", "F", "1920-01", "2015-03-01", "I21.9", lsoa),
        # died after the window: person-years, no death counted
        (20, f"later{d}-", "F", "1920-01", "2018-01-01", "I21.9", lsoa),
    ]  # fmt: skip


# person-years per decile: band 0 100; 1-4 200 + 300; 5-9 … 85-89 17 × 300; 90+ 2,520 + 60
PEOPLE = 100 + 500 + 17 * 300 + OPEN_YEARS + 60  # 8,280 (over the 5,000 a value needs)
OPEN = OPEN_YEARS + 60  # the later women add 60 person-years at 90+


def expected(deaths: int, open_years: int) -> tuple[float, float]:
    """Life expectancy at birth and its standard error when all deaths are at 90+."""
    m = deaths / open_years
    return 90 + 1 / m, 1 / (m * np.sqrt(deaths))


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    rows = [life for d in DECILES for life in decile_lives(d)]
    rows.append((10, "man", "M", "1980-01", None, None, "L1"))  # too few men for a table
    geography = pd.DataFrame(
        {
            "lsoa": [f"L{d}" for d in DECILES],
            "neighbourhood": [f"N{d}" for d in DECILES],
            "imd_decile": list(DECILES),
            "place": PLACE,
        }
    )
    tables = {**lives(rows), "geo_lsoa": geography}
    return compute(tmp_path_factory.mktemp("life"), connect, tables, "life expectancy")


def female(values: pd.DataFrame, area_type: str, area: str) -> pd.Series:
    rows = values[values["sex"] == "F"]
    return pick(rows, "life-expectancy-birth", area_type, area, "2015-17")


@pytest.mark.parametrize("decile", DECILES)
def test_life_expectancy_at_birth_by_decile(values: pd.DataFrame, decile: int) -> None:
    # 90 + 2,580 person-years / (2,520 / d) deaths
    row = female(values, "imd_decile", str(decile))
    e0, se = expected(DEATHS[decile], OPEN)
    assert (row["numerator"], row["denominator"]) == (DEATHS[decile], PEOPLE)
    assert row["value"] == pytest.approx(e0, rel=1e-9)
    z = norm.ppf(0.975)
    assert row["lower95_0cl"] == pytest.approx(e0 - z * se, rel=1e-9)
    assert row["upper95_0cl"] == pytest.approx(e0 + z * se, rel=1e-9)


def test_life_expectancy_at_birth_in_the_place(values: pd.DataFrame) -> None:
    # 7,381 deaths in 10 × 2,580 person-years at 90+: 90 + 25,800 / 7,381 = 93.50 years
    row = female(values, "place", PLACE)
    assert sum(DEATHS.values()) == 7_381
    assert (row["numerator"], row["denominator"]) == (7_381, 10 * PEOPLE)
    assert row["value"] == pytest.approx(expected(7_381, 10 * OPEN)[0], rel=1e-9)


def test_too_few_people_have_no_life_expectancy(values: pd.DataFrame) -> None:
    # ten men, all aged 35-37: most bands have no one
    rows = values[(values["sex"] == "M") & (values["area_type"] == "place")]
    assert len(rows) == 1
    assert np.isnan(rows["value"].iloc[0])
    assert rows["value_note"].iloc[0] == "some age bands have a zero or less population"


def test_slope_index_of_inequality_in_life_expectancy(values: pd.DataFrame) -> None:
    # 90 + 1.0238 d = 90.51 + 10.238 × rank: the fitted gap from rank 0 to 1 is 10.238
    rows = values[(values["indicator_id"] == "life-expectancy-sii") & (values["sex"] == "F")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["value"] == pytest.approx(10 * OPEN / OPEN_YEARS, rel=1e-9)
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]
