"""The trajectory methods' arithmetic (DESIGN §5), on small worked numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placehealth.catalogue.model import Polarity
from placehealth.errors import ValidationError
from placehealth.plans import methods as m


def test_equal_steps_reach_the_target_in_equal_increments() -> None:
    steps = m.equal_steps(125.2, 114.7, 5)
    np.testing.assert_allclose(steps, [123.1, 121.0, 118.9, 116.8, 114.7])


def test_yearly_changes_compound_on_the_previous_year() -> None:
    values = m.apply_yearly_changes(100.0, [-10, -10])
    np.testing.assert_allclose(values, [90.0, 81.0])


@pytest.mark.parametrize(
    ("convention", "expected"),
    [("sum", -24.2), ("compound", -21.99), ("point_to_point", -21.99)],
)
def test_headline_conventions(convention: m.Convention, expected: float) -> None:
    assert m.headline_change_pct([-3.2, -4, -5, -6, -6], convention) == pytest.approx(
        expected, abs=0.005
    )


def test_linear_forecast_extends_the_least_squares_line() -> None:
    assert float(m.linear_forecast([2010, 2017], [2.9, 3.2], 2024)[0]) == pytest.approx(3.5)
    slope, intercept = m.linear_fit([0, 1, 2], [1, 3, 5])
    assert (slope, intercept) == pytest.approx((2.0, 1.0))


def test_improve_by_pct_follows_polarity() -> None:
    assert m.improve_by_pct(153.0, 17, Polarity.LOWER) == pytest.approx(126.99)
    assert m.improve_by_pct(50.0, 10, Polarity.HIGHER) == pytest.approx(55.0)
    with pytest.raises(ValidationError):
        m.improve_by_pct(1.0, 1, Polarity.NEUTRAL)


def test_best_peers_takes_the_best_by_polarity() -> None:
    peers = [10, 20, 30, 40, 50, 60]
    assert m.best_peers_average(peers, 2, Polarity.HIGHER) == 55
    assert m.best_peers_average(peers, 2, Polarity.LOWER) == 15
    with pytest.raises(ValidationError, match="only 6"):
        m.best_peers_average(peers, 7, Polarity.LOWER)


def test_close_gap_moves_a_fraction_of_the_way() -> None:
    assert m.close_gap(32.1, 55.3, 0.75) == pytest.approx(49.5)


def test_rate_count_round_trip_through_a_denominator() -> None:
    denominator = m.implied_denominator(2630.3, 12102, 100_000)
    assert denominator / 100_000 == pytest.approx(4.601, abs=5e-4)
    assert float(m.rate_to_count(2265.7, denominator, 100_000)) == pytest.approx(10425, abs=1)
    assert float(m.count_to_rate(520, 67_380, 100_000)) == pytest.approx(771.7, abs=0.05)


def test_spread_counts_add_up_and_rates_average_to_the_year() -> None:
    weights = [1, 1, 2, 4]
    counts = m.spread([800.0], weights, mode="sum")
    np.testing.assert_allclose(counts, [[100, 100, 200, 400]])
    rates = m.spread([50.0], weights, mode="mean")
    assert rates.mean() == pytest.approx(50.0)
    with pytest.raises(ValidationError):
        m.spread([1.0], [1, 2, 3])


@given(
    st.floats(1, 1e6),
    st.lists(st.floats(-50, 50), min_size=1, max_size=10),
)
def test_applied_changes_give_the_compound_headline(base: float, changes: list[float]) -> None:
    values = m.apply_yearly_changes(base, changes)
    assert m.point_to_point_pct(base, float(values[-1])) == pytest.approx(
        m.headline_change_pct(changes, "compound"), rel=1e-9, abs=1e-9
    )


@given(st.floats(-1e5, 1e5), st.floats(-1e5, 1e5), st.integers(1, 30))
def test_equal_steps_are_equal_and_end_on_target(start: float, end: float, n: int) -> None:
    steps = m.equal_steps(start, end, n)
    assert steps[-1] == pytest.approx(end, abs=1e-6)
    diffs = np.diff(np.concatenate([[start], steps]))
    np.testing.assert_allclose(diffs, diffs[0], atol=1e-6)
