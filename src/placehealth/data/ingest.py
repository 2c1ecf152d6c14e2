"""Loading extracts into the warehouse: validate, pseudonymise, quarantine, commit once.

A load is one DuckDB transaction. Every file is read, validated and inserted
inside it, with the load log and the quarantine; a failure anywhere (a bad
file, a crash, a kill) leaves the warehouse exactly as it was. A file whose
bytes were loaded before is skipped, and rows identical to ones already in an
event table are not added again, so loading the same extract twice adds
nothing. Raw NHS numbers never enter DuckDB's storage: staging replaces them by
their keyed hash (see :func:`placehealth.data.extracts.stage`), so neither the
warehouse nor a spill file of the load holds one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from placehealth.data import schema as s
from placehealth.data.extracts import Extract, check_columns, find_extracts, sha256, stage
from placehealth.data.nhs_number import normalise_sql, valid_sql
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.spill import make_spill_dir, remove_spill_dir
from placehealth.data.validate import ROW, code_map, problems, typed
from placehealth.data.warehouse import open_for_load
from placehealth.tables import serialise_table, write_bytes

Progress = Callable[[str], None]


@dataclass
class FileResult:
    file: str
    table: str
    status: str
    file_sha256: str
    rows_read: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0


@dataclass
class LoadResult:
    load_id: int
    files: list[FileResult] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    report: Path | None = None

    @property
    def quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


def ingest(
    source: Path,
    warehouse: Path,
    key: PseudoKey,
    *,
    report: Path | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    synthetic: bool = False,
) -> LoadResult:
    """Load every extract in ``source`` into ``warehouse`` in one transaction.

    ``synthetic`` accepts NHS numbers of the 999 test range, which synthetic data uses
    and real data must not (they were never issued to a patient).
    """
    extracts = find_extracts(source)
    for extract in extracts:  # every fixable file problem before anything is opened
        check_columns(extract)
    digests = {e.path: sha256(e.path) for e in extracts}
    spill = make_spill_dir()
    try:
        with open_for_load(warehouse, key, spill) as con:
            load_id = _next_load_id(con)
            result = LoadResult(load_id)
            frames = []
            for extract in extracts:
                file_result, found = _load_file(
                    con,
                    extract,
                    digests[extract.path],
                    load_id,
                    key,
                    today or dt.date.today(),
                    synthetic,
                )
                result.files.append(file_result)
                if found is not None and len(found):
                    frames.append(found)
                if progress is not None:
                    progress(extract.table.name)
            result.problems = pd.concat(frames, ignore_index=True) if frames else _empty_problems()
            _log(con, result, source)
    finally:
        remove_spill_dir(spill)
    if len(result.problems):
        path = report or warehouse.with_name(f"{warehouse.stem}-load-{load_id}-quarantine.csv")
        result.report = write_bytes(serialise_table(result.problems, ".csv"), path, private=True)
    return result


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0]
    return int(row[0]) if row else 1


def _already_loaded(con: duckdb.DuckDBPyConnection, table: str, digest: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM load_log WHERE table_name = ? AND file_sha256 = ? "
        "AND status = 'loaded'",
        [table, digest],
    ).fetchall()[0]
    return bool(row and row[0])


def _load_file(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    digest: str,
    load_id: int,
    key: PseudoKey,
    today: dt.date,
    synthetic: bool,
) -> tuple[FileResult, pd.DataFrame | None]:
    table = extract.table
    name = extract.path.name
    if _already_loaded(con, table.name, digest):
        return FileResult(name, table.name, "skipped", digest), None
    stage(con, extract, key, synthetic=synthetic)
    rows_read = _count(con, "stage")
    if table is s.CONDITION:
        code_map(con, "stage")
    typed(con, table, "stage", "typed")
    con.execute("DROP TABLE stage")
    refused = problems(con, table, "typed", today)
    result = FileResult(name, table.name, "loaded", digest, rows_read=rows_read)
    result.rows_quarantined = refused
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW accepted AS SELECT {', '.join(table.data_columns)} "
        f"FROM typed WHERE {ROW} NOT IN (SELECT {ROW} FROM problems)"
    )
    accepted = rows_read - refused
    if table.role is s.Role.EVENT:
        result.rows_added = _append(con, table, load_id)
    else:
        result.rows_added, result.rows_updated = _upsert(con, table, load_id)
    result.rows_duplicate = accepted - result.rows_added - result.rows_updated
    # a value that looks like an NHS number (in whatever column) is not copied either
    looks_like = valid_sql(normalise_sql("value"))
    found = con.execute(
        f"SELECT ? AS file, {ROW} AS row, column_name AS column, reason, "
        f"CASE WHEN {looks_like} THEN NULL ELSE value END AS value "
        f"FROM problems ORDER BY {ROW}, column_name, reason",
        [name],
    ).df()
    con.register("found_frame", found)
    con.execute(
        'INSERT INTO quarantine SELECT ?, file, row, "column", reason, value FROM found_frame',
        [load_id],
    )
    con.unregister("found_frame")
    con.execute("DROP VIEW accepted")
    for temp in ("typed", "problems"):
        con.execute(f"DROP TABLE {temp}")
    return result, found


def _append(con: duckdb.DuckDBPyConnection, table: s.Table, load_id: int) -> int:
    """Insert accepted rows not already in the table (as a multiset: EXCEPT ALL)."""
    cols = ", ".join(table.data_columns)
    new = f"SELECT {cols} FROM accepted"
    if _count(con, table.name):  # an empty table has nothing to compare with
        new += f" EXCEPT ALL SELECT {cols} FROM {table.name}"
    row = con.execute(
        f"INSERT INTO {table.name} ({cols}, load_id) SELECT *, ? FROM ({new})", [load_id]
    ).fetchall()[0]
    return int(row[0]) if row else 0


def _upsert(con: duckdb.DuckDBPyConnection, table: s.Table, load_id: int) -> tuple[int, int]:
    """Update rows whose key exists and whose values changed; insert new keys."""
    keys = " AND ".join(f"t.{k} = a.{k}" for k in table.key)
    values = [c for c in table.data_columns if c not in table.key]
    changed = " OR ".join(f"t.{c} IS DISTINCT FROM a.{c}" for c in values)
    assign = ", ".join(f"{c} = a.{c}" for c in values)
    updated = con.execute(
        f"UPDATE {table.name} t SET {assign}, load_id = ? FROM accepted a "
        f"WHERE {keys} AND ({changed})",
        [load_id],
    ).fetchall()[0]
    cols = ", ".join(table.data_columns)
    key_cols = ", ".join(table.key)
    added = con.execute(
        f"INSERT INTO {table.name} ({cols}, load_id) SELECT {cols}, ? FROM accepted "
        f"WHERE ({key_cols}) NOT IN (SELECT ({key_cols}) FROM {table.name})",
        [load_id],
    ).fetchall()[0]
    return (int(added[0]) if added else 0), (int(updated[0]) if updated else 0)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
    return int(row[0]) if row else 0


def _log(con: duckdb.DuckDBPyConnection, result: LoadResult, source: Path) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        (result.load_id, now, str(source), f.file, f.table, f.file_sha256, f.status, f.rows_read,
         f.rows_added, f.rows_updated, f.rows_duplicate, f.rows_quarantined)
        for f in result.files
    ]  # fmt: skip
    con.executemany("INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _empty_problems() -> pd.DataFrame:
    return pd.DataFrame(columns=["file", "row", "column", "reason", "value"])
