"""A population projection from printed changes of nested age groups — what a plan prints
when it has no projection table (seed 004: all ages +1%, 65+ 57,366 → 66,545, 85+ 7,633 →
10,723, 2011 to 2021) — applied to a place's age bands.

The oldest group grows by its own change; each younger group's bands outside the older
groups grow by what is left of its change; every band of a ring grows alike. Years between
are interpolated geometrically. A rough projection, kept honest by saying so: a place with
ONS subnational projections by band supplies those instead (``year, age_band, sex,
population``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.activity.model import PopulationChange
from placehealth.demand.inputs import BAND_STARTS, BANDS
from placehealth.errors import ValidationError


def ring_factors(change: PopulationChange, bands: np.ndarray) -> np.ndarray:
    """Each band's growth factor from the start to the end year."""
    groups = sorted(change.groups, key=lambda g: g.from_age, reverse=True)
    factors = np.ones(len(BANDS))
    inner_start = inner_end = 0.0
    inner = np.zeros(len(BANDS), dtype=bool)
    for group in groups:
        if group.from_age not in BAND_STARTS:
            raise ValidationError(
                f"population '{change.id}': age group {group.ages} does not start a five-year band"
            )
        members = np.greater_equal(BAND_STARTS, group.from_age)
        start = float(bands[members].sum())
        ratio = (
            group.end.value / group.start.value
            if group.start is not None and group.end is not None
            else 1 + group.change.value / 100
        )
        end = start * ratio
        ring = members & ~inner
        ring_start, ring_end = start - inner_start, end - inner_end
        if ring_start <= 0 or ring_end < 0:
            raise ValidationError(
                f"population '{change.id}': aged {group.ages} grows less than the older groups "
                "inside it allow",
                hint="check the groups' changes",
            )
        factors[ring] = ring_end / ring_start
        inner_start, inner_end, inner = start, end, members
    return factors


def projection_from_change(
    change: PopulationChange, bands: list[float], persons: float
) -> pd.DataFrame:
    """``year, age_band, sex (P), population`` for every year from start to end: the
    place's bands (any unit) scaled to ``persons``, grown by the change."""
    base = np.asarray(bands, dtype=float)
    base = base / base.sum() * persons
    factors = ring_factors(change, base)
    years = np.arange(change.start_year, change.end_year + 1)
    share = (years - change.start_year) / (change.end_year - change.start_year)
    population = base[None, :] * factors[None, :] ** share[:, None]  # [year, band]
    year, band = np.meshgrid(years, np.arange(len(BANDS)), indexing="ij")
    return pd.DataFrame(
        {
            "year": year.ravel(),
            "age_band": np.array(BANDS)[band.ravel()],
            "sex": "P",
            "population": population.ravel(),
        }
    )
