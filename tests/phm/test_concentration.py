"""Concentration of activity among people: Lorenz curve, top shares, Gini, by group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.errors import ValidationError
from placehealth.phm import concentration, gini, lorenz, people_share, top_share
from tests.conftest import seed_quote


def test_lorenz_corners_of_a_hand_made_distribution() -> None:
    curve = lorenz([3, 1, 4, 2])
    # sorted 1, 2, 3, 4 of 10: cumulative 0, 1, 3, 6, 10
    np.testing.assert_allclose(curve["people_share"], [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(curve["quantity_share"], [0, 0.1, 0.3, 0.6, 1])
    every_tenth = lorenz([3, 1, 4, 2], points=11)
    assert len(every_tenth) == 11
    # halfway between (0.25, 0.1) and (0.5, 0.3) is (0.375, 0.2); 0.4 is 0.1 + 0.15/0.25 × 0.2
    assert every_tenth["quantity_share"].iloc[4] == pytest.approx(0.22)


def test_gini_by_hand() -> None:
    # mean absolute difference over all ordered pairs / (2 × mean) = 20 / 16 / 5 = 0.25
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([7, 7, 7]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 0, 9]) == pytest.approx(0.8)  # (n − 1)/n


def test_top_shares_by_hand() -> None:
    # 100 people: one with 100 bed-days, 99 with 1; total 199
    days = [100] + [1] * 99
    shares = top_share(days, [0.01, 0.05, 0.11, 0.20, 1.0])
    np.testing.assert_allclose(shares.to_numpy(), [100, 104, 110, 119, 199] / np.float64(199))
    # fractional people: the top 5% of 10 is half the heaviest person
    assert top_share([10] + [1] * 9, [0.05]).iloc[0] == pytest.approx(5 / 19)
    assert top_share([10] + [1] * 9, [0.0]).iloc[0] == 0.0


def test_eleven_percent_holding_seventy_four_percent_reads_both_ways() -> None:
    # seed 002 line 184: "approximately 11% of patients account for 74% of all bed-days"
    assert seed_quote("11% of patients account for 74% of all bed-days", "002", 184)
    days = np.array([74 / 11] * 11 + [26 / 89] * 89)
    assert top_share(days, [0.11]).iloc[0] == pytest.approx(0.74)
    assert people_share(days, 0.74) == pytest.approx(0.11)
    # half of the heaviest user's 100 days is a quarter of 1 person in 100
    assert people_share([100] + [1] * 99, 50 / 199) == pytest.approx(0.005)


def test_grouped_by_hand() -> None:
    frame = pd.DataFrame({"area": ["N1"] * 4 + ["N2"] * 3, "bed_days": [3, 1, 4, 2, 0, 0, 6]})
    result = concentration(frame, "bed_days", by="area", fractions=[0.25, 0.5])
    assert result.loc["N1", "people"] == 4
    assert result.loc["N1", "total"] == 10
    assert result.loc["N1", "gini"] == pytest.approx(0.25)
    assert result.loc["N1", "top_25%"] == pytest.approx(0.4)
    assert result.loc["N1", "top_50%"] == pytest.approx(0.7)
    assert result.loc["N2", "gini"] == pytest.approx(2 / 3)
    # N2: 0.75 of a person, the one with all 6 days, holds 0.75 of them
    assert result.loc["N2", "top_25%"] == pytest.approx(0.75)


AMOUNTS = st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=60).filter(
    lambda xs: sum(xs) > 1e-6
)


@settings(max_examples=100, deadline=None)
@given(AMOUNTS)
def test_gini_is_one_minus_twice_the_area_under_the_lorenz_curve(amounts: list[float]) -> None:
    curve = lorenz(amounts)
    area = np.trapezoid(curve["quantity_share"], curve["people_share"])
    assert gini(amounts) == pytest.approx(1 - 2 * area, abs=1e-9)
    # the top share is one minus the Lorenz curve read at 1 − x
    for x in (0.01, 0.11, 0.5):
        below = np.interp(1 - x, curve["people_share"], curve["quantity_share"])
        assert top_share(amounts, [x]).iloc[0] == pytest.approx(1 - below, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 50)), min_size=1, max_size=80))
def test_grouped_equals_one_group_at_a_time(rows: list[tuple[str, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["area", "admissions"])
    result = concentration(frame, "admissions", by="area")
    for area, part in frame.groupby("area"):
        if part["admissions"].sum() == 0:
            assert np.isnan(result.loc[area, "gini"])
            continue
        assert result.loc[area, "gini"] == pytest.approx(gini(part["admissions"]), abs=1e-12)
        shares = top_share(part["admissions"]).to_numpy()
        np.testing.assert_allclose(result.loc[area, ["top_1%", "top_5%", "top_11%", "top_20%"]]
                                   .to_numpy(float), shares, atol=1e-12)  # fmt: skip


def test_half_a_million_people_in_one_pass() -> None:
    rng = np.random.default_rng(5)
    days = rng.pareto(1.2, 500_000)
    frame = pd.DataFrame({"days": days, "area": rng.integers(0, 12, 500_000)})
    result = concentration(frame, "days", by="area")
    assert len(result) == 12
    assert result["people"].sum() == 500_000
    overall = concentration(frame, "days")
    assert overall["gini"].iloc[0] == pytest.approx(gini(days))


@pytest.mark.parametrize(
    ("values", "message"),
    [([], "no people"), ([1, -1], "not a finite number"), ([1, np.nan], "not a finite"),
     (["a"], "must be numbers"), ([0, 0], "total is zero")],
)  # fmt: skip
def test_bad_amounts_are_user_errors(values: list[object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        gini(values)


def test_bad_shares_are_user_errors() -> None:
    with pytest.raises(ValidationError, match="between 0 and 1"):
        top_share([1, 2], [11])


def test_grouped_by_two_columns() -> None:
    frame = pd.DataFrame(
        {"area": ["N1", "N1", "N2", "N2"], "sex": ["F", "M", "F", "F"], "days": [1, 2, 3, 5]}
    )
    result = concentration(frame, "days", by=["area", "sex"], fractions=[0.5])
    assert list(result.index) == [("N1", "F"), ("N1", "M"), ("N2", "F")]
    assert result.loc[("N2", "F"), "top_50%"] == pytest.approx(5 / 8)
    assert result.loc[("N2", "F"), "gini"] == pytest.approx(2 / 16)
