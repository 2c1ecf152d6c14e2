"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rich.console import Console

console = Console()

DEFAULT_PLANS = Path("plans")


def print_json(data: Any) -> None:
    """Machine output: plain JSON on stdout, nothing else; a missing number is ``null``.

    Python's json writes NaN and Infinity, which no JSON parser outside Python
    accepts, so they become null and the output is checked to be strict JSON.
    """
    print(json.dumps(_strict(data), indent=2, default=str, allow_nan=False))


def _strict(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±inf, numpy or not) replaced by None."""
    import numpy as np  # here, not above: the CLI starts without numpy and pandas
    import pandas as pd

    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def default_plans_path() -> Path:
    """``plans/`` in the working directory, else the project's own plans folder."""
    if DEFAULT_PLANS.exists():
        return DEFAULT_PLANS
    return Path(__file__).resolve().parents[3] / "plans"
