"""The demand model: a tiny case equals the hand calculation; properties hold for any input
(hypothesis): P10 ≤ P50 ≤ P90, more avoidance never raises demand, a larger population never
lowers it, the same seed gives the same numbers; the vectorised runs equal run-by-run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placehealth.demand.inputs import Baseline, Projection, Step, read_baseline, read_projection
from placehealth.demand.model import build, draw, quantiles, simulate, waterfall
from tests.demand.helpers import baseline_frame, projection_frame, write

NE = "non-elective"


def tiny(tmp_path: Path) -> tuple[Baseline, Projection, list[Step]]:
    """20 admissions aged 0-4 (2 bed-days each) and 50 aged 65-69 (10 each); the 65-69
    population grows 10% from 2020 to 2021; 10% avoided, 5% fewer by efficiency, stays 20%
    shorter, all certain (low = high) from 2021."""
    base = baseline_frame({(NE, "0-4"): 20, (NE, "65-69"): 50},
                          bed_days={(NE, "0-4"): 40, (NE, "65-69"): 500})  # fmt: skip
    baseline = read_baseline(write(base, tmp_path / "baseline.csv"))
    projection = read_projection(
        write(projection_frame({2020: {}, 2021: {"65-69": 1.1}}), tmp_path / "population.csv")
    )
    steps = [
        Step(id="avoid", kind="avoidance", pods=[NE], low_pct=10, high_pct=10),
        Step(id="fewer", kind="efficiency", pods=[NE], low_pct=5, high_pct=5),
        Step(id="shorter", kind="efficiency", pods=[NE], low_pct=20, high_pct=20,
             measure="bed-days"),
    ]  # fmt: skip
    return baseline, projection, steps


def test_a_tiny_case_with_no_uncertainty_equals_the_hand_calculation(tmp_path: Path) -> None:
    """2021: (20 + 50 × 1.1) × 0.9 × 0.95 = 64.125 admissions; bed-days (40 + 500 × 1.1) ×
    0.9 × 0.95 × 0.8 = 403.56; beds 403.56 / 365 / 0.85 = 1.3007."""
    model = build(*tiny(tmp_path))
    q = quantiles(model, simulate(model, draw(model, 50, seed=1, resample=False)), occupancy=0.85)
    at = q.set_index(["measure", "pod", "year"])
    assert at.loc[("activity", NE, 2020), "p50"] == pytest.approx(70)
    for column in ("p10", "p50", "p90", "mean"):
        assert at.loc[("activity", NE, 2021), column] == pytest.approx(64.125)
    assert at.loc[("bed-days", NE, 2021), "p50"] == pytest.approx(403.56)
    assert at.loc[("beds", NE, 2021), "p50"] == pytest.approx(403.56 / 365 / 0.85)
    steps = waterfall(model).set_index("step")["value"]
    assert steps.to_dict() == pytest.approx(
        {"baseline": 70, "demographic growth": 5, "activity avoidance": -7.5,
         "efficiency": -3.375, "projection": 64.125}
    )  # fmt: skip
    assert steps.iloc[:-1].sum() == pytest.approx(steps["projection"])


def test_a_step_phases_in_from_its_start_to_its_full_year(tmp_path: Path) -> None:
    """Avoidance of 30% from 2021, full in 2023: a third (10%) in 2021, two thirds in 2022."""
    baseline, _, _ = tiny(tmp_path)
    projection = read_projection(
        write(projection_frame({y: {} for y in range(2020, 2025)}), tmp_path / "flat.csv")
    )
    step = Step(id="a", kind="avoidance", pods=[NE], low_pct=30, high_pct=30, full_year=2023)
    model = build(baseline, projection, [step])
    p50 = quantiles(model, simulate(model, draw(model, 5, 0, resample=False)))
    values = p50[p50.measure == "activity"]["p50"].to_numpy()
    assert values == pytest.approx([70, 63, 56, 49, 49])


def test_the_vectorised_runs_equal_a_run_by_run_calculation(tmp_path: Path) -> None:
    """With resampling and uncertain effects: each run recomputed on its own from its draws."""
    baseline, projection, _ = tiny(tmp_path)
    steps = [Step(id="a", kind="avoidance", pods=[NE], low_pct=5, high_pct=15),
             Step(id="b", kind="efficiency", pods=[NE], low_pct=0, high_pct=10)]  # fmt: skip
    model = build(baseline, projection, steps)
    draws = draw(model, 40, seed=3)
    runs = simulate(model, draws)
    for r in range(40):
        grown = np.einsum("pas,yas->yp", draws.activity[r], model.growth)
        factor = (1 - draws.effects[r, 0] * model.phase[0]) * (
            1 - draws.effects[r, 1] * model.phase[1]
        )
        assert runs.activity[r] == pytest.approx(grown * factor[:, None])


def _model(avoid: float, spread: float, growth: float, seed: int, runs: int = 30):
    base = baseline_frame({(NE, "70-74"): 40, (NE, "85-89"): 25, ("ae", "20-24"): 90},
                          pods=("ae", NE), sexes=("M", "F"))  # fmt: skip
    pop = projection_frame({2020: {}, 2025: {"85-89": growth, "70-74": growth}}, sexes=("M", "F"))
    from placehealth.demand.inputs import baseline_arrays, projection_arrays

    steps = [Step(id="s", kind="avoidance", pods=[NE], low_pct=avoid, high_pct=avoid + spread)]
    model = build(baseline_arrays(base), projection_arrays(pop), steps)
    return model, quantiles(model, simulate(model, draw(model, runs, seed)))


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AVOID = st.floats(0, 60)
SPREAD = st.floats(0, 30)
GROWTH = st.floats(0.5, 3)
SEED = st.integers(0, 2**32 - 1)


@SETTINGS
@given(AVOID, SPREAD, GROWTH, SEED)
def test_p10_p50_p90_are_in_order(avoid: float, spread: float, growth: float, seed: int) -> None:
    _, q = _model(avoid, spread, growth, seed)
    assert (q.p10 <= q.p50 + 1e-9).all() and (q.p50 <= q.p90 + 1e-9).all()


@SETTINGS
@given(AVOID, SPREAD, st.floats(0, 30), GROWTH, SEED)
def test_more_avoidance_never_raises_demand(
    avoid: float, spread: float, more: float, growth: float, seed: int
) -> None:
    _, less = _model(avoid, spread, growth, seed)
    _, most = _model(avoid + more, spread, growth, seed)
    assert (most.p50 <= less.p50 + 1e-9).all() and (most.p90 <= less.p90 + 1e-9).all()
    assert (most["mean"] <= less["mean"] + 1e-9).all()


@SETTINGS
@given(AVOID, SPREAD, GROWTH, st.floats(0, 2), SEED)
def test_a_larger_population_never_lowers_demand(
    avoid: float, spread: float, growth: float, extra: float, seed: int
) -> None:
    _, small = _model(avoid, spread, growth, seed)
    _, large = _model(avoid, spread, growth + extra, seed)
    for column in ("p10", "p50", "p90", "mean"):
        assert (large[column] >= small[column] - 1e-9).all()


@SETTINGS
@given(AVOID, SPREAD, GROWTH, SEED)
def test_the_same_seed_gives_the_same_numbers(
    avoid: float, spread: float, growth: float, seed: int
) -> None:
    _, a = _model(avoid, spread, growth, seed)
    _, b = _model(avoid, spread, growth, seed)
    assert a.equals(b)
    _, c = _model(avoid, 5 + spread, growth, seed + 1 if seed < 2**32 - 1 else 0)
    assert not a.equals(c)


def test_rates_from_a_sample_give_the_whole_places_activity(tmp_path: Path) -> None:
    """5 admissions among 10 people aged 70-74 is 0.5 a head; the projection has 100 such
    people in 2020 and 120 in 2021: 50 and 60. The waterfall starts from the 50."""
    from placehealth.demand.inputs import baseline_arrays, projection_arrays

    base = baseline_frame({(NE, "70-74"): 5}, population=10)
    pop = projection_frame({2020: {}, 2021: {"70-74": 1.2}})
    model = build(baseline_arrays(base), projection_arrays(pop), [])
    q = quantiles(model, simulate(model, draw(model, 3, 0, resample=False)))
    assert q["p50"].tolist() == pytest.approx([50, 60])
    steps = waterfall(model).set_index("step")["value"]
    assert (steps["baseline"], steps["demographic growth"]) == pytest.approx((50, 10))


@pytest.mark.parametrize(
    ("baseline_sexes", "projection_sexes", "expected"),
    [
        (("M", "F"), ("P",), 2 * 50 * 1.2),  # persons growth applied to each sex
        (("P",), ("M", "F"), 50 * 1.2 * 2),  # persons baseline against M + F (100 + 100)
        (("M", "F"), ("M", "F"), 2 * 50 * 1.2),
    ],
)
def test_sexes_meet_whichever_way_they_are_given(
    baseline_sexes: tuple[str, ...], projection_sexes: tuple[str, ...], expected: float
) -> None:
    """50 admissions in each baseline sex among 100 people (per sex, or persons)."""
    from placehealth.demand.inputs import baseline_arrays, projection_arrays

    base = baseline_frame({(NE, "70-74"): 50}, sexes=baseline_sexes, population=100)
    scale = 2.0 if baseline_sexes == ("M", "F") and projection_sexes == ("P",) else 1.0
    pop = projection_frame({2020: {}, 2021: {"70-74": 1.2}}, sexes=projection_sexes,
                           base=100 * scale)  # fmt: skip
    model = build(baseline_arrays(base), projection_arrays(pop), [])
    q = quantiles(model, simulate(model, draw(model, 2, 0, resample=False)))
    assert q[q.year == 2021]["p50"].sum() == pytest.approx(expected)


def test_a_projection_without_a_sex_of_the_baseline_is_refused() -> None:
    from placehealth.demand.inputs import baseline_arrays, projection_arrays
    from placehealth.errors import ValidationError

    base = baseline_frame({(NE, "70-74"): 50}, sexes=("M", "F"))
    pop = projection_frame({2020: {}, 2021: {}}, sexes=("M",))
    with pytest.raises(ValidationError, match="no sex F, which the baseline has"):
        build(baseline_arrays(base), projection_arrays(pop), [])


def test_the_baselines_year_starts_the_projection() -> None:
    from placehealth.demand.inputs import baseline_arrays, projection_arrays
    from placehealth.errors import ValidationError

    base = baseline_frame({(NE, "70-74"): 50})
    pop = projection_frame({2019: {"70-74": 0.5}, 2020: {}, 2021: {"70-74": 1.2}})
    model = build(baseline_arrays(base), projection_arrays(pop), [], year=2020)
    assert model.years == [2020, 2021] and model.growth[:, 14, 0] == pytest.approx([1, 1.2])
    with pytest.raises(ValidationError, match="no year 2021 to start from"):
        build(baseline_arrays(base), projection_arrays(pop), [], year=2021)
