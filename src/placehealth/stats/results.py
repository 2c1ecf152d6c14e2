"""The PHE output shape: value, limits per confidence level, statistic, method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from placehealth.stats.confidence import lower_name, upper_name
from placehealth.stats.frame import Groups, output

FloatArray = np.ndarray


def multiplier_text(multiplier: float) -> str:
    """100000 -> '100000', 0.5 -> '0.5' (no scientific notation, as the reference)."""
    return f"{multiplier:.0f}" if float(multiplier).is_integer() else f"{multiplier:g}"


def assemble(
    grp: Groups,
    *,
    numerator: FloatArray,
    denominator: FloatArray,
    value: FloatArray,
    limits: dict[float, tuple[FloatArray, FloatArray]],
    statistic: str | Sequence[str] | FloatArray | pd.Series,
    method: str | Sequence[str] | FloatArray | pd.Series,
    extra: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """One row per group: ``by`` columns, numerator, denominator, value, limits, metadata."""
    columns: dict[str, Any] = {
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
    }
    for level, (lower, upper) in limits.items():
        columns[lower_name(level)] = lower
        columns[upper_name(level)] = upper
    if extra:
        columns.update(extra)
    columns["statistic"] = statistic
    columns["method"] = method
    return output(grp.keys, grp.by, columns)
