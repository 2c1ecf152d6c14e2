"""NHSRplotthedots 0.2.2's XmR rules, written out point by point (the test oracle).

A line-by-line reading of the R package at tag 0.2.2 (github.com/nhs-r-community/
NHSRplotthedots), kept deliberately naive, with loops and the R names, so it can be
checked against the R source by eye:

- ``R/ptd_add_rebase_column.R``: a row starts a new group only if its date *is* a
  rebase date (``%in%``); ``rebase_group = cumsum(rebase)`` (``R/ptd_spc_standard.R``).
- ``R/ptd_spc_standard.R``: ``fix_y`` = the first ``fix_after_n_points`` values;
  ``mean_col``, moving ranges of ``fix_y``, screening ``mr < 3.267 * amr``, limits
  ``mean_col ± 2.66 * amr``, ``nlpl``/``nupl`` at ``2 * 2.66 / 3``, ``outside_limits``,
  ``relative_to_mean = sign(y - mean_col)``, ``close_to_limits``.
- ``R/ptd_calculate_point_type.R``: ``ptd_seven_point_trend``, ``ptd_part_of_seven_trend``,
  ``ptd_two_in_three``, ``ptd_part_of_two_in_three``, ``ptd_seven_point_one_side_mean``,
  ``ptd_special_cause_type`` (priority and the ``sdy`` trend direction) and
  ``ptd_point_type``.
- ``R/ptd_calculate_assurance_type.R`` (last row of each facet) and
  ``R/geom_ptd_icon.R`` (``variation_icon_file``: the last point's type).

R's NA is NaN here; a comparison with NaN limits is FALSE, which is what R's
``case_when`` and ``&`` make of these NAs on the series the fixtures use.
Used only to write the fixture file once (``make_fixtures.py``) and by a property test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LIMIT = 2.66
LIMITCLOSE = 2 * (LIMIT / 3)


def _sign(v: float) -> int:
    return 0 if v == 0 or math.isnan(v) else (1 if v > 0 else -1)


def _mean(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else math.nan


@dataclass
class Point:
    y: float
    mean: float
    lpl: float
    upl: float
    special_cause_type: str
    point_type: str
    rebase_group: int


def seven_point_trend(y: list[float]) -> list[int]:
    if len(y) < 7:
        return [0] * len(y)
    out = [0] * 6
    for i in range(6, len(y)):
        d = [_sign(y[i - k] - y[i - k - 1]) for k in range(6)]
        out.append(1 if all(s == 1 for s in d) else -1 if all(s == -1 for s in d) else 0)
    return out


def part_of_seven_trend(v: list[int]) -> list[int]:
    vp = [*v, 0, 0, 0, 0, 0, 0]
    return [int(any(abs(vp[i + k]) == 1 for k in range(7))) for i in range(len(v))]


def two_in_three(v: list[int], rtm: list[int]) -> list[int]:
    vp, rp = [0, 0, *v, 0, 0], [0, 0, *rtm, 0, 0]
    out = []
    for i in range(len(v)):
        hit = any(
            sum(vp[i + a : i + a + 3]) >= 2 and abs(sum(rp[i + a : i + a + 3])) == 3
            for a in range(3)
        )
        out.append(int(hit))
    return out


def seven_point_one_side_mean(v: list[int]) -> list[int]:
    vp = [0] * 6 + v
    return [
        int(all(vp[i] == vp[i - k] for k in range(1, 7)) and vp[i] != 0) for i in range(6, len(vp))
    ]


def special_cause_type(
    y: list[float], rtm: list[int], close: list[int], outside: list[int]
) -> list[str]:
    trend = part_of_seven_trend(seven_point_trend(y))
    two = [
        int(a == 1 and abs(c) == 1) for a, c in zip(two_in_three(close, rtm), close, strict=True)
    ]
    shift = part_of_seven_trend(seven_point_one_side_mean(rtm))
    n = len(y)
    sdy = [_sign(y[i + 1] - y[i]) for i in range(n - 1)]
    right = [*sdy, sdy[-1] if sdy else 0]
    left = [0, *sdy]
    nxt = [*trend[1:], 0]
    direction = [right[i] if (nxt[i] and trend[i]) else left[i] for i in range(n)]
    out = []
    for i in range(n):
        side = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            out.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i]:
            out.append(f"7 Point Trend ({'In' if direction[i] == 1 else 'De'}creasing)")
        elif two[i]:
            out.append(f"2 in 3 {side} CL")
        elif shift[i]:
            out.append(f"7 Points {side} CL")
        else:
            out.append("Common Cause")
    return out


def point_type(label: str, improvement: str) -> str:
    v = (
        1
        if ("Above" in label or "Increasing" in label)
        else (-1 if ("Below" in label or "Decreasing" in label) else 0)
    )
    if improvement == "neutral":
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(
            v, "common_cause"
        )
    v *= 1 if improvement == "increase" else -1
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(v, "common_cause")


def ptd_spc(
    y: list[float],
    rebase_at: list[int] = (),  # type: ignore[assignment]
    *,
    fix_after: int | None = None,
    improvement: str = "increase",
    screen_outliers: bool = True,
) -> list[Point]:
    """One facet, already in date order; ``rebase_at`` = indices whose date is a rebase date."""
    groups: list[int] = []
    g = 0
    for i in range(len(y)):
        g += int(i in rebase_at)
        groups.append(g)
    points: list[Point] = []
    for gid in sorted(set(groups)):
        ys = [v for v, k in zip(y, groups, strict=True) if k == gid]
        fix_y = [v if (fix_after is None or i < fix_after) else math.nan for i, v in enumerate(ys)]
        mean_col = _mean(fix_y)
        mr = [math.nan] + [abs(fix_y[i] - fix_y[i - 1]) for i in range(1, len(ys))]
        amr = _mean(mr)
        if screen_outliers:
            mr = [m if m < 3.267 * amr else math.nan for m in mr]
            amr = _mean(mr)
        lpl, upl = mean_col - LIMIT * amr, mean_col + LIMIT * amr
        nlpl, nupl = mean_col - LIMITCLOSE * amr, mean_col + LIMITCLOSE * amr
        outside = [int(v > upl or v < lpl) for v in ys]
        rtm = [_sign(v - mean_col) for v in ys]
        close = [int(not o and (v < nlpl or v > nupl)) for v, o in zip(ys, outside, strict=True)]
        labels = special_cause_type(ys, rtm, close, outside)
        for v, label in zip(ys, labels, strict=True):
            points.append(Point(v, mean_col, lpl, upl, label, point_type(label, improvement), gid))
    return points


def assurance(points: list[Point], target: float | None, improvement: str) -> str | None:
    if target is None or improvement == "neutral":
        return None
    last = points[-1]
    increasing = improvement == "increase"
    if target > last.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < last.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def variation(points: list[Point], improvement: str) -> str:
    kind = points[-1].point_type
    if kind == "special_cause_concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    if kind == "special_cause_improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    return {
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
    }.get(kind, "common_cause")
