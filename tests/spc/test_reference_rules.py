"""Point classifications, limits and icons against NHSRplotthedots 0.2.2, rule by rule.

The expected outputs are in ``fixtures/plotthedots_rules.json`` (each case cites its
source; written once by ``make_fixtures.py`` from the reference's rules). Limits are
compared at the precision R prints them (7 significant digits).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placehealth.errors import ValidationError
from placehealth.spc import xmr
from tests.spc import plotthedots as ptd

FIXTURES = json.loads(
    (Path(__file__).parent / "fixtures" / "plotthedots_rules.json").read_text(encoding="utf-8")
)["cases"]
BY_NAME = {c["name"]: c for c in FIXTURES}

# the reference's special_cause_type label -> (our rule, high side)
LABELS: dict[str, tuple[str | None, bool | None]] = {
    "Above UCL": ("outside_limits", True),
    "Below LCL": ("outside_limits", False),
    "7 Point Trend (Increasing)": ("trend", True),
    "7 Point Trend (Decreasing)": ("trend", False),
    "2 in 3 Above CL": ("two_in_three", True),
    "2 in 3 Below CL": ("two_in_three", False),
    "7 Points Above CL": ("shift", True),
    "7 Points Below CL": ("shift", False),
    "Common Cause": (None, None),
}


def run(case: dict[str, Any], **override: Any) -> pd.DataFrame:
    opts = dict(case["options"])
    ours = opts.pop("ours", {})
    frame = pd.DataFrame({"date": pd.to_datetime(case["dates"]), "value": case["values"]})
    kwargs = {
        "improvement": opts.get("improvement", "increase"),  # the reference's default
        "target": opts.get("target"),
        "rebase": opts.get("rebase"),
        "fix_after": opts.get("fix_after"),
        "screen_outliers": opts.get("screen_outliers", True),
        **ours,
        **override,
    }
    return xmr(frame, "value", "date", **kwargs)


def types(got: pd.DataFrame) -> list[str | None]:
    """special_cause_type with every gap as None."""
    return [t if isinstance(t, str) else None for t in got["special_cause_type"]]


def assert_printed(got: pd.Series, expected: list[float | None], what: str) -> None:
    """Equal to R's printed 7 significant digits (half a unit in the last digit)."""
    for i, (g, e) in enumerate(zip(got.to_numpy(dtype=float), expected, strict=True)):
        if e is None:
            assert math.isnan(g), (what, i, g)
            continue
        unit = 10 ** (math.floor(math.log10(abs(e))) - 6) if e else 1e-7
        assert abs(g - e) <= unit / 2 + 1e-12, (what, i, g, e)


@pytest.mark.parametrize("case", FIXTURES, ids=[c["name"] for c in FIXTURES])
def test_matches_the_reference(case: dict[str, Any]) -> None:
    got = run(case)
    exp = case["expected"]
    rules = [LABELS[label][0] for label in exp["special_cause_type"]]
    assert types(got) == rules
    assert got["special_cause_flag"].tolist() == [r is not None for r in rules]
    assert got["point_type"].tolist() == exp["point_type"]
    for column in ("mean", "lpl", "upl"):
        assert_printed(got[column], exp[column], column)
    assert got["variation_icon"].iloc[-1] == exp["variation"]
    assert got["assurance_icon"].iloc[-1] == exp["assurance"]


def test_the_peak_of_a_rise_and_a_fall_is_decreasing() -> None:
    """By hand: points 10-16 rise 8 -> 11 and 16-22 fall 11 -> 8; both are 7-point trends,
    so the peak (16) is in both. ptd_special_cause_type gives a point whose next point is
    also in a trend the sign of the step after it: 11 -> 10.5, decreasing."""
    case = BY_NAME["trend_peak_where_rise_meets_fall"]
    got = run(case)
    assert got["special_cause_type"].iloc[16] == "trend"
    assert case["expected"]["special_cause_type"][16] == "7 Point Trend (Decreasing)"
    assert got["point_type"].iloc[15:18].tolist() == [
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_concern",
    ]


def test_a_rebase_date_between_points_starts_the_next_point_unless_asked_to_match() -> None:
    """Kept on purpose (docs/spc.md): 2021-08-15 falls between the points of August and
    September; ours starts the new group at September. ``rebase_exact=True`` matches
    rebase dates to point dates only, as the reference does (one group, see the fixture)."""
    case = BY_NAME["rebase_between_points_is_ignored_by_the_reference"]
    ours = run(case, rebase_exact=False)
    on_point = run(BY_NAME["rebase_on_a_point_date"])
    pd.testing.assert_frame_equal(ours, on_point)
    assert ours["mean"].iloc[19] == 11 and ours["mean"].iloc[20] == 21
    exact = run(case)
    assert exact["mean"].nunique() == 1 and exact["mean"].iloc[0] == 16


def test_a_constant_series_with_a_target_is_inconsistent_as_the_reference() -> None:
    got = run(BY_NAME["constant_series_with_a_target_increase"])
    assert got["lpl"].isna().all() and got["upl"].isna().all()
    assert set(got["assurance_icon"]) == {"inconsistent"}
    assert set(got["point_type"]) == {"common_cause"}


@pytest.mark.parametrize("fix_after", [0, 1, 2, 11])
def test_fix_after_below_12_is_refused_as_the_reference(fix_after: int) -> None:
    with pytest.raises(ValidationError, match="at least 12 points") as refused:
        run(BY_NAME["fix_after_12_points"], fix_after=fix_after)
    assert refused.value.hint == "give 12 or more points, as Making Data Count asks"


@pytest.mark.parametrize("case", FIXTURES, ids=[c["name"] for c in FIXTURES])
def test_two_sigma_lines_as_the_reference(case: dict[str, Any]) -> None:
    """The reference's nlpl/nupl are mean ∓ 2 × (2.66 / 3) × amr, i.e. two thirds of the
    way from the mean to each limit: derived from its printed mean and limits, so equal
    to within one unit of their 7th significant digit."""
    got = run(case)
    exp = case["expected"]
    for ours, limit in (("lower_2sigma", "lpl"), ("upper_2sigma", "upl")):
        for i, (g, m, lim) in enumerate(zip(got[ours], exp["mean"], exp[limit], strict=True)):
            if lim is None:
                assert math.isnan(g), (ours, i, g)
                continue
            line = m + (lim - m) * 2 / 3
            unit = 10 ** (math.floor(math.log10(max(abs(m), abs(lim)))) - 6)
            assert abs(g - line) <= unit, (ours, i, g, line)


@pytest.mark.parametrize("exact", [True, False])
def test_a_rebase_on_a_point_date_is_the_same_under_either_rebase_rule(exact: bool) -> None:
    """Where the rebase date is a point's date, ``rebase_exact`` changes nothing: both
    give the reference's two groups (the fixture)."""
    case = BY_NAME["rebase_on_a_point_date"]
    got = run(case, rebase_exact=exact)
    assert_printed(got["mean"], case["expected"]["mean"], "mean")
    assert_printed(got["upl"], case["expected"]["upl"], "upl")


def test_by_default_a_rebase_date_between_points_starts_the_next_point() -> None:
    """docs/spc.md: our default (no ``rebase_exact``) starts the group at the first point
    on or after the date, where the reference ignores the date."""
    case = BY_NAME["rebase_between_points_is_ignored_by_the_reference"]
    frame = pd.DataFrame({"date": pd.to_datetime(case["dates"]), "value": case["values"]})
    got = xmr(frame, "value", "date", improvement="increase", rebase=case["options"]["rebase"])
    assert got["mean"].iloc[19] == 11 and got["mean"].iloc[20] == 21


def test_short_groups_get_no_limits_unless_trial_limits_are_asked_for() -> None:
    case = BY_NAME["short_group_gets_trial_limits"]
    default = run(case, trial_limits=False)
    assert default["lpl"].isna().all() and set(default["point_type"]) == {"insufficient_data"}
    assert not default["trial_limits"].any()
    trial = run(case)
    assert trial["trial_limits"].all()
    assert trial["note"].iloc[0].startswith("trial limits")
    assert trial["upl"].iloc[0] == pytest.approx(18.57, abs=5e-3)


def test_trial_limits_mark_only_the_short_group() -> None:
    values = [10.0, 12.0] * 10 + [20.0, 22.0, 21.0, 23.0]
    frame = pd.DataFrame(
        {"date": pd.date_range("2020-01-01", periods=24, freq="MS"), "value": values}
    )
    got = xmr(frame, "value", "date", rebase=["2021-09-01"], trial_limits=True)
    assert got["trial_limits"].tolist() == [False] * 20 + [True] * 4
    assert got["note"].iloc[:20].isna().all()
    assert got["mean"].iloc[-1] == pytest.approx(21.5)


series_values = st.lists(
    st.integers(-40, 40).map(lambda v: v / 4), min_size=1, max_size=40
)  # quarter steps: sums and means are exact, so ties fall the same way in both


@settings(max_examples=150, deadline=None)
@given(
    values=series_values,
    improvement=st.sampled_from(["increase", "decrease", "neutral"]),
    cut=st.integers(0, 40),
    screen=st.booleans(),
)
def test_random_series_classify_as_the_reference_rules(
    values: list[float], improvement: str, cut: int, screen: bool
) -> None:
    """Any series, any direction, a rebase or none, trial limits: the same as the rules."""
    n = len(values)
    dates = pd.date_range("2020-01-01", periods=n, freq="MS")
    rebase_at = [cut] if 0 < cut < n else []
    frame = pd.DataFrame({"date": dates, "value": values})
    got = xmr(
        frame, "value", "date", improvement=improvement, screen_outliers=screen,
        rebase=[dates[i] for i in rebase_at], trial_limits=True,
    )  # fmt: skip
    points = ptd.ptd_spc(values, rebase_at, improvement=improvement, screen_outliers=screen)
    labels = [p.special_cause_type for p in points]
    assert types(got) == [LABELS[lab][0] for lab in labels]
    assert got["point_type"].tolist() == [p.point_type for p in points]
    np.testing.assert_allclose(got["upl"], [p.upl for p in points], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got["mean"], [p.mean for p in points], rtol=1e-12, atol=1e-12)
    assert got["variation_icon"].iloc[-1] == ptd.variation(points, improvement)
