"""Pydantic models of a finance file (``plans/<document>/finance/*.yaml``).

A table is written as the document prints it: its columns in order, each row's
values as printed (``'(2.75)'``, ``'-£21,806'``, ``null`` for a blank cell), the
lines they came from, and the arithmetic the table claims — a total column that is
the sum of others, a difference, a % change, a per-head figure, a growth rate, a
row that is the sum of rows, a row that repeats another table's. The checker
recomputes each claim from the printed values and reports every disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from placehealth.finance.printed import Printed, parse_printed
from placehealth.plans.model import PeriodLabel
from placehealth.sources import SourceLines
from placehealth.yamlfile import reject_repeats

# What a value is counted in. Money converts between the first four by SCALE.
Unit = Literal["£", "£000", "£m", "£bn", "%", "£/head", "count"]
SCALE: dict[str, float] = {"£": 1.0, "£000": 1e3, "£m": 1e6, "£bn": 1e9}

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
_REF = re.compile(r"^(-)?([A-Z][A-Z0-9]*)/([a-z0-9][a-z0-9-]*)(?:/([a-z0-9][a-z0-9-]*))?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


def _printed(value: Any) -> Any:
    try:
        return parse_printed(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


PrintedValue = Annotated[Printed, BeforeValidator(_printed)]


class Ref(BaseModel):
    """A cell (``F10/total/2014-15``) or a whole row (``F21/total``) of any table,
    negated by a leading ``-``."""

    model_config = ConfigDict(frozen=True)

    table: str
    row: str
    column: str | None = None
    sign: int = 1

    def __str__(self) -> str:
        cell = f"{self.table}/{self.row}" + (f"/{self.column}" if self.column else "")
        return ("-" if self.sign < 0 else "") + cell


def _parse_ref(value: Any) -> Any:
    if isinstance(value, Ref | dict):
        return value
    if isinstance(value, str) and (m := _REF.match(value.strip())):
        sign, table, row, column = m.groups()
        return {"table": table, "row": row, "column": column, "sign": -1 if sign else 1}
    raise ValueError(f"'{value}' is not a reference (write F10/total/2014-15, or -F21/total)")


CellRef = Annotated[Ref, BeforeValidator(_parse_ref)]


class Cell(_Strict):
    """One printed value, with its own lines where they differ from its row's, the cell
    of another table that states the same quantity, and the two cells (new, old) whose %
    change it states (an assumed growth against the tables that apply it)."""

    value: PrintedValue
    src: SourceLines | None = None
    same_as: CellRef | None = None
    pct_change_of: tuple[CellRef, CellRef] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _a_cell(self) -> Cell:
        for ref in self.refs():
            if ref.column is None:
                raise ValueError(f"{ref} names a row; a cell needs a column")
        return self

    def refs(self) -> list[Ref]:
        """Every cell this one is compared with."""
        return ([self.same_as] if self.same_as else []) + list(self.pct_change_of or ())


def _cell(value: Any) -> Any:
    """A bare value (number or printed string) is a cell on its row's lines."""
    if value is None or isinstance(value, dict | Cell):
        return value
    return {"value": value}


class Column(_Strict):
    """A column and, when the table computes it, how: at most one formula.

    ``sum_of`` adds columns; ``difference: [a, b]`` is a − b; ``pct_change: [new, old]``
    is (new − old) / old × 100; ``per_head: [amount, population]`` divides money
    (converted to £) by a count; ``growth_of: c`` is column c's % change on the
    previous row.
    """

    id: Id
    label: str
    unit: Unit | None = None  # default: the table's
    period: PeriodLabel | None = None
    sum_of: list[str] | None = Field(default=None, min_length=2)
    difference: tuple[str, str] | None = None
    pct_change: tuple[str, str] | None = None
    per_head: tuple[str, str] | None = None
    growth_of: str | None = None

    @model_validator(mode="after")
    def _one_formula(self) -> Column:
        if len(self.formula_inputs()) > 1:
            raise ValueError(f"column '{self.id}' has more than one formula")
        return self

    def formula_inputs(self) -> dict[str, list[str]]:
        """The formula this column declares, as {kind: the columns it reads}."""
        declared = {
            "sum_of": self.sum_of,
            "difference": list(self.difference) if self.difference else None,
            "pct_change": list(self.pct_change) if self.pct_change else None,
            "per_head": list(self.per_head) if self.per_head else None,
            "growth_of": [self.growth_of] if self.growth_of else None,
        }
        return {kind: cols for kind, cols in declared.items() if cols}


class Row(_Strict):
    """A row as printed: its label, its values in column order, and what it claims."""

    id: Id
    label: str
    kind: Literal["item", "heading", "subtotal", "total"] = "item"
    values: list[Annotated[Cell | None, BeforeValidator(_cell)]] = Field(default_factory=list)
    sum_of: list[str] | None = Field(default=None, min_length=1)  # rows of this table
    same_as: CellRef | None = None  # the same row in another table (every shared column)
    src: SourceLines | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _sum_for_totals(self) -> Row:
        if self.kind in ("subtotal", "total") and not self.sum_of:
            raise ValueError(f"row '{self.id}' is a {self.kind}: say which rows (sum_of)")
        if self.kind == "heading" and (self.sum_of or any(v is not None for v in self.values)):
            raise ValueError(f"row '{self.id}' is a heading: it has no values and no sum_of")
        return self

    def cell(self, n: int) -> Cell | None:
        """The value in column ``n``; a heading has none."""
        return self.values[n] if self.values else None


class Table(_Strict):
    """One financial table of a document, as printed, with its declared arithmetic."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*$")  # the index's id: F04
    title: str
    src: SourceLines
    unit: Unit
    printed_unit: str | None = None  # the header's unit, where the values are in another
    period: PeriodLabel | None = None  # the period every column covers, if one
    columns: list[Column] = Field(min_length=1)
    rows: list[Row] = Field(min_length=1)
    notes: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> Table:
        reject_repeats([c.id for c in self.columns], f"table {self.id}: column id")
        reject_repeats([r.id for r in self.rows], f"table {self.id}: row id")
        return self

    def problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """What names a column or row the table lacks, or gives a row the wrong number of
        values: (where in the table, the message). The loader reports the first by line."""
        columns = [c.id for c in self.columns]
        rows = [r.id for r in self.rows]
        for n, column in enumerate(self.columns):
            for kind, used in column.formula_inputs().items():
                unknown = [c for c in used if c not in columns or c == column.id]
                if unknown:
                    yield (
                        ("columns", n, kind),
                        (
                            f"table {self.id}: column '{column.id}' {kind} names "
                            f"{', '.join(unknown)}, not another column of the table"
                        ),
                    )
        for n, row in enumerate(self.rows):
            if row.kind != "heading" and len(row.values) != len(columns):
                yield (
                    ("rows", n, "values"),
                    (
                        f"table {self.id}: row '{row.id}' has {len(row.values)} values for "
                        f"{len(columns)} columns (write null for a blank cell)"
                    ),
                )
            unknown = [r for r in row.sum_of or [] if r not in rows or r == row.id]
            if unknown:
                yield (
                    ("rows", n, "sum_of"),
                    (
                        f"table {self.id}: row '{row.id}' sum_of names {', '.join(unknown)}, "
                        "not another row of the table"
                    ),
                )

    def column_unit(self, column: Column) -> str:
        return column.unit or self.unit


class Figure(_Strict):
    """A number printed in the text that claims to be a table's (or a sum of cells:
    ``equals`` lists the cells, each negated by a leading ``-``)."""

    key: Id
    value: PrintedValue
    unit: Unit
    equals: list[CellRef] = Field(min_length=1)
    src: SourceLines
    text: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _cells(self) -> Figure:
        whole_rows = [str(r) for r in self.equals if r.column is None]
        if whole_rows:
            raise ValueError(f"figure '{self.key}': name a cell, not a row ({whole_rows[0]}/…)")
        return self


class FinanceDocument(_Strict):
    """Which plan (document) a finance file belongs to, and its seed."""

    id: Id
    seed: str = Field(pattern=r"^\d{3}$")


class FinanceFile(_Strict):
    """One file of a plan's ``finance/`` folder: tables and the figures that cite them."""

    document: FinanceDocument
    tables: list[Table] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> FinanceFile:
        reject_repeats([t.id for t in self.tables], "table id")
        reject_repeats([f.key for f in self.figures], "figure key")
        return self
