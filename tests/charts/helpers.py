"""Small hand-made indicator tables for the chart tests (long format, DESIGN §4)."""

from __future__ import annotations

import pandas as pd

LIMITS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


def row(area_type: str, code: str, value: float | None, half95: float, half998: float,
        **extra: object) -> dict[str, object]:  # fmt: skip
    """One value with symmetric limits: ±half95 at 95%, ±half998 at 99.8%."""
    v = float("nan") if value is None else value
    return {
        "indicator_id": "emergency-admissions", "area_type": area_type, "area_code": code,
        "area_name": f"Area {code}", "period": "2018/19", "sex": "persons",
        "age_band": "all ages", "value": v, "lower95_0cl": v - half95,
        "upper95_0cl": v + half95, "lower99_8cl": v - half998, "upper99_8cl": v + half998,
        "unit": "per 100,000", "polarity": "lower_is_better", **extra,
    }  # fmt: skip


def neighbourhoods() -> pd.DataFrame:
    """A place at 100 and five neighbourhoods, their findings worked out by hand
    (lower is better):

    - N1 120 ±5 (95%) ±8 (99.8%): 112 … 128 excludes 100 → worse at 99.8%
    - N2 110 ±6 ±12: 95% 104 … 116 excludes 100, 99.8% 98 … 122 does not → worse at 95%
    - N3 101 ±5 ±8: both include 100 → similar
    - N4 90 ±4 ±7: 83 … 97 → better at 99.8%
    - N5 blank (suppressed) → not compared
    """
    return pd.DataFrame(
        [
            row("place", "P", 100.0, 1.0, 2.0, area_name="The place"),
            row("neighbourhood", "N1", 120.0, 5.0, 8.0),
            row("neighbourhood", "N2", 110.0, 6.0, 12.0),
            row("neighbourhood", "N3", 101.0, 5.0, 8.0),
            row("neighbourhood", "N4", 90.0, 4.0, 7.0),
            row("neighbourhood", "N5", None, 4.0, 7.0),
        ]
    )
