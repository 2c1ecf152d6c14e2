"""Benchmarking as Fingertips does it: categories against a value, labels, quintiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats.benchmark import (
    compare_by_interval,
    fingertips_label,
    levels_of,
    quintile_labels,
)


def areas() -> pd.DataFrame:
    """Against 100, worked by hand (95% and 99.8% limits):

    A 120, 95% 112-128, 99.8% 108-132: above at both -> higher at 99.8%
    B 110, 95% 104-116, 99.8% 98-122: above at 95% only
    C 100, 95% 100-108 (touches the comparator), 99.8% 96-110: similar
    D 90, 95% 84-96, 99.8% no limits (not given)
    E blank value
    """
    return pd.DataFrame(
        {
            "value": [120.0, 110.0, 104.0, 90.0, np.nan],
            "lower95_0cl": [112.0, 104.0, 100.0, 84.0, 90.0],
            "upper95_0cl": [128.0, 116.0, 108.0, 96.0, 99.0],
            "lower99_8cl": [108.0, 98.0, 96.0, np.nan, 88.0],
            "upper99_8cl": [132.0, 122.0, 110.0, np.nan, 101.0],
        }
    )


def test_both_levels_the_stronger_finding_wins_and_missing_limits_are_not_compared() -> None:
    got = compare_by_interval(areas(), 100.0, "lower_is_better")
    assert list(got) == ["worse_998", "worse_95", "similar", "not_compared", "not_compared"]


def test_at_95_only_a_missing_99_8_limit_does_not_matter() -> None:
    got = compare_by_interval(areas(), 100.0, "higher_is_better", levels=levels_of("95"))
    assert list(got) == ["better_95", "better_95", "similar", "worse_95", "not_compared"]


def test_at_99_8_only() -> None:
    got = compare_by_interval(areas(), 100.0, "neutral", levels=levels_of("99.8"))
    assert list(got) == ["higher_998", "similar", "similar", "not_compared", "not_compared"]


def test_no_polarity_makes_no_judgement_and_no_comparator_is_not_compared() -> None:
    got = compare_by_interval(areas().iloc[:2], [100.0, np.nan], None)
    assert list(got) == ["higher_998", "not_compared"]


def test_labels_are_spelled_as_a_fingertips_download() -> None:
    keys = ["better_95", "worse_998", "higher_95", "lower_998", "similar", "not_compared"]
    assert list(fingertips_label(keys)) == [
        "Better 95%", "Worse 99.8%", "Higher 95%", "Lower 99.8%", "Similar", "Not compared",
    ]  # fmt: skip


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"95, 99\.8 or both"):
        levels_of("90")
    assert levels_of("both") == ("95", "998")


def test_quintiles_of_ten_areas_two_in_each_fifth_read_by_polarity() -> None:
    frame = pd.DataFrame({"g": "x", "value": [5.0, 1, 2, 3, 4, 6, 7, 8, 9, 10, np.nan]})
    neutral = quintile_labels(frame, ["g"], None)
    assert list(neutral) == ["Middle", "Lowest", "Lowest", "Low", "Low", "Middle", "High",
                             "High", "Highest", "Highest", None]  # fmt: skip
    low_good = quintile_labels(frame, ["g"], "lower_is_better")
    assert low_good[1] == "Best" and low_good[9] == "Worst"
    high_good = quintile_labels(frame, ["g"], "higher_is_better")
    assert high_good[1] == "Worst" and high_good[9] == "Best" and high_good[0] == "Middle"


def test_a_group_of_fewer_than_five_areas_has_no_quintiles() -> None:
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 5, "value": [1.0, 2, 3, 4, 1, 2, 3, 4, 5]})
    got = quintile_labels(frame, ["g"], None)
    assert got[:4].isna().all()
    assert list(got[4:]) == ["Lowest", "Low", "Middle", "High", "Highest"]
