"""Matching rows to age bands, and refusing groups with missing or repeated bands."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth.stats.frame import Groups, fail_at, require
from placehealth.stats.standards import start_ages


def band_positions(
    data: pd.DataFrame,
    age_band: str,
    grp: Groups,
    starts: np.ndarray,
    *,
    labels: Sequence[str],
    context: str,
) -> np.ndarray:
    """Index of each row's band in ``starts`` (matched on the band's start age)."""
    require(data, [age_band])
    ages = start_ages(data[age_band])
    lookup = {float(s): i for i, s in enumerate(starts)}
    index = pd.Series(ages).map(lookup).to_numpy()
    unknown = np.isnan(index.astype(float))
    if unknown.any():
        pos = int(np.flatnonzero(unknown)[0])
        raise fail_at(
            f"age band '{data[age_band].iloc[pos]}' is not one of the bands of {context}",
            column=age_band,
            grp=grp,
            position=pos,
            hint=f"expected bands: {', '.join(labels)}",
        )
    return index.astype(np.intp)


def require_complete(
    grp: Groups,
    band: np.ndarray,
    labels: Sequence[str],
    *,
    column: str,
    repeats_allowed: bool = False,
) -> None:
    """Every group must have every band (and, unless allowed, only once)."""
    nb = len(labels)
    counts = np.bincount(grp.codes * nb + band, minlength=grp.count * nb).reshape(grp.count, nb)
    missing = counts == 0
    if missing.any():
        g, b = (int(v[0]) for v in np.nonzero(missing))
        raise fail_at(
            f"group {grp.label(g)} is missing age band '{labels[b]}'",
            column=column,
            grp=None,
            position=None,
            hint="every group needs a row for each band (use 0 events where there were none)",
        )
    if not repeats_allowed and (counts > 1).any():
        g, b = (int(v[0]) for v in np.nonzero(counts > 1))
        raise fail_at(
            f"group {grp.label(g)} has age band '{labels[b]}' more than once",
            column=column,
            grp=None,
            position=None,
            hint="add the column that tells the rows apart to --by, or sum them first",
        )


def require_group_size(grp: Groups, size: int, *, what: str) -> None:
    """Positional matching: every group must have exactly ``size`` rows."""
    sizes = grp.size()
    bad = sizes != size
    if bad.any():
        g = int(np.flatnonzero(bad)[0])
        raise fail_at(
            f"group {grp.label(g)} has {sizes[g]} rows but {what} has {size} bands",
            column=None,
            grp=None,
            position=None,
            hint="name the age band column so rows are matched by band, or supply every band",
        )
