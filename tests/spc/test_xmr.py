"""XmR charts and the Making Data Count rules (docs/spc.md; tests/reference-data/spc)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.errors import ValidationError
from placehealth.spc import summary, xmr
from tests.conftest import reference_file

WORKED_EXAMPLE = json.loads(reference_file("spc/worked-example.json").read_text())
WORKED: list[float] = WORKED_EXAMPLE["values"]


def series(values: list[float], start: str = "2020-01-01") -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.date_range(start, periods=len(values), freq="MS"), "value": values}
    )


def chart(values: list[float], **kwargs: object) -> pd.DataFrame:
    return xmr(series(values), "value", "date", **kwargs)  # type: ignore[arg-type]


def flagged(result: pd.DataFrame, kind: str) -> list[int]:
    return list(np.flatnonzero((result["special_cause_type"] == kind).to_numpy()))


STABLE = [10.0, 12.0] * 10  # mean 11, every moving range 2: limits 11 ± 5.32


def printed(text: str) -> object:
    """``text`` as a number, to the precision it is printed with."""
    places = len(text.split(".")[1]) if "." in text else 0
    return pytest.approx(float(text), abs=0.5 * 10**-places)


def test_worked_example_of_the_reference() -> None:
    """NHSRplotthedots: rnorm(20) with set.seed(123) gives mean 0.1416238, limits -3.01138,
    3.294627 (tests/reference-data/spc)."""
    ref = WORKED_EXAMPLE
    dates = pd.date_range(ref["dates_from"], periods=len(WORKED))
    result = xmr(pd.DataFrame({"date": dates, "value": WORKED}), "value", "date")
    assert result["mean"].iloc[0] == printed(ref["mean"])
    assert result["lpl"].iloc[0] == printed(ref["lpl"])
    assert result["upl"].iloc[0] == printed(ref["upl"])
    assert int(result["special_cause_flag"].sum()) == ref["points_outside_limits"]
    assert not result["special_cause_flag"].any()
    assert set(result["point_type"]) == {"common_cause"}


def test_output_holds_no_internal_columns_and_summary_groups_by_the_users_columns() -> None:
    """issue 13, "Why": `spc` wrote its own working columns (`_improvement`, `_target`)."""
    frame = pd.concat([series(STABLE, "2020-01-01").assign(area=a) for a in ("A", "B")])
    result = xmr(frame, "value", "date", by="area", improvement="increase", target=12.0)
    assert not [c for c in result.columns if str(c).startswith("_")]
    assert list(summary(result, by="area")["area"]) == ["A", "B"]
    assert len(summary(result)) == 2  # found by itself: the series is the area, nothing else


def test_stable_process_limits() -> None:
    result = chart(STABLE)
    assert result["mean"].iloc[0] == pytest.approx(11)
    assert (result["lpl"].iloc[0], result["upl"].iloc[0]) == pytest.approx((11 - 5.32, 11 + 5.32))
    assert result["upper_2sigma"].iloc[0] == pytest.approx(11 + 2 / 3 * 5.32)
    assert not result["special_cause_flag"].any()


def test_a_point_outside_the_limits() -> None:
    values = STABLE.copy()
    values[9] = 40.0
    result = chart(values)
    assert flagged(result, "outside_limits") == [9]


@pytest.mark.parametrize("step", [0.2, -0.2])
def test_seven_point_trend_up_and_down(step: float) -> None:
    run = [11 + step * (k - 3) for k in range(7)]  # 7 points, strictly monotone, around the mean
    # the points either side move against the run, so exactly these 7 make the trend
    before, after = (12.0, 10.0) if step > 0 else (10.0, 12.0)
    values = [*STABLE[:7], before, *run, after, *STABLE[:12]]
    result = chart(values)
    assert flagged(result, "trend") == list(range(8, 15))
    direction = "high" if step > 0 else "low"
    assert set(result["point_type"].iloc[8:15]) == {"special_cause_neutral_" + direction}


def test_six_points_are_not_a_trend() -> None:
    values = [*STABLE[:8], 10.5, 10.7, 10.9, 11.1, 11.3, 11.5, *STABLE[8:]]
    assert flagged(chart(values), "trend") == []


def test_two_of_three_close_to_the_limit_on_one_side() -> None:
    # the 2-sigma band above the mean starts near 15.5: 16.0 is close, inside the limit
    values = [*STABLE[:10], 16.0, 12.0, 16.0, *STABLE[10:]]
    result = chart(values)
    assert flagged(result, "two_in_three") == [10, 12]


def test_two_of_three_needs_all_three_on_the_same_side() -> None:
    values = [*STABLE[:10], 16.0, 10.0, 16.0, *STABLE[10:]]
    assert flagged(chart(values), "two_in_three") == []


def test_seven_point_shift_and_a_point_on_the_mean_breaks_it() -> None:
    high = [11.5, 12.0, 11.5, 12.0, 11.5, 12.0, 11.5]
    low = [22 - v for v in high]  # mirror image keeps the mean at exactly 11
    result = chart(STABLE + high + STABLE + low)
    assert result["mean"].iloc[0] == pytest.approx(11)
    shift = flagged(result, "shift")
    # the stable stretch ends on 12 (above the mean), so the high run is 8 points long
    assert shift == list(range(19, 27)) + list(range(47, 54))
    broken_high = [*high[:3], 11.0, *high[4:]]
    broken_low = [*low[:3], 11.0, *low[4:]]
    result = chart(STABLE + broken_high + STABLE + broken_low)
    assert result["mean"].iloc[0] == pytest.approx(11)
    assert flagged(result, "shift") == []


def test_rule_priority_outside_limits_over_trend_and_shift() -> None:
    run = [11.2, 11.4, 11.6, 11.8, 12.0, 12.2, 40.0]  # a rising run ending beyond the limit
    result = chart(STABLE + run + STABLE)
    types = result["special_cause_type"].iloc[20:27].tolist()
    assert types[-1] == "outside_limits"
    assert types[:-1] == ["trend"] * 6  # trend outranks the shift these points also make


def test_rebasing_starts_new_limits() -> None:
    values = STABLE + [v + 10 for v in STABLE]
    data = series(values)
    rebase_on = data["date"].iloc[20]
    result = xmr(data, "value", "date", rebase=[rebase_on])
    assert result["mean"].iloc[0] == pytest.approx(11)
    assert result["mean"].iloc[20] == pytest.approx(21)
    assert not result["special_cause_flag"].any()
    without = xmr(data, "value", "date")
    assert without["special_cause_flag"].any()


def test_limits_fixed_after_n_points() -> None:
    values = [*STABLE, 15.0, 16.0, 15.5, 16.5, 15.0, 16.0, 15.5]
    result = chart(values, fix_after=20)
    assert result["mean"].iloc[-1] == pytest.approx(11)
    assert result["upl"].iloc[-1] == pytest.approx(16.32)
    assert result["special_cause_flag"].iloc[20:].all()  # the new level is special cause


def test_outlying_moving_ranges_are_screened() -> None:
    values = STABLE.copy()
    values[10] = 30.0  # two moving ranges of 18 and 20
    screened = chart(values)
    unscreened = chart(values, screen_outliers=False)
    width = screened["upl"].iloc[0] - screened["lpl"].iloc[0]
    assert width < unscreened["upl"].iloc[0] - unscreened["lpl"].iloc[0]
    mrs = np.abs(np.diff(values))
    kept = mrs[mrs < 3.267 * mrs.mean()]
    assert width == pytest.approx(2 * 2.66 * kept.mean())


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("increase", 5.0, "consistent_pass"),
        ("increase", 17.0, "consistent_fail"),
        ("increase", 11.0, "inconsistent"),
        ("decrease", 17.0, "consistent_pass"),
        ("decrease", 5.0, "consistent_fail"),
        ("decrease", 12.0, "inconsistent"),
        ("neutral", 5.0, None),
    ],
)
def test_assurance_icons(improvement: str, target: float, assurance: str | None) -> None:
    result = chart(STABLE, improvement=improvement, target=target)
    assert result["assurance_icon"].iloc[-1] == assurance


@pytest.mark.parametrize(
    ("last", "improvement", "icon"),
    [
        (12.0, "increase", "common_cause"),
        (40.0, "increase", "improvement_high"),
        (40.0, "decrease", "concern_high"),
        (-20.0, "increase", "concern_low"),
        (-20.0, "decrease", "improvement_low"),
        (40.0, "neutral", "neutral_high"),
        (-20.0, "neutral", "neutral_low"),
    ],
)
def test_variation_icon_from_the_last_point(last: float, improvement: str, icon: str) -> None:
    result = chart([*STABLE, last], improvement=improvement)
    assert set(result["variation_icon"]) == {icon}


def test_series_too_short_for_limits_is_reported_not_given_limits() -> None:
    result = chart([10.0, 12.0, 11.0, 40.0])
    assert result["lpl"].isna().all() and result["upl"].isna().all()
    assert set(result["point_type"]) == {"insufficient_data"}
    assert result["note"].iloc[0].startswith("fewer than 12 points")
    assert set(result["variation_icon"]) == {"insufficient_data"}


def test_many_series_with_summary() -> None:
    a = series(STABLE).assign(area="A")
    b = series([*STABLE[:-1], 40.0]).assign(area="B")
    result = xmr(pd.concat([b, a]), "value", "date", by="area", improvement="increase")
    assert list(result["area"].unique()) == ["B", "A"] or set(result["area"]) == {"A", "B"}
    rows = summary(result, by="area").set_index("area")
    assert rows.loc["A", "variation"] == "common_cause"
    assert rows.loc["B", "variation"] == "improvement_high"


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (series(STABLE).drop(columns="date"), "missing column 'date'"),
        (series(STABLE).assign(value=["x", *STABLE[1:]]), "'x' is not a number"),
        (pd.concat([series(STABLE), series(STABLE).iloc[:1]]), "two points dated"),
        (series(STABLE).assign(date=[None, *series(STABLE)["date"].iloc[1:]]), "no date"),
    ],
)
def test_bad_input(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        xmr(frame, "value", "date")


def test_unknown_improvement_direction() -> None:
    with pytest.raises(ValidationError, match="unknown improvement direction 'up'"):
        chart(STABLE, improvement="up")


values_strategy = st.lists(
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3)), min_size=12, max_size=40
)


@settings(max_examples=40, deadline=None)
@given(values_strategy, st.floats(-100, 100).map(lambda v: round(v, 2)))
def test_shifting_shifts_mean_and_limits(values: list[float], shift: float) -> None:
    a, b = chart(values), chart([v + shift for v in values])
    for column in ("mean", "lpl", "upl"):
        np.testing.assert_allclose(b[column], a[column] + shift, rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(values_strategy, st.floats(0.1, 100))
def test_scaling_scales_mean_and_limits(values: list[float], factor: float) -> None:
    a, b = chart(values), chart([v * factor for v in values])
    for column in ("mean", "lpl", "upl"):
        np.testing.assert_allclose(b[column], a[column] * factor, rtol=1e-9, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(values_strategy, values_strategy)
def test_series_are_independent_when_computed_together(x: list[float], y: list[float]) -> None:
    together = xmr(
        pd.concat([series(x).assign(s="x"), series(y).assign(s="y")]), "value", "date", by="s"
    )
    for name, values in (("x", x), ("y", y)):
        alone = chart(values).drop(columns=["date", "value"]).reset_index(drop=True)
        part = together[together["s"] == name].drop(columns=["date", "value", "s"])
        pd.testing.assert_frame_equal(part.reset_index(drop=True), alone, check_dtype=False)


def test_an_empty_series_gives_an_empty_chart() -> None:
    empty = pd.DataFrame({"date": pd.to_datetime([]), "value": pd.Series([], dtype=float)})
    result = xmr(empty, "value", "date", improvement="increase", target=3.0)
    assert len(result) == 0
    for column in ("mean", "lpl", "upl", "point_type", "variation_icon", "assurance_icon"):
        assert column in result.columns
