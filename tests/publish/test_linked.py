"""The publishing step on random hierarchies: nothing hidden can be worked back.

Property (issue 10's acceptance): for random counts in a random hierarchy of areas
(leaves within groups within the place, and the leaves also in a second, crossing
grouping, as LSOAs are in neighbourhoods and in deprivation deciles) crossed with a
breakdown that adds up to a total (segments within 'all'), no hidden cell of the
published table is fixed by the published cells — checked with an integer solver
(tests/publish/solver.py), independent of the product's linear algebra.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.errors import ValidationError
from placehealth.publish import DISCLOSURE, Equations, Hierarchy, protect, suppress_long
from tests.publish.solver import Equation, disclosed

COUNT = st.one_of(st.integers(0, 12), st.integers(0, 3), st.integers(8, 200))


@st.composite
def hierarchies(draw: st.DrawFn) -> tuple[pd.DataFrame, list[int], list[int], int]:
    """Leaf counts (leaf × breakdown), each leaf's group and its crossing group."""
    leaves = draw(st.integers(2, 7))
    groups = [draw(st.integers(0, 2)) for _ in range(leaves)]
    crossing = [draw(st.integers(0, 1)) for _ in range(leaves)]
    columns = draw(st.integers(1, 3))
    counts = draw(st.lists(COUNT, min_size=leaves * columns, max_size=leaves * columns))
    frame = pd.DataFrame(
        np.array(counts).reshape(leaves, columns), index=[f"L{i}" for i in range(leaves)]
    )
    return frame, groups, crossing, columns


def long_table(frame: pd.DataFrame, groups: list[int], crossing: list[int]) -> pd.DataFrame:
    """Every area (leaf, group, crossing group, place) × every column and 'all', true sums."""
    leaf = frame.set_axis([f"s{j}" for j in frame.columns], axis=1)
    leaf["all"] = leaf.sum(axis=1)
    parts = [leaf.assign(area_type="leaf", area_code=leaf.index)]
    for name, of in (("group", groups), ("cross", crossing)):
        summed = leaf.groupby([f"{name[0]}{g}" for g in of]).sum()
        parts.append(summed.assign(area_type=name, area_code=summed.index))
    place = leaf.sum().to_frame().T.assign(area_type="place", area_code="P")
    parts.append(place)
    wide = pd.concat(parts)
    cols = [c for c in leaf.columns]
    return wide.melt(id_vars=["area_type", "area_code"], value_vars=cols, var_name="segment",
                     value_name="n").reset_index(drop=True)  # fmt: skip


def structure(groups: list[int], crossing: list[int], columns: int) -> list[Hierarchy]:
    leaves = [f"L{i}" for i in range(len(groups))]
    rows = []
    for code, g, c in zip(leaves, groups, crossing, strict=True):
        rows += [
            ("leaf", code, "group", f"g{g}", "group"),
            ("leaf", code, "cross", f"c{c}", "cross"),
            ("leaf", code, "place", "P", "leaves"),
        ]
    for g in sorted(set(groups)):
        rows.append(("group", f"g{g}", "place", "P", "groups"))
    for c in sorted(set(crossing)):
        rows.append(("cross", f"c{c}", "place", "P", "crosses"))
    names = ["area_type", "area_code", "parent_area_type", "parent_area_code", "family"]
    areas = Hierarchy(("area_type", "area_code"), pd.DataFrame(rows, columns=names))
    segments = Hierarchy(
        ("segment",),
        pd.DataFrame({"segment": [f"s{j}" for j in range(columns)], "parent_segment": "all"}),
    )
    return [areas, segments]


def reader_equations(table: pd.DataFrame, groups: list[int], crossing: list[int]) -> list[Equation]:
    """Written out by hand from the hierarchy: what a reader knows adds up."""
    at = {(r.area_type, r.area_code, r.segment): i for i, r in enumerate(table.itertuples())}
    segments = sorted(set(table["segment"]) - {"all"})
    areas = list(dict.fromkeys(zip(table["area_type"], table["area_code"], strict=True)))
    out: list[Equation] = [(at[(t, c, "all")], [at[(t, c, s)] for s in segments]) for t, c in areas]
    for s in [*segments, "all"]:
        for kind, of in (("group", groups), ("cross", crossing)):
            prefix = kind[0]
            for g in sorted(set(of)):
                members = [at[("leaf", f"L{i}", s)] for i, x in enumerate(of) if x == g]
                out.append((at[(kind, f"{prefix}{g}", s)], members))
            out.append((at[("place", "P", s)], [at[(kind, f"{prefix}{g}", s)] for g in set(of)]))
        out.append((at[("place", "P", s)], [at[("leaf", f"L{i}", s)] for i in range(len(groups))]))
    return out


def assert_nothing_disclosed(
    frame: pd.DataFrame, groups: list[int], crossing: list[int], columns: int
) -> None:
    table = long_table(frame, groups, crossing)
    published = suppress_long(table, ["n"], keys=["area_type", "area_code", "segment"],
                              hierarchies=structure(groups, crossing, columns))  # fmt: skip
    truth = table["n"].to_numpy(np.int64)
    hidden = published["n"].isna().to_numpy()
    shown = published["n"].dropna().to_numpy()
    assert not ((shown >= 1) & (shown <= 7)).any()
    np.testing.assert_array_equal(shown, truth[~hidden])
    assert disclosed(truth, reader_equations(table, groups, crossing), hidden) == []


@settings(max_examples=100, deadline=None)
@given(hierarchies())
def test_no_hidden_cell_of_a_random_hierarchy_can_be_worked_out(
    drawn: tuple[pd.DataFrame, list[int], list[int], int],
) -> None:
    assert_nothing_disclosed(*drawn)


def test_a_group_fixed_through_a_crossing_group_gets_a_partner() -> None:
    # found by the property above: every equation holding group g0 is all hidden, yet
    # g0 = c0 - L3 from the crossing grouping, so a partner must come from further out
    frame = pd.DataFrame([0, 0, 1, 8, 1, 1, 7], index=[f"L{i}" for i in range(7)])
    assert_nothing_disclosed(frame, [0, 0, 0, 1, 0, 1, 1], [0, 0, 0, 0, 0, 1, 1], 1)


def test_a_practice_hidden_in_its_pcn_is_also_hidden_against_the_place() -> None:
    # cells: place 0 = pcn 1 + pcn 2; pcn 1 = practices 3 + 4; pcn 2 = practices 5 + 6
    values = np.array([100, 45, 55, 3, 42, 20, 35])
    equations = Equations(
        total=np.array([0, 1, 2]), member=np.array([0, 0, 1, 1, 2, 2]),
        cell=np.array([1, 2, 3, 4, 5, 6]),
    )  # fmt: skip
    first, hidden = protect(values, equations)
    assert first.tolist() == [False, False, False, True, False, False, False]
    # 3 needs a partner in its PCN (42), which then exposes PCN 1 unless it is hidden too
    assert hidden[[3, 4]].all()
    reader = [(0, [1, 2]), (1, [3, 4]), (2, [5, 6])]
    assert disclosed(values, reader, first) == [3]  # the checker sees the subtraction
    assert disclosed(values, reader, hidden) == []


def test_each_row_says_which_rule_was_applied() -> None:
    table = pd.DataFrame(
        {"area": ["a", "b", "c", "all"], "n": [3, 20, 30, 53], "rate": [0.1, 0.2, 0.3, 0.6]}
    )
    edges = pd.DataFrame({"area": ["a", "b", "c"], "parent_area": "all"})
    out = suppress_long(table, ["n"], keys=["area"], hierarchies=[Hierarchy(("area",), edges)],
                        derived=["rate"], rounded=True)  # fmt: skip
    assert out["n"].isna().tolist() == [True, True, False, False]
    assert out["rate"].isna().tolist() == [True, True, False, False]
    assert out[DISCLOSURE].tolist() == [
        "n hidden: 1-7; rate blank: from a hidden count",
        "n hidden: protects another hidden count; rate blank: from a hidden count",
        "counts rounded to the nearest 5",
        "counts rounded to the nearest 5",
    ]
    assert out["n"].iloc[2:].tolist() == [30, 55]  # 53 rounds to 55


def test_a_repeated_cell_is_a_user_error() -> None:
    table = pd.DataFrame({"area": ["a", "a"], "n": [3, 4]})
    with pytest.raises(ValidationError, match="more than one row"):
        suppress_long(table, ["n"], keys=["area"], hierarchies=[])
