"""Emergency admissions for intentional self-harm (PHOF 2.10ii), counted by hand.

Financial year 2016/17, mid-year 30 September 2016: k1 is 22 (band 20-24), k2 37
(35-39), k3 17 (15-19), k4 56 (55-59).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placehealth import stats
from placehealth.catalogue import load_catalogue
from placehealth.catalogue.codelists import code_list
from placehealth.catalogue.records import records
from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, compute_all
from tests.engine.tiny import day_cases, place_row

SELF_HARM = records().computed["self-harm-admissions"].numerator.code_list  # type: ignore[union-attr]

D = dt.date
E, P = "emergency", "elective"

PERSON = pd.DataFrame(
    [
        ("k1", "F", D(1994, 1, 1), None, "L1", "P1"),
        ("k2", "M", D(1979, 3, 1), None, "L1", "P1"),
        ("k3", "F", D(1999, 2, 1), None, "L2", "P2"),
        ("k4", "M", D(1960, 6, 1), D(2019, 1, 1), "L2", "P2"),  # a date types the column
    ],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)

APC_SPELL = day_cases(
    [
        # k1: five admissions, from the first code of the range to the last
        ("k1", D(2016, 4, 10), E, "X60"),
        ("k1", D(2016, 6, 10), E, "X60.9"),
        ("k1", D(2016, 8, 10), E, "X60"),
        ("k1", D(2016, 10, 10), E, "x78.0"),
        ("k1", D(2016, 12, 10), E, "X84"),
        # k2: four
        ("k2", D(2016, 5, 20), E, "X70"),
        ("k2", D(2016, 7, 20), E, "X70"),
        ("k2", D(2016, 9, 20), E, "X70"),
        ("k2", D(2017, 1, 20), E, "X81"),
        # k3: one
        ("k3", D(2017, 3, 1), E, "X62"),
        # not counted: assault (X85), sequelae (Y87.0), an accident (X59), a planned
        # admission, and one in 2015/16, a year not computed
        ("k4", D(2016, 5, 1), E, "X85"),
        ("k4", D(2016, 6, 1), E, "Y87.0"),
        ("k3", D(2016, 7, 1), E, "X59"),
        ("k2", D(2016, 11, 1), P, "X60"),
        ("k1", D(2016, 3, 31), E, "X60"),
    ]
)


@pytest.fixture(scope="module")
def values(own_engine: Backend) -> pd.DataFrame:
    ctx = Context(own_engine, years=[2016], pooled=[(2016, 2016)], place="Tinytown")
    values = compute_all(ctx, only=["emergency admissions"])
    return values[values["indicator_id"] == "self-harm-admissions"]


def test_self_harm_admissions_standardised_over_all_ages(values: pd.DataFrame) -> None:
    row = place_row(values, "2016/17")
    # admissions: k1 5 + k2 4 + k3 1 = 10 (just enough for a rate); people: 4
    assert (row["numerator"], row["denominator"]) == (10, 4)
    # one person in each of 20-24 (k1), 35-39 (k2) and 15-19 (k3), weights of 100,000:
    # (5 × 6000 + 4 × 7000 + 1 × 5500) / 100,000 per person
    esp = stats.ESP2013
    assert (esp["20-24"], esp["35-39"], esp["15-19"], esp.sum()) == (6000, 7000, 5500, 100_000)
    assert row["value"] == pytest.approx(63_500)
    assert set(values["period"]) == {"2016/17"}


def test_by_area(values: pd.DataFrame) -> None:
    lsoa = values[values["area_type"] == "lsoa"].set_index("area_code")
    assert (lsoa.loc["L1", "numerator"], lsoa.loc["L1", "denominator"]) == (9, 2)
    assert (lsoa.loc["L2", "numerator"], lsoa.loc["L2", "denominator"]) == (1, 2)


def test_the_catalogue_states_the_definition_the_engine_computes() -> None:
    entry = load_catalogue()["self-harm-admissions"]
    assert ("phof", "2.10ii") in {(c.framework, c.code) for c in entry.codes}
    definition = " ".join((entry.definition or "").split())
    for words in ("Emergency", SELF_HARM, "X60–X84", "ESP2013, all ages"):
        assert words in definition, words
    self_harm = code_list(SELF_HARM)
    codes = ("X60", "X69.9", "X70", "X84", "X59", "X85", "Y87.0")
    assert [self_harm.matches(c) for c in codes] == [True] * 4 + [False] * 3
