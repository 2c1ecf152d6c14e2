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


CHART_COLUMNS = [
    "mean", "lpl", "upl", "lower_2sigma", "upper_2sigma", "special_cause_flag",
    "special_cause_type", "point_type", "trial_limits", "note", "variation_icon",
    "assurance_icon",
]  # fmt: skip


def test_output_is_the_input_columns_then_the_chart_columns_in_date_order() -> None:
    """docs/spc.md's column list, nothing more (no stray index column), rows renumbered."""
    frame = series(STABLE).assign(area="A").iloc[::-1]  # given newest first
    frame.index = range(100, 120)
    result = xmr(frame, "value", "date", by="area")
    assert list(result.columns) == ["date", "value", "area", *CHART_COLUMNS]
    assert list(result.index) == list(range(20))
    assert result["date"].is_monotonic_increasing


def test_min_points_of_two_gives_a_two_point_series_limits() -> None:
    """Two points have one moving range, so limits: 11 ± 2.66 × 2; one point has none."""
    two = chart([10.0, 12.0], min_points=2)
    assert two["upl"].tolist() == [11 + 2.66 * 2] * 2
    assert not two["trial_limits"].any() and two["note"].isna().all()
    one = chart([10.0], min_points=1)
    assert one["upl"].isna().all() and one["point_type"].tolist() == ["insufficient_data"]


def test_limits_are_fixed_after_the_first_points_of_each_series() -> None:
    """fix_after counts from each series' own first point (the reference groups by facet)."""
    values = [10.0, 12.0] * 6 + [15.0, 16.0, 15.5, 16.5, 15.0, 16.0, 15.5, 16.0]
    a = series(values).assign(area="A")
    b = series([v * 2 for v in values], "2021-01-01").assign(area="B")
    together = xmr(pd.concat([a, b]), "value", "date", by="area", fix_after=12)
    for area, alone in (("A", a), ("B", b)):
        part = together[together["area"] == area].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, xmr(alone, "value", "date", by="area", fix_after=12))
    assert together["mean"].tolist() == [11.0] * 20 + [22.0] * 20


def test_a_bad_value_names_its_row_and_series() -> None:
    frame = pd.concat(
        [series(STABLE).assign(area="A", sex="f"), series(STABLE).assign(area="B", sex="m")]
    )
    frame["value"] = frame["value"].astype(object)
    frame.iloc[23, frame.columns.get_loc("value")] = "n/a"
    with pytest.raises(ValidationError) as refused:
        xmr(frame, "value", "date", by=["area", "sex"])
    assert str(refused.value) == "row 25, column 'value': 'n/a' is not a number (area=B, sex=m)"
    with pytest.raises(ValidationError) as refused:
        xmr(frame[frame["area"] == "B"], "value", "date")
    assert str(refused.value) == "row 5, column 'value': 'n/a' is not a number"


def test_series_with_a_missing_key_are_each_their_own_series() -> None:
    """Persons rows with no sex, in two areas: two series, not one (and none dropped)."""
    a = series(STABLE).assign(area="A", sex=None)
    b = series([v + 100 for v in STABLE]).assign(area="B", sex=None)
    result = xmr(pd.concat([a, b]), "value", "date", by=["area", "sex"])
    assert result["mean"].tolist() == [11.0] * 20 + [111.0] * 20
    rows = summary(result, by=["area", "sex"])
    assert rows["area"].tolist() == ["A", "B"] and rows["mean"].tolist() == [11.0, 111.0]


def test_summary_is_the_last_point_of_each_series_in_the_charts_order() -> None:
    """Found by itself (text columns, or a column named series), or as given; the icons
    renamed; numbered 0, 1, …; a text column that is not a key is not used when ``by``
    is given."""
    comments = [f"c{j}" for j in range(20)]
    frames = [
        series([*STABLE[:-1], 40.0 + i]).assign(sex=sex, area=area, comment=comments)
        for i, (area, sex) in enumerate([("A", "f"), ("A", "m"), ("B", "f"), ("B", "m")])
    ]
    result = xmr(pd.concat(frames), "value", "date", by=["area", "sex"], improvement="increase")
    rows = summary(result, by=["area", "sex"])
    assert list(rows.index) == [0, 1, 2, 3] and "index" not in rows.columns
    assert list(zip(rows["area"], rows["sex"], strict=True)) == [
        ("A", "f"), ("A", "m"), ("B", "f"), ("B", "m")
    ]  # fmt: skip
    assert rows["value"].tolist() == [40.0, 41.0, 42.0, 43.0]
    assert set(rows["variation"]) == {"improvement_high"} and rows["assurance"].isna().all()
    assert "variation_icon" not in rows.columns and "assurance_icon" not in rows.columns
    found = summary(result.drop(columns="comment"))
    assert found["value"].tolist() == [40.0, 41.0, 42.0, 43.0]
    numbered = xmr(pd.concat([series(STABLE).assign(series=1), series(STABLE).assign(series=2)]),
                   "value", "date", by="series")  # fmt: skip
    assert summary(numbered)["series"].tolist() == [1, 2]
    one = summary(chart([*STABLE, 13.0], target=30.0, improvement="increase"))
    assert len(one) == 1 and one["value"].iloc[0] == 13.0
    assert one["assurance"].iloc[0] == "consistent_fail"


def refusal(frame: pd.DataFrame, *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as refused:
        xmr(frame, *args, **kwargs)  # type: ignore[arg-type]
    return str(refused.value)


def test_bad_input_messages_name_the_column_the_series_and_the_fix() -> None:
    two = pd.concat([series(STABLE).assign(area="A"), series(STABLE).assign(area="B")])
    assert refusal(series(STABLE), "value", "when") == (
        "column 'when': missing column 'when' (columns present: date, value)"
    )
    assert refusal(series(STABLE), "value", "date", improvement="up") == (
        "column 'improvement': unknown improvement direction 'up' "
        "(use increase, decrease or neutral)"
    )
    assert refusal(series(STABLE), "value", "date", target="goal") == (
        "column 'goal': missing target column 'goal'"
    )
    doubled = pd.concat([two, two.iloc[[25]].assign(value=99.0)])  # same date, other value
    assert refusal(doubled.assign(sex="m"), "value", "date", by=["area", "sex"]) == (
        "column 'date': area=B, sex=m has two points dated 2020-06-01 "
        "(give one value per date in each series)"
    )
    assert refusal(pd.concat([series(STABLE), series(STABLE).iloc[[3]]]), "value", "date") == (
        "column 'date': the series has two points dated 2020-04-01 "
        "(give one value per date in each series)"
    )


def test_improvement_and_target_from_columns_apply_per_series() -> None:
    """``improvement`` and ``target`` may name columns (constant within each series)."""
    up = series([*STABLE[:-1], 40.0]).assign(area="A", better="increase", goal=30.0)
    down = series([*STABLE[:-1], 40.0]).assign(area="B", better="decrease", goal="2")
    result = xmr(pd.concat([up, down]), "value", "date", by="area", improvement="better",
                 target="goal")  # fmt: skip
    rows = summary(result, by="area")
    assert rows["variation"].tolist() == ["improvement_high", "concern_high"]
    assert rows["assurance"].tolist() == ["consistent_fail", "consistent_fail"]
    assert result["better"].tolist() == ["increase"] * 20 + ["decrease"] * 20
    no_target = xmr(pd.concat([up, down.assign(goal="n/a")]), "value", "date", by="area",
                improvement="better", target="goal")  # fmt: skip
    assurance = summary(no_target, by="area")["assurance"]
    assert assurance.iloc[0] == "consistent_fail" and pd.isna(assurance.iloc[1])  # no target
    one_bad = up.assign(better=["sideways", *["increase"] * 19])
    assert refusal(one_bad, "value", "date", improvement="better") == (
        "column 'improvement': unknown improvement direction 'sideways' "
        "(use increase, decrease or neutral)"
    )


@pytest.mark.parametrize(
    ("bad", "says"), [(None, "a row has no date"), ("2020-13-45", "'2020-13-45'")]
)
def test_a_missing_or_bad_date_names_its_row_and_column(bad: str | None, says: str) -> None:
    """Row numbers count the header line, as the file's line numbers do (index 4: row 6)."""
    frame = series(STABLE)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d").astype(object)
    frame.iloc[4, frame.columns.get_loc("date")] = bad
    with pytest.raises(ValidationError) as refused:
        xmr(frame, "value", "date")
    assert refused.value.row == 6 and refused.value.column == "date"
    assert says == refused.value.message if bad is None else says in refused.value.message
    # what to do: give the date, or write it in a form the one date rule reads
    hint = refused.value.hint or ""
    assert hint == "give every row a date" if bad is None else "01/04/2022 (day first)" in hint
