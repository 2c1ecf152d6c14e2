"""Indicator pipelines on a population small enough to count by hand (tests/engine/tiny.py).

Every expected number below is counted from the tables in tiny.py; each test runs on
DuckDB and on Spark.
"""

from __future__ import annotations

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, compute_all
from tests.engine.spec import pick


@pytest.fixture(scope="module")
def values(engine: Backend) -> pd.DataFrame:
    ctx = Context(engine, years=[2015, 2016], pooled=[(2015, 2017)], place="Tinytown")
    return compute_all(ctx)


def test_ae_attendances_per_thousand(values: pd.DataFrame) -> None:
    # 2015/16: p1 (May), p2 (Sep, Feb) = 3; alive on 30 Sep 2015: p1–p6 = 6
    row = pick(values, "ae-attendances", "place", "Tinytown", "2015/16")
    assert (row["numerator"], row["denominator"]) == (3, 6)
    assert row["value"] == pytest.approx(500.0)


def test_emergency_admissions_and_the_composite(values: pd.DataFrame) -> None:
    # p1 J44.1 and N39.0, p3 I50.0 in 2015/16 (all in the composite); p6 S72.0 in 2016/17
    assert pick(values, "emergency-admissions", "place", "Tinytown", "2015/16")["numerator"] == 3
    assert pick(values, "emergency-admissions", "place", "Tinytown", "2016/17")["numerator"] == 1
    composite = "emergency-admissions-composite"
    assert pick(values, composite, "place", "Tinytown", "2015/16")["numerator"] == 3
    assert pick(values, composite, "place", "Tinytown", "2016/17")["numerator"] == 0
    # by area: both of p1's admissions are in L1 / practice P1 / neighbourhood N1 / decile 1
    assert pick(values, composite, "lsoa", "L1", "2015/16")["numerator"] == 2
    assert pick(values, composite, "neighbourhood", "N1", "2015/16")["numerator"] == 3
    assert pick(values, composite, "pcn", "C1", "2015/16")["numerator"] == 3
    assert pick(values, composite, "imd_decile", "1", "2015/16")["numerator"] == 3
    # the denominator is the real people counted (p1, p2, p3, p4 in N1 on 30 Sep 2015)
    assert pick(values, composite, "neighbourhood", "N1", "2015/16")["denominator"] == 4


def test_premature_cancer_mortality(values: pd.DataFrame) -> None:
    # p3 died of C34.1 in 2016 aged 70: the one cancer death under 75 in 2015-17
    row = pick(values, "premature-mortality-cancer", "place", "Tinytown", "2015-17")
    assert row["numerator"] == 1


def test_infant_deaths_and_mortality(values: pd.DataFrame) -> None:
    # p4, born July 2015, died December 2015: one infant death, one birth in 2015-17
    assert pick(values, "infant-deaths", "place", "Tinytown", "2015")["value"] == 1
    row = pick(values, "infant-mortality", "place", "Tinytown", "2015-17")
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 1, 1000)


def test_care_home_admissions_of_over_65s(values: pd.DataFrame) -> None:
    # p3 into nursing care in January 2016; 65+ on 30 Sep 2015: p1 (65), p3 (70), p6 (85)
    row = pick(values, "care-home-admissions-65", "place", "Tinytown", "2015/16")
    assert (row["numerator"], row["denominator"]) == (1, 3)
    assert row["value"] == pytest.approx(100_000 / 3)


def test_reablement_at_home_at_91_days(values: pd.DataFrame) -> None:
    # ASCOF 2B(i) counts October–December discharges (tests/engine/test_reablement.py):
    # p1's May discharge is not one; p3, discharged in December, is in a nursing home
    # (and dead) 91 days later
    row = pick(values, "reablement-91-days", "place", "Tinytown", "2015/16")
    assert (row["numerator"], row["denominator"], row["value"]) == (0, 1, 0)


def test_long_term_condition_prevalence(values: pd.DataFrame) -> None:
    # recorded by 30 Sep 2015 among the 6 people alive: p1 (COPD), p3 (COPD, dementia)
    row = pick(values, "ltc-prevalence", "place", "Tinytown", "2015/16")
    assert (row["numerator"], row["denominator"]) == (2, 6)


def test_values_are_in_the_long_format(values: pd.DataFrame) -> None:
    assert list(values.columns[:4]) == ["indicator_id", "area_type", "area_code", "period"]
    assert set(values["area_type"]) == {
        "place", "neighbourhood", "pcn", "practice", "lsoa", "imd_decile"
    }  # fmt: skip
