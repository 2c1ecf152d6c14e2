"""Fingertips' comparison by confidence interval, on limits worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.charts.significance import significance
from tests.charts.helpers import neighbourhoods, row


def test_findings_against_the_place_follow_the_hand_worked_limits() -> None:
    areas = neighbourhoods().iloc[1:]
    got = significance(areas, 100.0, "lower_is_better")
    assert list(got) == ["worse_998", "worse_95", "similar", "better_998", "not_compared"]


def test_higher_is_better_turns_the_same_limits_round() -> None:
    got = significance(neighbourhoods().iloc[1:5], 100.0, "higher_is_better")
    assert list(got) == ["better_998", "better_95", "similar", "worse_998"]


def test_no_polarity_says_higher_or_lower() -> None:
    got = significance(neighbourhoods().iloc[1:5], 100.0, "neutral")
    assert list(got) == ["higher_998", "higher_95", "similar", "lower_998"]
    assert list(significance(neighbourhoods().iloc[1:2], 100.0, None)) == ["higher_998"]


def test_a_limit_touching_the_benchmark_is_similar() -> None:
    """Fingertips: different only where the interval lies wholly above or below."""
    touching = pd.DataFrame([row("lsoa", "A", 105.0, 5.0, 9.0), row("lsoa", "B", 95.0, 5.0, 9.0)])
    assert list(significance(touching, 100.0, "neutral")) == ["similar", "similar"]


def test_a_blank_benchmark_or_limit_is_not_compared() -> None:
    frame = pd.DataFrame([row("lsoa", "A", 120.0, 5.0, 8.0), row("lsoa", "B", 120.0, 5.0, 8.0)])
    frame.loc[1, "upper99_8cl"] = np.nan
    assert list(significance(frame, [np.nan, 100.0], "neutral")) == [
        "not_compared",
        "not_compared",
    ]


def test_one_polarity_per_row() -> None:
    frame = pd.DataFrame([row("lsoa", "A", 120.0, 5.0, 8.0), row("lsoa", "B", 120.0, 5.0, 8.0)])
    got = significance(frame, 100.0, ["higher_is_better", "lower_is_better"])
    assert list(got) == ["better_998", "worse_998"]
