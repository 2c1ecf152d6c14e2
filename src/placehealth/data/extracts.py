"""Extract files: find them in a folder, check their columns, read them as text.

An extract folder holds one file per table, named after it (``person.csv``,
``apc_spell.parquet``). Every problem a user can fix by changing a file (an
unknown name, a missing column, a file that is not CSV or Parquet) is found
here, before the warehouse is opened, and reported as one message.

Cells are staged as text with their data-row number (``_row``), so validation
sees exactly what the file says and can point at the row. Only the table's
own columns are read, by name, so a user's extra column can never be mistaken
for one ingestion adds for itself (``_row``, ``load_id``…).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from placehealth.data.identifiers import MASKED, masked_columns_sql
from placehealth.data.pseudonymise import PseudoKey, key_rows
from placehealth.data.schema import LOADABLE, RECORD_ID, TABLES, Table
from placehealth.errors import InputFileError

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
ROW = "_row"


@dataclass(frozen=True)
class Extract:
    path: Path
    table: Table
    format: str

    @property
    def columns(self) -> list[str]:
        return [c.extract_name for c in self.table.extract_columns]

    @property
    def required(self) -> list[str]:
        return [c.extract_name for c in self.table.required_extract_columns]


def find_extracts(folder: Path) -> list[Extract]:
    """The extract files of ``folder``, in load order; other files (e.g. README) are ignored."""
    if not folder.is_dir():
        raise InputFileError("no such folder", file=folder, hint="give the folder of extract files")
    found: dict[str, Extract] = {}
    for path in sorted(folder.iterdir()):
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt is None or not path.is_file():
            continue
        table = TABLES.get(path.stem.lower())
        if table is None or table not in LOADABLE:
            names = ", ".join(t.name for t in LOADABLE)
            raise InputFileError(
                f"'{path.name}' is not named after a table",
                file=path,
                hint=f"name each extract after its table: {names}",
            )
        if table.name in found:
            raise InputFileError(
                f"two files for table '{table.name}'",
                file=path,
                hint=f"keep one of {found[table.name].path.name} and {path.name}",
            )
        found[table.name] = Extract(path, table, fmt)
    if not found:
        raise InputFileError("no extract files (.csv or .parquet named after a table)", file=folder)
    return [found[t.name] for t in LOADABLE if t.name in found]


def header(extract: Extract) -> list[str]:
    """The file's column names, read without reading the data."""
    path = extract.path
    if path.stat().st_size == 0:
        raise InputFileError("the file is empty", file=path, hint="export it again with a header")
    try:
        if extract.format == "parquet":
            return list(pq.read_schema(path).names)
        with pa_csv.open_csv(path, read_options=pa_csv.ReadOptions(block_size=1 << 16)) as r:
            return list(r.schema.names)
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(_readable(exc, extract), file=path) from None


def check_columns(extract: Extract) -> None:
    """One clear error for the first required column the file lacks or names twice."""
    seen: set[str] = set()
    for name in header(extract):
        column = name.strip().lower()
        if column in seen and column in extract.columns:
            raise InputFileError(
                f"column '{column}' appears twice (names are compared ignoring case)",
                file=extract.path,
                hint="keep one of them",
            )
        seen.add(column)
    for column in extract.required:
        if column not in seen:
            raise InputFileError(
                f"missing column '{column}'",
                file=extract.path,
                hint=f"a {extract.table.name} extract needs: {', '.join(extract.required)}",
            )


def stage(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    key: PseudoKey,
    *,
    synthetic: bool = False,
    target: str = "stage",
) -> None:
    """Temp table ``target``: the data-row number and every extract column as text.

    Both formats are read through Arrow into process memory: CSV with every column as
    text, so nothing is guessed (leading zeros survive); Parquet with its own types,
    cast to text by DuckDB. The NHS number never reaches DuckDB's storage (which can
    spill to disk): it is replaced by ``person_key`` (its keyed hash) and ``nhs_status``
    (see :func:`placehealth.data.pseudonymise.key_rows`) before the table is made, and
    an NHS number in any other column is replaced by null, with the column's name in the
    row's ``_masked`` list (see :mod:`placehealth.data.identifiers`). A ``record_id`` is
    replaced by its keyed hash, so a source system's identifier is never at rest either.
    An optional column the file leaves out is empty.
    """
    names = {name.strip().lower(): name for name in header(extract)}
    wanted = [names[c] for c in extract.columns if c in names]  # others are not read at all
    try:
        if extract.format == "parquet":
            raw = pq.read_table(extract.path, columns=wanted)
        else:
            raw = pa_csv.read_csv(
                extract.path,
                convert_options=pa_csv.ConvertOptions(
                    include_columns=wanted,
                    column_types=dict.fromkeys(wanted, pa.string()),
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(_readable(exc, extract), file=extract.path) from None
    select = [f"a.{ROW}"]
    joins = ""
    if "nhs_number" in extract.columns:
        nhs = names["nhs_number"]
        index = key_rows(con, raw.column(nhs), key, synthetic=synthetic)
        raw = raw.drop_columns([nhs]).append_column("_nhs", index)
        select += ["k.person_key", "k.nhs_status"]
        joins = "LEFT JOIN nhs_keys k ON k.i = a._nhs"
    if RECORD_ID.name in names:  # a source identifier may hold anything: keep only its hash
        column = names[RECORD_ID.name]
        ids = pc.cast(raw.column(column), pa.string()).to_pylist()
        position = raw.column_names.index(column)
        raw = raw.set_column(position, column, pa.array(key.hash_text(ids), pa.string()))
    # an NHS number in any other column is dropped here too, and the column named in _masked
    cells = {
        col.extract_name: (col, _cell(names.get(col.extract_name)))
        for col in extract.table.extract_columns
        if col.extract_name != "nhs_number"
    }
    select += [f"CASE WHEN list_contains(a.{MASKED}, '{name}') THEN NULL ELSE a.{name} END "
               f"AS {name}" for name in cells]  # fmt: skip
    select.append(f"a.{MASKED}")
    numbered = raw.append_column(ROW, pa.array(np.arange(1, raw.num_rows + 1, dtype=np.int64)))
    scanned = [ROW, *(["_nhs"] if joins else [])]
    scanned += [f"{cell} AS {name}" for name, (_, cell) in cells.items()]
    scanned.append(f"{masked_columns_sql(cells)} AS {MASKED}")
    con.register("extract_arrow", numbered)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {', '.join(select)} "
            f"FROM (SELECT {', '.join(scanned)} FROM extract_arrow) a {joins}"
        )
    finally:
        con.unregister("extract_arrow")
    if joins:
        con.execute("DROP TABLE nhs_keys")


def _cell(name: str | None) -> str:
    """SQL for a column of the file as text; null for an optional column it leaves out."""
    return f'CAST("{name}" AS VARCHAR)' if name is not None else "CAST(NULL AS VARCHAR)"


def sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


_CSV_FIELDS = re.compile(r"Expected (\d+) columns, got (\d+)")


def _readable(exc: Exception, extract: Extract) -> str:
    """The parser's complaint in the user's words, without echoing row content."""
    text = str(exc)
    if extract.format == "parquet":
        return "not a readable Parquet file (export it again, or name it .csv if it is CSV)"
    if m := _CSV_FIELDS.search(text):
        return f"malformed CSV: a row has {m.group(2)} fields where the header has {m.group(1)}"
    if "UTF8" in text or "UTF-8" in text:
        return "not UTF-8 text (save the CSV as UTF-8)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read file: {exc.strerror}"
    return "not a readable CSV file"
