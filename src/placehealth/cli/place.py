"""The place a warehouse holds, so ``--place`` can name it but never relabel another's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from placehealth.errors import ValidationError

if TYPE_CHECKING:
    from placehealth.engine.backends import Backend

FALLBACK = "Liverpool"  # a warehouse whose LSOA lookup records no place (older extracts)
PLACE_HELP = "The place (top area) to report: the warehouse's own by default; another is refused."


def warehouse_place(backend: Backend, asked: str | None) -> str:
    """The warehouse's own place (from its LSOA lookup), checked against ``--place``.

    Naming the top area after a place whose data this is not would put another
    place's name on these numbers, so a different ``--place`` is refused.
    """
    from placehealth.engine import tables as t

    lookup = backend.table(t.LSOA)
    if "place" not in lookup.collect_schema().names():
        return asked.strip() if asked else FALLBACK
    held = backend.collect(lookup.select("place").unique())["place"].dropna().astype(str)
    places = sorted(set(held))
    if not places:
        return asked.strip() if asked else FALLBACK
    if asked is None:
        if len(places) == 1:
            return places[0]
        raise ValidationError(
            f"the warehouse holds {len(places)} places: {', '.join(places)}",
            column="--place",
            hint="give --place with one of them",
        )
    same = [p for p in places if p.lower() == asked.strip().lower()]
    if not same:
        raise ValidationError(
            f"--place '{asked}' is not in this warehouse, which holds {', '.join(places)}",
            hint="leave out --place to use the warehouse's own, or point -w at the "
            f"warehouse of {asked}",
        )
    return same[0]
