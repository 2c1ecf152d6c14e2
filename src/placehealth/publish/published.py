"""The one publishing step: suppress, round, blank what derives from hidden counts, say why.

Every command and the demo that writes an aggregate output builds it with
:func:`suppress_long` (or a helper built on it) and writes it with :func:`write`,
which only takes a :class:`Published` table — so no aggregate reaches a file
without passing the rules of :mod:`placehealth.publish.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError
from placehealth.publish.linked import Hierarchy, equations_for, protect
from placehealth.publish.rules import (
    DERIVED,
    DISCLOSURE,
    HIGH,
    LOW,
    PRIMARY,
    PUBLISHED,
    ROUND_TO,
    ROUNDED,
    SECONDARY,
    round_to,
)
from placehealth.publish.suppression import whole_counts
from placehealth.tables import write_table


@dataclass(frozen=True)
class Published:
    """An aggregate table that has been through disclosure control, ready to write."""

    frame: pd.DataFrame


def suppress_long(
    frame: pd.DataFrame,
    counts: Sequence[str],
    *,
    keys: Sequence[str],
    hierarchies: Sequence[Hierarchy],
    derived: Sequence[str] = (),
    rounded: bool = False,
    shared: Mapping[str, Sequence[str]] | None = None,
    low: int = LOW,
    high: int = HIGH,
    flag: str | None = "suppressed",
) -> pd.DataFrame:
    """A long table (one row per cell, unique ``keys``) with its ``counts`` protected.

    Each count column is its own set of cells under the same equations; a missing
    count is a cell the table does not publish (never hidden, never a partner). ``derived``
    columns are blanked on rows where any count is hidden; ``rounded`` rounds the
    published counts to the nearest 5. ``shared`` names, per count, the columns
    that with its value identify one number published on several rows (one
    population under several indicators): hidden on every row if hidden on any,
    which can only hide more. Adds the ``disclosure`` column (and ``flag``, True
    where a count is hidden).
    """
    missing = [c for c in [*keys, *counts, *derived] if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"the table lacks column(s) {', '.join(missing)}",
            hint=f"columns present: {', '.join(map(str, frame.columns))}",
        )
    if frame.duplicated(list(keys)).any():
        raise ValidationError(
            "the table has more than one row for the same cell",
            hint=f"make {', '.join(keys)} unique, e.g. by summing",
        )
    out = frame.reset_index(drop=True).copy()
    equations = equations_for(out, keys, hierarchies)
    notes = np.full(len(out), "", dtype=object)
    any_hidden = np.zeros(len(out), dtype=bool)
    any_shown = np.zeros(len(out), dtype=bool)
    for count in counts:
        present = out[count].notna().to_numpy()
        values = whole_counts(out[count].fillna(0).to_numpy(), count)
        first, hidden = protect(values, equations, low=low, high=high, present=present)
        if shared and count in shared:
            same = out[list(shared[count])].assign(_value=values).astype(str)
            group = same.groupby(list(same.columns), sort=False).ngroup().to_numpy()
            hidden = np.bincount(group, weights=hidden, minlength=group.max() + 1)[group] > 0
            hidden &= present
        shown = round_to(values, ROUND_TO) if rounded else values
        out[count] = pd.array(shown, dtype="Int64")
        out.loc[hidden | ~present, count] = pd.NA
        notes = _append(notes, first, PRIMARY.format(what=count))
        notes = _append(notes, hidden & ~first, SECONDARY.format(what=count))
        any_hidden |= hidden
        any_shown |= present & ~hidden
    if derived:
        for column in derived:
            out[column] = out[column].astype("Float64").mask(any_hidden)
        notes = _append(notes, any_hidden, DERIVED.format(what=", ".join(derived)))
    if rounded:
        notes = _append(notes, any_shown, ROUNDED)
    out[DISCLOSURE] = np.where(notes == "", PUBLISHED, notes)
    if flag is not None:
        out[flag] = any_hidden
    return out


def _append(notes: np.ndarray, where: np.ndarray, text: str) -> np.ndarray:
    """Add ``text`` to the notes of the rows ``where`` is true, '; '-separated (vectorised)."""
    joined = np.where(notes == "", text, notes + "; " + text)
    return np.where(where, joined, notes)


def write(published: Published, path: str | Path, *, bom: bool = True) -> Path:
    """Write a published table through the one safe writer; returns the resolved path.

    ``bom``: a CSV starts with the UTF-8 byte-order mark (see ``write_table``).
    """
    if not isinstance(published, Published):
        raise TypeError("only a Published table may be written as an aggregate output")
    return write_table(published.frame, path, bom=bom)
