"""Recent trend as Fingertips marks it (assign_trend_markers): the last five points.

The rule, for each series (area × indicator × sex × age), its periods in order:

1. Fewer than five periods, or a gap (no value, count or limit) among the last
   five: *Cannot be calculated*.
2. The statistic on the last five points, their positions 0 … 4 as the time scale
   (Fingertips tests consecutive, non-overlapping periods of equal length):

   - proportions: the chi-square test for trend (Cochran–Armitage, as R's
     ``prop.trend.test``): with p the pooled proportion, chi-square =
     [Σ n (t − t̄)(x/n − p)]² / (p (1 − p) Σ n (t − t̄)²), t̄ weighted by n;
   - other values (rates, ratios, life expectancy, means): a weighted linear
     regression of value on time, weights 1/SE² (SE from the 95% limits),
     chi-square = slope² / var(slope).

3. Chi-square above 9.5495 (the 99.8% point of chi-square on one degree of
   freedom) is a significant trend, unless leaving out any one of the five points
   turns the slope's sign round (an outlier makes the trend): then, as when it is
   below, *No significant change*.
4. A significant trend is *Increasing* or *Decreasing*, and with polarity
   *… and getting better* or *… and getting worse*.

All series are tested at once on (series × 5) arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Polarity
from placehealth.stats.confidence import z_value
from placehealth.stats.frame import as_by, fail_at, groups, require

POINTS = 5
CRITICAL = 9.5495  # chi-square, 1 degree of freedom, 99.8%
CANNOT = "Cannot be calculated"
NO_CHANGE = "No significant change"
TrendType = Literal["proportion", "other"]


def chi_square_for_trend(
    numerator: np.ndarray, denominator: np.ndarray, time: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(chi-square, slope direction) of proportions x/n over time, row by row (… × points).

    The direction is the sign of Σ n (t − t̄)(x/n − p): +1 rising, −1 falling.
    """
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    t = np.broadcast_to(np.arange(x.shape[-1], dtype=float) if time is None else time, x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x.sum(axis=-1, keepdims=True) / n.sum(axis=-1, keepdims=True)
        t_bar = (n * t).sum(axis=-1, keepdims=True) / n.sum(axis=-1, keepdims=True)
        top = (n * (t - t_bar) * (x / n - p)).sum(axis=-1)
        spread = (n * (t - t_bar) ** 2).sum(axis=-1)
        chi = top**2 / (p[..., 0] * (1 - p[..., 0]) * spread)
    return chi, np.sign(top)


def weighted_trend(
    value: np.ndarray, se: np.ndarray, time: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(chi-square, slope direction) of a regression of value on time with weights 1/SE²."""
    y = np.asarray(value, dtype=float)
    t = np.broadcast_to(np.arange(y.shape[-1], dtype=float) if time is None else time, y.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = 1 / np.asarray(se, dtype=float) ** 2
        t_bar = (w * t).sum(axis=-1, keepdims=True) / w.sum(axis=-1, keepdims=True)
        y_bar = (w * y).sum(axis=-1, keepdims=True) / w.sum(axis=-1, keepdims=True)
        sxx = (w * (t - t_bar) ** 2).sum(axis=-1)
        slope = (w * (t - t_bar) * (y - y_bar)).sum(axis=-1) / sxx
        chi = slope**2 * sxx  # slope / se(slope), squared; var(slope) = 1 / Σ w (t − t̄)²
    return chi, np.sign(slope)


def recent_trend(
    data: pd.DataFrame,
    period: str,
    by: str | Sequence[str] | None = None,
    *,
    value_type: TrendType = "proportion",
    numerator: str = "numerator",
    denominator: str = "denominator",
    value: str = "value",
    lower_cl: str = "lower95_0cl",
    upper_cl: str = "upper95_0cl",
    polarity: str | None = None,
) -> pd.DataFrame:
    """One row per series: ``by``, the latest ``period``, ``recent_trend`` (Fingertips'
    words), ``recent_trend_reason`` and ``chi_square``.

    Periods sort as text (the project's labels sort in time order). ``polarity`` names
    a column of catalogue polarities (one per series), else no judgement is made.
    """
    if value_type not in ("proportion", "other"):
        raise fail_at(f"unknown value type '{value_type}'", column=None, grp=None, position=None,
                      hint="proportion or other")  # fmt: skip
    cols = as_by(by)
    wanted = [numerator, denominator] if value_type == "proportion" else [value, lower_cl, upper_cl]
    require(data, [period, *cols, *wanted, polarity])
    frame = data.sort_values([*cols, period], kind="stable").reset_index(drop=True)
    grp = groups(frame, cols)
    dup = frame.duplicated([*cols, period])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise fail_at(f"period '{frame[period].iloc[pos]}' comes twice in one series",
                      column=period, grp=grp, position=pos,
                      hint="one row per period in each series")  # fmt: skip
    from_end = frame.groupby(grp.codes).cumcount(ascending=False).to_numpy()
    size = grp.size()
    last = frame[from_end < POINTS]
    codes = grp.codes[from_end < POINTS]
    slot = POINTS - 1 - from_end[from_end < POINTS]
    full = size[codes] >= POINTS
    grid = {c: _grid(pd.to_numeric(last[c], errors="coerce").to_numpy(float)[full],
                     codes[full], slot[full], grp.count) for c in wanted}  # fmt: skip
    if value_type == "proportion":
        x, n = grid[numerator], grid[denominator]
        gaps = np.isnan(x).any(axis=1) | np.isnan(n).any(axis=1) | (n <= 0).any(axis=1)
        chi, sign = chi_square_for_trend(x, n)
        flips = _flips(lambda keep: chi_square_for_trend(x[:, keep], n[:, keep])[1], sign)
    else:
        y, lo, hi = grid[value], grid[lower_cl], grid[upper_cl]
        se = (hi - lo) / (2 * z_value(0.95))
        gaps = (np.isnan(y) | np.isnan(se) | ~(se > 0)).any(axis=1)
        chi, sign = weighted_trend(y, se)
        flips = _flips(lambda keep: weighted_trend(y[:, keep], se[:, keep])[1], sign)
    enough = size >= POINTS
    significant = enough & ~gaps & (chi > CRITICAL)
    trend = np.where(sign > 0, "Increasing", "Decreasing").astype(object)
    pol = (frame[polarity].groupby(grp.codes).first().reindex(range(grp.count)).astype(str)
           if polarity else pd.Series("", index=range(grp.count))).to_numpy()  # fmt: skip
    better = ((sign > 0) & (pol == Polarity.HIGHER.value)) | (
        (sign < 0) & (pol == Polarity.LOWER.value)
    )
    judged = np.isin(pol, [Polarity.HIGHER.value, Polarity.LOWER.value])
    trend = np.where(judged, trend + np.where(better, " and getting better", " and getting worse"),
                     trend)  # fmt: skip
    label = np.where(significant & ~flips, trend, NO_CHANGE)
    label = np.where(gaps & enough, CANNOT, np.where(enough, label, CANNOT))
    reason = np.select(
        [~enough, gaps, significant & flips, significant],
        ["Not enough data points", "Missing values",
         "Outlier found", "No outliers and significant trend"],
        "No significant trend",
    )  # fmt: skip
    latest = frame.groupby(grp.codes)[period].last().reindex(range(grp.count)).to_numpy()
    out = grp.keys[cols].reset_index(drop=True).copy() if cols else pd.DataFrame(index=[0])
    out[period] = latest
    out["recent_trend"] = label
    out["recent_trend_reason"] = reason
    out["chi_square"] = np.where(enough & ~gaps, chi, np.nan)
    return out


def _grid(values: np.ndarray, codes: np.ndarray, slot: np.ndarray, count: int) -> np.ndarray:
    out = np.full((count, POINTS), np.nan)
    out[codes, slot] = values
    return out


def _flips(direction_without: object, sign: np.ndarray) -> np.ndarray:
    """Whether leaving out any one point turns the slope's sign round, per series."""
    flips = np.zeros(sign.shape, dtype=bool)
    for left_out in range(POINTS):  # five fits of all series at once
        keep = [i for i in range(POINTS) if i != left_out]
        flips |= direction_without(keep) != sign  # type: ignore[operator]
    return flips
