"""Small warehouses written as tables in a test, shaped by the canonical schema.

A spec test writes the people (and their deaths, conditions, care) it needs as rows
whose answer can be counted by hand; :func:`write_tables` creates every table ingest
would create, with its canonical column types, and fills in the given rows, so a
table a test leaves out is there and empty, as in a warehouse without that extract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from placehealth.data import schema
from placehealth.engine.backends import Backend
from placehealth.engine.indicators import Context, compute_all

PLACE = "Testplace"
# two LSOAs in two neighbourhoods of opposite deprivation, each with its own practice
GEO_LSOA = pd.DataFrame(
    {
        "lsoa": ["L1", "L2"],
        "neighbourhood": ["N1", "N2"],
        "imd_decile": [1, 10],
        "place": [PLACE, PLACE],
    }
)
GEO_PRACTICE = pd.DataFrame({"practice_code": ["P1", "P2"], "pcn": ["C1", "C2"]})
PERSON_COLUMNS = ["person_key", "sex", "birth_month", "death_date", "lsoa", "practice_code"]
DEATH_COLUMNS = ["person_key", "date_of_death", "underlying_cause"]

Life = tuple[int, str, str, str, str | None, str | None, str]
"""(how many, key, sex, born 'YYYY-MM', died 'YYYY-MM-DD' or None, cause or None, LSOA)."""


def day(text: str | None) -> dt.date | None:
    """'2016-03-01' as a date; 'YYYY-MM' as the month's first day (how birth months are kept)."""
    if text is None:
        return None
    return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def lives(
    rows: Iterable[Life], others: Iterable[tuple[str, str, str]] = ()
) -> dict[str, pd.DataFrame]:
    """The person and death tables of rows each standing for ``n`` alike people.

    A row of ``n`` people with key ``k`` gives keys ``k1`` … ``kn`` (``k`` alone when
    ``n`` is 1); each person is registered with the practice of their LSOA (L1 → P1).
    ``others`` are deaths (key, date, cause) of people with no person row: deaths
    registered in the place of people who do not live there.
    """
    deaths: list[tuple[str, dt.date | None, str | None]] = [
        (key, day(died), cause) for key, died, cause in others
    ]
    people = []
    for n, key, sex, born, died, cause, lsoa in rows:
        for i in range(1, n + 1):
            person_key = key if n == 1 else f"{key}{i}"
            practice = lsoa.replace("L", "P", 1) if lsoa else None
            people.append((person_key, sex, day(born), day(died), lsoa, practice))
            if died is not None:
                deaths.append((person_key, day(died), cause))
    return {
        "person": pd.DataFrame(people, columns=PERSON_COLUMNS),
        "death": pd.DataFrame(deaths, columns=DEATH_COLUMNS),
    }


Spell = tuple[str, str, str | None, str, str]
"""(key, admitted, discharged or None while in hospital, method, primary diagnosis)."""


def spells(rows: Iterable[Spell]) -> pd.DataFrame:
    """The apc_spell rows of ``rows`` (provider RQ6; home on discharge)."""
    return pd.DataFrame(
        [
            (key, day(admitted), day(left), method, code, "RQ6", "home" if left else None)
            for key, admitted, left, method, code in rows
        ],
        columns=[
            "person_key", "admit_date", "discharge_date", "admission_method",
            "primary_diagnosis", "provider_code", "discharge_destination",
        ],
    )  # fmt: skip


def write_tables(path: Path, tables: Mapping[str, pd.DataFrame]) -> Path:
    """A DuckDB warehouse with every loadable table of the schema, holding ``tables``' rows.

    The geography defaults to :data:`GEO_LSOA` and :data:`GEO_PRACTICE`; a frame may
    hold any subset of its table's columns (the rest are left empty).
    """
    given = {"geo_lsoa": GEO_LSOA, "geo_practice": GEO_PRACTICE, **tables}
    unknown = set(given) - {t.name for t in schema.LOADABLE}
    assert not unknown, f"not tables of the schema: {unknown}"
    con = duckdb.connect(str(path))
    try:
        for table in schema.LOADABLE:
            columns = ", ".join(f"{c.name} {c.sql_type}" for c in table.columns)
            con.execute(f"create table {table.name} ({columns})")
            frame = given.get(table.name)
            if frame is not None and len(frame):
                con.register("frame", frame)
                con.execute(f"insert into {table.name} by name select * from frame")
                con.unregister("frame")
    finally:
        con.close()
    return path


def pick(values: pd.DataFrame, indicator: str, area_type: str, area: str, period: str) -> pd.Series:
    """The one row of an indicator for an area and period."""
    rows = values[
        (values["indicator_id"] == indicator)
        & (values["area_type"] == area_type)
        & (values["area_code"] == area)
        & (values["period"] == period)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def compute(
    folder: Path,
    connect: Callable[[Path], Backend],
    tables: Mapping[str, pd.DataFrame],
    pipeline: str,
    year: int = 2015,
) -> pd.DataFrame:
    """One pipeline's values for the financial ``year`` and the calendar years from it."""
    backend = connect(write_tables(folder / "warehouse.duckdb", tables))
    ctx = Context(backend, years=[year], pooled=[(year, year + 2)], place=PLACE)
    return compute_all(ctx, only=[pipeline])
