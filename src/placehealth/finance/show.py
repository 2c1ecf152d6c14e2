"""Tables as records for display: each printed value beside what its declared inputs give."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from placehealth.finance.check import judge, shown
from placehealth.finance.load import Book
from placehealth.finance.relations import Claim, claims
from placehealth.sources import cite


def figure_records(book: Book) -> list[dict[str, Any]]:
    """One record per figure the text prints: the value, the cells it restates, and
    whether they agree."""
    found = {(c.document, c.row): c for c in claims(book) if c.check == "figure"}
    records = []
    for figure, placed in book.figures:
        claim = found.get((placed.document.id, figure.key))
        records.append(
            {
                "document": placed.document.id,
                "figure": figure.key,
                "text": figure.text,
                "printed": figure.value.text,
                "unit": figure.unit,
                "source": cite(placed.document.seed, figure.src),
                "equals": [str(r) for r in figure.equals],
                "recomputed": claim.computed if claim else None,
                "shown": shown(claim) if claim else None,
                "agrees": judge(claim) is None if claim else None,
            }
        )
    return records


def table_records(book: Book) -> list[dict[str, Any]]:
    """One record per table: its columns, and per row each cell printed and recomputed."""
    by_cell: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims(book):
        by_cell[(claim.table, claim.row, claim.column)].append(claim)
    records = []
    for table in sorted(book.checked(), key=lambda t: t.id):
        placed = book.where[table.id]
        rows = []
        for row in table.rows:
            cells = []
            for n, column in enumerate(table.columns):
                cell = row.cell(n)
                found = by_cell.get((table.id, row.id, column.id), [])
                cells.append(
                    {
                        "column": column.id,
                        "printed": cell.value.text if cell else None,
                        "value": cell.value.value if cell else None,
                        "recomputed": [
                            {
                                "check": c.check,
                                "value": c.computed,
                                "shown": shown(c),
                                "agrees": judge(c) is None,
                                "from": c.formula,
                            }
                            for c in found
                        ],
                    }
                )
            rows.append({"id": row.id, "label": row.label, "kind": row.kind, "cells": cells})
        records.append(
            {
                "table": table.id,
                "title": table.title,
                "document": placed.document.id,
                "source": cite(placed.document.seed, table.src),
                "file": str(placed.file),
                "unit": table.unit,
                "printed_unit": table.printed_unit,
                "period": table.period,
                "columns": [
                    {"id": c.id, "label": c.label, "unit": table.column_unit(c)}
                    for c in table.columns
                ],
                "rows": rows,
            }
        )
    return records
