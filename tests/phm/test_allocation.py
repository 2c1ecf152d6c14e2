"""Proportionate-universalism allocation (seed 002, lines 302–306)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.errors import ValidationError
from placehealth.phm import activity_need, allocate, combine_need, deprivation_need

# the principle's wording in seed 002: tests/seed_wording.py


def test_a_hand_made_allocation() -> None:
    # B = 1,000,000, u = 0.5; populations 10k, 10k, 20k; need 2, 1, 1
    # weights 20k, 10k, 20k (Σ 50k); universal 125k, 125k, 250k; proportionate 200k, 100k, 200k
    frame = pd.DataFrame(
        {"population": [10_000, 10_000, 20_000], "need_index": [2.0, 1.0, 1.0]},
        index=pd.Index(["N1", "N2", "N3"], name="neighbourhood"),
    )
    result = allocate(frame, 1_000_000, universal_share=0.5)
    np.testing.assert_allclose(result["universal"], [125_000, 125_000, 250_000])
    np.testing.assert_allclose(result["proportionate"], [200_000, 100_000, 200_000])
    np.testing.assert_allclose(result["allocation"], [325_000, 225_000, 450_000])
    np.testing.assert_allclose(result["per_head"], [32.5, 22.5, 22.5])
    assert result["share"].sum() == pytest.approx(1.0)


def test_deprivation_gradient_by_hand() -> None:
    np.testing.assert_allclose(deprivation_need([1, 10, 4]), [2.0, 1.0, 5 / 3])
    np.testing.assert_allclose(deprivation_need([1, 10], gradient=0.5), [1.5, 1.0])
    with pytest.raises(ValidationError, match="not 1–10"):
        deprivation_need([0, 3])


def test_activity_need_is_relative_to_the_place() -> None:
    # place rate: 30 admissions / 300 people = 0.1; area rates 0.2, 0.05
    np.testing.assert_allclose(activity_need([20, 10], [100, 200]), [2.0, 0.5])


def test_combined_need_scales_each_index_first() -> None:
    population = [100, 100]
    combined = combine_need(
        population,
        {"deprivation": [2.0, 1.0], "admissions": [30.0, 10.0]},
        {"deprivation": 1, "admissions": 1},
    )
    # deprivation mean 1.5 → 4/3, 2/3; admissions mean 20 → 1.5, 0.5; averaged
    np.testing.assert_allclose(combined, [(4 / 3 + 1.5) / 2, (2 / 3 + 0.5) / 2])


def test_lsoas_summed_into_neighbourhoods() -> None:
    lsoas = pd.DataFrame(
        {
            "neighbourhood": ["N1", "N1", "N2"],
            "population": [1_000, 3_000, 4_000],
            "imd_decile": [1, 10, 10],
        }
    )
    lsoas["need_index"] = deprivation_need(lsoas["imd_decile"])
    result = allocate(lsoas, 80_000, by="neighbourhood", universal_share=0.0)
    # N1 weight 1,000 × 2 + 3,000 × 1 = 5,000, need 1.25; N2 weight 4,000; Σ 9,000
    assert result.loc["N1", "need_index"] == pytest.approx(1.25)
    assert result.loc["N1", "allocation"] == pytest.approx(80_000 * 5 / 9)


def test_whole_pounds_still_add_up() -> None:
    frame = pd.DataFrame({"population": [1, 1, 1], "need_index": [1.0, 1.0, 1.0]})
    result = allocate(frame, 100, unit=1)
    assert result["allocation"].tolist() == [34, 33, 33]
    with pytest.raises(ValidationError, match="whole number of units"):
        allocate(frame, 100.5, unit=1)


NEIGHBOURHOODS = st.lists(
    st.tuples(st.integers(1, 60_000), st.floats(0.2, 5.0)), min_size=1, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(NEIGHBOURHOODS, st.floats(0, 1e8), st.floats(0, 1))
def test_allocation_properties(
    areas: list[tuple[int, float]], budget: float, universal: float
) -> None:
    frame = pd.DataFrame(areas, columns=["population", "need_index"])
    result = allocate(frame, budget, universal_share=universal)
    amount = result["allocation"].to_numpy()
    # shares add up to the budget
    assert amount.sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)
    # the floor: at least the universal share of an equal amount per head
    pop = frame["population"].to_numpy()
    floor = universal * budget * pop / pop.sum()
    assert (amount >= floor - 1e-6 * max(1.0, budget)).all()
    # more need per head → at least as much per head (strictly if anything is proportionate)
    need = frame["need_index"].to_numpy()
    per_head = result["per_head"].to_numpy()
    for i in range(len(frame)):
        for j in range(len(frame)):
            if need[i] > need[j]:
                assert per_head[i] >= per_head[j] - 1e-9 * max(1.0, per_head.max())
                # strictly more if the proportionate part is big enough to see and the
                # needs differ by more than rounding (4e-17 apart can share one amount)
                visible = (1 - universal) * budget > 1e-3
                if visible and need[i] - need[j] > 1e-9 * max(1.0, abs(need[j])):
                    assert per_head[i] > per_head[j]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 60_000), min_size=1, max_size=12), st.floats(0.1, 9.0))
def test_equal_need_means_equal_per_head(populations: list[int], level: float) -> None:
    frame = pd.DataFrame({"population": populations, "need_index": level})
    result = allocate(frame, 5_000_000, universal_share=0.3)
    np.testing.assert_allclose(result["per_head"], 5_000_000 / sum(populations), rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(NEIGHBOURHOODS, st.integers(0, 10_000_000))
def test_rounded_amounts_add_up_exactly(areas: list[tuple[int, float]], budget: int) -> None:
    frame = pd.DataFrame(areas, columns=["population", "need_index"])
    exact = allocate(frame, budget)["allocation"].to_numpy()
    rounded = allocate(frame, budget, unit=1)["allocation"].to_numpy()
    assert rounded.sum() == budget
    assert np.abs(rounded - exact).max() < 1 + 1e-6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"population": [-1, 2]}, "negative"),
        ({"need_index": [np.nan, 1.0]}, "missing or not finite"),
        ({"population": [0, 0]}, "zero everywhere"),
    ],
)
def test_bad_tables_are_user_errors(change: dict[str, list[float]], message: str) -> None:
    frame = pd.DataFrame({"population": [1, 2], "need_index": [1.0, 1.0]}).assign(**change)
    with pytest.raises(ValidationError, match=message):
        allocate(frame, 100)


def test_bad_settings_are_user_errors() -> None:
    frame = pd.DataFrame({"population": [1, 2], "need_index": [1.0, 1.0]})
    with pytest.raises(ValidationError, match="between 0 and 1"):
        allocate(frame, 100, universal_share=1.5)
    with pytest.raises(ValidationError, match="budget"):
        allocate(frame, -5)
    with pytest.raises(ValidationError, match="lacks column"):
        allocate(frame, 100, need="imd")
