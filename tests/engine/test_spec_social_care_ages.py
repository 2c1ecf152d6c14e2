"""Care-home admissions of adults 18-64 (ASCOF 2A(i)) and reablement offered after
discharge (ASCOF 2B(ii)), counted by hand, beside their 65+ companions.

Financial year 2015/16; people counted on 30 September 2015. Each test runs on DuckDB
and on Spark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, compute_all
from tests.engine.spec import PLACE, Life, day, lives, pick, write_tables

LIVES: list[Life] = [
    (10, "adult", "F", "1975-01", None, None, "L1"),  # 40
    (1, "young", "M", "1999-01", None, None, "L1"),  # 16
    (5, "old", "F", "1940-01", None, None, "L2"),  # 75
]
CARE = [
    # key, start, end, service
    ("adult1", "2015-06-01", None, "residential"),  # the first: counts for 18-64
    ("adult2", "2014-01-01", "2014-12-31", "nursing"),  # first in 2013/14 …
    ("adult2", "2015-07-01", None, "residential"),  # … so this is no first admission
    ("adult3", "2015-06-01", "2015-07-01", "home_care"),  # not a care home
    ("young", "2015-06-01", None, "residential"),  # 16: under 18
    ("old5", "2015-06-01", None, "residential"),  # counts for 65+
    # reablement after the discharges below
    ("old1", "2015-10-12", "2015-11-01", "reablement"),  # 2 days after: offered
    ("old2", "2015-11-20", "2015-12-01", "reablement"),  # 19 days after: too late
    ("adult4", "2015-10-12", "2015-10-30", "reablement"),  # 40: not an older person
]
SPELLS = [
    # key, admitted, discharged, destination
    ("old1", "2015-10-01", "2015-10-10", "home"),
    ("old2", "2015-10-20", "2015-11-01", "home"),
    ("old3", "2015-11-20", "2015-12-01", "home"),
    ("old3", "2015-12-10", "2015-12-20", "home"),  # a second discharge counts again
    ("old4", "2015-12-01", "2015-12-05", "died"),  # died in hospital: not discharged alive
    ("old5", "2015-08-20", "2015-09-01", "care_home"),  # September: outside October-December
    ("adult4", "2015-10-01", "2015-10-10", "home"),
]


@pytest.fixture(scope="module")
def values(
    tmp_path_factory: pytest.TempPathFactory, connect: Callable[[Path], Backend]
) -> pd.DataFrame:
    care = pd.DataFrame(
        [(k, day(s), day(e), v) for k, s, e, v in CARE],
        columns=["person_key", "start_date", "end_date", "service"],
    )
    spells = pd.DataFrame(
        [(k, day(a), day(d), "emergency", "R69", "RQ6", w) for k, a, d, w in SPELLS],
        columns=[
            "person_key", "admit_date", "discharge_date", "admission_method",
            "primary_diagnosis", "provider_code", "discharge_destination",
        ],
    )  # fmt: skip
    tables = {**lives(LIVES), "social_care": care, "apc_spell": spells}
    path = write_tables(tmp_path_factory.mktemp("social") / "warehouse.duckdb", tables)
    ctx = Context(connect(path), years=[2015], pooled=[(2015, 2017)], place=PLACE)
    return compute_all(ctx, only=["care-home admissions", "reablement"])


def test_care_home_admissions_of_adults_18_to_64(values: pd.DataFrame) -> None:
    row = pick(values, "care-home-admissions-18-64", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (1, 10)  # adult1 of 10 aged 18-64
    assert row["value"] == pytest.approx(1 / 10 * 100_000, rel=1e-9)


def test_care_home_admissions_of_older_people(values: pd.DataFrame) -> None:
    row = pick(values, "care-home-admissions-65", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (1, 5)  # old5 of 5


def test_reablement_offered_after_discharge(values: pd.DataFrame) -> None:
    # discharged alive in October-December at 65+: old1, old2, old3 twice = 4; old1 reabled
    row = pick(values, "reablement-access-65", "place", PLACE, "2015/16")
    assert (row["numerator"], row["denominator"]) == (1, 4)
    assert row["value"] == pytest.approx(25.0)
    at_home = pick(values, "reablement-91-days", "place", PLACE, "2015/16")
    assert (at_home["numerator"], at_home["denominator"]) == (1, 1)
