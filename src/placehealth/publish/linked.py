"""Secondary suppression across every hierarchy and total an output contains.

An output is a set of cells (counts) and the equations a reader knows hold between
them: a total equals the sum of its parts (practices add up to their PCN, PCNs to
the place, segments to 'all', the sexes to persons, age bands to all ages). One
cell may sit in several equations (a practice's cell adds up to its PCN and to the
place, across segments and down areas), so tables linked this way are protected
together, not one at a time.

After primary suppression (:func:`placehealth.publish.rules.primary`):

1. every equation with exactly one hidden cell gets a partner: its cheapest open
   cell (smallest non-zero part first, then totals, then zeros; cells absent from
   the output never); vectorised over all equations with a sparse matrix, repeated
   until no equation has a single hidden cell;
2. equations can combine (two blocks of hidden cells joined through a total give
   the joining cell away), so each group of hidden cells linked by equations is
   audited by linear algebra: a hidden cell is fixed by the published equations
   exactly when its unit vector lies in their row space. A fixed cell gets a
   partner that frees it, and step 1 runs again.

Only groups where some hidden cell sits in two or more equations holding hidden
cells can fix a cell, so only those are audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from placehealth.errors import ValidationError
from placehealth.publish.rules import HIGH, LOW, primary

_BIG = 1e15  # cost offsets: non-zero parts < totals < zeros


@dataclass(frozen=True)
class Equations:
    """``total[e] = Σ cells[member == e]`` for every equation ``e``."""

    total: np.ndarray  # (equations,) cell index of each equation's total
    member: np.ndarray  # (entries,) the equation of each part
    cell: np.ndarray  # (entries,) the cell of each part

    def matrix(self, cells: int) -> sparse.csr_matrix:
        """Equations × cells: parts +1, the total −1 (so ``matrix @ values == 0``)."""
        k = len(self.total)
        rows = np.concatenate([self.member, np.arange(k)])
        cols = np.concatenate([self.cell, self.total])
        data = np.concatenate([np.ones(len(self.cell)), -np.ones(k)])
        return sparse.csr_matrix((data, (rows, cols)), shape=(k, cells))

    def totals(self, cells: int) -> np.ndarray:
        """True for cells that are the total of some equation."""
        out = np.zeros(cells, dtype=bool)
        out[self.total] = True
        return out


@dataclass(frozen=True)
class Hierarchy:
    """Parents equal the sum of their children, over the key columns ``on``.

    ``edges`` has the ``on`` columns (the child) and the same names prefixed
    ``parent_`` (its parent), and optionally ``family``: a parent's children of one
    family add up to it (an LSOA is in a neighbourhood and in a deprivation decile,
    and both neighbourhoods and deciles add up to the place: two families). Every
    other key column is held fixed, so the equations hold in every segment,
    period, sex and age band.
    """

    on: tuple[str, ...]
    edges: pd.DataFrame


def protect(
    values: np.ndarray,
    equations: Equations,
    *,
    low: int = LOW,
    high: int = HIGH,
    present: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(primary, hidden): cells hidden as 1-7, and all cells hidden after secondary suppression."""
    if not 0 <= low <= high:
        raise ValidationError(
            f"suppression range {low}–{high} is not a range of counts", hint="e.g. low=1, high=7"
        )
    n = len(values)
    first = primary(values, low, high)
    mask = first.copy()
    if len(equations.total) == 0 or not mask.any():
        return first, mask
    a = equations.matrix(n)
    pattern = (a != 0).astype(np.int64).tocsr()
    rows = np.repeat(np.arange(a.shape[0]), np.diff(pattern.indptr))
    cols = pattern.indices
    cost = np.where(values > 0, values, 2 * _BIG).astype(float)
    cost = np.where(equations.totals(n) & (values > 0), cost + _BIG, cost)
    if present is not None:
        cost = np.where(present, cost, np.inf)
    columns, pattern_columns = a.tocsc(), pattern.tocsc()  # fixed: converted once
    clean: set[bytes] = set()  # groups of hidden cells already audited
    while True:
        _pass_equations(mask, cost, pattern, rows, cols)
        if not _audit(mask, cost, a, columns, pattern_columns, clean):
            return first, mask


def _pass_equations(
    mask: np.ndarray, cost: np.ndarray, pattern: sparse.csr_matrix, rows: np.ndarray,
    cols: np.ndarray,
) -> None:  # fmt: skip
    """Give every equation with exactly one hidden cell its cheapest open cell; repeat."""
    while True:
        single = (pattern @ mask.astype(np.int64)) == 1
        if not single.any():
            return
        open_entry = single[rows] & ~mask[cols] & np.isfinite(cost[cols])
        r, c = rows[open_entry], cols[open_entry]
        if len(r) == 0:
            return
        order = np.lexsort((c, cost[c], r))
        _, first = np.unique(r[order], return_index=True)
        mask[c[order][first]] = True


def _audit(
    mask: np.ndarray, cost: np.ndarray, a: sparse.csr_matrix, columns: sparse.csc_matrix,
    pattern_columns: sparse.csc_matrix, clean: set[bytes],
) -> bool:  # fmt: skip
    """Give one fixed cell in each linked group of hidden cells a partner; True if any did."""
    hidden = np.flatnonzero(mask)
    sub = pattern_columns[:, hidden]
    degree = np.diff(sub.indptr)
    label = _linked(sub)
    count = int(label.max(initial=-1)) + 1
    risky = np.zeros(count, dtype=bool)
    risky[label[degree >= 2]] = True
    changed = False
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], np.arange(count + 1))
    for group in np.flatnonzero(risky):
        cells = hidden[order[starts[group] : starts[group + 1]]]
        key = cells.tobytes()
        if key in clean:
            continue
        if _free_one(mask, cost, a, columns, cells):
            changed = True
        else:
            clean.add(key)
    return changed


def _linked(sub: sparse.csc_matrix) -> np.ndarray:
    """The group of each hidden cell (the columns of ``sub``, equations by hidden cells):
    cells sharing an equation, directly or through others, are one group. Components of
    the bipartite graph of equations and cells (the cells' own graph squares a place
    total's many hidden parts); groups numbered in order of their first cell."""
    equations = sub.shape[0]
    graph = sparse.bmat([[None, sub], [sub.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    return pd.factorize(label[equations:])[0]


def _free_one(
    mask: np.ndarray, cost: np.ndarray, a: sparse.csr_matrix, columns: sparse.csc_matrix,
    cells: np.ndarray,
) -> bool:  # fmt: skip
    """Hide a partner for the first fixed cell of a group; False if none is fixed.

    With the group's equations ``A`` (rows: equations touching the group; columns:
    its hidden cells, every other cell known) and ``A = U S Vᵀ``, cell ``i`` is
    fixed when row ``i`` of ``V`` has length 1. Hiding an open cell ``c`` (column
    ``a_c``) frees a fixed target exactly when ``a_c`` lies in the column space of
    ``A`` and the solution of ``A x = a_c`` has ``x[target] ≠ 0``; one SVD tests
    every candidate. A candidate in an equation outside the group would be pinned
    by it, so only cells whose equations all touch the group are candidates.
    """
    rows = np.unique(columns[:, cells].indices)
    touching = a[rows]
    block = touching[:, cells].toarray()
    u, s, vt = np.linalg.svd(block, full_matrices=False)
    keep = s > 1e-9 * max(1.0, s.max(initial=0.0))
    u, s, vt = u[:, keep], s[keep], vt[keep]
    fixed = (vt**2).sum(axis=0) > 1 - 1e-9
    if not fixed.any():
        return False
    target = int(np.flatnonzero(fixed)[0])
    near = np.unique(touching.indices)
    near = near[~mask[near] & np.isfinite(cost[near])]
    inside = np.asarray((touching[:, near] != 0).sum(axis=0)).ravel()
    everywhere = np.diff(columns.indptr)[near]
    candidates = near[inside == everywhere]
    candidates = candidates[np.argsort(cost[candidates], kind="stable")]
    if len(candidates):
        c = touching[:, candidates].toarray()
        coef = u.T @ c
        residual = np.linalg.norm(c - u @ coef, axis=0)
        x_target = (vt[:, target] / s) @ coef
        freed = (residual < 1e-7) & (np.abs(x_target) > 1e-9)
        if freed.any():
            mask[candidates[int(np.argmax(freed))]] = True
            return True
    # no single partner frees it: hide the cheapest open cell of its own equations or, when
    # those are all hidden (it is fixed through other equations), of the group's; the
    # equation pass then partners that cell, and the group is audited again
    own = np.unique(a[columns[:, cells[target]].indices].indices)
    for pool in (own[~mask[own] & np.isfinite(cost[own])], near):
        if len(pool):
            mask[pool[int(np.argmin(cost[pool]))]] = True
            return True
    return False  # pragma: no cover - a fixed cell always has an open cell in its group


def equations_for(
    frame: pd.DataFrame, keys: Sequence[str], hierarchies: Sequence[Hierarchy]
) -> Equations:
    """The equations between the rows of a long table (one row per cell, unique ``keys``)."""
    cells = _text(frame[list(keys)].reset_index(drop=True))
    cells["_cell"] = np.arange(len(cells))
    totals, members, parts = [], [], []
    offset = 0
    for hierarchy in hierarchies:
        on = list(hierarchy.on)
        others = [k for k in keys if k not in on]
        edges = hierarchy.edges
        if "family" not in edges.columns:
            edges = edges.assign(family="")
        edges = _text(edges[[*on, *(f"parent_{c}" for c in on), "family"]]).drop_duplicates()
        child = cells.merge(edges, on=on, how="inner")
        parent_keys = child[[f"parent_{c}" for c in on] + others].set_axis([*on, *others], axis=1)
        found = parent_keys.merge(cells, on=[*on, *others], how="left")["_cell"].to_numpy()
        keep = ~np.isnan(found.astype(float))
        child_cell = child["_cell"].to_numpy()[keep]
        parent_cell = found[keep].astype(np.int64)
        if len(parent_cell) == 0:
            continue
        family = pd.factorize(child["family"].to_numpy()[keep])[0].astype(np.int64)
        pairs = np.stack([parent_cell, family], axis=1)
        equation, first = np.unique(pairs, axis=0, return_inverse=True)
        first = first.ravel()
        totals.append(equation[:, 0])
        members.append(first + offset)
        parts.append(child_cell)
        offset += len(equation)
    if not totals:
        empty = np.zeros(0, dtype=np.int64)
        return Equations(empty, empty, empty)
    return Equations(
        np.concatenate(totals).astype(np.int64),
        np.concatenate(members).astype(np.int64),
        np.concatenate(parts).astype(np.int64),
    )


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns as text, a missing key as '' (so None, NaN and <NA> all match)."""
    return frame.astype(object).where(frame.notna(), "").astype(str)
