"""A hand-made population small enough to count by eye, written as a DuckDB warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from placehealth.data import schema

D = dt.date

PERSON = pd.DataFrame(
    [
        # key, sex, born, died, lsoa, practice
        ("p1", "F", D(1950, 1, 1), None, "L1", "P1"),
        ("p2", "M", D(1980, 6, 1), None, "L1", "P1"),
        ("p3", "F", D(1945, 3, 1), D(2016, 2, 10), "L2", "P2"),
        ("p4", "M", D(2015, 7, 1), D(2015, 12, 1), "L2", "P2"),  # infant death
        ("p5", "F", D(2000, 1, 1), None, "L3", "P3"),
        ("p6", "M", D(1930, 5, 1), D(2017, 8, 1), "L3", "P3"),
    ],
    columns=["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"],
)

APC_SPELL = pd.DataFrame(
    [
        # key, admitted, discharged, method, diagnosis, provider, destination
        ("p1", D(2015, 5, 3), D(2015, 5, 9), "emergency", "J44.1", "RQ6", "home"),
        ("p1", D(2016, 1, 3), D(2016, 1, 4), "emergency", "N39.0", "RQ6", "home"),
        ("p2", D(2015, 8, 1), D(2015, 8, 1), "elective", "K40.9", "RQ6", "home"),
        ("p3", D(2015, 11, 20), D(2015, 12, 2), "emergency", "I50.0", "REM", "home"),
        ("p6", D(2017, 3, 30), D(2017, 4, 2), "emergency", "S72.0", "REM", "care_home"),
    ],
    columns=[
        "person_key", "admit_date", "discharge_date", "admission_method",
        "primary_diagnosis", "provider_code", "discharge_destination",
    ],
)  # fmt: skip

AE_ATTENDANCE = pd.DataFrame(
    [
        ("p1", D(2015, 5, 3), "RQ6", "admitted"),
        ("p2", D(2015, 9, 9), "RQ6", "discharged"),
        ("p2", D(2016, 2, 1), "RQ6", "discharged"),
        ("p5", D(2016, 6, 1), "REM", "discharged"),
    ],
    columns=["person_key", "arrival_date", "provider_code", "disposal"],
)

DEATH = pd.DataFrame(
    [
        ("p3", D(2016, 2, 10), "C34.1", "hospital"),
        ("p4", D(2015, 12, 1), "P07.3", "hospital"),
        ("p6", D(2017, 8, 1), "I21.9", "care_home"),
    ],
    columns=["person_key", "date_of_death", "underlying_cause", "place_of_death"],
)

SOCIAL_CARE = pd.DataFrame(
    [
        # p1 goes home with reablement after her May 2015 discharge and stays at home
        ("p1", D(2015, 5, 10), D(2015, 6, 20), "reablement"),
        # p3 has reablement after her December discharge, then moves into a nursing home
        ("p3", D(2015, 12, 3), D(2016, 1, 5), "reablement"),
        ("p3", D(2016, 1, 6), None, "nursing"),
        # p6 moves into residential care after his 2017 admission
        ("p6", D(2017, 4, 2), None, "residential"),
    ],
    columns=["person_key", "start_date", "end_date", "service"],
)

CONDITION = pd.DataFrame(
    [
        ("p1", "copd", D(2010, 1, 1)),
        ("p3", "dementia", D(2014, 6, 1)),
        ("p3", "copd", D(2012, 6, 1)),
        ("p6", "dementia", D(2016, 12, 1)),
    ],
    columns=["person_key", "condition", "recorded_date"],
)

GEO_LSOA = pd.DataFrame(
    {"lsoa": ["L1", "L2", "L3"], "neighbourhood": ["N1", "N1", "N2"], "imd_decile": [1, 1, 10]}
)
GEO_PRACTICE = pd.DataFrame({"practice_code": ["P1", "P2", "P3"], "pcn": ["C1", "C1", "C2"]})


def write_warehouse(path: Path, **extra: pd.DataFrame) -> Path:
    tables = {
        "person": PERSON,
        "apc_spell": APC_SPELL,
        "ae_attendance": AE_ATTENDANCE,
        "death": DEATH,
        "social_care": SOCIAL_CARE,
        "condition": CONDITION,
        "geo_lsoa": GEO_LSOA,
        "geo_practice": GEO_PRACTICE,
        **extra,
    }
    con = duckdb.connect(str(path))
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"create table {name} as select * from frame")
        con.unregister("frame")
    for table in schema.RECORDS:  # the extracts this population has none of: empty tables
        if table.name not in tables:
            columns = ", ".join(f"{c.name} {c.sql_type}" for c in table.columns)
            con.execute(f"create table {table.name} ({columns})")
    con.close()
    return path


def day_cases(rows: list[tuple[str, dt.date, str, str]]) -> pd.DataFrame:
    """Spells that end the day they start, at home: (person, date, method, diagnosis)."""
    spells = pd.DataFrame(
        rows, columns=["person_key", "admit_date", "admission_method", "primary_diagnosis"]
    )
    return spells.assign(
        discharge_date=spells["admit_date"], provider_code="RQ6", discharge_destination="home"
    )


def place_row(values: pd.DataFrame, period: str) -> pd.Series:
    """The one place-level value of a period."""
    rows = values[(values["area_type"] == "place") & (values["period"] == period)]
    assert len(rows) == 1
    return rows.iloc[0]
