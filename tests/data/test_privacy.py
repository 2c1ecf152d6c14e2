"""No raw NHS number anywhere in the warehouse, and never the key."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from tests.data.conftest import KEY


def uncompressed_copy(warehouse: Path, target: Path) -> bytes:
    """The warehouse rewritten without compression, so every stored value is in the bytes."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS src (READ_ONLY)")
    con.execute(f"ATTACH '{target}' AS plain")
    con.execute("SET force_compression = 'uncompressed'")
    con.execute("COPY FROM DATABASE src TO plain")
    con.execute("DETACH plain")
    con.close()
    return target.read_bytes()


def found(numbers: list[str], data: bytes) -> list[str]:
    """The numbers that occur in ``data`` as ten consecutive ASCII digits (one pass)."""
    windows = set()
    for run in re.findall(rb"[0-9]{10,}", data):
        windows.update(run[i : i + 10] for i in range(len(run) - 9))
    return [n for n in numbers if n.encode() in windows]


def test_the_scan_would_find_raw_numbers_if_they_were_stored(tmp_path: Path) -> None:
    """Control: DuckDB compresses strings, so only the uncompressed copy proves absence."""
    numbers = [f"999{i:07d}" for i in range(0, 3_000_000, 1_501)]
    leaky = tmp_path / "leaky.duckdb"
    con = duckdb.connect(str(leaky))
    con.register("f", pd.DataFrame({"n": numbers}))
    con.execute("CREATE TABLE t AS SELECT n FROM f")
    con.close()
    assert len(found(numbers, uncompressed_copy(leaky, tmp_path / "plain.duckdb"))) == len(numbers)


def test_no_raw_nhs_number_in_the_warehouse(extract: Path, tmp_path: Path, key: PseudoKey) -> None:
    warehouse = tmp_path / "w.duckdb"
    # a bad row too: its number goes through validation and quarantine
    contacts = pq.read_table(extract / "gp_contact.parquet").to_pandas().astype(str)
    bad = contacts.head(3).assign(contact_date="not a date")
    pd.concat([contacts, bad]).to_parquet(extract / "gp_contact.parquet")
    result = ingest(extract, warehouse, key)
    assert result.quarantined == 3
    numbers = sorted(
        set(pq.read_table(extract / "person.parquet").column("nhs_number").to_pylist())
    )
    assert len(numbers) > 1_000
    stored = warehouse.read_bytes()
    wal = warehouse.with_name(warehouse.name + ".wal")
    stored += wal.read_bytes() if wal.exists() else b""
    plain = uncompressed_copy(warehouse, tmp_path / "plain.duckdb")
    assert found(numbers, stored) == []
    assert found(numbers, plain) == []
    assert KEY.encode() not in stored and KEY.encode() not in plain
    # and through SQL: no cell of any table, read as text, contains a number
    con = duckdb.connect(str(warehouse), read_only=True)
    con.register("numbers", pd.DataFrame({"n": numbers}))
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
        for (column,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall():
            hits = con.execute(
                f"SELECT count(*) FROM (SELECT unnest(regexp_extract_all("
                f'CAST("{column}" AS VARCHAR), \'[0-9]{{10}}\')) AS n FROM "{table}") '
                f"WHERE n IN (SELECT n FROM numbers)"
            ).fetchall()[0][0]
            assert hits == 0, f"{table}.{column}"
    con.close()
