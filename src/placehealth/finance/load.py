"""Load every finance file under a path into one book of tables and figures.

Table ids are the index's (F04), unique across documents, so a figure or a row in
one document may cite a table of another. Every reference is resolved here: a
table, row or column that does not exist stops the load with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from placehealth.errors import ValidationError
from placehealth.finance.files import finance_files
from placehealth.finance.model import Figure, FinanceDocument, FinanceFile, Ref, Table
from placehealth.yamlfile import line_of, load_model


@dataclass(frozen=True)
class Placed:
    """Where a table or figure was read: its document, file and position in the file."""

    document: FinanceDocument
    file: Path
    index: int


@dataclass
class Book:
    """Every table and figure of the finance files read, with where each came from."""

    tables: dict[str, Table] = field(default_factory=dict)
    where: dict[str, Placed] = field(default_factory=dict)  # table id -> where it is
    figures: list[tuple[Figure, Placed]] = field(default_factory=list)


def load_book(path: Path) -> Book:
    """Read the finance files under ``path`` (none gives an empty book)."""
    book = Book()
    for file in finance_files(path):
        parsed = load_model(file, FinanceFile)
        for index, table in enumerate(parsed.tables):
            for location, problem in table.problems():
                raise ValidationError(
                    problem, file=file, line=line_of(file, ("tables", index, *location))
                )
            if table.id in book.tables:
                raise ValidationError(
                    f"table {table.id} is also in {book.where[table.id].file}",
                    file=file,
                    line=line_of(file, ("tables", index, "id")),
                    hint="each index table is encoded once",
                )
            book.tables[table.id] = table
            book.where[table.id] = Placed(parsed.document, file, index)
        for index, figure in enumerate(parsed.figures):
            book.figures.append((figure, Placed(parsed.document, file, index)))
    _resolve(book)
    return book


def _resolve(book: Book) -> None:
    """Every reference names a table, row and column that exist."""
    for table_id, table in book.tables.items():
        placed = book.where[table_id]
        for n, row in enumerate(table.rows):
            at = ("tables", placed.index, "rows", n)
            if row.same_as is not None:
                _check_ref(book, row.same_as, placed, (*at, "same_as"))
            for c, cell in enumerate(row.values):
                for ref in cell.refs() if cell is not None else []:
                    _check_ref(book, ref, placed, (*at, "values", c))
    for figure, placed in book.figures:
        for n, ref in enumerate(figure.equals):
            _check_ref(book, ref, placed, ("figures", placed.index, "equals", n))


def _check_ref(book: Book, ref: Ref, placed: Placed, location: tuple[str | int, ...]) -> None:
    problem = None
    table = book.tables.get(ref.table)
    if table is None:
        problem = f"no table {ref.table} in the finance files read"
    elif ref.row not in {r.id for r in table.rows}:
        problem = f"table {ref.table} has no row '{ref.row}'"
    elif ref.column is not None and ref.column not in {c.id for c in table.columns}:
        problem = f"table {ref.table} has no column '{ref.column}'"
    if problem:
        raise ValidationError(
            f"{ref}: {problem}",
            file=placed.file,
            line=line_of(placed.file, location),
            hint="write TABLE/row/column with the ids the table file uses",
        )
