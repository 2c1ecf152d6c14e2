"""No raw NHS number anywhere in the warehouse, and never the key."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from placehealth.data import spill
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.private import is_owner_only
from tests.data.conftest import KEY, geography_csv, write_csv


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
    result = ingest(extract, warehouse, key, synthetic=True)
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


def test_the_warehouse_spill_folder_and_quarantine_report_are_owner_only(
    tmp_path: Path, key: PseudoKey
) -> None:
    """Under the common umask 0022 every file a load writes would be world-readable."""
    source = tmp_path / "in"
    geography_csv(source)
    write_csv(source, "person", "nhs_number,sex,birth_month,death_date,lsoa,practice_code",
              "9434765919,F,1950-03,,E01SYN001,SYN001",
              "4010232137,X,1950-03,,E01SYN001,SYN001")  # fmt: skip
    warehouse = tmp_path / "out" / "w.duckdb"
    seen: dict[str, bool] = {}

    def during_the_load(table: str) -> None:
        ours = f"{spill.PREFIX}{os.getpid()}-*"
        temporary = Path(tempfile.gettempdir())
        loading = warehouse.parent.glob(f".{warehouse.name}.loading-*")  # a first load's file
        for path in [*loading, *temporary.glob(ours), *temporary.glob(f"{ours}/*")]:
            seen[path.name] = is_owner_only(path)

    previous = os.umask(0o022)
    try:
        result = ingest(source, warehouse, key, progress=during_the_load)
    finally:
        os.umask(previous)
    assert result.report is not None
    assert seen and all(seen.values()), seen
    assert any(name.startswith(spill.PREFIX) for name in seen)
    assert any(name.startswith(".w.duckdb.loading-") for name in seen)
    for path in [warehouse, result.report, *warehouse.parent.iterdir()]:
        assert is_owner_only(path), path
