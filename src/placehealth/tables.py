"""Reading and writing tables (CSV, Parquet, Excel) for commands that take files.

Kept in one place so every command accepts the same formats and reports a
bad file the same way.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.errors import InputFileError

READABLE = {".csv", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls"}
WRITABLE = {".csv", ".parquet", ".pq", ".xlsx"}


def read_table(path: str | Path, *, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file into a data frame, or raise a clear error."""
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
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in {".parquet", ".pq"}:
            return pd.read_parquet(path)
        return pd.read_excel(path, sheet_name=sheet)
    except InputFileError:
        raise
    except Exception as exc:  # any parser failure is the file's fault, not ours
        raise InputFileError(f"cannot read file: {exc}", file=path) from None


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a data frame as CSV, Parquet or Excel, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        raise InputFileError(
            f"unsupported output type '{suffix}'",
            file=path,
            hint="use .csv, .parquet or .xlsx",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix in {".parquet", ".pq"}:
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
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
