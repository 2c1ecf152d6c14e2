"""An ambition's comparator series from the actuals: one area's rows, or a peer group's.

The comparator is the ambition's own (``comparator:`` in the plan) or, for a gap
indicator, the catalogue's (``life-expectancy-gap-england`` compares with England). A
peer group's value for a period is the mean of its members' values, or of the best
``n`` by polarity, computed only when every member other than the place has a value for
that period, sex and age: a mean of whoever happens to be in the file would move with
the file, not with the peers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placehealth.catalogue.comparators import Comparators
from placehealth.catalogue.model import Indicator, Polarity
from placehealth.plans.model import Ambition, Comparator

KEYS = ["period", "sex", "age_band"]


@dataclass(frozen=True)
class Resolved:
    """A comparator ready to find in the actuals."""

    label: str  # as status shows it: 'England', 'mean of the best 5 core cities'
    area_keys: frozenset[str]  # a single area's spellings (empty for a peer group)
    members: tuple[frozenset[str], ...]  # each peer's spellings (empty for one area)
    member_names: tuple[str, ...]
    best: int | None


def resolve(ambition: Ambition, indicator: Indicator, comparators: Comparators) -> Resolved | None:
    """The ambition's comparator, else the catalogue's, else None."""
    chosen = ambition.comparator
    if chosen is None and indicator.comparator is not None:
        chosen = Comparator(area=indicator.comparator)
    if chosen is None:
        return None
    if chosen.area is not None:
        return Resolved(chosen.area, comparators.area_keys(chosen.area), (), (), None)
    group = comparators.peer_groups[str(chosen.peers)]  # checked when the plan is validated
    return Resolved(
        chosen.describe(group.name),
        frozenset(),
        tuple(m.keys for m in group.members),
        tuple(m.name for m in group.members),
        chosen.best,
    )


def comparator_rows(
    actuals: pd.DataFrame, rows: np.ndarray, comparator: Resolved, place: frozenset[str]
) -> np.ndarray:
    """Which of ``rows`` belong to the comparator (its area, or any peer but the place)."""
    names, codes = _keys(actuals, rows)
    if comparator.area_keys:
        return np.isin(names, list(comparator.area_keys)) | np.isin(
            codes, list(comparator.area_keys)
        )
    peers = [m for m in comparator.members if not (m & place)]
    keys = [k for m in peers for k in m]
    return np.isin(names, keys) | np.isin(codes, keys)


def comparator_series(
    actuals: pd.DataFrame,
    rows: np.ndarray,
    comparator: Resolved,
    place: frozenset[str],
    polarity: Polarity,
) -> tuple[pd.DataFrame, str]:
    """The comparator's value per period, sex and age (``KEYS`` + ``value``), or why there
    is none: 'comparator England not in actuals', or which peers are missing."""
    mine = rows[comparator_rows(actuals, rows, comparator, place)]
    frame = actuals.iloc[mine]
    keys = keys_of(actuals)
    if comparator.area_keys:
        if frame.empty:
            return frame.iloc[:0], f"comparator {comparator.label} not in actuals"
        return frame[[*keys, "value"]].drop_duplicates(keys), ""
    peers = [(m, n) for m, n in zip(comparator.members, comparator.member_names, strict=True)
             if not (m & place)]  # fmt: skip
    names, codes = _keys(actuals, mine)
    member = np.full(len(mine), -1)
    for index, (spellings, _) in enumerate(peers):  # a handful of peers, not rows
        member[np.isin(names, list(spellings)) | np.isin(codes, list(spellings))] = index
    frame = frame.assign(member=member).drop_duplicates([*keys, "member"])
    counts = frame.groupby(keys)["member"].nunique()
    full = counts[counts == len(peers)].index
    if full.empty:
        present = set(frame["member"].tolist())
        missing = [name for index, (_, name) in enumerate(peers) if index not in present]
        what = (
            f"no period has all {len(peers)} peers (missing: {', '.join(missing)})"
            if missing
            else f"no period has all {len(peers)} peers"
        )
        return frame.iloc[:0][[*keys, "value"]], (
            f"comparator {comparator.label} not in actuals: {what}"
        )
    frame = frame.set_index(keys).loc[full].reset_index()
    if comparator.best is not None:
        ascending = polarity == Polarity.LOWER
        frame = frame.sort_values([*keys, "value"], ascending=[True] * len(keys) + [ascending])
        frame = frame.groupby(keys, sort=False).head(comparator.best)
    value = frame.groupby(keys)["value"].mean()
    return value.reset_index(), ""


def keys_of(actuals: pd.DataFrame) -> list[str]:
    """The columns a place's row and its comparator's must share: period, sex, age band."""
    return [k for k in KEYS if k in actuals.columns]


def _keys(actuals: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    names = actuals["area"].to_numpy()[rows].astype(str)
    names = np.char.lower(np.char.strip(names))
    if "area_code" in actuals.columns:
        codes = np.char.lower(actuals["area_code"].to_numpy()[rows].astype(str))
    else:
        codes = names
    return names, codes
