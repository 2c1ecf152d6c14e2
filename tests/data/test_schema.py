"""The schema as code: DDL that DuckDB accepts, and a data dictionary that is never stale."""

from __future__ import annotations

import duckdb

from placehealth.data import schema
from placehealth.data.dictionary import PATH, render
from placehealth.engine import tables as engine_tables


def test_committed_data_dictionary_is_current() -> None:
    assert PATH.read_text(encoding="utf-8") == render(), (
        "docs/data-dictionary.md is stale: run uv run python -m placehealth.data.dictionary"
    )


def test_every_table_and_column_is_in_the_dictionary() -> None:
    text = render()
    for table in schema.ALL:
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert f"`{column.name}`" in text


def test_ddl_creates_every_table() -> None:
    con = duckdb.connect()
    for table in schema.ALL:
        con.execute(table.create_sql())
        columns = [r[0] for r in con.execute(f"DESCRIBE {table.name}").fetchall()]
        assert columns == [c.name for c in table.columns]


def test_design_tables_and_what_the_pipelines_read() -> None:
    """DESIGN §4's tables, and the names the engine's pipelines use, all exist."""
    design = {"person", "condition", "apc_spell", "ae_attendance", "op_appointment",
              "gp_contact", "community_contact", "mh_contact", "social_care", "death"}  # fmt: skip
    assert design <= set(schema.TABLES)
    read = {
        engine_tables.PERSON, engine_tables.CONDITION, engine_tables.APC_SPELL,
        engine_tables.AE_ATTENDANCE, engine_tables.SOCIAL_CARE, engine_tables.DEATH,
        engine_tables.LSOA, engine_tables.PRACTICE,
    }  # fmt: skip
    assert read <= set(schema.TABLES)
    assert {"lsoa", "neighbourhood", "imd_decile"} <= {c.name for c in schema.GEO_LSOA.columns}
    assert {"practice_code", "pcn"} <= {c.name for c in schema.GEO_PRACTICE.columns}
    assert "condition" in {c.name for c in schema.CONDITION.columns}


def test_extracts_carry_nhs_number_instead_of_the_key() -> None:
    for table in schema.RECORDS:
        names = [c.extract_name for c in table.extract_columns]
        assert names[0] == "nhs_number"
        assert "person_key" not in names


def test_the_dictionary_describes_the_identifier_checks() -> None:
    """The placeholder, test-range and wrong-column checks of issue 10 are documented,
    for exactly the columns staging scans (identifiers.cell_holds_sql)."""
    from placehealth.data.dictionary import WRONG_COLUMN_SHAPE, WRONG_COLUMN_TEXT
    from placehealth.data.identifiers import SCANNED, cell_holds_sql

    text = render()
    assert "placeholder (all ten digits the same" in text
    assert "999 test range unless the load is declared synthetic" in text
    for table in schema.LOADABLE:
        section = text.split(f"## `{table.name}`")[1].split("\n## ")[0]
        for column in table.extract_columns:
            row = next(
                line for line in section.splitlines() if line.startswith(f"| `{column.name}`")
            )
            scanned = cell_holds_sql(column, "x") is not None
            expected = WRONG_COLUMN_TEXT if column.kind in SCANNED else WRONG_COLUMN_SHAPE
            assert (expected in row) == scanned, (table.name, column.name)
