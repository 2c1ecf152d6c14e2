"""Small-number suppression for aggregate tables leaving the analytical layer (DESIGN §4).

Primary suppression hides counts from ``low`` to ``high`` (1–7 by default; zeros
stay visible). Secondary suppression then hides more cells until no hidden cell
can be worked out from the published totals:

1. a vectorised pass over every line (a row with its row total, a column with
   its column total, the row of column totals with the grand total, a 1-D
   breakdown with its total): where a line has exactly one hidden cell, hide its
   smallest other cell too — non-zero inner cells first, then totals, then zeros;
   repeated until nothing changes;
2. an audit by linear algebra, because lines can combine (two blocks of hidden
   cells joined by one cell give that cell away): a hidden cell whose value is
   fixed by the published lines (its unit vector lies in their row space) gets a
   partner chosen to free it, and step 1 runs again.

Totals are themselves cells: a total of 1–7 is hidden too. Rates and percentages
computed from a hidden count are blanked. Counts are pandas nullable integers
with ``<NA>`` where hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError

TOTAL = "Total"
_BIG = 1e15  # cost offsets: non-zero inner cells < totals < zeros
_MAX_TRIES = 64  # partners tried per fixed cell before falling back to the cheapest


def primary(values: np.ndarray, low: int = 1, high: int = 7) -> np.ndarray:
    """True where a count is small enough to identify someone (``low`` ≤ count ≤ ``high``)."""
    return (values >= low) & (values <= high)


def suppress_series(
    counts: pd.Series, *, low: int = 1, high: int = 7, total: bool = True, label: str = TOTAL
) -> pd.Series:
    """A 1-D breakdown (and, if ``total``, its total appended as ``label``) with cells hidden."""
    values = _counts(counts.to_numpy(), "counts")
    if total:
        stack = np.append(values, values.sum()).reshape(1, -1, 1)
        mask = _protect(
            stack, low, high, rows=False, columns=True, inner=_inner(len(values), 1, False)
        )
        index = [*counts.index, label]
        return _masked(stack[0, :, 0], mask[0, :, 0], index, counts.name)
    return _masked(values, primary(values, low, high), list(counts.index), counts.name)


def suppress_table(
    counts: pd.DataFrame, *, low: int = 1, high: int = 7, margins: bool = True, label: str = TOTAL
) -> pd.DataFrame:
    """A 2-D table (and, if ``margins``, its row, column and grand totals) with cells hidden."""
    values = _counts(counts.to_numpy(), "counts")
    if not margins:
        mask = primary(values, low, high)
        hidden = pd.DataFrame(values, index=counts.index, columns=counts.columns, dtype="Int64")
        return hidden.mask(mask)
    n, m = values.shape
    extended = np.zeros((n + 1, m + 1), dtype=np.int64)
    extended[:n, :m] = values
    extended[:n, m] = values.sum(axis=1)
    extended[n, :m] = values.sum(axis=0)
    extended[n, m] = values.sum()
    mask = _protect(extended[None], low, high, rows=True, columns=True, inner=_inner(n, m))[0]
    table = pd.DataFrame(
        extended, index=[*counts.index, label], columns=[*counts.columns, label], dtype="Int64"
    )
    return table.mask(mask)


def suppress_frame(
    frame: pd.DataFrame,
    count: str,
    *,
    rows: Sequence[str],
    columns: Sequence[str] = (),
    by: Sequence[str] = (),
    derived: Sequence[str] = (),
    low: int = 1,
    high: int = 7,
    flag: str = "suppressed",
) -> pd.DataFrame:
    """Suppress a long table: each ``by`` group is one table of ``rows`` × ``columns``.

    Totals of every row, column and group are taken to be published (the safe
    assumption), so secondary suppression protects them. ``derived`` columns
    (rates, percentages, intervals) are blanked wherever the count is hidden, and
    ``flag`` marks the hidden rows. Combinations absent from the frame count as
    visible zeros and are never chosen as partners.
    """
    missing = [c for c in [count, *rows, *columns, *by, *derived] if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"the table lacks column(s) {', '.join(missing)}",
            hint=f"columns present: {', '.join(map(str, frame.columns))}",
        )
    values = _counts(frame[count].to_numpy(), count)
    g = _codes(frame, by)
    r = _codes(frame, rows)
    c = _codes(frame, columns)
    cell = (g * (r.max(initial=0) + 1) + r) * (c.max(initial=0) + 1) + c
    if len(np.unique(cell)) < len(cell):
        raise ValidationError(
            "the table has more than one row for the same cell",
            column=count,
            hint=f"make {', '.join([*by, *rows, *columns])} unique, e.g. by summing",
        )
    shape = (g.max(initial=-1) + 1, r.max(initial=-1) + 1, c.max(initial=-1) + 1)
    two_d = bool(columns)
    n, m = shape[1], shape[2]
    stack = np.zeros((shape[0], n + 1, m + two_d), dtype=np.int64)
    present = np.zeros(stack.shape, dtype=bool)
    stack[g, r, c] = values
    present[g, r, c] = True
    stack[:, n, :m] = stack[:, :n, :m].sum(axis=1)
    present[:, n, :] = True
    if two_d:
        stack[:, :, m] = stack[:, :, :m].sum(axis=2)
        present[:, :, m] = True
    mask = _protect(
        stack, low, high, rows=two_d, columns=True, inner=_inner(n, m, two_d), present=present
    )
    hidden = mask[g, r, c]
    out = frame.copy()
    out[count] = pd.array(values, dtype="Int64")
    out.loc[hidden, count] = pd.NA
    out[flag] = hidden
    return blank_derived(out, flag, derived)


def blank_derived(frame: pd.DataFrame, hidden: str, derived: Sequence[str]) -> pd.DataFrame:
    """Blank rates, percentages and intervals where the boolean column ``hidden`` is true."""
    out = frame.copy()
    for column in derived:
        out[column] = out[column].astype("Float64").mask(out[hidden].to_numpy(bool))
    return out


def _protect(
    values: np.ndarray,
    low: int,
    high: int,
    *,
    rows: bool,
    columns: bool,
    inner: np.ndarray,
    present: np.ndarray | None = None,
) -> np.ndarray:
    """Hidden cells of a stack of tables (groups × rows × columns, totals last)."""
    if not 0 <= low <= high:
        raise ValidationError(
            f"suppression range {low}–{high} is not a range of counts", hint="e.g. low=1, high=7"
        )
    mask = primary(values, low, high)
    cost = np.where(values > 0, values, _BIG * 2).astype(float)
    cost = np.where(inner[None] | (values == 0), cost, cost + _BIG)
    if present is not None:
        cost = np.where(present, cost, np.inf)
    clean = np.zeros(len(mask), dtype=bool)  # audited since the group last changed
    while True:
        before = mask.copy()
        _pass_lines(mask, cost, rows=rows, columns=columns)
        clean &= (mask == before).reshape(len(mask), -1).all(axis=1)
        todo = np.flatnonzero(~clean & mask.reshape(len(mask), -1).any(axis=1))
        if len(todo) == 0:
            return mask
        for group in todo:
            if not _free_fixed_cells(mask[group], cost[group], rows=rows, columns=columns):
                clean[group] = True


def _pass_lines(mask: np.ndarray, cost: np.ndarray, *, rows: bool, columns: bool) -> None:
    """Give every line with exactly one hidden cell a partner; repeat until stable."""
    axes = ([2] if rows else []) + ([1] if columns else [])
    changed = True
    while changed:
        changed = False
        for axis in axes:
            single = mask.sum(axis=axis) == 1
            if not single.any():
                continue
            open_cost = np.where(mask, np.inf, cost)
            pick = np.expand_dims(open_cost.argmin(axis=axis), axis)
            can = np.isfinite(open_cost.min(axis=axis)) & single
            np.put_along_axis(
                mask, pick, np.take_along_axis(mask, pick, axis) | np.expand_dims(can, axis), axis
            )
            changed |= bool(can.any())


def _constraints(mask: np.ndarray, *, rows: bool, columns: bool) -> np.ndarray:
    """Published lines as equations over the hidden cells: inner cells +1, the total −1."""
    n, m = mask.shape
    hidden = np.flatnonzero(mask.ravel())
    i, j = np.divmod(hidden, m)
    lines = []
    if rows:
        lines.append(np.where(j == m - 1, -1.0, 1.0) * (i[None, :] == np.arange(n)[:, None]))
    if columns:
        lines.append(np.where(i == n - 1, -1.0, 1.0) * (j[None, :] == np.arange(m)[:, None]))
    return np.vstack(lines) if lines else np.zeros((0, len(hidden)))


def fixed_cells(mask: np.ndarray, *, rows: bool = True, columns: bool = True) -> np.ndarray:
    """Hidden cells of one table (totals last) whose values the published lines determine."""
    a = _constraints(mask, rows=rows, columns=columns)
    fixed = np.zeros(mask.shape, dtype=bool)
    if a.shape[1] == 0:
        return fixed
    # e_i lies in the row space of the equations iff its projection on it has length 1
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    basis = vt[s > 1e-9 * max(1.0, s.max(initial=0.0))]
    free = (basis**2).sum(axis=0) < 1 - 1e-9
    fixed.ravel()[np.flatnonzero(mask.ravel())] = ~free
    return fixed


def _free_fixed_cells(mask: np.ndarray, cost: np.ndarray, *, rows: bool, columns: bool) -> bool:
    """Hide a partner for the first determined hidden cell of one table; True if any hidden."""
    fixed = fixed_cells(mask, rows=rows, columns=columns)
    if not fixed.any():
        return False
    target = tuple(int(x) for x in np.argwhere(fixed)[0])
    open_cost = np.where(mask, np.inf, cost)
    # candidates: open cells sharing a row or column with some hidden cell, cheapest first
    near = mask.any(axis=1, keepdims=True) | mask.any(axis=0, keepdims=True)
    order = np.argsort(np.where(near, open_cost, np.inf), axis=None, kind="stable")
    for flat in order[:_MAX_TRIES]:
        if not np.isfinite(open_cost.ravel()[flat]):
            break
        trial = mask.copy()
        trial.ravel()[flat] = True
        if not fixed_cells(trial, rows=rows, columns=columns)[target]:
            mask.ravel()[flat] = True
            return True
    # no single partner frees it: hide the cheapest open cell in its line and go round again
    line = np.full(mask.shape, np.inf)
    line[target[0], :] = open_cost[target[0], :]
    if columns:
        line[:, target[1]] = np.minimum(line[:, target[1]], open_cost[:, target[1]])
    if not np.isfinite(line.min()):  # pragma: no cover - every line has a total to hide
        return False
    mask.ravel()[int(np.argmin(line))] = True
    return True


def _inner(n: int, m: int, two_d: bool = True) -> np.ndarray:
    """True for inner cells of an (n + 1) × (m + two_d) table with totals last."""
    inner = np.zeros((n + 1, m + (1 if two_d else 0)), dtype=bool)
    inner[:n, :m] = True
    return inner


def _codes(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(frame), dtype=np.int64)
    return frame.groupby(list(keys), sort=True, dropna=False).ngroup().to_numpy(np.int64)


def _counts(values: np.ndarray, what: str) -> np.ndarray:
    """Whole, non-negative, present counts as int64; anything else is the user's error."""
    numeric = pd.to_numeric(pd.Series(values.ravel()), errors="coerce").to_numpy(float)
    bad = np.isnan(numeric) | (numeric < 0) | (numeric != np.round(numeric))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"'{values.ravel()[first]}' is not a count (whole number ≥ 0)",
            row=first + 1,
            column=what,
            hint="suppress counts before deriving rates; fill missing counts with 0",
        )
    return numeric.astype(np.int64).reshape(values.shape)


def _masked(values: np.ndarray, mask: np.ndarray, index: list[object], name: object) -> pd.Series:
    series = pd.Series(values, index=index, name=name, dtype="Int64")
    return series.mask(mask)
