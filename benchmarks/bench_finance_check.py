"""Finance: checking every money table of the five seeds, and every declared sum of them
recomputed at scale, each against a per-row Python loop in the same run.

Rows of the table: the product's checker over ``plans/`` (load, recompute every claim,
findings; the model's findings too), and the same additive claims (total columns, total
rows, differences) recomputed as one sparse matrix product against a loop over the
claims' rows, for the seeds' book and for it repeated as if for 1,000 and 10,000 places.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import sparse

from benchmarks.harness import measure, record
from placehealth.finance.check import check_book
from placehealth.finance.load import load_book
from placehealth.finance.model_sums import sum_system
from placehealth.finance.position_model import model_findings

PLANS = Path(__file__).resolve().parents[1] / "plans"


def per_row(matrix: sparse.csr_matrix, values: np.ndarray) -> list[float]:
    """Each claim's value from its terms, one claim (row of the matrix) at a time."""
    data, indices, pointer = matrix.data.tolist(), matrix.indices.tolist(), matrix.indptr.tolist()
    vals = values.tolist()
    return [
        sum(data[k] * vals[indices[k]] for k in range(pointer[i], pointer[i + 1]))
        for i in range(len(pointer) - 1)
    ]


def main() -> None:
    def check() -> int:
        book = load_book(PLANS)
        return len(check_book(book)) + len(model_findings(book))

    check_s, found = measure(check, repeat=3)
    book = load_book(PLANS)
    system = sum_system(book)
    rows = []
    for places in (1, 1_000, 10_000):
        matrix = (
            sparse.block_diag([system.matrix] * places, format="csr")
            if places > 1
            else (system.matrix)
        )
        values = np.tile(system.values, places)
        fast_s, fast = measure(lambda m=matrix, v=values: m @ v, repeat=5)
        slow_s, slow = measure(lambda m=matrix, v=values: per_row(m, v), repeat=1)
        rows.append(
            {
                "what": f"every total and difference, {places:,} × the seeds' money tables",
                "claims": f"{matrix.shape[0]:,}",
                "sparse product s": f"{fast_s:.5f}",
                "per-row loop s": f"{slow_s:.5f}",
                "ratio": f"{slow_s / fast_s:,.0f}×",
                "same": "yes" if np.allclose(fast, slow, atol=1e-9) else "NO",
            }
        )
    record(
        "finance-check",
        "Finance: checking the money tables",
        rows,
        notes=(
            f"The product's checker over plans/ (load every finance file, recompute every "
            f"claim, the model's findings too): {check_s:.3f} s for {found} findings, best of "
            "3. "
            "The checker recomputes the seeds' claims one at a time (a few hundred cells: "
            "load and check take well under a second). The sparse product "
            "(placehealth.finance.model_sums) recomputes every total column, total row and "
            "difference at once, and gives the loop's values in the same run. Building "
            "the repeated matrix is not timed."
        ),
    )


if __name__ == "__main__":
    main()
