"""What a trajectory expects each month: the period's value, a count's monthly share, a stock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.catalogue.model import Unit
from placehealth.plans.expected import dated_periods, expected_by_month, expected_stock
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import Trajectory

AMBITION = Ambition.model_validate({"id": "a", "indicator": "x"})


def trajectory(periods: list[str], values: list[float]) -> Trajectory:
    return Trajectory(AMBITION, periods, np.asarray(values, dtype=float), recomputed=True)


def test_dated_periods_are_in_time_order_without_undated_or_missing_points() -> None:
    t = trajectory(["2016/17", "baseline", "2015/16", "2017/18"], [2.0, 100.0, 1.0, np.nan])
    starts, ends, values = dated_periods(t)
    assert [str(s)[:10] for s in starts] == ["2015-04-01", "2016-04-01"]
    assert [str(e)[:10] for e in ends] == ["2016-03-31", "2017-03-31"]
    assert values.tolist() == [1.0, 2.0]


def test_a_month_takes_its_period_value_and_a_count_its_share_of_the_year() -> None:
    t = trajectory(["2015/16", "2016/17"], [366.0, 730.0])
    months = pd.period_range("2015-03", periods=3, freq="M").append(
        pd.period_range("2016-04", periods=1, freq="M")
    )
    # before the first period: the first value; a rate is the period's value as it is
    assert expected_by_month(t, Unit.RATE, months).tolist() == [366.0, 366.0, 366.0, 730.0]
    # a count: the month's days over the year's (2015/16 has 366 days, 2016/17 has 365)
    got = expected_by_month(t, Unit.COUNT, months)
    assert got.tolist() == pytest.approx([31.0, 30.0, 31.0, 730 * 30 / 365])


def test_a_stock_is_read_off_the_line_between_its_dated_counts() -> None:
    t = trajectory(["2015/16", "2016/17"], [100.0, 465.0])
    months = pd.period_range("2016-03", periods=3, freq="M")  # ends 31 Mar, 30 Apr, 31 May
    got = expected_stock(t, months)
    assert got[0] == 100.0 and got[1] == pytest.approx(100 + 365 * 30 / 365)
    assert got[2] == pytest.approx(100 + 365 * 61 / 365)
    assert np.isnan(expected_stock(t, pd.period_range("2017-04", periods=1, freq="M"))[0])
