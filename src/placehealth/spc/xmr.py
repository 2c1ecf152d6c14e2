"""XmR (individuals) charts for many series at once.

Each series (``by``) is split into rebase groups; within a group the centre line is the
mean (of the first ``fix_after`` points if given), the process limits are the mean ±
2.66 × the average moving range (after screening out moving ranges ≥ 3.267 × the
average), and the four special-cause rules are applied in the reference's priority
order: outside the limits, a 7-point trend, two of three close to a limit, a 7-point
shift. Everything runs on sorted arrays with group codes: no loop over series.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from placehealth.dates import read_dates
from placehealth.errors import ValidationError
from placehealth.spc.groups import group_mean, position_in_group, run_lengths

LIMIT = 2.66  # 3 sigma for an XmR chart (3 / d2, d2 = 1.128)
SCREEN = 3.267  # upper range limit: moving ranges at or above 3.267 × mean are screened out
TWO_SIGMA = 2 * (LIMIT / 3)  # written as the reference does, so ties on the line fall alike
RUN = 7  # points in a shift; a trend is 7 points, i.e. 6 consecutive changes
MIN_POINTS = 12  # fewer points give no reliable limits (Making Data Count)
MIN_FIX_AFTER = 12  # NHSRplotthedots refuses to fix limits on fewer points
IMPROVEMENTS = ("increase", "decrease", "neutral")
RULES = ("outside_limits", "trend", "two_in_three", "shift")


def xmr(
    frame: pd.DataFrame,
    value: str,
    date: str,
    by: str | Sequence[str] | None = None,
    *,
    improvement: str = "neutral",
    target: float | str | None = None,
    rebase: Iterable[Any] | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
    min_points: int = MIN_POINTS,
    trial_limits: bool = False,
    rebase_exact: bool = False,
    month_first: bool = False,
) -> pd.DataFrame:
    """The input rows (sorted by series and date) plus the chart's columns.

    ``improvement`` and ``target`` are each a value or the name of a column (constant
    within a series). ``rebase`` dates start a new group in every series, at the first
    point on or after the date; ``rebase_exact=True`` uses only dates that are point
    dates, as NHSRplotthedots does. Groups shorter than ``min_points`` get no limits
    unless ``trial_limits=True``, which gives them the reference's trial limits, marked
    in ``trial_limits`` and ``note``. ``fix_after`` must be at least 12, as the reference.
    Added columns: ``mean``, ``lpl``, ``upl``, ``lower_2sigma``, ``upper_2sigma``,
    ``special_cause_flag``, ``special_cause_type``, ``point_type``, ``variation_icon``,
    ``assurance_icon`` (the last two per series, on every row), ``trial_limits`` and ``note``.
    Dates (in the column and in ``rebase``) are read by :func:`placehealth.dates.read_dates`:
    01/04/2022 is 1 April unless ``month_first``.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    if fix_after is not None and fix_after < MIN_FIX_AFTER:
        raise ValidationError(
            f"limits can be fixed after at least {MIN_FIX_AFTER} points (got {fix_after})",
            hint=f"give {MIN_FIX_AFTER} or more points, as Making Data Count asks",
        )
    data = _validated(frame, value, date, keys, improvement, target, month_first)
    n = len(data)
    series = _codes(data, keys)
    dates = data["_date"].to_numpy()
    segment = np.zeros(n, np.intp)
    if rebase is not None:
        given = pd.Series(list(rebase), dtype=object)
        cuts = np.sort(read_dates(given, month_first=month_first, option="--rebase").to_numpy())
        if rebase_exact:  # only a point dated on a rebase date starts a group
            segment = np.cumsum(np.isin(dates, cuts)).astype(np.intp)
        else:
            segment = np.searchsorted(cuts, dates, side="right").astype(np.intp)
    group = pd.factorize(pd.MultiIndex.from_arrays([series, segment]))[0].astype(np.intp)
    g_count = int(group.max()) + 1 if n else 0
    y = data[value].to_numpy(dtype=float)
    pos = position_in_group(group)
    size = np.bincount(group, minlength=g_count)

    base = pos < fix_after if fix_after is not None else np.ones(n, bool)
    centre = group_mean(y, group, g_count, base)
    same = np.r_[False, group[1:] == group[:-1]]
    mr = np.where(same, np.abs(y - np.r_[np.nan, y[:-1]]), np.nan)
    mr_base = same & base
    amr = group_mean(mr, group, g_count, mr_base)
    if screen_outliers:
        amr = group_mean(mr, group, g_count, mr_base & (mr < SCREEN * amr[group]))
    few = size[group] < max(min_points, 2)
    short = few & (not trial_limits)
    mean = centre[group]
    spread = np.where(short, np.nan, amr[group])
    lpl, upl = mean - LIMIT * spread, mean + LIMIT * spread

    types, high = _special_causes(y, mean, lpl, upl, spread, group, same, short)
    out = data.drop(columns=["_date", "_improvement", "_target"]).copy()  # internal only
    out["mean"], out["lpl"], out["upl"] = mean, lpl, upl
    out["lower_2sigma"], out["upper_2sigma"] = _two_sigma(mean, spread)
    flagged = types != ""
    out["special_cause_flag"] = flagged
    out["special_cause_type"] = pd.Series(types, index=out.index).where(flagged, None)
    direction = np.array(data["_improvement"])
    out["point_type"] = _point_types(flagged, high, direction, short)
    note = np.full(n, None, dtype=object)
    note[short] = f"fewer than {min_points} points: no process limits"
    note[few & ~short] = (
        f"trial limits: fewer than {min_points} points, revised as points are added"
    )
    out["trial_limits"] = few & ~short
    out["note"] = note
    target_values = data["_target"].to_numpy(dtype=float)
    icons = _icons(
        out["point_type"].to_numpy(), high, lpl, upl, series, target_values, direction, short
    )
    out["variation_icon"], out["assurance_icon"] = icons
    return out.reset_index(drop=True)


def summary(result: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """One row per series: its latest point, limits and icons (``variation``/``assurance``)."""
    keys = [by] if isinstance(by, str) else list(by or [])
    if not keys:
        known = set(_CHART_COLUMNS)
        keys = [c for c in result.columns if (c not in known and _is_label(result[c]))
                or c == "series"]  # fmt: skip
    last = result.groupby(keys, sort=False, dropna=False).tail(1) if keys else result.tail(1)
    out = last.rename(columns={"variation_icon": "variation", "assurance_icon": "assurance"})
    return out.reset_index(drop=True)


def _is_label(column: pd.Series) -> bool:
    """A text column (object or pandas' string dtype): a series key, not a measurement."""
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


_CHART_COLUMNS = (
    "mean", "lpl", "upl", "lower_2sigma", "upper_2sigma", "special_cause_flag",
    "special_cause_type", "point_type", "trial_limits", "note", "variation_icon",
    "assurance_icon",
)  # fmt: skip


def _two_sigma(mean: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 2-sigma lines (the reference's nlpl/nupl)."""
    return mean - TWO_SIGMA * spread, mean + TWO_SIGMA * spread


def _validated(
    frame: pd.DataFrame,
    value: str,
    date: str,
    keys: list[str],
    improvement: str,
    target: float | str | None,
    month_first: bool = False,
) -> pd.DataFrame:
    for column in [value, date, *keys]:
        if column not in frame.columns:
            raise ValidationError(
                f"missing column '{column}'",
                column=column,
                hint=f"columns present: {', '.join(map(str, frame.columns))}",
            )
    data = frame.copy()
    first_row = int(frame.attrs.get("first_row", 2))
    parsed = read_dates(data[date], month_first=month_first, column=date, first_row=first_row)
    numbers = pd.to_numeric(data[value], errors="coerce")
    if numbers.isna().any():
        row = int(np.flatnonzero(numbers.isna().to_numpy())[0])
        raise ValidationError(
            f"'{data[value].iloc[row]}' is not a number{_series_label(data, keys, row)}",
            row=row + 2,
            column=value,
        )
    data[value] = numbers.astype(float)
    data["_date"] = parsed
    if improvement in frame.columns:
        data["_improvement"] = data[improvement].astype(str)
    else:
        data["_improvement"] = improvement
    bad = ~data["_improvement"].isin(IMPROVEMENTS)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValidationError(
            f"unknown improvement direction '{data['_improvement'].iloc[row]}'",
            column="improvement",
            hint="use increase, decrease or neutral",
        )
    if isinstance(target, str):
        if target not in frame.columns:
            raise ValidationError(f"missing target column '{target}'", column=target)
        data["_target"] = pd.to_numeric(data[target], errors="coerce")
    else:
        data["_target"] = np.nan if target is None else float(target)
    data = data.sort_values([*keys, "_date"], kind="stable")
    dupes = data.duplicated([*keys, "_date"], keep=False)
    if dupes.any():
        first = data[dupes].iloc[0]
        label = ", ".join(f"{k}={first[k]}" for k in keys) or "the series"
        raise ValidationError(
            f"{label} has two points dated {first['_date'].date()}",
            column=date,
            hint="give one value per date in each series",
        )
    return data


def _series_label(data: pd.DataFrame, keys: list[str], row: int) -> str:
    if not keys:
        return ""
    return " (" + ", ".join(f"{k}={data[k].iloc[row]}" for k in keys) + ")"


def _codes(data: pd.DataFrame, keys: list[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(data), np.intp)
    return data.groupby(keys, sort=False, dropna=False).ngroup().to_numpy().astype(np.intp)


def _special_causes(
    y: np.ndarray,
    mean: np.ndarray,
    lpl: np.ndarray,
    upl: np.ndarray,
    spread: np.ndarray,
    group: np.ndarray,
    same: np.ndarray,
    short: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The highest-priority rule each point breaks ('' for none), and whether it is high."""
    n = y.size
    ok = ~short
    side = np.sign(y - mean).astype(np.intp)
    outside = ok & ((y > upl) | (y < lpl))

    # trend: 6 consecutive strict increases (or decreases) = 7 points, all flagged
    step = np.where(same, np.sign(y - np.r_[np.nan, y[:-1]]), 0).astype(np.intp)
    step_run = run_lengths(group * 3 + step + 1, step != 0)
    in_trend = step_run >= RUN - 1
    next_in_trend = np.r_[in_trend[1:], False] & np.r_[same[1:], False]
    trend = ok & (in_trend | next_in_trend)
    # direction: the step after the point when the next point is in a trend too (so the
    # peak where a rise meets a fall is decreasing), else the step into it (the reference)
    next_trend = np.r_[trend[1:], False] & np.r_[same[1:], False]
    trend_dir = np.where(next_trend, np.r_[step[1:], 0], step)

    # two of three close to a limit (beyond 2 sigma, inside the limit), same side of the mean
    lower2, upper2 = _two_sigma(mean, spread)
    close = ok & ((y < lower2) | (y > upper2)) & ~outside
    prev1 = np.r_[False, same[1:]]
    prev2 = prev1 & np.r_[False, prev1[:-1]]
    s1, s2 = np.r_[0, side[:-1]], np.r_[0, 0, side[:-2]][:n]
    c1, c2 = np.r_[False, close[:-1]], np.r_[False, False, close[:-2]][:n]
    window = prev2 & (side != 0) & (side == s1) & (side == s2)
    window &= close.astype(int) + c1 + c2 >= 2
    covered = window | np.r_[window[1:], False] | np.r_[window[2:], False, False][:n]
    two_in_three = close & covered

    # shift: 7 or more consecutive points on one side of the mean (a point on it breaks the run)
    shift = ok & (run_lengths(group * 3 + side + 1, side != 0) >= RUN)

    types = np.full(n, "", dtype=object)
    for rule, hit in zip(RULES[::-1], (shift, two_in_three, trend, outside), strict=True):
        types = np.where(hit, rule, types)  # later (higher-priority) rules overwrite
    high = np.where(types == "trend", trend_dir > 0, side > 0)
    return types, high


def _point_types(
    flagged: np.ndarray, high: np.ndarray, direction: np.ndarray, short: np.ndarray
) -> np.ndarray:
    good = ((direction == "increase") & high) | ((direction == "decrease") & ~high)
    neutral = direction == "neutral"
    kind = np.where(
        neutral,
        np.where(high, "special_cause_neutral_high", "special_cause_neutral_low"),
        np.where(good, "special_cause_improvement", "special_cause_concern"),
    )
    out = np.where(flagged, kind, "common_cause")
    return np.where(short, "insufficient_data", out)


def _icons(
    point: np.ndarray,
    high: np.ndarray,
    lpl: np.ndarray,
    upl: np.ndarray,
    series: np.ndarray,
    target: np.ndarray,
    direction: np.ndarray,
    short: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Variation icon from each series' last point; assurance from its target and limits.

    A target compared with missing limits (a series with no variation) is
    "inconsistent", as the reference; a group too short for limits gets none.

    Series codes run 0, 1, … in row order, so a per-series array indexed by the code
    spreads each series' icons back over its rows.
    """
    n = point.size
    last = np.flatnonzero(np.r_[series[1:] != series[:-1], True]) if n else np.zeros(0, int)
    lp, up = point[last], high[last]
    variation = np.select(
        [
            lp == "insufficient_data",
            lp == "common_cause",
            lp == "special_cause_improvement",
            lp == "special_cause_concern",
        ],
        [
            "insufficient_data",
            "common_cause",
            np.where(up, "improvement_high", "improvement_low"),
            np.where(up, "concern_high", "concern_low"),
        ],
        default=np.where(up, "neutral_high", "neutral_low"),
    )
    t, lo, hi, d = target[last], lpl[last], upl[last], direction[last]
    passing = ((d == "increase") & (t < lo)) | ((d == "decrease") & (t > hi))
    failing = ((d == "increase") & (t > hi)) | ((d == "decrease") & (t < lo))
    assurance = np.full(last.size, "inconsistent", dtype=object)
    assurance[passing] = "consistent_pass"
    assurance[failing] = "consistent_fail"
    assurance[np.isnan(t) | (d == "neutral") | short[last]] = None
    return variation.astype(object)[series], assurance[series]
