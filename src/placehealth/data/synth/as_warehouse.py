"""The generated extracts read as a warehouse, so that calibration measures an indicator
with the engine's own definition of it rather than a second one.

Views in a schema of their own give each extract the warehouse's shape (DESIGN §4):
the NHS number stands for the person key (the numbers are synthetic; ingestion would
hash them), and each condition record carries its group from the condition code list,
as ingestion adds it (a code the list does not know would be refused, so it is left
out). The views read the measures' views of the extracts, so restricting those to
one group of people (the noise estimate) restricts what the engine sees too.
"""

from __future__ import annotations

import duckdb

from placehealth.data.conditions import condition_list
from placehealth.engine import tables as t
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.indicators import Context

SCHEMA = "as_warehouse"
PLACE = "place"  # the code of the place-level rows (only those are read)
_PERSON_TABLES = (t.PERSON, t.APC_SPELL, t.SOCIAL_CARE, t.DEATH)
_CODE_GROUPS = "condition_code_groups"


def engine_context(
    con: duckdb.DuckDBPyConnection, years: list[int], pooled: list[tuple[int, int]]
) -> Context:
    """An engine context over the extracts behind ``con`` (place-level areas only)."""
    _create_views(con)
    cursor = con.cursor()
    cursor.execute(f"SET search_path = '{SCHEMA},main'")
    backend = DuckDBBackend(connection=cursor)
    return Context(backend, years=years, pooled=pooled, place=PLACE, area_types=("place",))


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for name in _PERSON_TABLES:
        con.execute(
            f"CREATE OR REPLACE VIEW {SCHEMA}.{name} AS "
            f"SELECT nhs_number AS person_key, * EXCLUDE (nhs_number) FROM main.{name}"
        )
    for name in (t.LSOA, t.PRACTICE):
        con.execute(f"CREATE OR REPLACE VIEW {SCHEMA}.{name} AS SELECT * FROM main.{name}")
    _code_groups(con)
    con.execute(f"""
        CREATE OR REPLACE VIEW {SCHEMA}.{t.CONDITION} AS
        SELECT c.nhs_number AS person_key, c.code_system, CAST(c.code AS VARCHAR) AS code,
               c.recorded_date, g.condition
        FROM main.{t.CONDITION} c JOIN main.{_CODE_GROUPS} g
          ON g.code_system = c.code_system AND g.code = CAST(c.code AS VARCHAR)""")  # fmt: skip


def _code_groups(con: duckdb.DuckDBPyConnection) -> None:
    """The condition group of every distinct code of the extract, once."""
    known = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
        [_CODE_GROUPS],
    ).fetchall()[0][0]
    if known:
        return
    codes = con.execute(
        f"SELECT DISTINCT code_system, CAST(code AS VARCHAR) AS code FROM raw_{t.CONDITION}"
    ).df()
    mapped = condition_list().map_codes(codes).dropna(subset=["condition"])
    con.register("_code_groups_frame", mapped)
    con.execute(f"CREATE TABLE main.{_CODE_GROUPS} AS SELECT * FROM _code_groups_frame")
    con.unregister("_code_groups_frame")
