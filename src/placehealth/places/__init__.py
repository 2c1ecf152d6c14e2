"""Place files: the one source of what is particular to a place (docs/places.md).

A place is named by the id of a packaged place file (``sefton``), or by the path
of a place file of one's own (``my-place.yaml``); with neither, by the
``PLACEHEALTH_PLACE`` environment variable, else the packaged place marked
``default: true``. Place files ship inside the package, beside the catalogue, so
an installed placehealth (not only a clone) can run the demo for any of them.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from placehealth.errors import ConfigurationError, ValidationError
from placehealth.places.model import PlaceFile, problems
from placehealth.yamlfile import line_of, load_model

PLACES_DIR = Path(__file__).parent
ENV_PLACE = "PLACEHEALTH_PLACE"

__all__ = ["ENV_PLACE", "PLACES_DIR", "PlaceFile", "load_place", "packaged_places", "read_place"]


def packaged_places() -> dict[str, Path]:
    """Id → file of every place file shipped with placehealth."""
    return {path.stem: path for path in sorted(PLACES_DIR.glob("*.yaml"))}


def load_place(place: str | Path | None = None) -> PlaceFile:
    """The place named by an id or a path; ``None``: ``PLACEHEALTH_PLACE``, else the default."""
    if place is None or str(place) == "":
        place = os.environ.get(ENV_PLACE) or _default_id()
    text = str(place)
    if isinstance(place, Path) or text.endswith((".yaml", ".yml")) or os.sep in text:
        return read_place(Path(place))
    known = packaged_places()
    if text not in known:
        raise ConfigurationError(
            f"unknown place '{text}'",
            hint=f"use one of {', '.join(known)}, or the path of a place file (docs/places.md)",
        )
    return _packaged(text)


def read_place(path: Path) -> PlaceFile:
    """Validate one place file; problems are reported with the file and line."""
    if not path.is_file():
        raise ConfigurationError(
            "place file not found", file=path, hint="give an existing .yaml place file"
        )
    place = load_model(path, PlaceFile)
    for location, message in problems(place)[:1]:
        readable = ".".join(str(part) for part in location)
        raise ValidationError(f"{readable}: {message}", file=path, line=line_of(path, location))
    if place.deployment is not None and not place.deployment.is_absolute():
        place = place.model_copy(update={"deployment": (path.parent / place.deployment)})
    boundaries = place.geography.boundaries
    if boundaries is not None and not boundaries.is_absolute():
        geography = place.geography.model_copy(update={"boundaries": path.parent / boundaries})
        place = place.model_copy(update={"geography": geography})
    return place


@cache
def _packaged(name: str) -> PlaceFile:
    path = packaged_places()[name]
    place = read_place(path)
    if place.id != name:  # pragma: no cover - a packaging error, caught by the tests
        raise ValidationError(
            f"id '{place.id}' differs from the file name", file=path, line=line_of(path, ("id",))
        )
    return place


def _default_id() -> str:
    marked = [name for name in packaged_places() if _packaged(name).default]
    if len(marked) != 1:  # pragma: no cover - a packaging error, caught by the tests
        raise ConfigurationError(
            f"{len(marked)} packaged places are marked default, not one",
            hint=f"set {ENV_PLACE} to a place id or a place file",
        )
    return marked[0]
