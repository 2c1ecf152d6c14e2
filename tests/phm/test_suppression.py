"""Small-number suppression: hand-made tables, then properties on random ones (hypothesis).

The properties: no visible count from 1 to 7 (totals included); visible cells keep their
true values; no hidden cell can be had by subtracting visible cells from a visible total
(rows, columns, grand total); and, stronger, none is fixed by all the totals together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from placehealth.errors import ValidationError
from placehealth.phm import suppress_frame, suppress_series, suppress_table
from placehealth.publish.linked import _pass_equations
from placehealth.publish.rules import primary
from placehealth.publish.suppression import fixed_cells

# counts that are often small, sometimes zero, sometimes large
COUNT = st.one_of(st.integers(0, 12), st.integers(0, 3), st.integers(8, 400))


def extended(values: np.ndarray) -> np.ndarray:
    n, m = values.shape
    out = np.zeros((n + 1, m + 1), dtype=np.int64)
    out[:n, :m], out[:n, m], out[n, :m], out[n, m] = (
        values, values.sum(1), values.sum(0), values.sum()
    )  # fmt: skip
    return out


def recoverable_by_one_line(truth: np.ndarray, hidden: np.ndarray) -> list[str]:
    """Each line is cells + total: one hidden cell in a line is its total minus the others."""
    found = []
    for axis in (0, 1):
        for k in range(truth.shape[1 - axis]):
            line = hidden[:, k] if axis == 0 else hidden[k, :]
            if line.sum() == 1:
                found.append(f"{'column' if axis == 0 else 'row'} {k}")
    return found


def determined(hidden: np.ndarray) -> np.ndarray:
    """Independent check by rank: is e_i in the row space of the published equations?"""
    n1, m1 = hidden.shape
    cells = list(zip(*np.nonzero(hidden), strict=True))
    rows = [[(-1 if j == m1 - 1 else 1) if a == i else 0 for a, j in cells] for i in range(n1)]
    rows += [[(-1 if a == n1 - 1 else 1) if b == j else 0 for a, b in cells] for j in range(m1)]
    a = np.array(rows, dtype=float)
    rank = np.linalg.matrix_rank(a)
    out = np.zeros(hidden.shape, dtype=bool)
    for k, (i, j) in enumerate(cells):
        unit = np.zeros((1, len(cells)))
        unit[0, k] = 1
        out[i, j] = np.linalg.matrix_rank(np.vstack([a, unit])) == rank
    return out


def test_a_row_with_one_small_cell_loses_its_next_smallest_cell() -> None:
    table = pd.DataFrame([[5, 20, 30], [40, 50, 60], [70, 80, 90]], index=list("xyz"))
    result = suppress_table(table)
    hidden = result.isna().to_numpy()
    # 5 is small; its row partner is 20, its column partner 40; then 40's row needs 50
    assert hidden.sum() == 4
    assert hidden[0, 0] and hidden[0, 1] and hidden[1, 0] and hidden[1, 1]
    assert result.loc["Total", "Total"] == 445
    assert result.loc["x", "Total"] == 55


def test_a_breakdown_with_its_total() -> None:
    result = suppress_series(pd.Series([5, 20, 30, 0], index=list("abcd"), name="n"))
    # 5 hidden; 0 stays visible; the next smallest non-zero (20) is hidden with it
    assert result.isna().tolist() == [True, True, False, False, False]
    assert result["Total"] == 55
    lone = suppress_series(pd.Series([3, 0, 0]))
    # the total equals the one small cell, so it is hidden as well
    assert lone.isna().tolist() == [True, False, False, True]


def test_the_range_is_configurable() -> None:
    series = pd.Series([9, 12, 30])
    assert suppress_series(series).isna().sum() == 0
    assert suppress_series(series, low=1, high=10).isna().tolist() == [True, True, False, False]


def test_cells_fixed_by_two_lines_together_are_found() -> None:
    # two 2×2 blocks of hidden cells joined by one cell: every line holds two or more
    # hidden cells, yet the joining cell is (rows 0–1 total) − (columns 0–1 total)
    mask = np.zeros((5, 5), dtype=bool)
    mask[0:2, 0:2] = True
    mask[2:4, 2:4] = True
    mask[0, 2] = True
    assert not recoverable_by_one_line(np.zeros((5, 5)), mask)
    assert fixed_cells(mask)[0, 2]
    assert fixed_cells(mask).sum() == 1
    np.testing.assert_array_equal(fixed_cells(mask), determined(mask))


def test_a_cell_the_line_rule_leaves_exposed_gets_a_partner() -> None:
    values = np.array([[49, 32, 50, 16], [66, 7, 2, 1], [32, 63, 3, 95], [43, 42, 37, 97]])
    # The line rule alone leaves every line with two or more hidden cells, but some rows
    # and columns close on themselves, so the 2 is their totals' difference.
    truth = extended(values)
    line_rule = line_rule_only(truth)
    assert not recoverable_by_one_line(truth, line_rule)
    assert determined(line_rule)[1, 2]
    hidden = suppress_table(pd.DataFrame(values)).isna().to_numpy()
    assert not determined(hidden).any()
    assert hidden.sum() == line_rule.sum() + 1


def line_rule_only(truth: np.ndarray) -> np.ndarray:
    """Primary suppression and the line-by-line pass alone, without the audit."""
    from scipy import sparse

    from placehealth.publish.linked import Equations

    n1, m1 = truth.shape
    index = np.arange(truth.size).reshape(truth.shape)
    totals = np.concatenate([index[:, -1], index[-1, :]])
    members = np.concatenate([np.repeat(np.arange(n1), m1 - 1),
                              np.repeat(np.arange(m1) + n1, n1 - 1)])  # fmt: skip
    cells = np.concatenate([index[:, :-1].ravel(), index[:-1, :].T.ravel()])
    a = Equations(totals, members, cells).matrix(truth.size)
    pattern = sparse.csr_matrix((a != 0).astype(np.int64))
    rows = np.repeat(np.arange(a.shape[0]), np.diff(pattern.indptr))
    values = truth.ravel()
    cost = np.where(values > 0, values, 2e15).astype(float)
    cost[totals] += 1e15
    mask = primary(values)
    _pass_equations(mask, cost, pattern, rows, pattern.indices)
    return mask.reshape(truth.shape)


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=COUNT),
)
def test_random_tables_disclose_nothing(values: np.ndarray) -> None:
    result = suppress_table(pd.DataFrame(values))
    truth = extended(values)
    hidden = result.isna().to_numpy()
    shown = truth[~hidden]
    assert not ((shown >= 1) & (shown <= 7)).any()
    np.testing.assert_array_equal(result.to_numpy(dtype=float, na_value=np.nan)[~hidden], shown)
    assert recoverable_by_one_line(truth, hidden) == []
    assert not determined(hidden).any()


@settings(max_examples=150, deadline=None)
@given(st.lists(COUNT, min_size=1, max_size=12))
def test_random_breakdowns_disclose_nothing(counts: list[int]) -> None:
    result = suppress_series(pd.Series(counts))
    hidden = result.isna().to_numpy()
    truth = np.append(counts, sum(counts))
    assert not ((truth[~hidden] >= 1) & (truth[~hidden] <= 7)).any()
    assert hidden.sum() != 1  # one hidden cell would be the total minus the rest


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3)),
           elements=COUNT),
)  # fmt: skip
def test_a_long_table_is_suppressed_group_by_group_like_a_cross_table(cube: np.ndarray) -> None:
    g, r, c = np.indices(cube.shape)
    frame = pd.DataFrame(
        {"area": g.ravel(), "age": r.ravel(), "sex": c.ravel(), "n": cube.ravel()}
    ).sample(frac=1.0, random_state=np.random.default_rng(1).integers(1 << 31))
    frame["rate"] = frame["n"] / 10.0
    result = suppress_frame(frame, "n", rows=["age"], columns=["sex"], by=["area"],
                            derived=["rate"])  # fmt: skip
    for area in range(cube.shape[0]):
        alone = suppress_table(pd.DataFrame(cube[area])).to_numpy(dtype=float, na_value=np.nan)
        part = result[result["area"] == area].sort_values(["age", "sex"])
        expected = alone[:-1, :-1].ravel()
        np.testing.assert_array_equal(part["n"].to_numpy(dtype=float, na_value=np.nan), expected)
        np.testing.assert_array_equal(part["suppressed"].to_numpy(), np.isnan(expected))
        assert part["rate"].isna().to_numpy().tolist() == np.isnan(expected).tolist()


def test_a_long_breakdown_blanks_rates_and_keeps_other_columns() -> None:
    frame = pd.DataFrame(
        {
            "area": ["a"] * 4 + ["b"] * 4,
            "band": list("wxyz") * 2,
            "n": [3, 10, 20, 30, 10, 11, 12, 13],
            "rate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
        }
    )
    result = suppress_frame(frame, "n", rows=["band"], by=["area"], derived=["rate"])
    assert result["suppressed"].tolist() == [True, True] + [False] * 6
    assert result["rate"].isna().tolist() == [True, True] + [False] * 6
    assert result["n"].iloc[2] == 20
    assert result["band"].tolist() == frame["band"].tolist()


def test_cells_absent_from_a_long_table_are_never_partners() -> None:
    # area a has no 'x' row: the partner for 3 must be a present cell (20), not the gap
    frame = pd.DataFrame(
        {"area": ["a", "a", "a", "b"], "band": ["w", "y", "z", "x"], "n": [3, 20, 30, 40]}
    )
    result = suppress_frame(frame, "n", rows=["band"], by=["area"])
    assert result["suppressed"].tolist() == [True, True, False, False]


@pytest.mark.parametrize(
    ("counts", "message"),
    [([1, -2], "not a count"), ([1.5, 2], "not a count"), ([None, 2], "not a count")],
)
def test_bad_counts_are_user_errors(counts: list[object], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        suppress_series(pd.Series(counts, dtype=object))
    assert caught.value.row is not None


def test_bad_long_tables_are_user_errors() -> None:
    frame = pd.DataFrame({"band": ["w", "w"], "n": [10, 12]})
    with pytest.raises(ValidationError, match="more than one row"):
        suppress_frame(frame, "n", rows=["band"])
    with pytest.raises(ValidationError, match="lacks column"):
        suppress_frame(frame, "count", rows=["band"])
    with pytest.raises(ValidationError, match="not a range"):
        suppress_series(pd.Series([1, 2]), low=5, high=2)
