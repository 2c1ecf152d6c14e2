"""Every declared sum and difference of a book as one sparse matrix product.

The checker recomputes claims one at a time (``relations``), which suits a few
documents. Many places' plans (or many what-ifs of one) are better done at once: the
printed values are one vector, each additive claim (a total column, a total row, a
difference) one row of a sparse matrix of +1/−1 coefficients, and every claim's
recomputed value is their product. ``tests/finance/test_model_sums.py`` checks that it
gives what the checker gives, claim by claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from placehealth.finance.load import Book
from placehealth.finance.relations import ADDITIVE, CHECK


@dataclass(frozen=True)
class SumSystem:
    """The printed values (``values``), the claims' ids and targets, and the matrix
    that recomputes each claim from the values."""

    ids: list[tuple[str, str, str, str]]  # table, row, column, check
    values: npt.NDArray[np.float64]
    stated: npt.NDArray[np.int64]  # the index of each claim's printed value
    matrix: sparse.csr_matrix

    def computed(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.matrix @ self.values, dtype=float)


def sum_system(book: Book) -> SumSystem:
    """The additive claims of every table checked in ``book`` (as ``relations`` declares
    them: blank inputs left out, a claim with no input skipped)."""
    index: dict[tuple[str, str, str], int] = {}
    values: list[float] = []

    def cell(table: str, row: str, column: str, value: float) -> int:
        key = (table, row, column)
        if key not in index:
            index[key] = len(values)
            values.append(value)
        return index[key]

    ids: list[tuple[str, str, str, str]] = []
    stated: list[int] = []
    rows_at: list[int] = []
    cols_at: list[int] = []
    signs: list[float] = []
    for table in book.checked():
        items = [r for r in table.rows if r.kind != "heading"]
        by_id = {r.id: r for r in table.rows}
        position = {c.id: n for n, c in enumerate(table.columns)}
        claims: list[tuple[str, str, str, int, list[tuple[str, str, int, float]]]] = []
        for column in table.columns:  # total and difference columns, row by row
            for kind, names in column.formula_inputs().items():
                if kind not in ADDITIVE:
                    continue
                coefficients = [1.0] * len(names) if kind == "sum_of" else [1.0, -1.0]
                for row in items:
                    pairs = zip(names, coefficients, strict=True)
                    terms = [(row.id, c, position[c], k) for c, k in pairs]
                    claims.append((row.id, column.id, CHECK[kind], position[column.id], terms))
        for n, column in enumerate(table.columns):  # total rows, column by column
            if set(column.formula_inputs()) - ADDITIVE:
                continue
            for row in table.rows:
                if row.sum_of:
                    terms = [(r, column.id, n, 1.0) for r in row.sum_of]
                    claims.append((row.id, column.id, "row-sum", n, terms))
        for row_id, column_id, check, n, terms in claims:
            target = by_id[row_id].cell(n)
            present = [(r, c, k, v) for r, c, m, k in terms if (v := by_id[r].cell(m)) is not None]
            if target is None or not present:
                continue
            if check == "difference" and len(present) != 2:
                continue
            ids.append((table.id, row_id, column_id, check))
            stated.append(cell(table.id, row_id, column_id, target.value.value))
            for r, c, k, v in present:
                rows_at.append(len(ids) - 1)
                cols_at.append(cell(table.id, r, c, v.value.value))
                signs.append(k)
    matrix = sparse.csr_matrix(
        (signs, (rows_at, cols_at)), shape=(len(ids), len(values)), dtype=float
    )
    return SumSystem(ids, np.array(values, dtype=float), np.array(stated, dtype=np.int64), matrix)
