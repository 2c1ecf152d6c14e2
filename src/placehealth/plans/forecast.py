"""Forecasts a board can read: a stated method, enough points, an interval, a verdict.

Method: an ordinary least-squares line through non-overlapping points of one
shape (the target's shape if there are enough, else annual points, else monthly),
evaluated at the middle of the target period, with a 95% prediction interval.
Fewer than :data:`MIN_POINTS` points give no forecast ("too few points to
forecast"). Values and limits are clipped to what the measure can take. A target
is "likely to be met" only when the whole interval is on its good side, and
"unlikely" only when the whole interval is on the bad side.

Vectorised: one group-by over all series gives every line and interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from placehealth.catalogue.model import Polarity

MIN_POINTS = 3
LIKELY, UNLIKELY, UNCERTAIN = "likely to meet", "unlikely to meet", "uncertain"
TOO_FEW = "too few points to forecast"


def non_overlapping(frame: pd.DataFrame, key: str = "area") -> pd.Series:
    """True for points of one shape that do not overlap, counted back from each series'
    latest point (of 2015-17, 2016-18, 2017-19 and 2018-20 it keeps 2015-17 and 2018-20)."""
    month = frame["start"].dt.year * 12 + frame["start"].dt.month
    latest = month.groupby(frame[key]).transform("max")
    return ((latest - month) % frame["months"].clip(lower=1)) == 0


def linear_forecast(
    points: pd.DataFrame,
    at: float,
    bounds: tuple[float, float],
    *,
    key: str = "area",
) -> pd.DataFrame:
    """Per series (``key``): n, forecast at decimal year ``at``, 95% prediction limits.

    ``points`` has columns key, x (decimal year), y. Series with fewer than
    MIN_POINTS points get NaN.
    """
    g = points.assign(xx=points["x"] ** 2, xy=points["x"] * points["y"], yy=points["y"] ** 2)
    sums = g.groupby(key, sort=True)[["x", "y", "xx", "xy", "yy"]].sum()
    n = points.groupby(key, sort=True)["x"].count().astype(float)
    sxx = sums["xx"] - sums["x"] ** 2 / n
    sxy = sums["xy"] - sums["x"] * sums["y"] / n
    syy = sums["yy"] - sums["y"] ** 2 / n
    ok = (n >= MIN_POINTS) & (sxx > 0)
    slope = np.where(ok, sxy / sxx.where(ok, 1.0), np.nan)
    xbar, ybar = sums["x"] / n, sums["y"] / n
    fit = ybar + slope * (at - xbar)
    resid = np.clip(syy - slope * sxy, 0.0, None)
    df = (n - 2).clip(lower=1)
    s = np.sqrt(resid / df)
    half = stats.t.ppf(0.975, df) * s * np.sqrt(1 + 1 / n + (at - xbar) ** 2 / sxx.where(ok, 1.0))
    low, high = bounds
    return pd.DataFrame(
        {
            "points": n.astype(int),
            "forecast": np.clip(np.where(ok, fit, np.nan), low, high),
            "forecast_lower": np.clip(np.where(ok, fit - half, np.nan), low, high),
            "forecast_upper": np.clip(np.where(ok, fit + half, np.nan), low, high),
        },
        index=sums.index,
    )


def verdict(
    lower: pd.Series, upper: pd.Series, target: float | None, polarity: Polarity
) -> pd.Series:
    """'likely to meet' only when the interval supports it; NaN limits give 'too few'."""
    out = pd.Series(UNCERTAIN, index=lower.index, dtype=object)
    if target is not None and polarity == Polarity.HIGHER:
        out[lower >= target] = LIKELY
        out[upper < target] = UNLIKELY
    elif target is not None and polarity == Polarity.LOWER:
        out[upper <= target] = LIKELY
        out[lower > target] = UNLIKELY
    else:
        out[:] = "no target to meet" if target is None else "no direction to judge"
    if target is not None:
        out[lower.isna() | upper.isna()] = TOO_FEW
    return out
