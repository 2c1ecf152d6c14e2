"""Small demand inputs for tests: every band present, a few with activity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.demand.inputs import BANDS


def baseline_frame(
    activity: dict[tuple[str, str], float],
    *,
    pods: tuple[str, ...] = ("non-elective",),
    sexes: tuple[str, ...] = ("P",),
    population: float = 100.0,
    bed_days: dict[tuple[str, str], float] | None = None,
) -> pd.DataFrame:
    """One row per pod × band × sex; ``activity`` by (pod, band), 0 where not given."""
    rows = [
        {
            "pod": pod,
            "age_band": band,
            "sex": sex,
            "activity": activity.get((pod, band), 0.0),
            "population": population,
            **(
                {"bed_days": (bed_days or {}).get((pod, band), 0.0)} if bed_days is not None else {}
            ),
        }
        for pod in pods
        for band in BANDS
        for sex in sexes
    ]
    return pd.DataFrame(rows)


def projection_frame(
    growth: dict[int, dict[str, float]], *, sexes: tuple[str, ...] = ("P",), base: float = 100.0
) -> pd.DataFrame:
    """Population by year: ``base`` × the factor given for a band (1 where not given)."""
    return pd.DataFrame(
        [
            {
                "year": year,
                "age_band": band,
                "sex": sex,
                "population": base * factors.get(band, 1.0),
            }
            for year, factors in growth.items()
            for band in BANDS
            for sex in sexes
        ]
    )


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path
