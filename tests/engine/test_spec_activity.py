"""A&E, outpatient, GP, community and mental health activity defined in the catalogue,
counted by hand.

Events in the financial year 2015/16 (1 April 2015 to 31 March 2016) over the people
alive on 30 September 2015: ten children under five in L1 and twenty adults in L2.
Each test runs on DuckDB and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from tests.engine.spec import PLACE, Life, compute, day, lives, pick

LIVES: list[Life] = [
    (10, "child", "F", "2012-01", None, None, "L1"),  # 3 on 30 September 2015
    (20, "adult", "M", "1980-01", None, None, "L2"),  # 35
]
IN_YEAR, NEXT_YEAR = "2015-06-01", "2016-04-01"
AE = [
    # key, arrival, disposal
    *[(f"child{i}", IN_YEAR, "discharged") for i in range(1, 7)],
    ("child7", "2016-03-31", "admitted"),  # the last day of 2015/16
    *[(f"adult{i}", IN_YEAR, "admitted") for i in range(1, 5)],
    *[(f"adult{i}", IN_YEAR, "discharged") for i in range(5, 13)],
    ("adult13", NEXT_YEAR, "admitted"),  # 2016/17
    ("stranger", IN_YEAR, "admitted"),  # no person row: not a resident
]
OUTPATIENTS = [
    # key, date, first or follow-up
    *[(f"adult{i}", IN_YEAR, "first") for i in range(1, 11)],
    *[(f"adult{i}", IN_YEAR, "followup") for i in range(1, 6) for _ in range(3)],
    ("adult6", IN_YEAR, "followup"),
    ("adult7", NEXT_YEAR, "first"),
]
GP = [
    *[(f"child{i}", IN_YEAR, "face_to_face") for i in range(1, 11) for _ in range(2)],
    *[(f"adult{i}", IN_YEAR, "telephone") for i in range(1, 21) for _ in range(4)],
    ("adult1", NEXT_YEAR, "online"),
]
COMMUNITY = [
    *[(f"adult{i}", IN_YEAR, "district_nursing") for i in range(1, 4) for _ in range(2)],
    ("adult4", IN_YEAR, "podiatry"),
]
MENTAL_HEALTH = [*[("adult5", IN_YEAR, "iapt")] * 5, ("adult5", NEXT_YEAR, "iapt")]
PEOPLE = 30


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    def frame(rows: list[tuple[str, str, str]], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame([(k, day(d), v) for k, d, v in rows], columns=columns)

    tables = {
        **lives(LIVES),
        "ae_attendance": frame(AE, ["person_key", "arrival_date", "disposal"]),
        "op_appointment": frame(OUTPATIENTS, ["person_key", "appt_date", "first_or_followup"]),
        "gp_contact": frame(GP, ["person_key", "contact_date", "mode"]),
        "community_contact": frame(COMMUNITY, ["person_key", "contact_date", "service"]),
        "mh_contact": frame(MENTAL_HEALTH, ["person_key", "contact_date", "service"]),
    }
    return compute(tmp_path_factory.mktemp("activity"), connect, tables, "defined")


EXPECTED = {
    # indicator: (numerator, denominator, value)
    "ae-attendances-under-5": (7, 10, 7 / 10 * 1000),  # child 6 + child7 on 31 March
    "ae-attendances-admitted": (5, 19, 5 / 19 * 100),  # child7, adult1-4 of 7 + 12
    "outpatient-first-attendances": (10, PEOPLE, 10 / PEOPLE * 1000),
    "outpatient-followup-attendances": (16, PEOPLE, 16 / PEOPLE * 1000),  # 5 × 3 + 1
    "outpatient-followup-ratio": (16, 10, 1.6),
    "gp-contacts": (100, PEOPLE, 100 / PEOPLE),  # 10 × 2 + 20 × 4, per person
    "community-contacts": (7, PEOPLE, 7 / PEOPLE * 1000),
    "mental-health-contacts": (5, PEOPLE, 5 / PEOPLE * 1000),
}


@pytest.mark.parametrize("indicator", EXPECTED)
def test_activity(values: pd.DataFrame, indicator: str) -> None:
    row = pick(values, indicator, "place", PLACE, "2015/16")
    numerator, denominator, value = EXPECTED[indicator]
    assert (row["numerator"], row["denominator"]) == (numerator, denominator)
    assert row["value"] == pytest.approx(value, rel=1e-9)


def test_children_under_five_live_in_one_neighbourhood(values: pd.DataFrame) -> None:
    n1 = pick(values, "ae-attendances-under-5", "neighbourhood", "N1", "2015/16")
    assert (n1["numerator"], n1["denominator"]) == (7, 10)
    under_five = values[values["indicator_id"] == "ae-attendances-under-5"]
    assert "N2" not in set(under_five["area_code"])  # no children there: no rate
