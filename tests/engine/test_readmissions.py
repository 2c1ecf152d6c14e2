"""Emergency readmissions within 30 days (NHS Outcomes Framework 3b), counted by hand.

Twelve people, each one case at a boundary of the definition; the comments give
each person's discharges and readmissions in 2016/17.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.codelists import code_list
from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, readmissions
from tests.engine.tiny import place_row

D = dt.date
E, P = "emergency", "elective"

PERSON = pd.DataFrame(
    [(f"a{i}", "F", D(1950, 1, 1), None, "L1" if i <= 6 else "L2", "P1") for i in range(1, 13)],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)
PERSON.loc[PERSON["person_key"] == "a8", "death_date"] = D(2017, 2, 10)

APC_SPELL = pd.DataFrame(
    [
        # a1: back on day 29, the last day that counts: 2 discharges, 1 readmitted
        ("a1", D(2016, 5, 2), D(2016, 5, 10), P, "K40.9", "home"),
        ("a1", D(2016, 6, 8), D(2016, 6, 10), E, "R10.4", "home"),
        # a2: back on day 30, too late: 2 discharges, none readmitted
        ("a2", D(2016, 6, 25), D(2016, 7, 1), E, "J18.9", "home"),
        ("a2", D(2016, 7, 31), D(2016, 8, 2), E, "J18.9", "home"),
        # a3: back within the month, but planned: 2 discharges, none readmitted
        ("a3", D(2016, 8, 28), D(2016, 9, 1), E, "I50.0", "home"),
        ("a3", D(2016, 9, 5), D(2016, 9, 6), P, "H25.9", "home"),
        # a4: back on the day of discharge (day 0): 2 discharges, 1 readmitted
        ("a4", D(2016, 10, 1), D(2016, 10, 3), E, "N39.0", "home"),
        ("a4", D(2016, 10, 3), D(2016, 10, 5), E, "N39.0", "home"),
        # a5: a transfer is no discharge; the stay it continues is: 1 discharge, none
        ("a5", D(2016, 10, 28), D(2016, 11, 1), E, "S72.0", "other_hospital"),
        ("a5", D(2016, 11, 1), D(2016, 11, 20), E, "S72.0", "home"),
        # a6: cancer spells are left out: no discharges
        ("a6", D(2016, 11, 25), D(2016, 12, 1), P, "C34.1", "home"),
        ("a6", D(2016, 12, 10), D(2016, 12, 15), E, "C34.1", "home"),
        # a7: back for cancer, which is left out: 1 discharge, none readmitted
        ("a7", D(2017, 1, 2), D(2017, 1, 5), E, "N39.0", "home"),
        ("a7", D(2017, 1, 20), D(2017, 1, 25), E, "C18.9", "home"),
        # a8: died in hospital: no discharges
        ("a8", D(2017, 2, 1), D(2017, 2, 10), E, "J18.9", "died"),
        # a9: discharged in March, back in April (day 16): counts to 2016/17's discharge;
        # the April spell is a 2017/18 discharge, not followed
        ("a9", D(2017, 3, 20), D(2017, 3, 25), E, "I50.0", "home"),
        ("a9", D(2017, 4, 10), D(2017, 4, 12), E, "I50.0", "home"),
        # a10: back on day 9 and still in hospital: 1 discharge, 1 readmitted
        ("a10", D(2017, 2, 15), D(2017, 2, 20), E, "J44.1", "home"),
        ("a10", D(2017, 3, 1), None, E, "J44.1", None),
        # a11: an emergency day case is not its own readmission: 1 discharge, none
        ("a11", D(2016, 6, 1), D(2016, 6, 1), E, "R07.4", "home"),
        # a12: a 2015/16 discharge (not computed) before a 2016/17 one: 1 discharge, none
        ("a12", D(2016, 3, 25), D(2016, 3, 31), E, "R55", "home"),
        ("a12", D(2016, 4, 15), D(2016, 4, 16), E, "R55", "home"),
    ],
    columns=["person_key", "admit_date", "discharge_date", "admission_method",
             "primary_diagnosis", "discharge_destination"],
).assign(provider_code="RQ6")  # fmt: skip


@pytest.fixture(scope="module")
def values(own_engine: Backend) -> pd.DataFrame:
    ctx = Context(own_engine, years=[2016, 2017], pooled=[(2016, 2017)], place="Tinytown")
    (frame,) = readmissions.emergency_readmissions(ctx)
    return frame


def test_discharges_followed_by_an_emergency_admission_within_30_days(
    values: pd.DataFrame,
) -> None:
    row = place_row(values, "2016/17")
    # discharges: a1 2, a2 2, a3 2, a4 2, a5 1, a7 1, a9 1, a10 1, a11 1, a12 1 = 14
    # readmitted: a1 (day 29), a4 (day 0), a9 (into April), a10 (still in) = 4
    assert (row["numerator"], row["denominator"]) == (4, 14)
    assert row["value"] == pytest.approx(100 * 4 / 14)
    assert row["lower95_0cl"] < row["value"] < row["upper95_0cl"]
    assert row["indicator_id"] == "emergency-readmissions-30-days"


def test_the_next_year_holds_the_april_discharge_only(values: pd.DataFrame) -> None:
    row = place_row(values, "2017/18")
    assert (row["numerator"], row["denominator"]) == (0, 1)
    assert not (values["period"] == "2015/16").any()


def test_by_area(values: pd.DataFrame) -> None:
    lsoa = values[(values["area_type"] == "lsoa") & (values["period"] == "2016/17")]
    counts = {r.area_code: (r.numerator, r.denominator) for r in lsoa.itertuples()}
    # L1: a1–a6 (a1, a4 readmitted); L2: a7–a12 (a9, a10 readmitted)
    assert counts == {"L1": (2, 9), "L2": (2, 5)}


def test_the_catalogue_states_the_definition_the_engine_computes() -> None:
    entry = load_catalogue()["emergency-readmissions-30-days"]
    assert ("nhs_of", "3b") in {(c.framework, c.code) for c in entry.codes}
    assert (entry.unit, entry.multiplier) == ("percent", 100)
    definition = " ".join((entry.definition or "").split())
    for words in ("within 30 days", "day 29", readmissions.EXCLUSIONS, "death in hospital",
                  "transfer to another hospital"):  # fmt: skip
        assert words in definition, words
    assert readmissions.WITHIN_DAYS == 30
    assert readmissions.NOT_AN_END == ["died", "other_hospital"]
    excluded = code_list(readmissions.EXCLUSIONS)
    assert [excluded.matches(c) for c in ("C34.1", "Z51.1", "O80", "D48.9", "D50", "Z51.5")] == [
        True, True, True, True, False, False,
    ]  # fmt: skip
