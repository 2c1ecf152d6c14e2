"""Grouped array helpers: sums, means and runs within contiguous groups of a sorted array."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def group_mean(values: FloatArray, groups: IntArray, n_groups: int, mask: BoolArray) -> FloatArray:
    """Mean of ``values`` where ``mask`` is true, per group (NaN for empty groups)."""
    use = mask & ~np.isnan(values)
    sums = np.bincount(groups[use], weights=values[use], minlength=n_groups)
    counts = np.bincount(groups[use], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def position_in_group(groups: IntArray) -> IntArray:
    """0, 1, 2, … within each contiguous group."""
    n = groups.size
    starts = np.r_[True, groups[1:] != groups[:-1]] if n else np.zeros(0, bool)
    index = np.arange(n)
    first = np.maximum.accumulate(np.where(starts, index, 0))
    return (index - first).astype(np.intp)


def run_lengths(key: IntArray, active: BoolArray) -> IntArray:
    """Length of the run of equal, active ``key`` values each element belongs to (0 if inactive).

    A run breaks where the key changes or where ``active`` is false.
    """
    n = key.size
    if n == 0:
        return np.zeros(0, np.intp)
    breaks = np.r_[True, (key[1:] != key[:-1]) | ~active[1:] | ~active[:-1]]
    run_id = np.cumsum(breaks) - 1
    lengths = np.bincount(run_id, weights=active.astype(float)).astype(np.intp)
    return np.where(active, lengths[run_id], 0)
