"""Hospital activity defined in the catalogue (catalogue/records.yaml), counted by hand.

Spells admitted in the financial year 2015/16 (1 April 2015 to 31 March 2016), by age
at admission, over the people alive on 30 September 2015: avoidable admissions by their
code lists, children's admissions, admissions of older people, elective admissions,
bed-days, lengths of stay and long stays, and the plans' counts. Each test runs on
DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth import stats
from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, Spell, compute, lives, pick, spells

LIVES: list[Life] = [
    # n, key, sex, born, died, cause, LSOA; age on 30 September 2015 in the comment
    (4, "kid", "F", "2010-01", None, None, "L1"),  # 5
    (2, "tot", "M", "2012-01", None, None, "L1"),  # 3
    (3, "teen", "F", "2000-01", None, None, "L1"),  # 15
    (1, "older-teen", "M", "1998-01", None, None, "L1"),  # 17
    (20, "adult", "F", "1980-01", None, None, "L2"),  # 35
    (10, "old", "M", "1945-01", None, None, "L2"),  # 70
    (5, "older", "F", "1935-01", None, None, "L2"),  # 80 (81 from January 2016)
]
E, P = "emergency", "elective"
SPELLS: list[Spell] = [
    # key, admitted, discharged (None: still in hospital), method, primary diagnosis
    *[(f"kid{i}", "2015-06-01", "2015-06-03", E, "J45.0") for i in range(1, 5)],  # asthma
    *[(f"tot{i}", "2015-06-01", "2015-06-01", E, "J18.9") for i in range(1, 3)],  # LRTI
    *[(f"teen{i}", "2015-06-01", "2015-06-02", E, "S06.0") for i in range(1, 4)],  # injury
    ("older-teen", "2015-06-01", "2015-06-04", E, "E10.1"),  # diabetes
    *[(f"adult{i}", "2015-05-01", "2015-05-02", P, "K40.9") for i in range(1, 6)],
    *[(f"adult{i}", "2015-05-01", "2015-05-01", P, "K40.9") for i in range(6, 8)],  # day cases
    *[(f"adult{i}", "2015-11-01", "2015-11-05", E, "N39.0") for i in range(8, 11)],  # UTI
    *[(f"old{i}", "2015-06-01", "2015-06-30", E, "J44.1") for i in range(1, 4)],  # COPD, 29 days
    ("old4", "2015-06-01", "2015-06-22", E, "I21.0"),  # heart attack, 21 days
    ("old5", "2015-06-01", "2015-06-21", E, "I50.0"),  # heart failure, 20 days
    ("old6", "2015-12-01", None, E, "J45.9"),  # asthma, still in hospital
    *[(f"old{i}", "2015-08-01", "2015-08-02", P, "H25.9") for i in range(7, 10)],  # cataract
    ("old7", "2016-04-01", "2016-04-02", E, "J44.1"),  # 2016/17
    ("old8", "2015-03-31", "2015-04-01", E, "J44.1"),  # 2014/15
    ("older1", "2016-01-10", "2016-01-12", E, "S72.0"),  # hip fracture
    ("older2", "2016-02-01", "2016-02-01", E, "W19"),  # fall
    ("older3", "2016-03-31", "2016-04-02", E, "I63.9"),  # stroke, admitted in 2015/16
    ("older4", "2015-07-01", "2015-07-02", E, "R07.4"),  # chest pain
    ("stranger", "2015-06-01", "2015-06-02", E, "J44.1"),  # no person row: not a resident
]  # fmt: skip

PEOPLE = 45  # everyone is alive on 30 September 2015
UNDER_19, UNDER_18 = 10, 10  # kid 4, tot 2, teen 3, older-teen 1 (17)


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    tables = {**lives(LIVES), "apc_spell": spells(SPELLS)}
    return compute(tmp_path_factory.mktemp("hospital"), connect, tables, "defined")


def place(values: pd.DataFrame, indicator: str) -> pd.Series:
    return pick(values, indicator, "place", PLACE, "2015/16")


COUNTS = {
    # indicator: (numerator, denominator) counted from SPELLS
    # acsc: kid J45 ×4, older-teen E10, old J44 ×3, I50, J45 (open) = 10
    "acsc-chronic-admissions": (10, PEOPLE),
    "acute-conditions-admissions": (3, PEOPLE),  # adult N39.0 ×3
    "emergency-admissions-u19-asthma-diabetes-epilepsy": (5, UNDER_19),  # kid ×4, older-teen
    "emergency-admissions-u19-lrti": (2, UNDER_19),  # tot J18.9 ×2
    "vs-vsc29": (3, UNDER_18),  # teen S06.0 ×3
    "emergency-admissions-65": (10, 15),  # old 6 (not old7, old8's years), older 4
    "emergency-admissions-75": (4, 5),  # older 4
    "elective-admissions": (10, PEOPLE),  # adult 7, old 3
    "emergency-bed-days": (159, PEOPLE),
    "emergency-long-stays-65": (4, 9),  # 29 days ×3, 21 days; of 9 discharged (old6 is not)
}
NUMBERS = {
    # counts of the plans (no denominator)
    "bp-u19-asthma-diabetes-epilepsy-admissions": 5,
    "bp-u19-lrti-admissions": 2,
    "bp-child-asthma-admissions": 4,  # kid J45.0 ×4
    "asthma-non-elective-admissions": 5,  # kid ×4, old6
    "bp-copd-admissions": 3,
    "bp-chd-admissions": 1,  # old4 I21.0
    "bp-cvd-admissions": 3,  # I21.0, I50.0, I63.9
    "non-elective-admissions": 23,  # 4 + 2 + 3 + 1 + 3 + 6 + 4
    "falls-emergency-admissions": 1,  # W19
    "falls-fractured-neck-of-femur": 1,  # S72.0 at 81
    "zero-stay-emergency-admissions": 3,  # tot ×2, older2 (old6 has no stay yet)
}


@pytest.mark.parametrize("indicator", COUNTS)
def test_numerator_and_denominator(values: pd.DataFrame, indicator: str) -> None:
    row = place(values, indicator)
    assert (row["numerator"], row["denominator"]) == COUNTS[indicator]


@pytest.mark.parametrize("indicator", NUMBERS)
def test_counts(values: pd.DataFrame, indicator: str) -> None:
    row = place(values, indicator)
    assert row["numerator"] == row["value"] == NUMBERS[indicator]
    assert row["method"] == "count"


def test_dsr_of_chronic_avoidable_admissions(values: pd.DataFrame) -> None:
    # bands 5-9: 4 of 4 people; 15-19: 1 of 4 (each weighs 5,500 of 100,000); 70-74: 5 of 10
    esp = stats.ESP2013
    assert (esp["5-9"], esp["15-19"], esp["70-74"], esp.sum()) == (5_500, 5_500, 5_000, 100_000)
    expected = (4 / 4 + 1 / 4) * 5_500 + 5 / 10 * 5_000
    assert place(values, "acsc-chronic-admissions")["value"] == pytest.approx(expected, rel=1e-9)


def test_dsr_of_admissions_65_and_over_uses_the_65_plus_bands(values: pd.DataFrame) -> None:
    # 70-74: 6 of 10 (weight 5,000); 80-84: 4 of 5 (2,500); ESP2013's 65+ bands weigh 19,500
    esp = stats.ESP2013
    assert (esp["80-84"], esp.iloc[13:].sum()) == (2_500, 19_500)
    expected = (6 / 10 * 5_000 + 4 / 5 * 2_500) / 19_500 * 100_000
    row = place(values, "emergency-admissions-65")
    assert row["value"] == pytest.approx(expected, rel=1e-9)  # 25,641.0
    assert pd.isna(place(values, "emergency-admissions-75")["value"])  # 4 events: too few


def test_elective_dsr(values: pd.DataFrame) -> None:
    # 35-39: 7 of 20 (weight 7,000); 70-74: 3 of 10 (5,000)
    assert stats.ESP2013["35-39"] == 7_000
    expected = 7 / 20 * 7_000 + 3 / 10 * 5_000
    assert place(values, "elective-admissions")["value"] == pytest.approx(expected, rel=1e-9)


def test_crude_rates_of_children(values: pd.DataFrame) -> None:
    ade = place(values, "emergency-admissions-u19-asthma-diabetes-epilepsy")
    assert ade["value"] == pytest.approx(5 / 10 * 100_000, rel=1e-9)
    injuries = place(values, "vs-vsc29")  # per 10,000 under 18
    assert injuries["value"] == pytest.approx(3 / 10 * 10_000, rel=1e-9)


def test_bed_days_and_lengths_of_stay(values: pd.DataFrame) -> None:
    # emergency days: kid 4×2, teen 3×1, older-teen 3, adult 3×4, old 3×29 + 21 + 20,
    # older 2 + 0 + 2 + 1 = 159 over 22 discharged spells (old6 is still in hospital)
    assert 4 * 2 + 3 + 3 + 3 * 4 + 3 * 29 + 21 + 20 + 2 + 0 + 2 + 1 == 159
    assert place(values, "emergency-bed-days")["value"] == pytest.approx(159 / 45 * 1000)
    emergency = place(values, "emergency-length-of-stay")
    assert (emergency["numerator"], emergency["denominator"]) == (159, 22)
    assert emergency["value"] == pytest.approx(159 / 22, rel=1e-12)
    # elective: adult 5×1 + 2×0, old 3×1 = 8 days over 10 spells
    elective = place(values, "elective-length-of-stay")
    assert (elective["numerator"], elective["denominator"], elective["value"]) == (8, 10, 0.8)
    assert pd.isna(elective["lower95_0cl"])  # a mean has no limits here


def test_long_stays_share(values: pd.DataFrame) -> None:
    assert place(values, "emergency-long-stays-65")["value"] == pytest.approx(400 / 9, rel=1e-9)


def test_areas_split_the_place(values: pd.DataFrame) -> None:
    # the children live in L1 (neighbourhood N1), the adults and older people in L2 (N2)
    n1 = pick(values, "acsc-chronic-admissions", "neighbourhood", "N1", "2015/16")
    n2 = pick(values, "acsc-chronic-admissions", "neighbourhood", "N2", "2015/16")
    assert (n1["numerator"], n1["denominator"]) == (5, 10)
    assert (n2["numerator"], n2["denominator"]) == (5, 35)
