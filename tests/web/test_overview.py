"""The place overview's rules (services/overview.py) on small hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.services.overview import latest_place_values, significance, trend


def test_significance_labels_each_row_by_the_one_comparison_rule() -> None:
    frame = pd.DataFrame(
        {
            "value": [10.0, 10.0, 10.0, 10.0, np.nan],
            "lower95_0cl": [9.0, 9.0, 9.0, 9.0, np.nan],
            "upper95_0cl": [11.0, 11.0, 11.0, 11.0, np.nan],
            "lower99_8cl": [8.0, 8.0, 8.0, 8.0, np.nan],
            "upper99_8cl": [12.0, 12.0, 12.0, 12.0, np.nan],
            "comparator_value": [13.0, 11.5, 10.5, 7.0, 7.0],
            "polarity": ["lower_is_better"] * 3 + ["neutral", "higher_is_better"],
        }
    )
    assert list(significance(frame, "comparator_value")) == [
        "Better (99.8%)", "Better (95%)", "Similar", "Higher (99.8%)", "Not compared",
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
