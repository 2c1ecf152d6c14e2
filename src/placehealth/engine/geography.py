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
from placehealth.errors import ConfigurationError, ValidationError


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
    """Sum ``values`` by ``keys`` for every area type; adds area_type and area_code.

    The frame is first summed to LSOA and to practice (each much smaller than
    their combination), and only those sums meet the lookups.
    """
    by_lsoa = _sum(frame, ["lsoa", *keys], values).merge(lsoa, on="lsoa", how="left")
    by_practice = _sum(frame, ["practice_code", *keys], values).merge(
        practice, on="practice_code", how="left"
    )
    parts = []
    for area_type in area_types:
        if area_type == "place":
            part = _sum(frame.assign(area_code=place), ["area_code", *keys], values)
        else:
            column = {"practice": "practice_code"}.get(area_type, area_type)
            source = by_practice if column in practice.columns else by_lsoa
            part = _sum(source, [column, *keys], values).rename(columns={column: "area_code"})
        part.insert(0, "area_type", area_type)
        part["area_code"] = part["area_code"].astype(str)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _sum(frame: pd.DataFrame, by: list[str], values: Sequence[str]) -> pd.DataFrame:
    return frame.groupby(by, dropna=True, observed=True)[list(values)].sum().reset_index()


def warehouse_place(backend: Backend, asked: str | None = None) -> str:
    """The place the warehouse's LSOAs belong to, checked against a place asked for.

    It was written into the geography by whoever made the extracts (the synthetic
    generator takes it from the place file), so the warehouse names its own place;
    a lookup that names none takes the place asked for, else the default place
    file's name. Naming the top area after a place whose data this is not would
    put another place's name on these numbers, so a different place is refused.
    """
    lsoa = backend.table(t.LSOA)
    names: list[str] = []
    if "place" in lsoa.collect_schema().names():
        places = backend.collect(lsoa.select("place").unique())["place"]
        names = sorted({str(p) for p in places.dropna() if str(p).strip()})
    if not names:
        if asked:
            return asked.strip()
        from placehealth.places import load_place

        return load_place().name
    if asked is None:
        if len(names) > 1:
            raise ConfigurationError(
                f"the warehouse's LSOAs name {len(names)} places ({', '.join(names)}), not one",
                column="--place",
                hint="name the place with --place",
            )
        return names[0]
    same = [p for p in names if p.lower() == asked.strip().lower()]
    if not same:
        raise ValidationError(
            f"--place '{asked}' is not in this warehouse, which holds {', '.join(names)}",
            hint="leave out --place to use the warehouse's own, or point -w at the "
            f"warehouse of {asked}",
        )
    return same[0]


# the name each area type's code takes in the lookups (the place is named by itself)
_NAMES = {
    "lsoa": (t.LSOA, "lsoa", "lsoa_name"),
    "neighbourhood": (t.LSOA, "neighbourhood", "neighbourhood_name"),
    "practice": (t.PRACTICE, "practice_code", "practice_name"),
    "pcn": (t.PRACTICE, "pcn", "pcn_name"),
}


def decile_name(decile: int) -> str:
    """'IMD decile 1 (most deprived)' … 'IMD decile 10 (least deprived)'."""
    end = {1: " (most deprived)", 10: " (least deprived)"}.get(decile, "")
    return f"IMD decile {decile}{end}"


def area_names(backend: Backend, place: str) -> pd.DataFrame:
    """Every area's name by (area_type, area_code), from the geography lookups.

    A lookup without a name column (a minimal warehouse) names no areas of that
    type; the reader then sees the code alone.
    """
    tables = {name: backend.collect(backend.table(name)) for name in (t.LSOA, t.PRACTICE)}
    parts = [pd.DataFrame({"area_type": ["place"], "area_code": [place], "area_name": [place]})]
    for area_type, (table, code, name) in _NAMES.items():
        frame = tables[table]
        if name in frame.columns:
            pairs = frame[[code, name]].dropna().drop_duplicates(code)
            parts.append(pd.DataFrame({"area_type": area_type, "area_code": pairs[code].astype(str),
                                       "area_name": pairs[name].astype(str)}))  # fmt: skip
    deciles = range(1, 11)
    parts.append(pd.DataFrame({"area_type": "imd_decile", "area_code": [str(d) for d in deciles],
                               "area_name": [decile_name(d) for d in deciles]}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)
