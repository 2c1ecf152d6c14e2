"""Load the packaged catalogue (or another folder of catalogue YAML)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from placehealth.catalogue.model import Catalogue, CatalogueFile, Indicator
from placehealth.errors import ValidationError
from placehealth.yamlfile import line_of, load_model

DATA_DIR = Path(__file__).parent / "data"


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """All indicators in ``folder`` (default: the packaged catalogue); ids must be unique."""
    if folder is None:
        return _packaged()
    return _load(folder)


@lru_cache(maxsize=1)
def _packaged() -> Catalogue:
    return _load(DATA_DIR)


def _load(folder: Path) -> Catalogue:
    indicators: list[Indicator] = []
    seen: dict[str, Path] = {}
    fingertips: dict[int, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = load_model(path, CatalogueFile)
        for index, indicator in enumerate(doc.indicators):
            if indicator.fingertips is not None and indicator.fingertips in fingertips:
                raise ValidationError(
                    f"Fingertips id {indicator.fingertips} is already given to "
                    f"'{fingertips[indicator.fingertips]}'",
                    file=path,
                    line=line_of(path, ("indicators", index, "fingertips")),
                    hint="a Fingertips indicator is one catalogue indicator: give the id once",
                )
            if indicator.fingertips is not None:
                fingertips[indicator.fingertips] = indicator.id
            if indicator.id in seen:
                raise ValidationError(
                    f"indicator id '{indicator.id}' is already defined in {seen[indicator.id]}",
                    file=path,
                    line=line_of(path, ("indicators", index, "id")),
                    hint="give each indicator one entry and list all its codes there",
                )
            seen[indicator.id] = path
            indicators.append(indicator)
    return Catalogue(indicators)
