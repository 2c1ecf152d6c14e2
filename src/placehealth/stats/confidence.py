"""Confidence levels and the interval formulas every method shares.

Pure array functions (numpy in, numpy out). Confidence levels may be given as
fractions (0.95) or percentages (95); column names follow the level as
Fingertips spells them: ``lower95_0cl``, ``upper99_8cl``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import stats as st

from placehealth.errors import ValidationError

DEFAULT_LEVELS: tuple[float, ...] = (0.95, 0.998)

FloatArray = np.ndarray


def normalise_levels(confidence: float | Iterable[float] | None) -> tuple[float, ...]:
    """Levels as fractions in (0, 1); 95 and 0.95 both mean 95%."""
    if confidence is None:
        return DEFAULT_LEVELS
    values = [confidence] if isinstance(confidence, int | float) else list(confidence)
    if not values:
        raise ValidationError("no confidence level given", hint="e.g. 0.95,0.998")
    levels: list[float] = []
    for raw in values:
        try:
            level = float(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                f"confidence level '{raw}' is not a number", hint="e.g. 0.95 or 95"
            ) from None
        if 1 < level < 100:
            level /= 100
        if not 0 < level < 1:
            raise ValidationError(
                f"confidence level {raw} is out of range",
                hint="use a fraction between 0 and 1 (0.95) or a percentage (95)",
            )
        levels.append(level)
    return tuple(dict.fromkeys(levels))


def level_tag(level: float) -> str:
    """0.95 -> '95_0', 0.998 -> '99_8' (the PHE column suffix)."""
    return f"{level * 100:.1f}".replace(".", "_")


def lower_name(level: float) -> str:
    return f"lower{level_tag(level)}cl"


def upper_name(level: float) -> str:
    return f"upper{level_tag(level)}cl"


def z_value(level: float) -> float:
    """Two-sided standard normal critical value."""
    return float(st.norm.ppf(level + (1 - level) / 2))


def byars_lower(count: FloatArray, level: float) -> FloatArray:
    """Byar's approximation to the exact Poisson lower limit of a count.

    NaN where the approximation goes negative (tiny counts at high confidence),
    as the reference does; callers use exact limits for counts below 10.
    """
    x = np.asarray(count, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(out < 0, np.nan, out)


def byars_upper(count: FloatArray, level: float) -> FloatArray:
    """Byar's approximation to the exact Poisson upper limit of a count."""
    x1 = np.asarray(count, dtype=float) + 1
    z = z_value(level)
    return x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3


def exact_lower(count: FloatArray, level: float) -> FloatArray:
    """Exact Poisson lower limit (chi-square on 2x degrees of freedom)."""
    x = np.asarray(count, dtype=float)
    with np.errstate(invalid="ignore"):
        out = st.chi2.ppf((1 - level) / 2, 2 * x) / 2
    return np.where(x > 0, out, 0.0)


def exact_upper(count: FloatArray, level: float) -> FloatArray:
    """Exact Poisson upper limit (chi-square on 2x + 2 degrees of freedom)."""
    x = np.asarray(count, dtype=float)
    return st.chi2.ppf(1 - (1 - level) / 2, 2 * x + 2) / 2


def poisson_limits(
    count: FloatArray, level: float, small: int = 10
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact limits below ``small`` events and Byar's otherwise, as PHE does.

    The chi-square quantiles (the costly part) are computed only for the
    counts that use them, once per distinct count. Returns (lower, upper, is_exact).
    """
    x = np.asarray(count, dtype=float)
    exact = x < small
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.array(byars_lower(x, level), dtype=float)
        upper = np.array(byars_upper(x, level), dtype=float)
    if exact.any():
        distinct, where = np.unique(x[exact], return_inverse=True)
        lower[exact] = exact_lower(distinct, level)[where]
        upper[exact] = exact_upper(distinct, level)[where]
    return lower, upper, exact


def wilson(
    numerator: FloatArray, denominator: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a proportion (as a fraction of 1)."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        lower = (2 * x + z**2 - root) / 2 / (n + z**2)
        upper = (2 * x + z**2 + root) / 2 / (n + z**2)
    return lower, upper
