"""Removing people everywhere (the national data opt-out), audited, and for good.

A list of NHS numbers (hashed under the key in Python as they are read, as
ingestion hashes them, so DuckDB never holds one) or
person keys is applied in one transaction: every row of those people goes from
every table, their keys join ``opted_out`` so that no later load (of an old
extract, say) can bring them back, and ``removal_log`` records per table how
many rows went, when, by whom and why. The log holds counts only: no NHS number
and no person key, so the audit trail does not itself say who opted out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from placehealth.data import schema as s
from placehealth.data.ingest import log_removal
from placehealth.data.nhs_number import INVALID, OK, PLACEHOLDER
from placehealth.data.pseudonymise import PseudoKey, key_rows
from placehealth.data.spill import make_spill_dir, remove_spill_dir
from placehealth.data.warehouse import open_for_load
from placehealth.errors import InputFileError

REASON = "opted out"
COLUMNS = ("nhs_number", "person_key")
_HEX64 = "[0-9a-f]{64}"
_SHOWN = 5  # row numbers named in an error


@dataclass
class OptOutResult:
    listed: int  # distinct people on the list
    newly_listed: int  # of them, not on the warehouse's opt-out list before
    removed: dict[str, int] = field(default_factory=dict)  # rows removed per table

    @property
    def people_removed(self) -> int:
        return self.removed.get(s.PERSON.name, 0)


def opt_out(listing: Path, warehouse: Path, key: PseudoKey) -> OptOutResult:
    """Remove everyone in ``listing`` from ``warehouse`` and refuse them from now on."""
    if not warehouse.is_file():
        raise InputFileError("no such warehouse", file=warehouse, hint="give the warehouse file")
    people = _read(listing)
    spill = make_spill_dir()
    try:
        with open_for_load(warehouse, key, spill) as con:
            _keys(con, people, listing, key)
            listed = _count(con, "SELECT count(*) FROM leaving")
            newly = _count(
                con,
                "SELECT count(*) FROM leaving "
                "WHERE person_key NOT IN (SELECT person_key FROM opted_out)",
            )
            con.execute(
                "INSERT INTO opted_out SELECT person_key FROM leaving "
                "WHERE person_key NOT IN (SELECT person_key FROM opted_out)"
            )
            removed = {}
            for table in s.LOADABLE:
                if any(c.kind is s.Kind.PERSON_KEY for c in table.columns):
                    removed[table.name] = _count(
                        con,
                        f"DELETE FROM {table.name} "
                        f"WHERE person_key IN (SELECT person_key FROM leaving)",
                    )
            log_removal(con, REASON, removed, None)
    finally:
        remove_spill_dir(spill)
    return OptOutResult(listed, newly, removed)


def _read(listing: Path) -> pa.Table:
    """The list's one column (nhs_number or person_key) as text, with row numbers."""
    if not listing.is_file():
        raise InputFileError("no such file", file=listing, hint="give a CSV list of people")
    try:
        table = pa_csv.read_csv(
            listing,
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(COLUMNS, pa.string()),
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowException, OSError):
        raise InputFileError(
            "not a readable CSV list",
            file=listing,
            hint="one column headed nhs_number or person_key, one person a line",
        ) from None
    names = [n.strip().lower() for n in table.column_names]
    found = [n for n in COLUMNS if n in names]
    if len(found) != 1 or len(names) != 1:
        raise InputFileError(
            "a list needs exactly one column, headed nhs_number or person_key",
            file=listing,
            hint="one person a line, e.g. a header line nhs_number then 943 476 5919",
        )
    if table.num_rows == 0:
        raise InputFileError("the list is empty", file=listing, hint="one person a line")
    column = table.column(0).cast(pa.string())
    rows = pa.array(range(1, table.num_rows + 1), type=pa.int64())
    return pa.table({"row": rows, found[0]: column})


def _keys(con: duckdb.DuckDBPyConnection, people: pa.Table, listing: Path, key: PseudoKey) -> None:
    """Temp table ``leaving``: the distinct person keys of the list; bad lines refused.

    NHS numbers are hashed in Python as ingestion hashes them
    (:func:`placehealth.data.pseudonymise.key_rows`): DuckDB sees only the hashes.
    Numbers of the 999 test range are accepted (opting out of synthetic data is
    harmless); placeholders are refused, like any invalid number.
    """
    if "nhs_number" in people.column_names:
        numbers = people.column("nhs_number")
        index = key_rows(con, numbers, key, synthetic=True, target="listed_keys")
        listed = pa.table({"row": people.column("row"), "i": index})
        select = (
            "SELECT l.row, k.person_key, k.nhs_status AS status FROM listed_arrow l "
            "LEFT JOIN listed_keys k ON k.i = l.i WHERE l.i IS NOT NULL"
        )
        reasons = {
            INVALID: "not a valid NHS number (10 digits, Modulus 11)",
            PLACEHOLDER: "a placeholder NHS number (all ten digits the same)",
        }
    else:
        listed = people
        select = (
            f"SELECT row, lower(trim(person_key)) AS person_key, CASE WHEN regexp_full_match("
            f"lower(trim(person_key)), '{_HEX64}') THEN '{OK}' ELSE '{INVALID}' END AS status "
            f"FROM listed_arrow WHERE nullif(trim(person_key), '') IS NOT NULL"
        )
        reasons = {INVALID: "not a person key (64 hex characters)"}
    con.register("listed_arrow", listed)
    try:
        con.execute(f"CREATE TEMP TABLE listed AS {select}")
    finally:
        con.unregister("listed_arrow")
    for status, what in reasons.items():
        bad = [int(r[0]) for r in con.execute(
            "SELECT row FROM listed WHERE status = ? ORDER BY row", [status]
        ).fetchall()]  # fmt: skip
        if bad:
            rows = ", ".join(map(str, bad[:_SHOWN])) + (", …" if len(bad) > _SHOWN else "")
            raise InputFileError(
                f"{len(bad)} line(s) {what}: data row(s) {rows}",
                file=listing,
                hint="correct or remove them; nothing was removed",
            )
    con.execute(
        f"CREATE TEMP TABLE leaving AS SELECT DISTINCT person_key FROM listed WHERE status = '{OK}'"
    )
    con.execute("DROP TABLE listed")
    if "nhs_number" in people.column_names:
        con.execute("DROP TABLE listed_keys")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchall()
    return int(row[0][0]) if row else 0
