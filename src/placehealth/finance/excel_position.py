"""The financial position as an Excel workbook and back, without loss.

One sheet, one line per row of each position table (recurrent, non-recurrent and total
columns): its values as printed (text, so ``16.0`` keeps its decimal), the lines each
came from, what it restates and its totals. The product's one table writer writes it;
reading goes through the same reader as every other input (openpyxl underneath).
Reading a workbook rebuilds each table through the finance file model, so anything a
finance file may not hold — an unknown kind, a value that is not a number, a total
without its rows — is refused with the workbook's file and row before anything is
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pydantic
import yaml

from placehealth.errors import ValidationError
from placehealth.finance.load import Book
from placehealth.finance.model import Cell, FinanceDocument, Row, Table
from placehealth.finance.position_model import is_position
from placehealth.tables import file_row, read_table, require_columns

POSITION_COLUMNS = ("recurrent", "non-recurrent", "total")
TABLE_FIELDS = ("document", "seed", "table", "title", "table_src", "unit", "period", "table_notes")
ROW_FIELDS = ("row", "label", "kind", "sum_of", "row_same_as", "row_src", "row_note")
CELL_FIELDS = ("", " src", " same_as", " note")
HEADERS = [
    *TABLE_FIELDS,
    *ROW_FIELDS,
    *(f"{column}{suffix}" for column in POSITION_COLUMNS for suffix in CELL_FIELDS),
]
_STANDARD = [
    {"id": "recurrent", "label": "Recurrent"},
    {"id": "non-recurrent", "label": "Non Recurrent"},
    {"id": "total", "label": "TOTAL", "sum_of": ["recurrent", "non-recurrent"]},
]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _cell_fields(cell: Cell | None) -> list[str]:
    if cell is None:
        return ["", "", "", ""]
    return [cell.value.text, _text(cell.src), _text(cell.same_as), _text(cell.note)]


def position_frame(book: Book) -> pd.DataFrame:
    """Every position table of ``book`` as rows of text (the workbook's one sheet)."""
    records = []
    for table in book.checked():
        if not is_position(table):
            continue
        columns = [c.model_dump(exclude_none=True) for c in table.columns]
        if columns != _STANDARD:
            raise ValidationError(
                f"table {table.id}: a position's columns are Recurrent, Non Recurrent and TOTAL "
                "(the sum of the two) to be exported",
                file=book.where[table.id].file,
            )
        placed = book.where[table.id]
        head = [
            *(placed.document.id, placed.document.seed, table.id, table.title),
            *(str(table.src), table.unit, _text(table.period), _text(table.notes)),
        ]
        records += [
            [
                *head,
                row.id,
                row.label,
                row.kind,
                ", ".join(row.sum_of or []),
                _text(row.same_as),
                _text(row.src),
                _text(row.note),
                *(f for n in range(3) for f in _cell_fields(row.cell(n))),
            ]
            for row in table.rows
        ]
    if not records:
        raise ValidationError("no financial position tables to export")
    return pd.DataFrame(records, columns=HEADERS, dtype="string")


def _or_none(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _cell_data(line: pd.Series, column: str) -> dict[str, Any] | None:
    value = _or_none(line[column])
    if value is None:
        return None
    cell: dict[str, Any] = {"value": value}
    for suffix, key in ((" src", "src"), (" same_as", "same_as"), (" note", "note")):
        if (found := _or_none(line[f"{column}{suffix}"])) is not None:
            cell[key] = found
    return cell


def _row_data(line: pd.Series) -> dict[str, Any]:
    row: dict[str, Any] = {"id": _or_none(line["row"]), "label": _or_none(line["label"])}
    row["kind"] = _or_none(line["kind"]) or "item"
    if (sum_of := _or_none(line["sum_of"])) is not None:
        row["sum_of"] = [s.strip() for s in sum_of.split(",")]
    for field, key in (("row_same_as", "same_as"), ("row_src", "src"), ("row_note", "note")):
        if (found := _or_none(line[field])) is not None:
            row[key] = found
    if row["kind"] != "heading":
        row["values"] = [_cell_data(line, c) for c in POSITION_COLUMNS]
    return row


def read_position(path: Path) -> tuple[FinanceDocument, list[Table]]:
    """The position tables of a workbook written by :func:`position_frame`; any row that
    a finance file could not hold stops the read with the workbook's file and row."""
    frame = read_table(path, text=True)
    frame.index = pd.RangeIndex(len(frame))  # positions, so a row's file row is known
    require_columns(frame, HEADERS, file=path)
    if frame.empty:
        raise ValidationError("the workbook has no rows", file=path)
    documents = frame[["document", "seed"]].drop_duplicates()
    if len(documents) != 1:
        raise ValidationError(
            "a workbook holds one document's position (document and seed differ between rows)",
            file=path,
            row=file_row(frame, int(documents.index[1])),
        )
    first = frame.iloc[0]
    try:
        document = FinanceDocument(id=_or_none(first["document"]), seed=_or_none(first["seed"]))
    except pydantic.ValidationError as exc:
        raise _refusal(exc, path, file_row(frame, 0)) from None
    tables: list[Table] = []
    for table_id, lines in frame.groupby("table", sort=False):
        head = lines.iloc[0]
        data: dict[str, Any] = {
            "id": table_id,
            "title": _or_none(head["title"]),
            "src": _or_none(head["table_src"]),
            "unit": _or_none(head["unit"]),
            "columns": _STANDARD,
            "rows": [],
        }
        for key, field in (("period", "period"), ("notes", "table_notes")):
            if (found := _or_none(head[field])) is not None:
                data[key] = found
        for position, line in lines.iterrows():
            at = file_row(frame, int(str(position)))
            try:
                data["rows"].append(Row.model_validate(_row_data(line)))
            except pydantic.ValidationError as exc:
                raise _refusal(exc, path, at) from None
        try:
            table = Table.model_validate(data)
        except pydantic.ValidationError as exc:
            raise _refusal(exc, path, file_row(frame, int(str(lines.index[0])))) from None
        for _, problem in table.problems():
            raise ValidationError(problem, file=path)
        tables.append(table)
    return document, tables


def _refusal(exc: pydantic.ValidationError, path: Path, row: int) -> ValidationError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"] if not str(p).startswith(("function-", "<")))
    return ValidationError(
        f"{where}: {first['msg'].removeprefix('Value error, ')}", file=path, row=row
    )


def finance_yaml(document: FinanceDocument, tables: list[Table]) -> str:
    """A finance file holding ``tables``, as the loader reads them back."""
    return yaml.safe_dump(
        {
            "document": {"id": document.id, "seed": document.seed},
            "tables": [_table_yaml(t) for t in tables],
        },
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def _table_yaml(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {"id": table.id, "title": table.title, "src": str(table.src),
                           "unit": table.unit}  # fmt: skip
    if table.period is not None:
        out["period"] = str(table.period)
    out["columns"] = [c.model_dump(exclude_none=True) for c in table.columns]
    out["rows"] = [_row_yaml(r) for r in table.rows]
    if table.notes is not None:
        out["notes"] = table.notes
    return out


def _row_yaml(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "label": row.label}
    if row.kind != "item":
        out["kind"] = row.kind
    if row.sum_of:
        out["sum_of"] = list(row.sum_of)
    if row.same_as is not None:
        out["same_as"] = str(row.same_as)
    if row.values:
        out["values"] = [_cell_yaml(c) for c in row.values]
    for key in ("src", "note"):
        if (value := getattr(row, key)) is not None:
            out[key] = str(value)
    return out


def _cell_yaml(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    out: dict[str, Any] = {"value": cell.value.text}
    for key in ("src", "same_as", "note"):
        if (value := getattr(cell, key)) is not None:
            out[key] = str(value)
    return out
