"""Activity by provider, point of delivery and month on a hand-made warehouse: the engine's
counts equal a direct SQL count written separately here, and DuckDB equals Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.activity import pods
from placehealth.engine.activity import COLUMNS, PODS, activity_by_month
from placehealth.engine.backends import DuckDBBackend, SparkBackend
from tests.engine.tiny import write_warehouse

D = dt.date
APC = pd.DataFrame(
    [
        # key, admitted, discharged, method, provider
        ("p1", D(2015, 5, 3), D(2015, 5, 9), "elective", "RQ6"),  # ordinary
        ("p1", D(2015, 5, 20), D(2015, 5, 20), "elective", "RQ6"),  # day case
        ("p2", D(2015, 5, 31), D(2015, 5, 31), "elective", "RQ6"),  # day case
        ("p2", D(2015, 6, 1), None, "elective", "REM"),  # still in: ordinary
        ("p3", D(2015, 5, 3), D(2015, 5, 3), "emergency", "RQ6"),  # non-elective, same day
        ("p5", D(2016, 1, 2), D(2016, 1, 9), "emergency", "REM"),
        ("stranger", D(2015, 5, 3), D(2015, 5, 9), "elective", "RQ6"),  # not a resident
    ],
    columns=["person_key", "admit_date", "discharge_date", "admission_method", "provider_code"],
).assign(primary_diagnosis="K40.9", discharge_destination="home")
OP = pd.DataFrame(
    [
        ("p1", D(2015, 7, 1), "first", "RQ6", "gp"),
        ("p1", D(2015, 7, 30), "first", "RQ6", "consultant"),
        ("p2", D(2015, 7, 2), "followup", "RQ6", "consultant"),
        ("p5", D(2015, 8, 2), "followup", "REM", "gp"),
    ],
    columns=["person_key", "appt_date", "first_or_followup", "provider_code", "referral_source"],
)
GEO = pd.DataFrame(
    {
        "lsoa": ["L1", "L2", "L3"],
        "neighbourhood": ["N1", "N1", "N2"],
        "imd_decile": [1, 1, 10],
        "place": ["Here", "Here", "Elsewhere"],
    }
)
# written independently of the engine's definitions, as an analyst would
DIRECT = """
with events as (
  select provider_code, admit_date as day, case
    when admission_method = 'emergency' then 'non-elective'
    when discharge_date = admit_date then 'elective-daycase'
    else 'elective-ordinary' end as pod, person_key from apc_spell
  union all
  select provider_code, appt_date, case when first_or_followup = 'first' then 'op-first'
    else 'op-follow-up' end, person_key from op_appointment
  union all
  select provider_code, appt_date, 'op-first-gp', person_key from op_appointment
    where first_or_followup = 'first' and referral_source = 'gp'
  union all
  select provider_code, arrival_date, 'ae', person_key from ae_attendance
)
select provider_code, pod, year(day) as year, month(day) as month, count(*) as activity
from events join person using (person_key) join geo_lsoa using (lsoa) {where}
group by all order by provider_code, pod, year, month
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("actual")
    return write_warehouse(folder / "w.duckdb", apc_spell=APC, op_appointment=OP, geo_lsoa=GEO)


def _direct(warehouse: Path, where: str = "") -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.sql(DIRECT.format(where=where)).df()
    return frame.astype({"year": "int64", "month": "int64", "activity": "int64"})[COLUMNS]


@pytest.mark.parametrize("place", [None, "Here"])
def test_engine_equals_direct_sql(warehouse: Path, place: str | None) -> None:
    backend = DuckDBBackend(warehouse)
    try:
        got = activity_by_month(backend, place)
    finally:
        backend.close()
    want = _direct(warehouse, "" if place is None else f"where place = '{place}'")
    pd.testing.assert_frame_equal(got, want.sort_values(COLUMNS[:4], ignore_index=True))


def test_counts_by_hand(warehouse: Path) -> None:
    backend = DuckDBBackend(warehouse)
    try:
        got = activity_by_month(backend).groupby("pod")["activity"].sum()
    finally:
        backend.close()
    # APC: ordinary p1 May + p2 June (open spell); day cases p1, p2; the stranger is left out
    assert got.to_dict() == {
        "ae": 4,  # the tiny warehouse's attendances
        "elective-daycase": 2,
        "elective-ordinary": 2,
        "non-elective": 2,
        "op-first": 2,
        "op-first-gp": 1,
        "op-follow-up": 2,
    }
    assert set(got.index) == set(PODS)
    assert set(PODS) <= set(pods.PODS)  # the one list of points of delivery


@pytest.mark.spark
def test_spark_equals_duckdb(warehouse: Path) -> None:
    duck = DuckDBBackend(warehouse)
    try:
        want = activity_by_month(duck, "Here")
    finally:
        duck.close()
    got = activity_by_month(SparkBackend(warehouse), "Here")
    pd.testing.assert_frame_equal(got, want)
