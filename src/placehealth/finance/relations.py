"""Recompute what a table claims: each declared total, difference, percentage, per-head
figure, growth rate and restatement becomes a :class:`Claim` — the printed value beside
the value its inputs give, and how far the rounding of those inputs could move it.

A table has a few dozen cells, so this is plain Python over cells; there is nothing to
vectorise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from placehealth.errors import ValidationError
from placehealth.finance.load import Book
from placehealth.finance.model import SCALE, Cell, Column, Ref, Row, Table
from placehealth.finance.printed import Printed
from placehealth.sources import Lines

# How agreement is judged: 'exact' sums of printed values must reproduce the printed
# total; a 'ratio' and a 'restated' value agree anywhere the inputs' rounding allows.
Judged = Literal["exact", "ratio", "restated"]
ADDITIVE = {"sum_of", "difference"}
# a column formula's finding check, by the formula's key
CHECK = {"sum_of": "total-column", "difference": "difference", "pct_change": "pct-change",
         "per_head": "per-head", "growth_of": "growth"}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """A seed and lines: where a printed number is."""

    seed: str
    lines: Lines | None


@dataclass(frozen=True)
class Claim:
    """A printed value and what its declared inputs give."""

    document: str
    table: str
    row: str
    column: str
    check: str  # total-column, row-sum, difference, pct-change, per-head, growth, same-as
    stated: Printed
    computed: float
    spread: float  # how far the inputs' rounding could move ``computed``
    formula: str  # the arithmetic, in words and numbers
    judged: Judged
    source: Source  # where the stated value is printed
    inputs: list[Source] = field(default_factory=list)
    label: str = ""  # the row and column as printed
    unit: str = ""  # the unit the computed value is in, where the inputs' differ


def plus(terms: Iterable[str]) -> str:
    """Terms joined by +, a negative term subtracted: '29.0 − 7.7'."""
    return " + ".join(terms).replace("+ -", "− ")


def cell_source(seed: str, row: Row, cell: Cell) -> Source:
    return Source(seed, cell.src or row.src)


def column_claims(book: Book, table: Table) -> Iterator[Claim]:
    """Every column formula, row by row: total = recurrent + non-recurrent, and so on."""
    placed = book.where[table.id]
    seed = placed.document.seed
    columns = {c.id: c for c in table.columns}
    position = {c.id: n for n, c in enumerate(table.columns)}
    rows = [r for r in table.rows if r.kind != "heading"]
    for column in table.columns:
        for kind, names in column.formula_inputs().items():
            for n, row in enumerate(rows):
                target = row.values[position[column.id]]
                if target is None:
                    continue
                if kind == "growth_of":
                    if n == 0:
                        continue
                    cells = [rows[n - 1].values[position[names[0]]], row.values[position[names[0]]]]
                    rows_of = [rows[n - 1], row]
                else:
                    cells = [row.values[position[c]] for c in names]
                    rows_of = [row] * len(cells)
                inputs = [(r, c) for r, c in zip(rows_of, cells, strict=True) if c is not None]
                if kind == "sum_of":
                    if not inputs:
                        continue
                elif len(inputs) != len(names) + (kind == "growth_of"):
                    continue  # a blank input: nothing to recompute from
                values = [c.value for _, c in inputs]
                formula, fn, judged = _formula(kind, names, columns, table, values)
                try:
                    computed, spread = evaluate(fn, values, judged)
                except ZeroDivisionError:
                    continue
                yield Claim(
                    document=placed.document.id,
                    table=table.id,
                    row=row.id,
                    column=column.id,
                    check=CHECK[kind],
                    stated=target.value,
                    computed=computed,
                    spread=spread,
                    formula=formula,
                    judged=judged,
                    source=cell_source(seed, row, target),
                    inputs=[cell_source(seed, r, c) for r, c in inputs],
                    label=f"'{row.label}', {column.label}",
                )


def _formula(
    kind: str, names: list[str], columns: dict[str, Column], table: Table, values: list[Printed]
) -> tuple[str, Callable[[list[float]], float], Judged]:
    shown = [v.text for v in values]
    if kind == "sum_of":
        words = " + ".join(names)
        return f"{words} = {plus(shown)}", sum, "exact"
    if kind == "difference":
        return f"{names[0]} − {names[1]} = {shown[0]} − {shown[1]}", lambda v: v[0] - v[1], "exact"
    if kind == "pct_change":
        return (
            f"({names[0]} − {names[1]}) / {names[1]} = ({shown[0]} − {shown[1]}) / {shown[1]}",
            lambda v: (v[0] - v[1]) / v[1] * 100.0,
            "ratio",
        )
    if kind == "per_head":
        scale = SCALE.get(table.column_unit(columns[names[0]]), 1.0)
        return (
            f"{names[0]} / {names[1]} = {shown[0]} × {scale:,.0f} / {shown[1]}",
            lambda v: v[0] * scale / v[1],
            "ratio",
        )
    # growth: this row's value on the previous row's
    return (
        f"{names[0]} on the previous row = {shown[1]} / {shown[0]} − 1",
        lambda v: (v[1] / v[0] - 1.0) * 100.0,
        "ratio",
    )


def evaluate(
    fn: Callable[[list[float]], float], values: list[Printed], judged: Judged
) -> tuple[float, float]:
    """The value from the printed inputs, and how far their rounding could move it."""
    exact = fn([v.value for v in values])
    if judged == "exact":  # linear with unit coefficients
        return exact, sum(v.half_unit for v in values)
    corners = [
        fn([v.value + s * v.half_unit for v, s in zip(values, signs, strict=True)])
        for signs in itertools.product((-1.0, 1.0), repeat=len(values))
    ]
    return exact, max(abs(c - exact) for c in corners)


def row_claims(book: Book, table: Table) -> Iterator[Claim]:
    """Every subtotal and total row, in each column that adds up (not a %, per head or
    growth column)."""
    placed = book.where[table.id]
    seed = placed.document.seed
    by_id = {r.id: r for r in table.rows}
    for n, column in enumerate(table.columns):
        if set(column.formula_inputs()) - ADDITIVE:
            continue
        for row in table.rows:
            if not row.sum_of or row.cell(n) is None:
                continue
            parts = [(by_id[r], by_id[r].cell(n)) for r in row.sum_of]
            inputs = [(r, c) for r, c in parts if c is not None]
            if not inputs:
                continue
            values = [c.value for _, c in inputs]
            computed, spread = evaluate(sum, values, "exact")
            target = row.cell(n)
            assert target is not None
            yield Claim(
                document=placed.document.id,
                table=table.id,
                row=row.id,
                column=column.id,
                check="row-sum",
                stated=target.value,
                computed=computed,
                spread=spread,
                formula=f"{' + '.join(r.id for r, _ in inputs)} = {plus(v.text for v in values)}",
                judged="exact",
                source=cell_source(seed, row, target),
                inputs=[cell_source(seed, r, c) for r, c in inputs],
                label=f"'{row.label}', {column.label}",
            )


def _cell(book: Book, ref: Ref) -> tuple[Row, Cell | None, str]:
    """The cell a reference names, its row, and its unit."""
    table = book.tables[ref.table]
    row = next(r for r in table.rows if r.id == ref.row)
    n = next(i for i, c in enumerate(table.columns) if c.id == ref.column)
    cell = row.cell(n)
    return row, cell, table.column_unit(table.columns[n])


def factor(from_unit: str, to_unit: str, where: str) -> float:
    """What a value in ``from_unit`` is multiplied by to be in ``to_unit``."""
    if from_unit == to_unit:
        return 1.0
    if from_unit in SCALE and to_unit in SCALE:
        return SCALE[from_unit] / SCALE[to_unit]
    raise ValidationError(f"{where}: cannot compare {from_unit} with {to_unit}")


def restated_claim(
    book: Book,
    refs: list[Ref],
    *,
    stated: Printed,
    unit: str,
    where: tuple[str, str, str, str],  # document, table (or 'text'), row, column
    source: Source,
    label: str,
    check: str,
) -> Claim | None:
    """A value against the (signed) sum of cells elsewhere, in the value's unit."""
    terms: list[tuple[Printed, float, Source, str]] = []
    for ref in refs:
        row, cell, their_unit = _cell(book, ref)
        if cell is None:
            return None
        scale = factor(their_unit, unit, f"{where[1]}/{where[2]} against {ref}")
        seed = book.where[ref.table].document.seed
        shown = cell.value.text + (f" {their_unit}" if their_unit != unit else "")
        terms.append(
            (cell.value, ref.sign * scale, cell_source(seed, row, cell), f"{ref} ({shown})")
        )
    computed = sum(v.value * k for v, k, _, _ in terms)
    spread = sum(v.half_unit * abs(k) for v, k, _, _ in terms)
    formula = plus(t for _, _, _, t in terms)
    return Claim(
        document=where[0],
        table=where[1],
        row=where[2],
        column=where[3],
        check=check,
        stated=stated,
        computed=computed,
        spread=spread,
        formula=formula,
        judged="restated",
        source=source,
        inputs=[s for _, _, s, _ in terms],
        label=label,
        unit=unit if any(k != 1.0 and k != -1.0 for _, k, _, _ in terms) else "",
    )


def change_claim(book: Book, table: Table, row: Row, n: int, cell: Cell) -> Claim:
    """A stated % change against the change between two cells of other tables."""
    assert cell.pct_change_of is not None
    placed = book.where[table.id]
    new_ref, old_ref = cell.pct_change_of
    new_row, new, new_unit = _cell(book, new_ref)
    old_row, old, old_unit = _cell(book, old_ref)
    column = table.columns[n]
    where = f"{table.id}/{row.id}/{column.id}"
    if new is None or old is None:
        raise ValidationError(f"{where}: pct_change_of names a blank cell", file=placed.file)
    scale = factor(old_unit, new_unit, where)
    new_value, new_half = new.value.value, new.value.half_unit
    old_value, old_half = old.value.value * scale, old.value.half_unit * scale
    computed = (new_value / old_value - 1) * 100
    corners = [
        ((new_value + a * new_half) / (old_value + b * old_half) - 1) * 100
        for a, b in itertools.product((-1.0, 1.0), repeat=2)
    ]
    return Claim(
        document=placed.document.id,
        table=table.id,
        row=row.id,
        column=column.id,
        check="change-across",
        stated=cell.value,
        computed=computed,
        spread=max(abs(c - computed) for c in corners),
        formula=f"{new_ref} / {old_ref} − 1 = {new.value.text} / {old.value.text} − 1",
        judged="ratio",
        source=cell_source(placed.document.seed, row, cell),
        inputs=[
            cell_source(book.where[r.table].document.seed, w, c)
            for r, w, c in ((new_ref, new_row, new), (old_ref, old_row, old))
        ],
        label=f"'{row.label}', {column.label}",
    )


def cross_claims(book: Book) -> Iterator[Claim]:
    """Cells and rows that restate another table's, and figures in the text."""
    for table in book.checked():
        placed = book.where[table.id]
        seed = placed.document.seed
        for row in table.rows:
            for n, (column, cell) in enumerate(zip(table.columns, row.values, strict=False)):
                if cell is None:
                    continue
                refs = []
                if cell.same_as is not None:
                    refs.append(cell.same_as)
                if row.same_as is not None:
                    other = book.tables[row.same_as.table]
                    if column.id in {c.id for c in other.columns}:
                        refs.append(row.same_as.model_copy(update={"column": column.id}))
                if cell.pct_change_of is not None:
                    yield change_claim(book, table, row, n, cell)
                for ref in refs:
                    claim = restated_claim(
                        book,
                        [ref],
                        stated=cell.value,
                        unit=table.column_unit(table.columns[n]),
                        where=(placed.document.id, table.id, row.id, column.id),
                        source=cell_source(seed, row, cell),
                        label=f"'{row.label}', {column.label}",
                        check="same-as",
                    )
                    if claim is not None:
                        yield claim
    for figure, placed in book.figures:
        claim = restated_claim(
            book,
            figure.equals,
            stated=figure.value,
            unit=figure.unit,
            where=(placed.document.id, "text", figure.key, ""),
            source=Source(placed.document.seed, figure.src),
            label=f"'{figure.text or figure.key}'",
            check="figure",
        )
        if claim is not None:
            yield claim


def claims(book: Book) -> list[Claim]:
    """Every claim in the book: each table's own arithmetic, then restatements."""
    out: list[Claim] = []
    for table in book.checked():
        out.extend(column_claims(book, table))
        out.extend(row_claims(book, table))
    out.extend(cross_claims(book))
    return out
