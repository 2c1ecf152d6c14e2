"""Reading and writing tables (CSV, Parquet, Excel) for commands that take files.

Kept in one place so every command accepts the same formats and reports a
bad file the same way.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from placehealth.errors import InputFileError
from placehealth.private import OWNER_ONLY, owner_only

if TYPE_CHECKING:
    from placehealth.errors import UserError

READABLE = {".csv", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls"}
WRITABLE = {".csv", ".parquet", ".pq", ".xlsx"}
# pandas would read "n/a", "NA", "NULL", "#N/A" and more as blanks without a word
_ONLY_EMPTY_IS_MISSING: dict[str, Any] = {"keep_default_na": False, "na_values": [""]}
# set by every_problem(): where refuse_first notes bad rows instead of raising
_PROBLEMS: ContextVar[list[UserError] | None] = ContextVar("problems", default=None)


def read_table(
    path: str | Path, *, sheet: str | int | None = None, header_row: int = 1, text: bool = False
) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file into a data frame, or raise a clear error.

    ``sheet`` is an Excel sheet's name or number (1 is the first; the default);
    ``header_row`` the file row holding the column names (1 is the first), for
    exports with a title or notes above the table. The file row of the first
    value is kept in ``frame.attrs["first_row"]`` so messages name the right row.
    ``text`` reads CSV and Excel cells as text, so identifiers keep every digit.
    Only an empty cell is missing: "n/a", "NA" or "-" are kept as written, so a
    reader that needs a number refuses them by name rather than taking them as blanks.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError("file not found", file=path, hint="check the path")
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise InputFileError(
            f"unsupported file type '{suffix}'",
            file=path,
            hint="use .csv, .parquet or .xlsx",
        )
    if header_row < 1:
        raise InputFileError(
            f"--header-row {header_row} is not a row", file=path, hint="rows count from 1"
        )
    excel = suffix not in {".csv", ".parquet", ".pq"}
    if sheet is not None and not excel:
        raise InputFileError(
            "--sheet applies to Excel files only", file=path, hint="leave out --sheet"
        )
    if header_row != 1 and suffix in {".parquet", ".pq"}:
        raise InputFileError(
            "--header-row applies to CSV and Excel files only",
            file=path,
            hint="leave out --header-row",
        )
    try:
        if suffix == ".csv":
            frame = pd.read_csv(
                path,
                skiprows=range(header_row - 1),
                dtype=str if text else None,
                **_ONLY_EMPTY_IS_MISSING,
            )
        elif not excel:
            frame = pd.read_parquet(path)
        else:
            frame = _read_excel(path, sheet, header_row, text)
    except InputFileError:
        raise
    except Exception as exc:  # any parser failure is the file's fault, not ours
        raise InputFileError(f"cannot read file: {exc}", file=path) from None
    frame.attrs["first_row"] = header_row + 1
    return frame


def file_row(frame: pd.DataFrame, position: int) -> int:
    """The file row (as a spreadsheet numbers it) of the value at ``position``."""
    return position + int(frame.attrs.get("first_row", 2))


def _read_excel(path: Path, sheet: str | int | None, header_row: int, text: bool) -> pd.DataFrame:
    """One sheet, chosen by name or number, with its headings on ``header_row``."""
    with pd.ExcelFile(path) as book:
        names = [str(n) for n in book.sheet_names]
        chosen: str | int = 0
        if sheet is not None:
            wanted = str(sheet).strip()
            if wanted in names:
                chosen = wanted
            elif wanted.isdigit() and 1 <= int(wanted) <= len(names):
                chosen = int(wanted) - 1
            else:
                raise InputFileError(
                    f"no sheet '{wanted}'",
                    file=path,
                    hint=f"sheets: {', '.join(names)} (give --sheet NAME or a number from 1)",
                )
        return pd.read_excel(
            book,
            sheet_name=chosen,
            header=header_row - 1,
            dtype=str if text else None,
            **_ONLY_EMPTY_IS_MISSING,
        )


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with ``'`` so they stay text.

    Only text columns are touched: a negative number in a numeric column is a
    number, not a formula. Vectorised over each text column.
    """
    out = frame
    for column in frame.columns:
        series = frame[column]
        if series.dtype.kind not in "OSU" and not isinstance(series.dtype, pd.StringDtype):
            continue
        text = series.astype("string")
        risky = text.str.startswith(FORMULA_LEADS).fillna(False).to_numpy(dtype=bool)
        if risky.any():
            if out is frame:
                out = frame.copy()
            out[column] = series.where(~risky, "'" + text)
    headers = [str(c) for c in out.columns]
    safe_headers = ["'" + h if h.startswith(FORMULA_LEADS) else h for h in headers]
    if safe_headers != headers:
        out = out.set_axis(safe_headers, axis=1)
    return out


BOM = b"\xef\xbb\xbf"  # UTF-8 byte-order mark: tells Excel the CSV is UTF-8 (£, –, ×)
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_SAMPLE = 1000  # rows looked at to size a column: enough to be sensible, cheap at a million
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def serialise_table(frame: pd.DataFrame, suffix: str, *, bom: bool = True) -> bytes:
    """A table's file bytes (CSV, Parquet or Excel), with formula-leading text neutralised.

    Made in memory so a caller can hash or audit the bytes before they reach a
    file; every table the product writes goes through here. A CSV starts with
    the UTF-8 byte-order mark unless ``bom=False``: without it Excel reads the
    file as the local code page and garbles £, – and ×. An Excel sheet gets
    real date cells, fitted columns, a frozen header and a filter.
    """
    suffix = suffix.lower()
    buffer = io.BytesIO()
    if suffix in {".parquet", ".pq"}:
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    if suffix == ".csv":
        if bom:
            buffer.write(BOM)
        buffer.write(neutralise_formulas(frame).to_csv(index=False).encode("utf-8"))
    elif suffix == ".xlsx":
        sheet_frame = excel_ready(frame)
        # XlsxWriter writes several times faster than openpyxl, and with these options a
        # text cell is always text: never a formula (CSV injection), a link or a number.
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        with pd.ExcelWriter(
            buffer,
            engine="xlsxwriter",
            date_format="yyyy-mm-dd",
            datetime_format="yyyy-mm-dd hh:mm:ss",
            engine_kwargs={"options": options},
        ) as writer:
            sheet_frame.to_excel(writer, index=False, freeze_panes=(1, 0), autofilter=True)
            _lay_out(writer.sheets[next(iter(writer.sheets))], sheet_frame)
    else:
        raise InputFileError(
            f"unsupported output type '{suffix}'", hint="use .csv, .parquet or .xlsx"
        )
    return buffer.getvalue()


def excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its dates as values Excel stores as dates, not text.

    ISO date text (2021-04-01, as a CSV reads back) becomes a date; a date-time
    column with no time of day becomes dates (shown without 00:00); a
    time-zone-aware column keeps its local wall time (Excel has no zones).
    Financial years (2014/15) and other text are left alone.
    """
    out = frame
    for column in frame.columns:
        series = frame[column]
        converted = _as_excel_dates(series)
        if converted is not None:
            if out is frame:
                out = frame.copy()
            out[column] = converted
    return out


def _as_excel_dates(series: pd.Series) -> pd.Series | None:
    """The column as dates (or date-times) for Excel, or None if it is not a date column."""
    zoned = isinstance(series.dtype, pd.DatetimeTZDtype)
    if zoned:
        series = series.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        present = series.dropna()
        if len(present) and (present == present.dt.normalize()).all():
            return series.dt.date.where(series.notna(), None).astype(object)
        return series if zoned else None
    if series.dtype.kind != "O" and not isinstance(series.dtype, pd.StringDtype):
        return None
    present = series.dropna()
    if not len(present) or not all(isinstance(v, str) for v in present.head(_SAMPLE)):
        return None
    text = present.astype("string")
    if not text.str.fullmatch(_ISO_DATE).all():
        return None
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    if parsed.notna().sum() != len(present):  # 2021-02-30 is text that looks like a date
        return None
    return parsed.dt.date.where(parsed.notna(), None).astype(object)


def _lay_out(sheet: Any, frame: pd.DataFrame) -> None:
    """Columns sized to their header and first rows (the header is frozen by the writer)."""
    sample = frame.head(_SAMPLE)
    for j, column in enumerate(frame.columns):
        cells = sample[column].dropna().astype(str).str.len()
        longest = max(len(str(column)), int(cells.max()) if len(cells) else 0)
        sheet.set_column(j, j, min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def write_bytes(data: bytes, path: str | Path, *, private: bool = False) -> Path:
    """Write through a temporary file and rename, so no reader sees half a file.

    ``private`` files (case lists, anything person-level) are created owner-only
    before a byte is written.
    """
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    descriptor = os.open(temporary, flags, OWNER_ONLY if private else 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        if private:
            owner_only(temporary)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_table(
    frame: pd.DataFrame, path: str | Path, *, private: bool = False, bom: bool = True
) -> Path:
    """Write a data frame as CSV, Parquet or Excel, chosen by the file's suffix.

    A CSV carries the UTF-8 byte-order mark unless ``bom=False`` (see
    :func:`serialise_table`). Returns the resolved path, which is what commands
    print and record.
    """
    path = check_writable(path)
    return write_bytes(serialise_table(frame, path.suffix, bom=bom), path, private=private)


def check_writable(path: str | Path) -> Path:
    """Refuse an output file type we cannot write, before any work is done."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        raise InputFileError(
            f"unsupported output type '{suffix}'",
            file=path,
            hint="use .csv, .parquet or .xlsx",
        )
    return path


def require_columns(frame: pd.DataFrame, columns: list[str], *, file: str | Path) -> None:
    """Raise one clear error naming the first missing column and the ones present."""
    for column in columns:
        if column not in frame.columns:
            raise InputFileError(
                f"missing column '{column}'",
                file=file,
                hint=f"columns present: {', '.join(map(str, frame.columns))}",
            )


def refuse_first(
    bad: pd.Series | Any,
    values: pd.Series,
    message: str,
    *,
    file: str | Path,
    column: str,
    hint: str,
) -> None:
    """Raise one error for the first row marked ``bad``: ``message`` with ``{value}`` filled
    from that row of ``values``, at its file row (``values.attrs["first_row"]``, set by
    :func:`read_table`, is the file row of the first value: 2 below a header on row 1).
    Under :func:`every_problem`, every marked row is noted instead."""
    import numpy as np

    rows = np.flatnonzero(np.asarray(bad, dtype=bool))
    start = int(values.attrs.get("first_row", 2))
    messages = (message.format(value=values.iloc[int(r)]) for r in rows)
    refuse_rows(rows + start, messages, file=file, column=column, hint=hint)


def refuse_rows(
    rows: Iterable[int],
    messages: Iterable[str],
    *,
    file: str | Path,
    column: str,
    hint: str | None,
) -> None:
    """One error per file row with its message: the first raised, or under
    :func:`every_problem` all of them noted, so a preview can list every bad row."""
    from placehealth.errors import ValidationError

    errors = (
        ValidationError(text, file=file, row=int(row), column=column, hint=hint)
        for row, text in zip(rows, messages, strict=True)
    )
    noted = _PROBLEMS.get()
    if noted is not None:
        noted.extend(errors)
    elif (first := next(errors, None)) is not None:
        raise first


@contextmanager
def every_problem() -> Iterator[list[UserError]]:
    """Within this block readers note every bad row (in the list given) instead of stopping
    at the first; whatever they return is then not to be used if the list is not empty."""
    noted: list[UserError] = []
    token = _PROBLEMS.set(noted)
    try:
        yield noted
    finally:
        _PROBLEMS.reset(token)
