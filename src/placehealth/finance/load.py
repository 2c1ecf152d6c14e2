"""Load every finance file under a path into one book of tables and figures.

Table ids are the index's (F04), unique across documents, so a figure or a row in
one document may cite a table of another. Every reference is resolved here: a
table, row or column that does not exist stops the load with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from placehealth.errors import UserError, ValidationError
from placehealth.finance.files import FOLDER, finance_files
from placehealth.finance.model import Figure, FinanceDocument, FinanceFile, Ref, Row, Table
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
    # tables of other plan folders, read only because a table or figure here cites them
    context: set[str] = field(default_factory=set)

    def checked(self) -> list[Table]:
        """The tables read from the path given, not those read for context."""
        return [t for i, t in self.tables.items() if i not in self.context]


def load_book(path: Path) -> Book:
    """Read the finance files under ``path`` (none gives an empty book), and the tables of
    sibling plan folders that they cite (seed 001's running costs cite seed 000's)."""
    book = Book()
    files = finance_files(path)
    for file in files:
        _read(book, file)
    cited = {ref.table for ref in _references(book)} - set(book.tables)
    if cited:
        for file in _sibling_files(path, files):
            context = Book()
            try:
                _read(context, file)
            except UserError:
                continue  # another plan's problem: checking that plan reports it
            for table_id in cited & set(context.tables):
                book.tables[table_id] = context.tables[table_id]
                book.where[table_id] = context.where[table_id]
                book.context.add(table_id)
    _resolve(book)
    return book


def _sibling_files(path: Path, read: list[Path]) -> list[Path]:
    """Finance files of the plan folders beside the one given (one level, never deeper)."""
    folder = path if path.is_dir() else path.parent
    if folder.name == FOLDER:
        folder = folder.parent
    return sorted(set(folder.parent.glob(f"*/{FOLDER}/*.yaml")) - set(read))


def _references(book: Book) -> list[Ref]:
    refs = [r for t in book.tables.values() for row in t.rows for r in _row_refs(row)]
    return refs + [r for f, _ in book.figures for r in f.equals]


def _row_refs(row: Row) -> list[Ref]:
    cells = [ref for cell in row.values if cell is not None for ref in cell.refs()]
    return ([row.same_as] if row.same_as else []) + cells


def _read(book: Book, file: Path) -> None:
    """Add one file's tables and figures to ``book``."""
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


def _resolve(book: Book) -> None:
    """Every reference names a table, row and column that exist."""
    for table in book.checked():
        placed = book.where[table.id]
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
