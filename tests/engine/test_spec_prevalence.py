"""Recorded prevalence of each long-term condition, counted by hand.

People alive on 30 September 2015 (financial year 2015/16) with the condition recorded
on their GP record by that day, as a percentage of the people alive then, within the
condition's age limits (diabetes 17+, chronic kidney disease, depression and epilepsy
18+, rheumatoid arthritis 16+, osteoporosis 50+, after the QOF registers). Each test
runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.conditions import condition_list
from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, day, lives, pick

LIVES: list[Life] = [
    (30, "p", "F", "1960-01", None, None, "L1"),  # 55 on 30 September 2015
    (5, "young", "M", "2000-01", None, None, "L2"),  # 15
    (1, "gone", "F", "1960-01", "2015-09-30", None, "L1"),  # dead on the day: not counted
]
# The n-th condition group of the list (hypertension first, Parkinson's 21st) is recorded
# for people p1 … pn, so each prevalence has its own numerator.
GROUPS = [
    "hypertension", "diabetes", "asthma", "copd", "chd", "heart_failure",
    "atrial_fibrillation", "stroke_tia", "ckd", "cancer", "dementia", "depression",
    "anxiety", "serious_mental_illness", "epilepsy", "learning_disability",
    "rheumatoid_arthritis", "osteoporosis", "hypothyroidism", "chronic_liver_disease",
    "parkinsons",
]  # fmt: skip
RECORDED = "2010-01-01"
OTHERS = [
    ("p1", "hypertension", "2012-01-01"),  # recorded twice: one person
    ("p30", "hypertension", "2015-10-01"),  # recorded after 30 September
    ("young1", "diabetes", RECORDED),  # 15: under the register's 17
    ("young1", "epilepsy", RECORDED),  # under 18
    ("young2", "depression", RECORDED),  # under 18
    ("young2", "ckd", RECORDED),  # under 18
    ("young3", "asthma", RECORDED),  # all ages: counted
    ("gone", "copd", RECORDED),  # dead on 30 September
    ("p2", "palliative_care", RECORDED),  # the register is not a long-term condition
]
ALL_AGES, ADULTS = 35, 30  # 30 + 5 alive; 30 aged 16, 17, 18 or 50 and over
EXPECTED = {
    # indicator: (numerator, denominator), n = the group's place in GROUPS
    "prevalence-hypertension": (1, ALL_AGES),
    "prevalence-diabetes": (2, ADULTS),
    "prevalence-asthma": (3 + 1, ALL_AGES),  # and young3
    "prevalence-copd": (4, ALL_AGES),
    "prevalence-chd": (5, ALL_AGES),
    "prevalence-heart-failure": (6, ALL_AGES),
    "prevalence-atrial-fibrillation": (7, ALL_AGES),
    "prevalence-stroke-tia": (8, ALL_AGES),
    "prevalence-ckd": (9, ADULTS),
    "prevalence-cancer": (10, ALL_AGES),
    "prevalence-dementia": (11, ALL_AGES),
    "prevalence-depression": (12, ADULTS),
    "prevalence-anxiety": (13, ALL_AGES),
    "prevalence-serious-mental-illness": (14, ALL_AGES),
    "prevalence-epilepsy": (15, ADULTS),
    "prevalence-learning-disability": (16, ALL_AGES),
    "prevalence-rheumatoid-arthritis": (17, ADULTS),
    "prevalence-osteoporosis": (18, ADULTS),
    "prevalence-hypothyroidism": (19, ALL_AGES),
    "prevalence-chronic-liver-disease": (20, ALL_AGES),
    "prevalence-parkinsons": (21, ALL_AGES),
}


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    rows = [(f"p{i}", g, RECORDED) for n, g in enumerate(GROUPS, 1) for i in range(1, n + 1)]
    condition = pd.DataFrame(
        [(key, group, day(date)) for key, group, date in rows + OTHERS],
        columns=["person_key", "condition", "recorded_date"],
    )
    tables = {**lives(LIVES), "condition": condition}
    return compute(tmp_path_factory.mktemp("prevalence"), connect, tables, "defined")


@pytest.mark.parametrize("indicator", EXPECTED)
def test_recorded_prevalence(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015/16")
    numerator, denominator = EXPECTED[indicator]
    assert (row["numerator"], row["denominator"]) == (numerator, denominator)
    assert row["value"] == pytest.approx(100 * numerator / denominator, rel=1e-9)


def test_every_condition_group_but_the_palliative_register_has_a_prevalence() -> None:
    groups = [g for g in condition_list().ids() if g != "palliative_care"]
    assert groups == GROUPS
    assert sorted(EXPECTED) == sorted(f"prevalence-{g.replace('_', '-')}" for g in groups)


def test_the_young_count_only_where_the_register_has_no_age_limit(values: pd.DataFrame) -> None:
    asthma = pick(values, "prevalence-asthma", "lsoa", "L2", "2015/16")
    assert (asthma["numerator"], asthma["denominator"]) == (1, 5)
    diabetes = values[(values["indicator_id"] == "prevalence-diabetes")]
    assert "L2" not in set(diabetes["area_code"])  # nobody there is 17 or over
