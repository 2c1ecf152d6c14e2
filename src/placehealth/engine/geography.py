"""Rolling small aggregates up the area hierarchies: LSOA → neighbourhood, decile;
practice → PCN; everything → place.

Pipelines aggregate events once at (LSOA, practice) grain in the engine; the
result is small, so the roll-up to every area type is a few pandas group-bys.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend


def lookups(backend: Backend) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The LSOA and practice lookups as small pandas frames."""
    lsoa = backend.collect(backend.table(t.LSOA).select("lsoa", "neighbourhood", "imd_decile"))
    practice = backend.collect(backend.table(t.PRACTICE).select("practice_code", "pcn"))
    return lsoa, practice


def roll_up(
    frame: pd.DataFrame,
    values: Sequence[str],
    keys: Sequence[str],
    lsoa: pd.DataFrame,
    practice: pd.DataFrame,
    *,
    place: str,
    area_types: Sequence[str] = t.AREA_TYPES,
) -> pd.DataFrame:
    """Sum ``values`` by ``keys`` for every area type; adds area_type and area_code."""
    enriched = frame.merge(lsoa, on="lsoa", how="left").merge(
        practice, on="practice_code", how="left"
    )
    enriched["place"] = place
    parts = []
    for area_type in area_types:
        column = {"practice": "practice_code"}.get(area_type, area_type)
        part = enriched.groupby([column, *keys], dropna=True, observed=True)[list(values)].sum()
        part = part.reset_index().rename(columns={column: "area_code"})
        part.insert(0, "area_type", area_type)
        part["area_code"] = part["area_code"].astype(str)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
