"""The place overview's rules (services/overview.py) on small hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.services.overview import compare_to, latest_place_values, significance, trend


def test_compare_to_reads_the_benchmark_against_the_interval_by_polarity() -> None:
    frame = pd.DataFrame(
        {
            "value": [10.0, 10.0, 10.0, 10.0, 10.0, np.nan],
            "lower": [8.0, 8.0, 8.0, 8.0, 8.0, np.nan],
            "upper": [12.0, 12.0, 12.0, 12.0, 12.0, np.nan],
            "benchmark": [7.0, 7.0, 13.0, 11.0, 7.0, 7.0],
            "polarity": ["higher_is_better", "lower_is_better", "lower_is_better",
                         "higher_is_better", "neutral", "higher_is_better"],
        }
    )  # fmt: skip
    verdict = compare_to(
        frame["value"], frame["lower"], frame["upper"], frame["benchmark"], frame["polarity"]
    )
    assert list(verdict) == ["better", "worse", "better", "similar", "higher", "not compared"]


def test_significance_names_the_strictest_level_the_interval_excludes() -> None:
    frame = pd.DataFrame(
        {
            "value": [10.0, 10.0, 10.0],
            "lower95_0cl": [9.0, 9.0, 9.0],
            "upper95_0cl": [11.0, 11.0, 11.0],
            "lower99_8cl": [8.0, 8.0, 8.0],
            "upper99_8cl": [12.0, 12.0, 12.0],
            "comparator_value": [13.0, 11.5, 10.5],
            "polarity": ["lower_is_better"] * 3,
        }
    )
    assert list(significance(frame, "comparator_value")) == [
        "better (99.8%)", "better (95%)", "similar",
    ]  # fmt: skip


def _series(periods: list[str], values: list[float], half_width: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "x",
            "area_type": "place",
            "area_code": "P",
            "area_name": "P",
            "period": periods,
            "sex": "persons",
            "age_band": "all ages",
            "value": values,
            "lower95_0cl": [v - half_width for v in values],
            "upper95_0cl": [v + half_width for v in values],
            "polarity": "lower_is_better",
        }
    )


def test_the_latest_value_is_set_beside_the_previous_one_of_the_same_kind() -> None:
    # the calendar year 2018 comes between 2017/18 and 2018/19 but is another kind of
    # period, so the trend compares 2018/19 with 2017/18
    values = _series(["2016/17", "2017/18", "2018", "2018/19"], [100.0, 90.0, 60.0, 70.0], 5.0)
    latest = latest_place_values(values)
    assert list(latest["period"]) == ["2018/19"]
    assert latest["previous_value"].iloc[0] == 90.0
    result = trend(latest)
    assert result.iloc[0].tolist() == ["decreasing", "↓", "getting better"]
    close = latest_place_values(_series(["2017/18", "2018/19"], [90.0, 85.0], 5.0))
    assert trend(close)["trend"].iloc[0] == "no significant change"
    alone = latest_place_values(_series(["2018/19"], [85.0], 5.0))
    assert trend(alone)["trend"].iloc[0] == "not compared"
