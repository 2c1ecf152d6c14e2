"""An independent check of disclosure: can a hidden cell be worked out from what is published?

For each hidden cell, the least and the greatest whole value it can take, given every
published cell and every published equation (total = sum of its parts) and that counts
are never negative, found with an integer solver (scipy's HiGHS ``milp``). A cell whose
least and greatest values agree is disclosed. Nothing here uses the product's code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Equation = tuple[int, Sequence[int]]  # (total cell, its part cells)


def disclosed(values: np.ndarray, equations: Sequence[Equation], hidden: np.ndarray) -> list[int]:
    """Hidden cells whose value the published cells and equations fix."""
    cells = np.flatnonzero(hidden)
    if len(cells) == 0:
        return []
    column = {int(c): k for k, c in enumerate(cells)}
    rows, rhs = [], []
    for total, parts in equations:
        row = np.zeros(len(cells))
        known = 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if hidden[cell]:
                row[column[cell]] += sign
            else:
                known -= sign * values[cell]
        if row.any():
            rows.append(row)
            rhs.append(known)
    ceiling = float(values.sum()) + 1.0
    bounds = Bounds(np.zeros(len(cells)), np.full(len(cells), ceiling))
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    integral = np.ones(len(cells))
    found = []
    for k, cell in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[k] = 1.0
        low = milp(objective, constraints=constraints, integrality=integral, bounds=bounds)
        high = milp(-objective, constraints=constraints, integrality=integral, bounds=bounds)
        assert low.success and high.success, (low.message, high.message)
        if round(low.fun) == round(-high.fun):
            found.append(int(cell))
    return found
