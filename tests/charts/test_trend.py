"""The trend: values over time with the plan's trajectory; SPC only with enough points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth import spc
from placehealth.charts import trend_chart
from placehealth.charts.trend import trend_frame
from tests.charts.helpers import row


def _yearly() -> pd.DataFrame:
    rows = [row("place", "P", v, 5.0, 8.0) for v in (120.0, 115.0, 112.0)]
    return pd.DataFrame(rows).assign(period=["2017/18", "2015/16", "2016/17"])


def test_periods_in_time_order_with_the_trajectory_beside_them() -> None:
    plan = pd.DataFrame({"period": ["2016/17", "2017/18", "2018/19"], "expected": [114, 110, 106]})
    frame = trend_frame(_yearly(), plan)
    assert list(frame["period"]) == ["2015/16", "2016/17", "2017/18", "2018/19"]
    assert list(frame["value"].fillna(-1)) == [115.0, 112.0, 120.0, -1]
    assert list(frame["expected"].fillna(-1)) == [-1, 114, 110, 106]


def test_trajectory_periods_of_another_kind_are_left_out() -> None:
    plan = pd.DataFrame({"period": ["2016/17 H1", "2017/18"], "expected": [1, 110]})
    frame = trend_frame(_yearly(), plan)
    assert list(frame["period"]) == ["2015/16", "2016/17", "2017/18"]
    assert list(frame["expected"].fillna(-1)) == [-1, -1, 110]


def test_few_points_draw_no_limits_and_say_why() -> None:
    plan = pd.DataFrame({"period": ["2016/17", "2017/18"], "expected": [114, 110]})
    spec = trend_chart(trend_frame(_yearly(), plan), polarity="lower_is_better",
                       title="T", unit="per 100,000")  # fmt: skip
    fields = {layer["encoding"]["y"]["field"] for layer in spec["layer"]}
    assert fields == {"lower", "expected", "value"}  # the interval, trajectory, values
    assert "lpl" not in str(spec)
    assert "too few for SPC limits" in spec["title"]["subtitle"]
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "ordinal"  # labels as the table writes them, not parsed dates
    assert x["sort"] == ["2015/16", "2016/17", "2017/18"]


def test_enough_points_draw_the_xmr_chart_of_spc() -> None:
    rng = np.random.default_rng(5)
    months = pd.period_range("2017-04", periods=24, freq="M").strftime("%Y-%m")
    values = 100 + rng.normal(0, 3, 24)
    values[-1] = 130  # beyond the upper limit: special cause
    rows = pd.DataFrame([row("place", "P", v, 5.0, 8.0) for v in values]).assign(period=months)
    frame = trend_frame(rows)
    spec = trend_chart(frame, polarity="lower_is_better", title="T")
    expected = spc.xmr(frame, value="value", date="start", improvement="decrease")
    data = pd.DataFrame(spec["data"]["values"])
    assert data["upl"].to_numpy() == pytest.approx(expected["upl"].to_numpy())
    assert data["mean"].to_numpy() == pytest.approx(expected["mean"].to_numpy())
    assert data["label"].iloc[-1] == "Concern"  # a high value where lower is better
    fields = [layer["encoding"]["y"]["field"] for layer in spec["layer"]]
    assert {"mean", "lpl", "upl"} <= set(fields)
    assert "concern" in spec["title"]["subtitle"][0].lower()
