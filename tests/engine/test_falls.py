"""Emergency admissions of people 65+ due to falls (PHOF 2.24i) and for hip fracture
(PHOF 4.14i), counted by hand.

Financial year 2016/17, mid-year 30 September 2016. People 65+ then: g4 (66, band
65-69), g1 (70, 70-74), g2 (85, 85-89); g3 turns 65 in October 2016.
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

FALLS = records().computed["falls-injuries-65"].numerator.code_list  # type: ignore[union-attr]
HIP = records().computed["hip-fractures-65"].numerator.code_list  # type: ignore[union-attr]

D = dt.date
E, P = "emergency", "elective"

PERSON = pd.DataFrame(
    [
        ("g1", "F", D(1946, 3, 1), None, "L1", "P1"),
        ("g2", "F", D(1931, 6, 1), None, "L1", "P1"),
        ("g3", "M", D(1951, 10, 1), None, "L2", "P2"),
        ("g4", "M", D(1950, 1, 1), None, "L2", "P2"),
        ("g5", "F", D(1976, 1, 1), D(2019, 1, 1), "L2", "P2"),  # a date types the column
    ],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)

APC_SPELL = day_cases(
    # g1 falls six times (W19 unspecified fall): each admission counts
    [("g1", D(2016, m, 1), E, "W19") for m in (5, 6, 7, 8, 9, 10)]
    + [
        # g2: four falls from W00 to W18 count ...
        ("g2", D(2016, 11, 5), E, "W00.0"),
        ("g2", D(2016, 12, 5), E, "W10"),
        ("g2", D(2017, 1, 5), E, "w18.3"),
        ("g2", D(2017, 2, 5), E, "W01"),
        # ... not struck by an object (W20), a fracture without its cause, a planned stay
        ("g2", D(2017, 2, 20), E, "W20"),
        ("g2", D(2017, 3, 1), E, "S72.0"),
        ("g2", D(2017, 3, 10), P, "W19"),
        # g3: a fall at 64 does not count; one a month later, at 65, does
        ("g3", D(2016, 9, 20), E, "W19"),
        ("g3", D(2016, 10, 15), E, "W19"),
        # g5 is 40
        ("g5", D(2016, 7, 1), E, "W19"),
        # a fall in 2015/16, a year not computed
        ("g1", D(2016, 3, 31), E, "W19"),
        # hip fractures (with g2's S72.0 above): g1's and g4's count; g3's at 64, g5's at
        # 40, a fracture of the shaft (S72.3) and a planned stay do not
        ("g1", D(2016, 11, 20), E, "S72.1"),
        ("g4", D(2017, 1, 10), E, "S72.2"),
        ("g3", D(2016, 9, 25), E, "S72.0"),
        ("g5", D(2016, 8, 1), E, "S72.0"),
        ("g1", D(2017, 2, 2), E, "S72.3"),
        ("g4", D(2017, 3, 3), P, "S72.0"),
    ]
)


@pytest.fixture(scope="module")
def values(own_engine: Backend) -> pd.DataFrame:
    ctx = Context(own_engine, years=[2016], pooled=[(2016, 2016)], place="Tinytown")
    return compute_all(ctx, only=["falls and hip fractures 65+"])


def test_falls_of_over_65s_standardised_over_the_65_plus_bands(values: pd.DataFrame) -> None:
    row = place_row(values[values["indicator_id"] == "falls-injuries-65"], "2016/17")
    # admissions: g1 6 + g2 4 + g3 1 = 11 (at least 10, so a rate is given); people 65+: 3
    assert (row["numerator"], row["denominator"]) == (11, 3)
    # one person in each of 65-69 (g4; g3's fall), 70-74 (g1) and 85-89 (g2):
    # (1 × 5500 + 6 × 5000 + 4 × 1500) / 19500 per person
    assert stats.ESP2013.iloc[13:].sum() == 19500
    assert row["value"] == pytest.approx(100_000 * (5500 + 30_000 + 6000) / 19500)
    assert set(values["period"]) == {"2016/17"}


def test_an_area_with_fewer_than_10_falls_has_no_rate(values: pd.DataFrame) -> None:
    falls = values[values["indicator_id"] == "falls-injuries-65"]
    lsoa = falls[falls["area_type"] == "lsoa"].set_index("area_code")
    # L1: g1 and g2, 10 falls of 2 people; L2: g3's one fall, g4 (and g3 at 64 not counted)
    assert (lsoa.loc["L1", "numerator"], lsoa.loc["L1", "denominator"]) == (10, 2)
    assert (lsoa.loc["L2", "numerator"], lsoa.loc["L2", "denominator"]) == (1, 1)
    assert pd.isna(lsoa.loc["L2", "value"])
    assert lsoa.loc["L2", "value_note"] == "too few events for a rate: fewer than 10"


def test_hip_fractures_of_over_65s(values: pd.DataFrame) -> None:
    row = place_row(values[values["indicator_id"] == "hip-fractures-65"], "2016/17")
    # g1 (S72.1), g2 (S72.0), g4 (S72.2): too few for a rate
    assert (row["numerator"], row["denominator"]) == (3, 3)
    assert row["value_note"] == "too few events for a rate: fewer than 10"
    hips = code_list(HIP)
    codes = ("S72.0", "S72.10", "S72.2", "S72.3", "S32.0", "M80.0")
    assert [hips.matches(c) for c in codes] == [True] * 3 + [False] * 3
    entry = load_catalogue()["hip-fractures-65"]
    assert ("phof", "4.14i") in {(c.framework, c.code) for c in entry.codes}
    definition = " ".join((entry.definition or "").split())
    for words in ("aged 65 and over", "65-69 to 90+", HIP, "S72.0–S72.2"):
        assert words in definition, words


def test_the_catalogue_states_the_definition_the_engine_computes() -> None:
    entry = load_catalogue()["falls-injuries-65"]
    assert ("phof", "2.24i") in {(c.framework, c.code) for c in entry.codes}
    definition = " ".join((entry.definition or "").split())
    for words in ("aged 65 and over", "65-69 to 90+", FALLS, "W00–W19"):
        assert words in definition, words
    definition = records().computed["falls-injuries-65"]
    assert (definition.min_age, definition.max_age, definition.standard) == (65, None, "esp2013")
    falls = code_list(FALLS)
    assert [falls.matches(c) for c in ("W00", "W19.9", "W20", "S72.0", "X59")] == [
        True, True, False, False, False,
    ]  # fmt: skip
