"""Admissions for alcohol-specific conditions, counted by hand.

Financial year 2016/17, mid-year 30 September 2016: j1 is 45 (band 45-49), j2 52
(50-54), j3 30 (30-34), j4 70 (70-74).
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

ALCOHOL = records().computed["alcohol-specific-admissions"].numerator.code_list  # type: ignore[union-attr]

D = dt.date
E, P = "emergency", "elective"

PERSON = pd.DataFrame(
    [
        ("j1", "M", D(1971, 1, 1), None, "L1", "P1"),
        ("j2", "F", D(1964, 2, 1), None, "L1", "P1"),
        ("j3", "M", D(1986, 5, 1), D(2019, 1, 1), "L2", "P2"),  # a date types the column
        ("j4", "F", D(1946, 3, 1), None, "L2", "P2"),
    ],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)

APC_SPELL = day_cases(
    # j1: five admissions for acute intoxication (F10.0), however the code is written
    [
        ("j1", D(2016, m, 3), E, code)
        for m, code in ((4, "F10.0"), (6, "f100"), (8, "F10.0 "), (10, "F10"), (12, "F10.2"))
    ]
    + [
        # j2: alcoholic liver disease, planned or not, counts four times
        ("j2", D(2016, 5, 1), P, "K70.3"),
        ("j2", D(2016, 9, 1), P, "K70.3"),
        ("j2", D(2017, 1, 1), E, "K70.4"),
        ("j2", D(2017, 3, 1), E, "K70.3"),
        # j4: intentional self-poisoning by alcohol
        ("j4", D(2016, 11, 1), E, "X65"),
        # not wholly caused by alcohol: opioids, other liver disease, 2-propanol,
        # another cardiomyopathy
        ("j3", D(2016, 6, 1), E, "F11.0"),
        ("j4", D(2016, 7, 1), E, "K74.6"),
        ("j3", D(2016, 8, 1), E, "T51.2"),
        ("j4", D(2017, 2, 1), E, "I42.0"),
        # in 2015/16, a year not computed
        ("j1", D(2016, 3, 31), E, "F10.0"),
    ]
)


@pytest.fixture(scope="module")
def values(own_engine: Backend) -> pd.DataFrame:
    ctx = Context(own_engine, years=[2016], pooled=[(2016, 2016)], place="Tinytown")
    return compute_all(ctx, only=["alcohol-specific admissions"])


def test_alcohol_specific_admissions_standardised_over_all_ages(values: pd.DataFrame) -> None:
    row = place_row(values, "2016/17")
    # admissions: j1 5 + j2 4 + j4 1 = 10 (just enough for a rate); people: 4
    assert (row["numerator"], row["denominator"]) == (10, 4)
    # one person in each of 45-49 (j1), 50-54 (j2) and 70-74 (j4), weights of 100,000:
    # (5 × 7000 + 4 × 7000 + 1 × 5000) / 100,000 per person
    esp = stats.ESP2013
    assert (esp["45-49"], esp["50-54"], esp["70-74"], esp.sum()) == (7000, 7000, 5000, 100_000)
    assert row["value"] == pytest.approx(68_000)
    assert row["indicator_id"] == "alcohol-specific-admissions"
    assert set(values["period"]) == {"2016/17"}


def test_by_area(values: pd.DataFrame) -> None:
    lsoa = values[values["area_type"] == "lsoa"].set_index("area_code")
    assert (lsoa.loc["L1", "numerator"], lsoa.loc["L1", "denominator"]) == (9, 2)
    assert (lsoa.loc["L2", "numerator"], lsoa.loc["L2", "denominator"]) == (1, 2)
    assert lsoa.loc["L2", "value_note"] == "too few events for a rate: fewer than 10"


def test_the_catalogue_states_the_definition_the_engine_computes() -> None:
    entry = load_catalogue()["alcohol-specific-admissions"]
    definition = " ".join((entry.definition or "").split())
    for words in ("wholly caused by alcohol", ALCOHOL, "elective and emergency",
                  "ESP2013, all ages"):  # fmt: skip
        assert words in definition, words
    alcohol = code_list(ALCOHOL)
    codes = ("F10.0", "K70.3", "X65", "T51.0", "K85.2", "F11.0", "K74.6", "T51.2", "K85.1")
    assert [alcohol.matches(c) for c in codes] == [True] * 5 + [False] * 4
