"""Funnel plot control limits and significance (calculate_funnel_limits,
assign_funnel_significance, calculate_funnel_points).

Proportions use the Wilson-score funnel around the overall proportion;
ratios and rates use exact Poisson limits, found by the same bisection the
PHE funnel-plot tool uses, so limits match it to its precision. The funnel
is drawn at 100 points between neat axis bounds, as the reference does.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats as st

from placehealth.stats.confidence import poisson_limits
from placehealth.stats.frame import fail_at, not_above, numeric, require

Statistic = Literal["proportion", "ratio", "rate"]
POINTS = 100
LEVELS = {"2s": 0.025, "3s": 0.001}


def wilson_funnel(p: float, population: np.ndarray, average: float, side: str) -> np.ndarray:
    """The proportion at which an area of this size sits on the funnel (Wilson score)."""
    z2 = st.norm.ppf(p) ** 2
    n = np.asarray(population, dtype=float)
    first = average * (n / z2 + 1)
    with np.errstate(invalid="ignore"):
        adj = np.sqrt(
            (-8 * average * (n / z2 + 1)) ** 2
            - 64
            * (1 / z2 + 1 / n)
            * average
            * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1))
        )
    last = 1 / z2 + 1 / n
    sign = -1 if side == "low" else 1
    return (first + sign * adj / 8) / last / n


def poisson_funnel(observed: np.ndarray, p: float, side: str) -> np.ndarray:
    """Expected events at which ``observed`` is exactly on the p-level Poisson limit.

    Bisection on v in (0, 1), expected = (1 + O) v / (1 - v), to 1e-7 in v, as
    the PHE funnel tool; all points at once.
    """
    obs = np.asarray(observed, dtype=float)
    v = np.full(obs.shape, 0.5)
    dv = 0.5
    while dv > 1e-7:
        dv /= 2
        mean = (1 + obs) * v / (1 - v)
        if side == "low":
            step_down = st.poisson.sf(obs - 1, mean) > p
        else:
            step_down = st.poisson.cdf(obs, mean) < p
        v = np.where(step_down, v - dv, v + dv)
    return (1 + obs) * v / (1 - v)


def _r_nchar(x: float) -> int:
    """Characters R prints for a whole number (it switches to 1e+05 when shorter)."""
    fixed = str(int(x))
    digits = fixed.rstrip("0")
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sci = f"{mantissa}e+{len(fixed) - 1:02d}"
    return len(fixed) if len(fixed) <= len(sci) else len(sci)


def _floor_neat(x: float, factor: float = 0.95) -> float:
    if x == 0:
        return 0.0
    k = _r_nchar(np.floor(x * factor)) - 1
    return float(np.floor(x * factor / 10**k) * 10**k)


def _ceiling_neat(x: float, factor: float = 1.05) -> float:
    if x == 0:
        return 0.0
    k = _r_nchar(np.ceil(x * factor)) - 2
    return float(np.ceil(x * factor / 10.0**k) * 10.0**k)


def _axis(minimum: float, maximum: float, offset: int) -> np.ndarray:
    """100 points from max(1, minimum) to maximum, closer together where funnels bend."""
    points = [max(1.0, minimum)]
    for j in range(2, POINTS + 1):
        prev = points[-1]
        step = round((maximum / prev) ** (1 / (101 - (j - offset))) * prev)
        points.append(max(float(step), prev + 1))
    return np.array(points)


def derived_denominator(
    data: pd.DataFrame,
    numerator: str,
    *,
    rate: str,
    rate_type: Literal["dsr", "crude"],
    multiplier: float,
    denominator: str | None = None,
) -> np.ndarray:
    """Person-years implied by a rate (events / rate x multiplier); DSRs with no events get none."""
    x = numeric(data, numerator, what="numerator", minimum=0)
    r = numeric(data, rate, what="rate", minimum=0, missing="keep")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = multiplier * x / r
    if rate_type == "dsr":
        return np.where(x == 0, np.nan, implied)
    if rate_type != "crude":
        raise fail_at(
            f"unknown rate type '{rate_type}'",
            column=None,
            grp=None,
            position=None,
            hint="dsr or crude",
        )
    if (x == 0).any():
        if denominator is None:
            raise fail_at(
                "a row has 0 events, so its population cannot be derived from the rate",
                column=numerator,
                grp=None,
                position=int(np.flatnonzero(x == 0)[0]),
                hint="name the denominator column",
            )
        n = numeric(data, denominator, what="denominator", positive=True)
        return np.where(x == 0, n, implied)
    return implied


def funnel_limits(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: Statistic = "proportion",
    multiplier: float = 100,
    rate: str | None = None,
    rate_type: Literal["dsr", "crude"] = "dsr",
    ratio_type: Literal["count", "isr"] = "count",
    years_of_data: float = 1,
) -> pd.DataFrame:
    """A 100-row table of the 95% (2s) and 99.8% (3s) funnel limits around the average."""
    require(data, [numerator, denominator, rate])
    x = numeric(data, numerator, what="numerator", minimum=0)
    if statistic == "rate":
        if rate is None:
            raise fail_at("rate funnels need the rate column", column=None, grp=None, position=None)
        denom = derived_denominator(
            data, numerator, rate=rate, rate_type=rate_type, multiplier=multiplier,
            denominator=denominator,
        )  # fmt: skip
    elif statistic in ("proportion", "ratio"):
        if denominator is None:
            raise fail_at(
                f"{statistic} funnels need a denominator", column=None, grp=None, position=None
            )
        denom = numeric(data, denominator, what="denominator", positive=True)
    else:
        raise fail_at(
            f"unknown funnel statistic '{statistic}'", column=None, grp=None, position=None,
            hint="proportion, ratio or rate",
        )  # fmt: skip
    average = x.sum() / np.nansum(denom)
    lo, hi = np.nanmin(denom), np.nanmax(denom)
    per_year = years_of_data if statistic == "rate" else 1
    axis_min = 0.0 if hi > 2 * lo else _floor_neat(lo / per_year) * per_year
    axis_max = _ceiling_neat(hi / per_year) * per_year
    if statistic == "proportion":
        n = _axis(axis_min, axis_max, offset=0)
        out = pd.DataFrame({"Population": n})
        for name, p in LEVELS.items():
            out[f"lower_{name}_limit"] = np.maximum(
                0, wilson_funnel(1 - p, n, average, "low") * multiplier
            )
            out[f"upper_{name}_limit"] = np.minimum(
                100, wilson_funnel(1 - p, n, average, "high") * multiplier
            )
        out["baseline"] = average * multiplier
        out = out[
            [
                "Population",
                "lower_2s_limit",
                "upper_2s_limit",
                "lower_3s_limit",
                "upper_3s_limit",
                "baseline",
            ]
        ]
        label, method = "proportion", "Wilson"
    elif statistic == "ratio":
        obs = _axis(axis_min, axis_max, offset=1)
        out = pd.DataFrame({"Observed_events": obs})
        for name, p in LEVELS.items():
            for bound, side in (("lower", "high"), ("upper", "low")):
                expected = poisson_funnel(obs, p, side)
                limit = obs / expected
                out[f"{bound}_{name}_exp_events"] = expected
                out[f"{bound}_{name}_limit"] = limit - 1 if ratio_type == "count" else limit * 100
        label, method = f"ratio ({ratio_type})", "Poisson"
    else:
        events = _axis(np.floor(axis_min * average), np.ceil(axis_max * average), offset=0)
        out = pd.DataFrame({"Events": events})
        for name, p in LEVELS.items():
            for bound, side in (("lower", "high"), ("upper", "low")):
                population = poisson_funnel(events, p, side) / average
                out[f"{bound}_{name}_population_1_year"] = population / years_of_data
                out[f"{bound}_{name}_limit"] = events / population * multiplier
        out["baseline"] = average * multiplier
        label = f"rate ({rate_type} per {multiplier:,.0f})"
        method = "Poisson"
    out["statistic"] = label
    out["method"] = method
    return out


def _ratio_bounds(obs: np.ndarray, expected: np.ndarray, p: float) -> tuple[np.ndarray, ...]:
    """The observed count's exact (below 10) or Byar's (10+) limits, divided by expected."""
    lower, upper, _ = poisson_limits(np.asarray(obs, dtype=float), p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return lower / expected, upper / expected


def _classify(
    high3: np.ndarray, high2: np.ndarray, low3: np.ndarray, low2: np.ndarray
) -> np.ndarray:
    return np.select(
        [high3, high2, low3, low2],
        ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"],
        "Not significant",
    )


def funnel_significance(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: Statistic = "proportion",
    rate: str | None = None,
    rate_type: Literal["dsr", "crude"] = "dsr",
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """The input rows with ``significance``: whether each lies outside the 95% / 99.8% funnel."""
    require(data, [numerator, denominator, rate])
    x = numeric(data, numerator, what="numerator", minimum=0)
    out = data.copy()
    if statistic == "proportion":
        if denominator is None:
            raise fail_at(
                "proportion funnels need a denominator", column=None, grp=None, position=None
            )
        n = numeric(data, denominator, what="denominator", positive=True)
        not_above(
            x, n, small_name="numerator", large_name="denominator", column=numerator, grp=None
        )
        avg = x.sum() / n.sum()
        prop = x / n
        # the reference tests the low side first for proportions
        out["significance"] = np.select(
            [
                prop < wilson_funnel(0.999, n, avg, "low"),
                prop < wilson_funnel(0.975, n, avg, "low"),
                prop > wilson_funnel(0.999, n, avg, "high"),
                prop > wilson_funnel(0.975, n, avg, "high"),
            ],
            ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"],
            "Not significant",
        )
        return out
    if statistic == "ratio":
        if denominator is None:
            raise fail_at(
                "ratio funnels need the expected column", column=None, grp=None, position=None
            )
        e = numeric(data, denominator, what="expected", positive=True)
        reference = np.ones(len(x))
    elif statistic == "rate":
        if rate is None:
            raise fail_at("rate funnels need the rate column", column=None, grp=None, position=None)
        if denominator is not None:
            numeric(data, denominator, what="denominator", positive=True)
        e = derived_denominator(
            data, numerator, rate=rate, rate_type=rate_type, multiplier=multiplier,
            denominator=denominator,
        )  # fmt: skip
        reference = np.full(len(x), x.sum() / np.nansum(e))
    else:
        raise fail_at(
            f"unknown funnel statistic '{statistic}'", column=None, grp=None, position=None,
            hint="proportion, ratio or rate",
        )  # fmt: skip
    low3, high3 = _ratio_bounds(x, e, 0.998)
    low2, high2 = _ratio_bounds(x, e, 0.95)
    sig = _classify(reference < low3, reference < low2, reference > high3, reference > high2)
    if statistic == "rate" and rate_type == "dsr":
        sig = np.where(x < 10, "Not applicable for events less than 10 for dsrs", sig)
    out["significance"] = sig
    return out


def funnel_points(
    data: pd.DataFrame,
    numerator: str,
    *,
    rate: str,
    rate_type: Literal["dsr", "crude"] = "dsr",
    years_of_data: float = 1,
    multiplier: float = 100_000,
    denominator: str | None = None,
) -> pd.DataFrame:
    """Rate funnels: each area's rate to plot and its yearly population (no DSR below 10 events)."""
    x = numeric(data, numerator, what="numerator", minimum=0)
    r = numeric(data, rate, what="rate", minimum=0, missing="keep")
    implied = derived_denominator(
        data, numerator, rate=rate, rate_type=rate_type, multiplier=multiplier,
        denominator=denominator,
    )  # fmt: skip
    out = data.copy()
    if rate_type == "dsr":
        out[f"{rate}_chart"] = np.where(x < 10, np.nan, r)
        out["denominator_derived"] = np.where(x < 10, np.nan, implied / years_of_data)
    else:
        out[f"{rate}_chart"] = r
        out["denominator_derived"] = implied / years_of_data
    return out


__all__ = ["funnel_limits", "funnel_points", "funnel_significance"]
