"""What a trajectory expects, month by month, by the rule ``plan status`` judges by.

A month takes the value of the trajectory period that contains it (after the last
period, the last value; before the first, the first); a flow count takes the
month's share of its period's count; a stock count is read off the line between its
dated counts. The board pack's charts and the synthetic stand-in actuals use these,
so a chart, a status and a simulated series agree on what was expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Unit
from placehealth.periods import is_period, parse_period
from placehealth.plans.compare import stock_at
from placehealth.plans.trajectory import Trajectory


def dated_periods(trajectory: Trajectory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start dates, end dates and values of the trajectory's periods, in time order.

    Points without a date (an index trajectory's "baseline") or without a value are
    left out.
    """
    keep = [
        (parse_period(p), v)
        for p, v in zip(trajectory.periods, trajectory.values, strict=True)
        if is_period(p) and np.isfinite(v)
    ]
    keep.sort(key=lambda pv: pv[0])
    starts = pd.to_datetime([p.start for p, _ in keep]).to_numpy()
    ends = pd.to_datetime([p.end for p, _ in keep]).to_numpy()
    return starts, ends, np.asarray([v for _, v in keep], dtype=float)


def expected_by_month(
    trajectory: Trajectory, unit: Unit, month_index: pd.PeriodIndex
) -> np.ndarray:
    """The value the trajectory expects in each month (the rule ``plan status`` uses).

    The value of the trajectory period containing the month; after the last period,
    the last value; before the first, the first. A count is the month's share of
    its period's count (by the ambition's 12-month profile when it has one).
    """
    starts, ends, values = dated_periods(trajectory)
    month_start = month_index.start_time.to_numpy()
    slot = np.clip(np.searchsorted(starts, month_start, side="right") - 1, 0, len(starts) - 1)
    expected = values[slot]
    if unit == Unit.COUNT:
        days = (ends - starts).astype("timedelta64[D]").astype(float) + 1
        share = month_index.days_in_month.to_numpy(dtype=float) / days[slot]
        profile = trajectory.ambition.profile
        if profile is not None and len(profile.weights) == 12:
            weights = np.asarray(profile.weights, dtype=float)
            fy_month = (month_index.month.to_numpy() - 4) % 12
            share = np.where(days[slot] > 300, weights[fy_month] / weights.sum(), share)
        expected = expected * np.minimum(share, 1.0)
    return expected


def expected_stock(trajectory: Trajectory, month_index: pd.PeriodIndex) -> np.ndarray:
    """A stock trajectory's count at each month's end (NaN outside its dates), by the rule
    ``plan status`` uses (:func:`placehealth.plans.compare.stock_at`)."""
    _, ends, values = dated_periods(trajectory)
    if values.size == 0:
        return np.full(len(month_index), np.nan)
    return stock_at(ends, values, month_index.end_time.normalize().to_numpy())
