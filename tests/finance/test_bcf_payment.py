"""The BCF performance payment: against a hand calculation for Liverpool under the 2014/15
rules (seed 004, 119 and 156; seed 000, 4587–4622 and 4728–4781), and properties that hold
for any plan: a payment never exceeds what is at stake, and meeting more never pays less."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from placehealth.finance.bcf_load import load_bcf
from placehealth.finance.bcf_payment import (
    assess,
    metric_met,
    released,
    stake,
    what_if,
    what_if_grid,
)
from tests.conftest import ROOT

LIVERPOOL = load_bcf(ROOT / "plans" / "ccg-2014")[0]
M = 1e6


def test_the_place_stake_is_its_minimum_pool_over_the_national_fund() -> None:
    """£44.970m (39.832 + 5.138, seed 000 4613, 4606) of the £3.8bn fund (seed 004, 119)."""
    place = stake(LIVERPOOL)
    assert place.pool_pounds == pytest.approx(44.970 * M)
    assert place.share == pytest.approx(44.970 / 3800)


def test_payment_matches_a_hand_calculation() -> None:
    """April 2015: conditions not all met (pays 0 of £250m × share); 3 metrics share £250m ×
    share: delayed transfers 228 ≤ 230 and dementia 58 ≥ 57.7 met, avoidable admissions
    1100 > 1055.7 not: 2/3 × 250 × 44.970/3800 = £1.972368m. October 2015: 6 metrics share
    £500m × share; residential 680 ≤ 690 and dementia 57.8 ≥ 57.8 met, delayed transfers
    226 > 225 and reablement 81.9 < 82 not, the rest without an actual or a target:
    2/6 × 500 × 44.970/3800 = £1.972368m."""
    actuals = {
        ("delayed-transfers", "april-2015"): 228.0,
        ("dementia", "april-2015"): 58.0,
        ("avoidable-admissions", "april-2015"): 1100.0,
        ("residential-admissions", "october-2015"): 680.0,
        ("dementia", "october-2015"): 57.8,
        ("delayed-transfers", "october-2015"): 226.0,
        ("reablement", "october-2015"): 81.9,
    }
    releases, metrics = assess(LIVERPOOL, actuals)
    april, october = releases.to_dict("records")
    hand = 2 / 3 * 250 * 44.970 / 3800 * M
    assert april["released"] == pytest.approx(hand, rel=1e-12)
    assert april["at_stake"] == pytest.approx(500 * 44.970 / 3800 * M)
    assert april["held_back"] == pytest.approx(april["at_stake"] - hand)
    assert (april["conditions_met"], april["metrics"], april["metrics_met"]) == (False, 3, 2)
    assert october["released"] == pytest.approx(2 / 6 * 500 * 44.970 / 3800 * M, rel=1e-12)
    assert (october["metrics"], october["metrics_met"]) == (6, 2)
    assert april["national"] == 500 * M and april["national_metrics"] == 250 * M
    status = {(r["metric"], r["release"]): r["status"] for r in metrics.to_dict("records")}
    assert status[("patient-experience", "october-2015")] == "no target"
    assert status[("avoidable-admissions", "october-2015")] == "no actual"
    assert status[("dementia", "october-2015")] == "met"  # equal to the target is met


def test_conditions_met_release_their_share() -> None:
    """With all four April conditions met, the £250m × share on conditions is paid."""
    conditions = {c.id: c for c in LIVERPOOL.plan.conditions}
    met = [c.model_copy(update={"status": "met"}) for c in conditions.values()]
    plan = LIVERPOOL.plan.model_copy(update={"conditions": met})
    resolved = type(LIVERPOOL)(**{**LIVERPOOL.__dict__, "plan": plan})
    releases, _ = assess(resolved, {})
    assert releases.loc[0, "released"] == pytest.approx(250 * 44.970 / 3800 * M)


def test_what_if_is_the_calculation_at_each_value() -> None:
    """The vectorised what-if agrees with one assessment per value."""
    base = {("dementia", "april-2015"): 58.0}
    values = [1000.0, 1055.7, 1055.8, 1197.6, 1300.0]
    frame = what_if(LIVERPOOL, base, "avoidable-admissions", values)
    for value, got in zip(values, frame["released"], strict=True):
        one = {**base, ("avoidable-admissions", "april-2015"): value,
               ("avoidable-admissions", "october-2015"): value}  # fmt: skip
        assert got == pytest.approx(assess(LIVERPOOL, one)[0]["released"].sum())
    assert list(frame["released"]) == sorted(frame["released"], reverse=True)


def test_missing_actuals_and_targets_are_not_met() -> None:
    nan = np.nan
    got = metric_met(np.array([1.0, nan, 2.0]), np.array([1.0, 1.0, nan]), np.array([True] * 3))
    assert got.tolist() == [True, False, False]


_sizes = st.integers(1, 8)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    places, metrics = draw(_sizes), draw(_sizes)
    values = st.floats(0, 1000, allow_nan=False)
    shape = (places, metrics)
    actual = draw(arrays(np.float64, shape, elements=values))
    target = draw(arrays(np.float64, shape, elements=values))
    higher = draw(arrays(np.bool_, (metrics,)))
    eligible = draw(arrays(np.bool_, shape))
    pots = draw(arrays(np.float64, (places,), elements=st.floats(0, 1e9)))
    conditions = draw(arrays(np.bool_, (places,)))
    cond_pots = draw(arrays(np.float64, (places,), elements=st.floats(0, 1e9)))
    return actual, target, higher, eligible, pots, conditions, cond_pots


@settings(max_examples=200, deadline=None)
@given(_cases())
def test_payment_never_exceeds_the_amount_at_stake(case: tuple[np.ndarray, ...]) -> None:
    actual, target, higher, eligible, pots, conditions, cond_pots = case
    paid = released(actual, target, higher, eligible, pots, conditions, cond_pots)
    assert np.all(paid >= 0)
    assert np.all(paid <= (pots + cond_pots) * (1 + 1e-12))


@settings(max_examples=200, deadline=None)
@given(_cases(), st.data())
def test_meeting_more_metrics_never_pays_less(
    case: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    """Moving any actuals in the better direction (so a met metric stays met and more may be
    met) never lowers the payment."""
    actual, target, higher, eligible, pots, conditions, cond_pots = case
    step = data.draw(arrays(np.float64, actual.shape, elements=st.floats(0, 500)))
    better = actual + np.where(higher, step, -step)
    before = released(actual, target, higher, eligible, pots, conditions, cond_pots)
    after = released(better, target, higher, eligible, pots, conditions, cond_pots)
    assert np.all(after >= before - 1e-6)
    more = metric_met(better, target, higher) & eligible
    fewer = metric_met(actual, target, higher) & eligible
    assert np.all(more.sum(-1) >= fewer.sum(-1))


def test_the_what_if_grid_is_each_metric_and_value_in_turn() -> None:
    """what_if_grid[m, k] is the payment with metric m set to value k at every place."""
    rng = np.random.default_rng(7)
    target = rng.uniform(10, 100, (4, 3))
    actual = target * rng.uniform(0.9, 1.1, (4, 3))
    higher = np.array([True, False, True])
    eligible = rng.random((4, 3)) > 0.2
    values = target[:, :, None] * np.array([0.9, 1.0, 1.1])[None, None, :]
    pots, met, cond = rng.uniform(1, 5, 4), rng.random(4) > 0.5, rng.uniform(1, 2, 4)
    grid = what_if_grid(actual, target, higher, eligible, values, pots, met, cond)
    assert grid.shape == (3, 3, 4)
    for m in range(3):
        for k in range(3):
            one = actual.copy()
            one[:, m] = values[:, m, k]
            expected = released(one, target, higher, eligible, pots, met, cond)
            np.testing.assert_allclose(grid[m, k], expected, rtol=1e-12)
