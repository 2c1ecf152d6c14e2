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
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from placehealth.data.nhs_number import normalise_sql
from placehealth.data.schema import LOADABLE, TABLES, Table
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


def stage(con: duckdb.DuckDBPyConnection, extract: Extract, target: str = "stage") -> None:
    """Temp table ``target``: the data-row number and every extract column as text.

    Parquet is read by DuckDB itself (parallel, typed cells cast to text); CSV through
    Arrow with every column as text, so nothing is guessed (leading zeros survive).
    NHS numbers lose their spaces and hyphens here. An optional column the file
    leaves out is empty.
    """
    names = {name.strip().lower(): name for name in header(extract)}
    wanted = [names[c] for c in extract.columns if c in names]

    def text(column: str) -> str:
        if column not in names:
            return f"CAST(NULL AS VARCHAR) AS {column}"
        cell = f'CAST("{names[column]}" AS VARCHAR)'
        return (
            f"{normalise_sql(cell)} AS {column}"
            if column == "nhs_number"
            else f"{cell} AS {column}"
        )

    select = ", ".join(text(c) for c in extract.columns)
    try:
        if extract.format == "parquet" and _PARQUET_ROW not in names:
            path = str(extract.path).replace("'", "''")
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {_PARQUET_ROW} + 1 AS {ROW}, "
                f"{select} FROM read_parquet('{path}', file_row_number = true)"
            )
            return
        if extract.format == "parquet":  # a user column has DuckDB's row-number name
            raw = pq.read_table(extract.path, columns=wanted)
            raw = raw.cast(pa.schema([pa.field(n, pa.string()) for n in raw.column_names]))
        else:
            raw = pa_csv.read_csv(
                extract.path,
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(wanted, pa.string()),
                    include_columns=wanted,
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
    except (pa.ArrowException, OSError, duckdb.Error) as exc:
        raise InputFileError(_readable(exc, extract), file=extract.path) from None
    numbered = raw.append_column(ROW, pa.array(np.arange(1, raw.num_rows + 1, dtype=np.int64)))
    con.register("extract_arrow", numbered)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {ROW}, {select} FROM extract_arrow"
        )
    finally:
        con.unregister("extract_arrow")


_PARQUET_ROW = "file_row_number"


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
