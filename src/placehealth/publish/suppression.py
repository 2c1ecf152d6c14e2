"""Small-number suppression for one cross-table, one breakdown or a long table by groups.

The 2-D forms of the one publishing step: a table's lines (a row with its row
total, a column with its column total, the row of column totals with the grand
total, a 1-D breakdown with its total) are equations, and the same primary and
secondary suppression as every other output
(:func:`placehealth.publish.linked.protect`) hides cells until no hidden cell can
be worked out from the published totals. Totals are cells: a total of 1–7 is
hidden too. Rates and percentages computed from a hidden count are blanked.
Counts are pandas nullable integers with ``<NA>`` where hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError
from placehealth.publish.linked import Equations, protect
from placehealth.publish.rules import primary

TOTAL = "Total"


def suppress_series(
    counts: pd.Series, *, low: int = 1, high: int = 7, total: bool = True, label: str = TOTAL
) -> pd.Series:
    """A 1-D breakdown (and, if ``total``, its total appended as ``label``) with cells hidden."""
    values = whole_counts(counts.to_numpy(), "counts")
    if total:
        stack = np.append(values, values.sum()).reshape(1, -1, 1)
        mask = _protect(stack, low, high, rows=False, columns=True)
        index = [*counts.index, label]
        return _masked(stack[0, :, 0], mask[0, :, 0], index, counts.name)
    return _masked(values, primary(values, low, high), list(counts.index), counts.name)


def suppress_table(
    counts: pd.DataFrame, *, low: int = 1, high: int = 7, margins: bool = True, label: str = TOTAL
) -> pd.DataFrame:
    """A 2-D table (and, if ``margins``, its row, column and grand totals) with cells hidden."""
    values = whole_counts(counts.to_numpy(), "counts")
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
    mask = _protect(extended[None], low, high, rows=True, columns=True)[0]
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
    values = whole_counts(frame[count].to_numpy(), count)
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
    mask = _protect(stack, low, high, rows=two_d, columns=True, present=present)
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
    present: np.ndarray | None = None,
) -> np.ndarray:
    """Hidden cells of a stack of tables (groups × rows × columns, totals last).

    The table's lines become equations (each row adds up to its last cell, each
    column to its last cell) and go through the one secondary suppression of
    :mod:`placehealth.publish.linked`.
    """
    index = np.arange(values.size).reshape(values.shape)
    totals, members, cells = [], [], []
    count = 0
    if rows:  # every row, the totals row too, adds up to its last cell
        total = index[:, :, -1].ravel()
        totals.append(total)
        members.append(np.repeat(np.arange(len(total)) + count, values.shape[2] - 1))
        cells.append(index[:, :, :-1].ravel())
        count += len(total)
    if columns:  # every column, the totals column too, adds up to its last cell
        total = index[:, -1, :].ravel()
        totals.append(total)
        members.append(np.repeat(np.arange(len(total)) + count, values.shape[1] - 1))
        cells.append(index[:, :-1, :].transpose(0, 2, 1).ravel())
    equations = Equations(np.concatenate(totals), np.concatenate(members), np.concatenate(cells))
    seen = None if present is None else present.ravel()
    _, mask = protect(values.ravel(), equations, low=low, high=high, present=seen)
    return mask.reshape(values.shape)


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


def _codes(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(frame), dtype=np.int64)
    return frame.groupby(list(keys), sort=True, dropna=False).ngroup().to_numpy(np.int64)


def whole_counts(values: np.ndarray, what: str) -> np.ndarray:
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
