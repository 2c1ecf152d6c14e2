"""Counts of every area, year and age segment at once, as arrays.

The engine returns counts by LSOA, by practice and for the place, each by year and
age segment, many columns side by side (one per event set, or the population). One
sparse matrix product sums them to every area type — LSOA, neighbourhood, IMD decile,
practice, PCN and the place — so the roll-up is done once for all of them rather
than once per indicator. Age segments are cut at every five-year band and every
age limit a definition names, so any definition's ages are a run of segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

NEGATIVE = -5  # the band start of ages below zero (an event dated before the birth month)


@dataclass(frozen=True)
class Segments:
    """Age segments: segment 0 holds ages below zero, segment i ≥ 1 holds
    ``lows[i] <= age < lows[i + 1]`` (the last one open-ended)."""

    lows: tuple[int, ...]  # lows[0] is unused (ages below zero)
    top: int  # the start of the last five-year band

    @classmethod
    def cut_at(cls, limits: Sequence[int | None], top: int = 90) -> Segments:
        cuts = set(range(0, top + 1, 5)) | {a for a in limits if a is not None and a > 0}
        return cls((NEGATIVE, *sorted(cuts)), top)

    @property
    def bands(self) -> int:
        """How many five-year cuts there are: 0, 5, … the top band's start."""
        return self.top // 5 + 1

    @property
    def extra(self) -> list[int]:
        """The other cuts (an age limit such as 18)."""
        return [c for c in self.cuts if c > self.top or c % 5]

    @property
    def cuts(self) -> tuple[int, ...]:
        """The ages a segment starts at (the engine counts how many an age reaches)."""
        return self.lows[1:]

    def __len__(self) -> int:
        return len(self.lows)

    def within(self, min_age: int | None, max_age: int | None) -> np.ndarray:
        """Segments inside ``min_age <= age < max_age`` (either limit may be absent)."""
        lows = np.array(self.lows)
        keep = np.ones(len(lows), dtype=bool)
        if min_age is not None:
            keep &= (lows >= min_age) & (np.arange(len(lows)) > 0)
        if max_age is not None:
            keep &= lows < max_age
        return keep

    def band_starts(self, top: int = 90) -> np.ndarray:
        """The five-year band (its start age, ``top``+ last) each segment lies in."""
        lows = np.array(self.lows)
        return np.where(lows < 0, NEGATIVE, np.minimum(lows // 5 * 5, top))


@dataclass(frozen=True)
class Areas:
    """Every area of the context's area types, in a fixed order, and how LSOAs and
    practices belong to them."""

    types: np.ndarray  # area_type of each area
    codes: np.ndarray  # area_code of each area (text)
    by_lsoa: dict[str, pd.Series]  # area type → area position, indexed by LSOA code
    by_practice: dict[str, pd.Series]  # the same, indexed by practice code
    place: int | None  # the place's position

    @classmethod
    def of(
        cls,
        lsoa: pd.DataFrame,
        practice: pd.DataFrame,
        lsoas: np.ndarray,
        practices: np.ndarray,
        *,
        place: str,
        area_types: Sequence[str],
    ) -> Areas:
        """Areas of ``lsoas`` and ``practices`` (the codes the counts hold) by the lookups;
        a code missing from its lookup is an area of its own type and of no other."""
        lsoa_codes = pd.Index(pd.unique(np.asarray(lsoas, dtype=object))).dropna()
        practice_codes = pd.Index(pd.unique(np.asarray(practices, dtype=object))).dropna()
        of_lsoa = lsoa.drop_duplicates("lsoa").set_index("lsoa").reindex(lsoa_codes)
        of_practice = (
            practice.drop_duplicates("practice_code").set_index("practice_code")
        ).reindex(practice_codes)
        types: list[str] = []
        codes: list[str] = []
        by_lsoa: dict[str, pd.Series] = {}
        by_practice: dict[str, pd.Series] = {}
        place_at = None
        for area_type in area_types:
            if area_type == "place":
                place_at = len(codes)
                types.append(area_type)
                codes.append(place)
                continue
            if area_type in ("lsoa", "practice"):
                member = pd.Series(
                    lsoa_codes if area_type == "lsoa" else practice_codes,
                    index=lsoa_codes if area_type == "lsoa" else practice_codes,
                )
            else:
                frame = of_practice if area_type in practice.columns else of_lsoa
                member = frame[area_type].dropna()
            if member.dtype.kind == "f" and (member % 1 == 0).all():
                member = member.astype(np.int64)  # a decile the lookup's gaps made a float
            text = member.astype(str)
            names = pd.Index(pd.unique(text.to_numpy()))
            at = len(codes) + names.get_indexer(pd.Index(text))
            position = pd.Series(at, index=member.index, dtype=np.int64)
            (by_practice if area_type in ("practice", *practice.columns) else by_lsoa)[
                area_type
            ] = position
            types.extend([area_type] * len(names))
            codes.extend(names)
        return cls(
            np.array(types, dtype=object),
            np.array(codes, dtype=object),
            by_lsoa,
            by_practice,
            place_at,
        )

    def __len__(self) -> int:
        return len(self.codes)


def roll_up(
    frame: pd.DataFrame,
    values: Sequence[str],
    areas: Areas,
    years: Sequence[int],
    year: str,
    segments: int,
) -> np.ndarray:
    """``values`` of ``frame`` — sums by ``level`` (0 an LSOA, 1 a practice, 2 the place),
    ``code``, ``year`` and ``segment`` — summed to every area, year and segment: an array
    (area, year, segment, value). Rows of other years, and LSOAs or practices without a
    code, count nowhere; an LSOA's or practice's sums count in each area it is in."""
    year_at = pd.Index(list(years)).get_indexer(pd.Index(frame[year]))
    level = frame["level"].to_numpy()
    inside = year_at >= 0
    cell = year_at * segments + frame["segment"].to_numpy().astype(np.int64)
    rows: list[np.ndarray] = []
    cells: list[np.ndarray] = []
    which, codes = pd.factorize(frame["code"])  # -1 where the code is missing
    for at_level, members in ((0, areas.by_lsoa), (1, areas.by_practice)):
        for position in members.values():
            known = position.reindex(codes).fillna(-1).to_numpy(dtype=np.int64)
            known = np.append(known, -1)  # which is -1 for a missing code: nowhere
            at = np.where(level == at_level, known[which], -1)
            keep = inside & (at >= 0)
            rows.append(np.flatnonzero(keep))
            cells.append(at[keep] * len(years) * segments + cell[keep])
    if areas.place is not None:
        keep = inside & (level == 2)
        rows.append(np.flatnonzero(keep))
        cells.append(areas.place * len(years) * segments + cell[keep])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
    shape = (len(areas) * len(years) * segments, len(frame))
    summing = sparse.csr_matrix((np.ones(len(row)), (col, row)), shape=shape)
    data = frame[list(values)].to_numpy(dtype=np.float64, na_value=0.0)
    return np.asarray(summing @ data).reshape(len(areas), len(years), segments, len(values))
