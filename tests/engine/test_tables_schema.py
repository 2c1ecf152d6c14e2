"""The engine's table names and the columns it reads are those ingestion writes.

The engine names tables in one place (placehealth.engine.tables) and columns in
its expressions; the canonical schema (placehealth.data.schema) is what ingest
creates. Running the pipeline over a warehouse shaped exactly by the schema —
every canonical column, no other — shows the two agree: a column the schema
does not have fails at the engine's first read of it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import narwhals as nw
import pandas as pd
import pytest

from placehealth.data import schema
from placehealth.engine import tables as engine_tables
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.indicators import Context, compute_all
from tests.engine import tiny
from tests.engine.test_parity import assert_same_values

TABLE_NAMES = {
    name: value
    for name, value in vars(engine_tables).items()
    if name.isupper() and isinstance(value, str)
}
TINY_TABLES = {
    name: frame
    for name, frame in vars(tiny).items()
    if name.isupper() and isinstance(frame, pd.DataFrame)
}


def test_every_table_the_engine_names_is_in_the_schema() -> None:
    assert len(TABLE_NAMES) >= 8
    missing = {k: v for k, v in TABLE_NAMES.items() if v not in schema.TABLES}
    assert not missing, f"engine tables not in the schema: {missing}"
    assert not set(TABLE_NAMES.values()) & {t.name for t in schema.BOOKKEEPING}


def test_the_tiny_warehouse_is_a_subset_of_the_schema() -> None:
    assert {frame_name.lower() for frame_name in TINY_TABLES} >= {"person", "geo_lsoa"}
    for frame_name, frame in TINY_TABLES.items():
        table = schema.TABLES[frame_name.lower()]
        extra = set(frame.columns) - {c.name for c in table.columns}
        assert not extra, f"{table.name} has columns the schema does not: {extra}"


def schema_shaped(path: Path) -> Path:
    """The tiny population in tables with every canonical column (empty when tiny lacks it)."""
    con = duckdb.connect(str(path))
    frames = {name.lower(): frame for name, frame in TINY_TABLES.items()}
    for table in schema.LOADABLE:
        columns = ", ".join(f"{c.name} {c.sql_type}" for c in table.columns)
        con.execute(f"create table {table.name} ({columns})")
        if table.name in frames:
            con.register("frame", frames[table.name])
            con.execute(f"insert into {table.name} by name select * from frame")
            con.unregister("frame")
    con.close()
    return path


@pytest.fixture(scope="module")
def canonical_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return schema_shaped(tmp_path_factory.mktemp("canonical") / "canonical.duckdb")


def test_the_schema_holds_every_column_the_engine_reads(
    canonical_warehouse: Path, tiny_warehouse: Path
) -> None:
    results = []
    for path in (canonical_warehouse, tiny_warehouse):
        backend = DuckDBBackend(path)
        ctx = Context(backend, years=[2015, 2016], pooled=[(2015, 2017)])
        results.append(compute_all(ctx))
        backend.close()
    assert len(results[0]) > 50
    assert_same_values(*results)


def test_a_column_outside_the_schema_is_caught(tmp_path: Path) -> None:
    path = schema_shaped(tmp_path / "renamed.duckdb")
    con = duckdb.connect(str(path))
    con.execute("alter table apc_spell rename column admit_date to admission_date")
    con.close()
    backend = DuckDBBackend(path)
    with pytest.raises((duckdb.Error, nw.exceptions.ColumnNotFoundError), match="admit_date"):
        compute_all(Context(backend, years=[2015], pooled=[(2015, 2017)]))
    backend.close()
