"""The warehouse file: create it, check it belongs to this key, hold one load's transaction.

The warehouse is a single DuckDB file with the canonical tables of
:mod:`placehealth.data.schema`. A load opens it, begins a transaction, and
either commits everything or rolls everything back; a warehouse that the
failed load itself created is removed again, so nothing is left behind.

Every file a load creates (the warehouse, its write-ahead log, DuckDB's spill
files) is created owner-only, whatever the user's umask: they hold
person-level data. An existing warehouse keeps the permissions it has, so a
deployment that grants a group read access on purpose keeps it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from placehealth.data import schema as s
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.spill import process_alive
from placehealth.errors import ConfigurationError, InputFileError
from placehealth.private import private_umask

MEMORY_ENV = "PLACEHEALTH_MEMORY_LIMIT"
DEFAULT_MEMORY = "4GB"
"""DuckDB's memory for a load; beyond it, work spills to a temporary folder."""


def connect(
    path: Path, *, read_only: bool = False, spill: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the file, turning DuckDB's complaints into one clear message."""
    config: dict[str, str | bool | int | float | list[str]] = {}
    if spill is not None:
        config["temp_directory"] = str(spill)
        config["memory_limit"] = os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise InputFileError(
                "the warehouse is in use by another process",
                file=path,
                hint="wait for it to finish",
            ) from None
        raise InputFileError(
            "not a DuckDB warehouse file", file=path, hint="give a new file name or a warehouse"
        ) from None
    except duckdb.Error:
        raise InputFileError(
            "not a DuckDB warehouse file", file=path, hint="give a new file name or a warehouse"
        ) from None


def create_tables(con: duckdb.DuckDBPyConnection, key: PseudoKey) -> None:
    for table in s.ALL:
        con.execute(table.create_sql())
    con.executemany(
        "INSERT INTO warehouse_meta VALUES (?, ?)",
        [
            ("schema_version", str(s.SCHEMA_VERSION)),
            ("key_check", key.check_value()),
            ("created_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ],
    )


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        rows = con.execute("SELECT name, value FROM warehouse_meta").fetchall()
    except duckdb.CatalogException:
        return {}
    return {str(name): str(value) for name, value in rows}


def check_warehouse(con: duckdb.DuckDBPyConnection, key: PseudoKey, path: Path) -> None:
    """Refuse a file that is not a placehealth warehouse, or was built with another key."""
    settings = meta(con)
    if not settings:
        raise InputFileError(
            "not a placehealth warehouse (no warehouse_meta table)",
            file=path,
            hint="give a new file name to create a warehouse",
        )
    if settings.get("schema_version") != str(s.SCHEMA_VERSION):
        raise ConfigurationError(
            f"warehouse schema version {settings.get('schema_version')} is not {s.SCHEMA_VERSION}",
            file=path,
            hint="rebuild the warehouse from its extracts",
        )
    if settings.get("key_check") != key.check_value():
        raise ConfigurationError(
            "this warehouse was built with a different pseudonymisation key",
            file=path,
            hint="use the key of the earlier loads; a new key would split every person in two",
        )


@contextmanager
def open_for_load(path: Path, key: PseudoKey, spill: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection inside one transaction: committed on success, rolled back on any error.

    A new warehouse is built under a hidden name beside ``path`` (``.NAME.loading-PID``)
    and renamed into place after its commit, so a first load killed half-way leaves no
    file under the warehouse's name to block the next; the next load removes it.
    """
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_loads(path)
    target = path.with_name(f"{LOADING.format(name=path.name)}{os.getpid()}") if created else path
    with private_umask():
        con = connect(target, spill=spill)
        committed = False
        try:
            con.execute("BEGIN TRANSACTION")
            if created:
                create_tables(con, key)
            else:
                check_warehouse(con, key, path)
            yield con
            con.execute("COMMIT")
            committed = True
        finally:
            if not committed:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
            con.close()
            if created and not committed:
                _remove(target)
    if created:
        if path.exists():  # another first load finished meanwhile: keep it, drop ours
            _remove(target)
            raise InputFileError(
                "another load created this warehouse while this one ran; nothing was added",
                file=path,
                hint="run the load again: it will add to that warehouse",
            )
        wal = target.with_name(target.name + ".wal")
        if wal.exists():  # normally folded in at close; never leave it behind
            wal.replace(path.with_name(path.name + ".wal"))
        target.replace(path)


LOADING = ".{name}.loading-"
"""A first load's warehouse until it commits (the process id follows)."""


def _remove(database: Path) -> None:
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _remove_dead_loads(path: Path) -> None:
    """Remove what first loads of ``path`` killed before their commit left behind."""
    prefix = LOADING.format(name=path.name)
    for leftover in path.parent.glob(f"{prefix}*"):
        pid = leftover.name.removeprefix(prefix).removesuffix(".wal")
        if pid.isdigit() and not process_alive(int(pid)):
            leftover.unlink(missing_ok=True)
