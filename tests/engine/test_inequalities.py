"""Inequalities from the engine, counted by hand, on DuckDB and on Spark.

The ten-decile warehouse of tests/engine/test_spec_life_expectancy.py (every death at
90+, so life expectancy at birth is 90 + person-years at 90+ / deaths) with one more
thing: the 840 women aged 95-97 in each decile have a long-term condition recorded in
2010, so on each of the three 30 Junes 840 of the 860 people at 90+ have one.
Condition-free life expectancy (Sullivan) is then 90 + (60 / 2,580) × 2,580 / deaths
= 90 + 60 / deaths: the 20 women who die later are the only years free of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth import stats
from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context
from placehealth.engine.inequalities import (
    CONDITION_FREE,
    GAP,
    LIFE_EXPECTANCY,
    RII,
    SERIES,
    SII,
    by_deprivation,
    comparator_gaps,
    england,
    inequality_indices,
)
from tests.engine.spec import PLACE, lives, write_tables
from tests.engine.test_spec_life_expectancy import (
    DEATHS,
    DECILES,
    OPEN,
    OPEN_YEARS,
    PEOPLE,
    decile_lives,
    expected,
)

PERIOD = "2015-17"


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    rows = [life for d in DECILES for life in decile_lives(d)]
    tables = lives(rows)
    old = tables["person"][tables["person"]["person_key"].str.startswith("old")]
    tables["condition"] = pd.DataFrame({"person_key": old["person_key"], "code_system": "icd10",
                                        "code": "J44.9", "condition": "copd",
                                        "recorded_date": dt.date(2010, 5, 1)})  # fmt: skip
    tables["geo_lsoa"] = pd.DataFrame({"lsoa": [f"L{d}" for d in DECILES],
                                       "neighbourhood": "N1", "imd_decile": list(DECILES),
                                       "place": PLACE})  # fmt: skip
    folder = tmp_path_factory.mktemp("inequalities")
    backend = connect(write_tables(folder / "warehouse.duckdb", tables))
    return by_deprivation(Context(backend, years=[2015], pooled=[(2015, 2017)], place=PLACE))


def one(values: pd.DataFrame, indicator: str, area_type: str, code: str) -> pd.Series:
    rows = values[(values["indicator_id"] == indicator) & (values["area_type"] == area_type)
                  & (values["area_code"] == code) & (values["period"] == PERIOD)]  # fmt: skip
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("decile", DECILES)
def test_life_expectancy_and_condition_free_by_decile(values: pd.DataFrame, decile: int) -> None:
    le = one(values, LIFE_EXPECTANCY, "imd_decile", str(decile))
    assert (le["numerator"], le["denominator"]) == (DEATHS[decile], PEOPLE)
    assert le["value"] == pytest.approx(expected(DEATHS[decile], OPEN)[0], rel=1e-9)
    free = one(values, CONDITION_FREE, "imd_decile", str(decile))
    # prevalent: 840 women on each of three 30 Junes
    assert (free["numerator"], free["denominator"]) == (3 * 840, PEOPLE)
    assert free["value"] == pytest.approx(90 + 60 / DEATHS[decile], rel=1e-9)
    assert free["lower95_0cl"] < free["value"] < free["upper95_0cl"]


@pytest.mark.parametrize("quintile", range(1, 6))
def test_a_quintile_is_its_two_deciles_together(values: pd.DataFrame, quintile: int) -> None:
    died = DEATHS[2 * quintile - 1] + DEATHS[2 * quintile]
    le = one(values, LIFE_EXPECTANCY, "imd_quintile", str(quintile))
    assert (le["numerator"], le["denominator"]) == (died, 2 * PEOPLE)
    assert le["value"] == pytest.approx(expected(died, 2 * OPEN)[0], rel=1e-9)
    free = one(values, CONDITION_FREE, "imd_quintile", str(quintile))
    assert free["value"] == pytest.approx(90 + 120 / died, rel=1e-9)


def test_the_place_is_every_decile_together(values: pd.DataFrame) -> None:
    le = one(values, LIFE_EXPECTANCY, "place", PLACE)
    assert (le["numerator"], le["denominator"]) == (7_381, 10 * PEOPLE)


def test_slope_indices_by_hand_and_as_stats_gives_them(values: pd.DataFrame) -> None:
    got = inequality_indices(values, repetitions=2_000, seed=7)
    le_sii = got[(got["indicator_id"] == LIFE_EXPECTANCY) & (got["measure"] == SII)].iloc[0]
    # life expectancy 90 + 2,580 d / 2,520: a line in rank (d - 0.5) / 10 of slope 10.238
    assert le_sii["value"] == pytest.approx(10 * OPEN / OPEN_YEARS, rel=1e-9)
    free_sii = got[(got["indicator_id"] == CONDITION_FREE) & (got["measure"] == SII)].iloc[0]
    assert free_sii["value"] == pytest.approx(10 * 60 / OPEN_YEARS, rel=1e-9)  # 90 + 60 d / 2,520
    # the same aggregates through stats.sii directly: the same numbers, limits included
    deciles = values[values["area_type"] == "imd_decile"].assign(
        decile=lambda f: f["area_code"].astype(int))  # fmt: skip
    direct = stats.sii(deciles, "decile", "denominator", SERIES, value="value",
                       lower_cl="lower95_0cl", upper_cl="upper95_0cl", repetitions=2_000,
                       confidence=(0.95, 0.998), seed=7)  # fmt: skip
    mine = got.sort_values([*SERIES, "measure"], ascending=[True] * 4 + [False])
    for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]:
        np.testing.assert_allclose(mine[column].to_numpy(float), direct[column].to_numpy(float))
    assert set(got["measure"]) == {SII, RII}


def test_a_decile_without_a_value_leaves_its_series_out(values: pd.DataFrame) -> None:
    blanked = values.copy()
    gone = (blanked["indicator_id"] == CONDITION_FREE) & (blanked["area_code"] == "4")
    blanked.loc[gone & (blanked["area_type"] == "imd_decile"), "value"] = np.nan
    got = inequality_indices(blanked, repetitions=500)
    assert set(got["indicator_id"]) == {LIFE_EXPECTANCY}


def test_gap_to_england_is_englands_value_less_the_place(values: pd.DataFrame) -> None:
    place = values[values["area_type"] == "place"]
    comparator = pd.DataFrame({"indicator_id": [LIFE_EXPECTANCY], "period": [PERIOD],
                               "sex": ["F"], "age_band": ["0"], "value": [95.0]})  # fmt: skip
    gaps = comparator_gaps(place, comparator)
    assert len(gaps) == 1
    le = one(values, LIFE_EXPECTANCY, "place", PLACE)["value"]
    assert gaps["value"].iloc[0] == pytest.approx(95.0 - le, rel=1e-12)
    assert gaps["measure"].iloc[0] == GAP + ": value"
    assert gaps["comparator"].iloc[0] == "England"


def test_the_sii_gap_uses_englands_published_sii() -> None:
    shipped = england()
    assert set(shipped["source"].str[:3]) == {"ONS"}
    place = pd.DataFrame({"indicator_id": [LIFE_EXPECTANCY], "measure": [SII], "period": [PERIOD],
                          "sex": ["F"], "age_band": ["0"], "value": [10.0]})  # fmt: skip
    gaps = comparator_gaps(place, shipped)
    # ONS: England's SII in female life expectancy at birth, 2015 to 2017, 7.4 years
    assert gaps["comparator_value"].iloc[0] == 7.4
    assert gaps["value"].iloc[0] == pytest.approx(7.4 - 10.0)


def deciles_of(
    indicator: str, method: str, numerators: list[int], multiplier: float
) -> pd.DataFrame:
    n = np.full(10, 1000.0)
    x = np.array(numerators, dtype=float)
    if method == "Wilson":
        lower, upper = stats.wilson(x, n, 0.95)
    else:
        lower, upper = stats.byars_lower(x, 0.95) / n, stats.byars_upper(x, 0.95) / n
    return pd.DataFrame({"indicator_id": indicator, "area_type": "imd_decile",
                         "area_code": [str(d) for d in DECILES], "period": "2018/19",
                         "sex": "persons", "age_band": "all ages", "numerator": x,
                         "denominator": n, "value": x / n * multiplier,
                         "lower95_0cl": lower * multiplier, "upper95_0cl": upper * multiplier,
                         "method": method})  # fmt: skip


def test_proportions_and_rates_use_their_own_scales() -> None:
    counts = [300, 280, 260, 240, 220, 200, 180, 160, 140, 120]
    frame = pd.concat([deciles_of("a-proportion", "Wilson", counts, 100),
                       deciles_of("a-rate", "Byars", counts, 100_000)])  # fmt: skip
    got = inequality_indices(frame, repetitions=1_000, seed=3).set_index(
        ["indicator_id", "measure"]
    )
    # proportions of 1 through stats.sii from the counts (logit draws), back in percent
    prop = frame[frame["indicator_id"] == "a-proportion"]
    prop = prop.assign(decile=prop["area_code"].astype(int), lower=prop["lower95_0cl"] / 100,
                       upper=prop["upper95_0cl"] / 100)  # fmt: skip
    # grouped as the engine groups: each series draws from its own stream of the seed
    direct = stats.sii(prop, "decile", "denominator", SERIES, count="numerator",
                       value_type="proportion",
                       lower_cl="lower", upper_cl="upper", repetitions=1_000, seed=3,
                       confidence=(0.95, 0.998))  # fmt: skip
    # equal populations, straight-line fall of 2 points a decile: the fitted gap is -20 points
    assert got.loc[("a-proportion", SII), "value"] == pytest.approx(-20.0, rel=1e-9)
    mine = got.loc[("a-proportion", SII)]
    for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]:
        assert mine[column] == pytest.approx(direct[column].iloc[0] * 100, rel=1e-12)
    assert got.loc[("a-rate", SII), "value"] == pytest.approx(-20_000.0, rel=1e-9)
    assert "rate scale" in got.loc[("a-rate", SII), "method"]
    assert "proportion scale" in got.loc[("a-proportion", SII), "method"]
    # RII: the line's ends, (b0 + b1) / b0: decile 1 (rank 0.05) at 30% puts rank 0 at 31%
    # and rank 1 at 11%, so 11 / 31
    assert got.loc[("a-proportion", RII), "value"] == pytest.approx(11 / 31, rel=1e-9)
