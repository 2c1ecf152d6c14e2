"""Loading extracts into the warehouse: validate, pseudonymise, quarantine, commit once.

A load is one DuckDB transaction. Every file is read, validated and inserted
inside it, with the load log and the quarantine; a failure anywhere (a bad
file, a crash, a kill, a file of which no row could be loaded) leaves the
warehouse exactly as it was. Every row read is accounted for: added, updated,
duplicate or quarantined.

A file whose bytes were loaded before is skipped only if none of its rows was
held back then and no row of its table was removed since; otherwise it is read
again, so rows refused because of another file (a missing person, an unknown
LSOA) load once that file is fixed. Rows identical to ones already in an event
table are not added again, and an event with a ``record_id`` already loaded
replaces it, so loading the same extract twice adds nothing. When a load
records a death (or moves it earlier), the person's events dated after it are
removed from every event table, by the same rules that refuse such rows at
validation. People who opted out are refused.

Raw NHS numbers never enter DuckDB's storage: staging replaces them by their
keyed hash (see :func:`placehealth.data.extracts.stage`), so neither the
warehouse nor a spill file of the load holds one.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from placehealth.data import schema as s
from placehealth.data.extracts import (
    Extract,
    check_columns,
    find_extracts,
    header,
    sha256,
    stage,
)
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.spill import make_spill_dir, remove_spill_dir
from placehealth.data.validate import ROW, code_map, problems, typed
from placehealth.data.warehouse import open_for_load
from placehealth.errors import ValidationError
from placehealth.tables import serialise_table, write_bytes

Progress = Callable[[str], None]
OPTED_OUT = "opted out (national data opt-out): not loaded"
AFTER_DEATH = "after the person's death"
RECORD_ID = "record_id"


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
    rows_opted_out: int = 0  # of the quarantined rows, those of people who opted out

    @property
    def loaded_nothing(self) -> bool:
        """Rows were read and every one was refused, not only for an opt-out."""
        kept = self.rows_added + self.rows_updated + self.rows_duplicate
        return self.rows_read > 0 and kept == 0 and self.rows_quarantined > self.rows_opted_out


@dataclass
class LoadResult:
    load_id: int
    files: list[FileResult] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    report: Path | None = None
    removed: dict[str, int] = field(default_factory=dict)  # events after a new death

    @property
    def quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


class _NothingLoaded(Exception):
    """Raised inside the transaction so that it rolls back."""


def ingest(
    source: Path,
    warehouse: Path,
    key: PseudoKey,
    *,
    report: Path | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    synthetic: bool = False,
    bom: bool = True,
) -> LoadResult:
    """Load every extract in ``source`` into ``warehouse`` in one transaction.

    Raises :class:`ValidationError` (after rolling the whole load back and writing the
    quarantine report) when a file had rows and none of them could be loaded.

    ``synthetic`` accepts NHS numbers of the 999 test range, which synthetic data uses
    and real data must not (they were never issued to a patient). ``bom``: the
    quarantine report starts with the UTF-8 byte-order mark (see ``write_table``).
    """
    extracts = find_extracts(source)
    for extract in extracts:  # every fixable file problem before anything is opened
        check_columns(extract)
    digests = {e.path: sha256(e.path) for e in extracts}
    spill = make_spill_dir()
    try:
        with open_for_load(warehouse, key, spill) as con:
            load_id = _next_load_id(con)
            con.execute("CREATE TEMP TABLE new_deaths (person_key VARCHAR)")
            result = LoadResult(load_id)
            frames = []
            opted_out = _count(con, "opted_out") > 0
            for extract in extracts:
                file_result, found = _load_file(
                    con, extract, digests[extract.path], load_id, key, today or dt.date.today(),
                    synthetic=synthetic, opted_out=opted_out,
                )  # fmt: skip
                result.files.append(file_result)
                if found is not None and len(found):
                    frames.append(found)
                if progress is not None:
                    progress(extract.table.name)
            result.problems = pd.concat(frames, ignore_index=True) if frames else _empty_problems()
            result.removed = _remove_after_deaths(con, load_id)
            if any(f.loaded_nothing for f in result.files):
                raise _NothingLoaded
            _log(con, result, source)
    except _NothingLoaded:
        pass
    finally:
        remove_spill_dir(spill)
    if len(result.problems):
        path = report or warehouse.with_name(f"{warehouse.stem}-load-{load_id}-quarantine.csv")
        data = serialise_table(result.problems, ".csv", bom=bom)
        result.report = write_bytes(data, path, private=True)
    empty = [f for f in result.files if f.loaded_nothing]
    if empty:
        others = f" (and {len(empty) - 1} other file(s) likewise)" if len(empty) > 1 else ""
        raise ValidationError(
            f"every one of its {empty[0].rows_read:,} rows was quarantined{others}, so nothing "
            "was loaded: the whole load was rolled back and the warehouse is unchanged",
            file=source / empty[0].file,
            hint=f"see the quarantine report {result.report}, fix the file and load again",
        )
    return result


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0]
    return int(row[0]) if row else 1


def _already_loaded(con: duckdb.DuckDBPyConnection, table: str, digest: str) -> bool:
    """The same bytes were loaded, none of their rows was held back by that (latest) load,
    and no row of the table has been removed since (after a death), so reading them
    again could change nothing."""
    row = con.execute(
        "SELECT count(*) FROM (SELECT max(load_id) AS last, "
        "arg_max(rows_quarantined, load_id) AS held FROM load_log "
        "WHERE table_name = $t AND file_sha256 = $d AND status = 'loaded') l "
        "WHERE l.last IS NOT NULL AND l.held = 0 AND NOT EXISTS (SELECT 1 FROM removal_log r "
        "WHERE r.table_name = $t AND r.load_id >= l.last)",
        {"t": table, "d": digest},
    ).fetchall()[0]
    return bool(row and row[0])


def _load_file(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    digest: str,
    load_id: int,
    key: PseudoKey,
    today: dt.date,
    *,
    synthetic: bool = False,
    opted_out: bool = False,
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
    if opted_out and any(c.kind is s.Kind.PERSON_KEY for c in table.columns):
        result.rows_opted_out = _refuse_opted_out(con)
        refused = _count(con, f"(SELECT DISTINCT {ROW} FROM problems)")
    result.rows_quarantined = refused
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW accepted AS SELECT {', '.join(table.data_columns)} "
        f"FROM typed WHERE {ROW} NOT IN (SELECT {ROW} FROM problems)"
    )
    accepted = rows_read - refused
    if table.role is s.Role.EVENT:
        keyed = RECORD_ID in {c.strip().lower() for c in header(extract)}
        result.rows_added, result.rows_updated = _append(con, table, load_id, keyed=keyed)
    else:
        if table is s.PERSON:
            _note_deaths(con)
        result.rows_added, result.rows_updated = _upsert(con, table, load_id)
    result.rows_duplicate = accepted - result.rows_added - result.rows_updated
    # validation never copies a value that looks like an NHS number (identifiers.shown_sql)
    found = con.execute(
        f"SELECT ? AS file, {ROW} AS row, column_name AS column, reason, value "
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


def _refuse_opted_out(con: duckdb.DuckDBPyConnection) -> int:
    """Add a problem for every row of a person on the opt-out list; return how many."""
    row = con.execute(
        f"INSERT INTO problems ({ROW}, column_name, reason, value) "
        f"SELECT {ROW}, 'nhs_number', ?, NULL FROM typed "
        f"WHERE person_key IN (SELECT person_key FROM opted_out)",
        [OPTED_OUT],
    ).fetchall()[0]
    return int(row[0]) if row else 0


def _note_deaths(con: duckdb.DuckDBPyConnection) -> None:
    """Remember people whose death this person file records for the first time or earlier."""
    con.execute(
        "INSERT INTO new_deaths SELECT a.person_key FROM accepted a "
        "JOIN person p ON p.person_key = a.person_key WHERE a.death_date IS NOT NULL "
        "AND (p.death_date IS NULL OR a.death_date < p.death_date)"
    )


def _append(
    con: duckdb.DuckDBPyConnection, table: s.Table, load_id: int, *, keyed: bool = False
) -> tuple[int, int]:
    """Add accepted events: by record id where there is one, else as a multiset.

    Rows with a ``record_id`` are upserted on it (a changed row is a correction, counted
    as updated). Rows without one are inserted unless an identical row (also without
    an id) is already there, counting repeats (EXCEPT ALL), so two identical contacts
    stay two. Returns (added, updated).
    """
    added, updated = 0, 0
    if keyed:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW keyed AS SELECT * FROM accepted "
            f"WHERE {RECORD_ID} IS NOT NULL"
        )
        added, updated = _upsert(con, table, load_id, source="keyed")
        con.execute("DROP VIEW keyed")
    cols = ", ".join(table.data_columns)
    new = f"SELECT {cols} FROM accepted" + (f" WHERE {RECORD_ID} IS NULL" if keyed else "")
    if _count(con, table.name):  # an empty table has nothing to compare with
        new += f" EXCEPT ALL SELECT {cols} FROM {table.name} WHERE {RECORD_ID} IS NULL"
    row = con.execute(
        f"INSERT INTO {table.name} ({cols}, load_id) SELECT *, ? FROM ({new})", [load_id]
    ).fetchall()[0]
    return added + (int(row[0]) if row else 0), updated


def _upsert(
    con: duckdb.DuckDBPyConnection, table: s.Table, load_id: int, *, source: str = "accepted"
) -> tuple[int, int]:
    """Update rows whose key exists and whose values changed; insert new keys."""
    keys = " AND ".join(f"t.{k} = a.{k}" for k in table.key)
    values = [c for c in table.data_columns if c not in table.key]
    changed = " OR ".join(f"t.{c} IS DISTINCT FROM a.{c}" for c in values)
    assign = ", ".join(f"{c} = a.{c}" for c in values)
    updated = con.execute(
        f"UPDATE {table.name} t SET {assign}, load_id = ? FROM {source} a "
        f"WHERE {keys} AND ({changed})",
        [load_id],
    ).fetchall()[0]
    cols = ", ".join(table.data_columns)
    added = con.execute(
        f"INSERT INTO {table.name} ({cols}, load_id) SELECT {cols}, ? FROM {source} a "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table.name} t WHERE {keys})",
        [load_id],
    ).fetchall()[0]
    return (int(added[0]) if added else 0), (int(updated[0]) if updated else 0)


def _remove_after_deaths(con: duckdb.DuckDBPyConnection, load_id: int) -> dict[str, int]:
    """Delete, from every event table, events dated after a death this load recorded.

    The rule is validation's: the event date after the death, or a table rule on the
    death date failing (a discharge after it). Each table's count goes to removal_log.
    """
    if not _count(con, "new_deaths"):
        return {}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE died AS SELECT p.person_key AS _person, "
        "p.death_date AS _death_date FROM person p "
        "WHERE p.person_key IN (SELECT person_key FROM new_deaths)"
    )
    removed = {}
    for table in s.RECORDS:
        if table.role is not s.Role.EVENT or table.event_date is None:
            continue
        after = [f"{table.event_date} > _death_date"] + [
            f"NOT coalesce({rule.sql}, TRUE)" for rule in table.rules if "_death_date" in rule.sql
        ]
        row = con.execute(
            f"DELETE FROM {table.name} USING died "
            f"WHERE {table.name}.person_key = died._person AND ({' OR '.join(after)})"
        ).fetchall()[0]
        if row and row[0]:
            removed[table.name] = int(row[0])
    log_removal(con, AFTER_DEATH, removed, load_id)
    con.execute("DROP TABLE died")
    return removed


def log_removal(
    con: duckdb.DuckDBPyConnection, reason: str, counts: dict[str, int], load_id: int | None
) -> None:
    """One removal_log row per table: when, who, why, how many (no identifiers)."""
    if not counts:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.executemany(
        "INSERT INTO removal_log VALUES (?, ?, ?, ?, ?, ?)",
        [(now, user(), reason, table, n, load_id) for table, n in counts.items()],
    )


def user() -> str:
    """The operating-system user running the command, for the logs."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


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
