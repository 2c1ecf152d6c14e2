"""Standard populations and age bands, kept as data in the package.

ESP2013: European Standard Population 2013 (Eurostat, 2013 revision), 19 bands
0-4 ... 90+, total 100,000. ESP1976: the 1976 European Standard Population,
18 bands 0-4 ... 85+, total 100,000. Bands are matched by their start age, so
labels may be written "0-4", "00-04", "5 – 9", "90+" or just 90.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError

ESP2013: pd.Series = pd.Series(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    index=[*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+"],
    name="esp2013",
    dtype=float,
)  # fmt: skip

ESP1976: pd.Series = pd.Series(
    [8000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000,
     7000, 7000, 6000, 5000, 4000, 3000, 2000, 1000, 1000],
    index=[*(f"{a}-{a + 4}" for a in range(0, 85, 5)), "85+"],
    name="esp1976",
    dtype=float,
)  # fmt: skip

STANDARDS: Mapping[str, pd.Series] = {"esp2013": ESP2013, "esp1976": ESP1976}

# Life-table bands (Chiang II, abridged): 0, 1-4, 5-9 ... 85-89, 90+.
LIFE_TABLE_STARTS: np.ndarray = np.array([0, 1, *range(5, 95, 5)], dtype=float)

_FIRST_NUMBER = re.compile(r"\d+")


def start_age(label: object) -> float:
    """The first whole number in a band label: '00-04' -> 0, '90 +' -> 90; NaN if none."""
    if isinstance(label, int | float | np.integer | np.floating):
        return float(label)
    found = _FIRST_NUMBER.search(str(label))
    return float(found.group()) if found else float("nan")


def start_ages(labels: pd.Series) -> np.ndarray:
    """Start ages for a column of labels (parsed once per distinct label)."""
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    parsed = np.array([start_age(u) for u in uniques], dtype=float)
    out = np.full(len(labels), np.nan)
    known = codes >= 0
    out[known] = parsed[codes[known]]
    return out


def standard_by_name(name: str) -> pd.Series:
    """ESP2013 or ESP1976 by name (case-insensitive), or a clear error."""
    key = str(name).lower().replace(" ", "").replace("_", "")
    if key not in STANDARDS:
        raise ValidationError(
            f"unknown standard population '{name}'",
            hint="use esp2013, esp1976, or give a column with your own standard",
        )
    return STANDARDS[key]


def standard_starts(standard: pd.Series) -> np.ndarray:
    """Start age of each band of a standard, which must be distinct."""
    starts = np.array([start_age(label) for label in standard.index], dtype=float)
    if np.isnan(starts).any() or len(set(starts)) != len(starts):
        raise ValidationError(
            "standard population bands must be labelled by distinct start ages",
            hint="e.g. 0-4, 5-9, ..., 90+",
        )
    return starts
