"""Trajectory methods as pure arithmetic (DESIGN §5).

Each function does one thing a planning document does by hand, so the
checker can redo it and a user can call it to build a new plan. Inputs are
plain numbers or numpy arrays; everything vectorises over arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from placehealth.catalogue.model import Polarity
from placehealth.errors import ValidationError

FloatArray = npt.NDArray[np.float64]
Convention = Literal["sum", "point_to_point", "compound"]


def equal_steps(start: float, end: float, steps: int) -> FloatArray:
    """``steps`` equal increments from ``start`` to ``end`` (start excluded, end included)."""
    if steps < 1:
        raise ValidationError("equal steps need at least one period after the start")
    return np.asarray(start + (end - start) * np.arange(1, steps + 1) / steps, dtype=float)


def apply_yearly_changes(baseline: float, changes_pct: Sequence[float]) -> FloatArray:
    """Apply signed yearly percentage changes in turn (each on the previous year)."""
    factors = 1.0 + np.asarray(changes_pct, dtype=float) / 100.0
    return np.asarray(baseline * np.cumprod(factors), dtype=np.float64)


def headline_change_pct(changes_pct: Sequence[float], convention: Convention) -> float:
    """The overall % change a document would print for yearly changes, by its convention.

    ``sum`` adds the yearly percentages (what seed 000 does); ``compound`` and
    ``point_to_point`` are the true overall change, which for applied yearly
    changes are the same number.
    """
    changes = np.asarray(changes_pct, dtype=float)
    if convention == "sum":
        return float(changes.sum())
    return float((np.prod(1.0 + changes / 100.0) - 1.0) * 100.0)


def point_to_point_pct(start: float, end: float) -> float:
    """Overall % change from ``start`` to ``end``."""
    if start == 0:
        raise ValidationError("cannot express a change from zero as a percentage")
    return (end - start) / start * 100.0


def linear_fit(
    x: Sequence[float] | FloatArray, y: Sequence[float] | FloatArray
) -> tuple[float, float]:
    """Least-squares slope and intercept of ``y`` on ``x``."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.size < 2 or np.ptp(xs) == 0:
        raise ValidationError("a linear forecast needs at least two different periods")
    slope, intercept = np.polyfit(xs, ys, 1)
    return float(slope), float(intercept)


def linear_forecast(
    x: Sequence[float] | FloatArray, y: Sequence[float] | FloatArray, at: float | FloatArray
) -> FloatArray:
    """The least-squares line through (x, y), evaluated at ``at``."""
    slope, intercept = linear_fit(x, y)
    return np.atleast_1d(np.asarray(intercept + slope * np.asarray(at, dtype=float), dtype=float))


def improve_by_pct(value: float, pct: float, polarity: Polarity) -> float:
    """``pct`` per cent better than ``value``: lower if lower is better, else higher."""
    if polarity == Polarity.NEUTRAL:
        raise ValidationError("'better than' needs an indicator with a polarity")
    sign = -1.0 if polarity == Polarity.LOWER else 1.0
    return value * (1.0 + sign * pct / 100.0)


def best_peers_average(values: Sequence[float], n: int, polarity: Polarity) -> float:
    """Average of the best ``n`` peer values (lowest if lower is better)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    if polarity == Polarity.HIGHER:
        ordered = ordered[::-1]
    elif polarity == Polarity.NEUTRAL:
        raise ValidationError("'best peers' needs an indicator with a polarity")
    if n > ordered.size:
        raise ValidationError(f"asked for the best {n} peers but only {ordered.size} are given")
    return float(ordered[:n].mean())


def close_gap(value: float, benchmark: float, fraction: float) -> float:
    """Move ``fraction`` of the way from ``value`` to ``benchmark``."""
    return value + fraction * (benchmark - value)


def rate_to_count(rate: float | FloatArray, denominator: float, multiplier: float) -> FloatArray:
    """Number of events implied by a rate per ``multiplier`` of ``denominator`` people."""
    return np.asarray(rate, dtype=float) * denominator / multiplier


def count_to_rate(count: float | FloatArray, denominator: float, multiplier: float) -> FloatArray:
    """Rate per ``multiplier`` from a count and its denominator."""
    if denominator <= 0:
        raise ValidationError("a denominator must be positive")
    return np.asarray(count, dtype=float) / denominator * multiplier


def implied_denominator(rate: float, count: float, multiplier: float) -> float:
    """The population that makes ``count`` events a rate of ``rate`` per ``multiplier``."""
    if rate == 0:
        raise ValidationError("cannot imply a denominator from a zero rate")
    return count / rate * multiplier


def spread(
    yearly: float | FloatArray, weights: Sequence[float], *, mode: Literal["sum", "mean"] = "sum"
) -> FloatArray:
    """Spread yearly values over quarters or months by a seasonal profile.

    ``sum`` (counts): the parts add up to the year. ``mean`` (rates): the parts
    average to the year, so a rate keeps its annual meaning in every part.
    Returns an array of shape (years, parts).
    """
    w = np.asarray(weights, dtype=float)
    if w.size not in (4, 12) or (w < 0).any() or w.sum() <= 0:
        raise ValidationError("a seasonal profile needs 4 or 12 non-negative weights")
    shares = w / w.sum()
    if mode == "mean":
        shares = shares * w.size
    return np.outer(np.atleast_1d(np.asarray(yearly, dtype=float)), shares)
