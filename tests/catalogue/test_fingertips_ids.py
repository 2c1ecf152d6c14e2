"""Fingertips ids in the catalogue: one catalogue indicator per Fingertips indicator."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.load import DATA_DIR
from placehealth.errors import ValidationError


def test_mapped_indicators_are_found_by_their_fingertips_id() -> None:
    catalogue = load_catalogue()
    assert catalogue.by_fingertips[90366].id == "life-expectancy-birth"
    assert catalogue.by_fingertips[92196].id == "infant-mortality"
    assert catalogue.by_fingertips[108].id == "premature-mortality-all"
    mapped = [i for i in catalogue.indicators.values() if i.fingertips is not None]
    assert len(mapped) == len(catalogue.by_fingertips)  # no id given twice


def test_a_fingertips_id_given_twice_is_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "warehouse.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fingertips: 108 ", "fingertips: 90366 "), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_catalogue(folder)
    error = caught.value
    assert "Fingertips id 90366 is already given to 'life-expectancy-birth'" in error.message
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "90366" in t)
    assert error.file == str(path) and error.line == line
