"""Reablement at 91 days (ASCOF 2B(i)) on a warehouse small enough to count by hand.

Discharges of people 65+ in October–December 2016 (financial year 2016/17) followed
within 7 days by reablement are the denominator; those alive, not in a care home and
not in hospital 91 days after discharge are the numerator.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, social_care

D = dt.date

PERSON = pd.DataFrame(
    [
        ("r1", "F", D(1940, 1, 1), None, "L1", "P1"),  # discharged in September: not counted
        ("r2", "M", D(1945, 5, 1), None, "L1", "P1"),  # November, at home on day 91: counted
        ("r3", "F", D(1938, 2, 1), None, "L2", "P2"),  # December, in a nursing home by day 91
        ("r4", "M", D(1936, 7, 1), D(2017, 2, 1), "L2", "P2"),  # December, died before day 91
        ("r5", "F", D(1952, 3, 1), None, "L3", "P3"),  # aged 64 at discharge: not counted
        ("r6", "M", D(1941, 8, 1), None, "L3", "P3"),  # October, back in hospital on day 91
        ("r7", "F", D(1939, 4, 1), None, "L1", "P1"),  # reablement 10 days later: not counted
        ("r8", "F", D(1944, 6, 1), None, "L1", "P1"),  # October, leaves hospital on day 91: counted
    ],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)

APC_SPELL = pd.DataFrame(
    [
        ("r1", D(2016, 9, 10), D(2016, 9, 20)),
        ("r2", D(2016, 11, 1), D(2016, 11, 10)),  # day 91: 9 February 2017
        ("r3", D(2016, 11, 28), D(2016, 12, 5)),  # day 91: 6 March 2017
        ("r4", D(2016, 12, 1), D(2016, 12, 12)),  # day 91: 13 March 2017
        ("r5", D(2016, 10, 10), D(2016, 10, 15)),
        ("r6", D(2016, 9, 28), D(2016, 10, 3)),  # day 91: 2 January 2017
        ("r6", D(2016, 12, 30), D(2017, 1, 10)),  # in hospital over day 91
        ("r7", D(2016, 11, 15), D(2016, 11, 20)),
        ("r8", D(2016, 9, 25), D(2016, 10, 1)),  # day 91: 31 December 2016
        ("r8", D(2016, 12, 20), D(2016, 12, 31)),  # discharged home on day 91 itself
    ],
    columns=["person_key", "admit_date", "discharge_date"],
).assign(admission_method="emergency", primary_diagnosis="R69", provider_code="RQ6",
         discharge_destination="home")  # fmt: skip

SOCIAL_CARE = pd.DataFrame(
    [
        ("r1", D(2016, 9, 21), D(2016, 10, 20), "reablement"),
        ("r2", D(2016, 11, 14), D(2016, 12, 20), "reablement"),  # 4 days after discharge
        ("r3", D(2016, 12, 5), D(2017, 1, 10), "reablement"),  # the day of discharge
        ("r3", D(2017, 1, 20), None, "nursing"),
        ("r4", D(2016, 12, 13), D(2017, 1, 30), "reablement"),
        ("r5", D(2016, 10, 16), D(2016, 11, 30), "reablement"),
        ("r6", D(2016, 10, 10), D(2016, 11, 20), "reablement"),  # 7 days: the last day that counts
        ("r7", D(2016, 11, 30), D(2016, 12, 30), "reablement"),  # 10 days
        ("r8", D(2016, 10, 2), D(2016, 11, 10), "reablement"),
        # a respite stay that ended before day 91 does not keep r2 from counting
        ("r2", D(2017, 1, 2), D(2017, 1, 9), "residential"),
    ],
    columns=["person_key", "start_date", "end_date", "service"],
)


@pytest.fixture(scope="module")
def values(own_engine: Backend) -> pd.DataFrame:
    ctx = Context(own_engine, years=[2015, 2016], pooled=[(2015, 2017)], place="Tinytown")
    frame, _ = social_care.reablement(ctx)
    return frame


def test_october_to_december_discharges_of_over_65s_at_home_on_day_91(
    values: pd.DataFrame,
) -> None:
    place = values[(values["area_type"] == "place") & (values["period"] == "2016/17")]
    assert len(place) == 1
    row = place.iloc[0]
    # denominator r2, r3, r4, r6, r8; at home on day 91: r2 and r8
    assert (row["numerator"], row["denominator"]) == (2, 5)
    assert row["value"] == pytest.approx(40.0)
    assert row["indicator_id"] == "reablement-91-days"


def test_by_area(values: pd.DataFrame) -> None:
    lsoa = values[(values["area_type"] == "lsoa") & (values["period"] == "2016/17")]
    counts = {r.area_code: (r.numerator, r.denominator) for r in lsoa.itertuples()}
    # L1: r2 and r8 (r1 in September, r7 too late into reablement); L2: r3, r4; L3: r6
    assert counts == {"L1": (2, 2), "L2": (0, 2), "L3": (0, 1)}


def test_no_discharges_in_2015_16(values: pd.DataFrame) -> None:
    assert not (values["period"] == "2015/16").any()


def test_the_catalogue_states_the_definition_the_engine_computes() -> None:
    entry = load_catalogue()["reablement-91-days"]
    assert ("ascof", "2B(i)") in {(c.framework, c.code) for c in entry.codes}
    definition = " ".join((entry.definition or "").split())
    for words in ("65 or over", "1 October to 31 December", "within 7 days", "91 days",
                  "not in a residential or nursing home", "not in hospital"):  # fmt: skip
        assert words in definition, words
    assert social_care.DISCHARGE_MONTHS == [10, 11, 12]
    assert (social_care.REABLEMENT_WITHIN_DAYS, social_care.FOLLOW_UP_DAYS) == (7, 91)
    assert social_care.OLDER == 65
