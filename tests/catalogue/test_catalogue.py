"""The packaged catalogue loads, its ids are unique, and every source line exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.model import Unit
from placehealth.errors import ValidationError
from tests.seed_figures import load


def test_catalogue_loads_with_unique_ids() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 17
    assert all(ind.id == key for key, ind in catalogue.indicators.items())


def test_rates_have_multipliers_and_percentages_multiply_by_100() -> None:
    for ind in load_catalogue().indicators.values():
        if ind.unit == Unit.RATE:
            assert ind.multiplier, ind.id
        if ind.unit == Unit.PERCENT:
            assert ind.multiplier in (None, 100), ind.id


def test_every_source_points_inside_its_seed() -> None:
    """The documents' lengths come from the seed snapshot (tests/seed-figures.json)."""
    lengths = {seed: kept["lines_in_document"] for seed, kept in load()["seeds"].items()}
    for ind in load_catalogue().indicators.values():
        for source in ind.sources + [c.source for c in ind.codes if c.source]:
            assert source.seed in lengths, (ind.id, source.seed)
            assert 1 <= source.lines.first <= source.lines.last <= lengths[source.seed], ind.id


def test_codes_are_found_whatever_their_spacing_or_case() -> None:
    catalogue = load_catalogue()
    assert [i.id for i in catalogue.lookup_code("2a(ii)")] == ["care-home-admissions-65"]
    assert catalogue.lookup_code("no such code") == []


def test_a_duplicate_id_names_the_file_and_line(tmp_path: Path) -> None:
    entry = (
        "  - id: same\n    name: A\n    unit: count\n    polarity: neutral\n"
        "    sources: [{seed: '000', lines: 1}]\n"
    )
    (tmp_path / "a.yaml").write_text("title: A\nindicators:\n" + entry)
    (tmp_path / "b.yaml").write_text("title: B\nindicators:\n" + entry)
    with pytest.raises(ValidationError) as error:
        load_catalogue(tmp_path)
    assert error.value.file == str(tmp_path / "b.yaml")
    assert error.value.line == 3


def test_a_rate_without_multiplier_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "title: A\nindicators:\n  - id: r\n    name: R\n    unit: rate\n"
        "    polarity: lower_is_better\n    sources: [{seed: '000', lines: 1}]\n"
    )
    with pytest.raises(ValidationError, match="no multiplier"):
        load_catalogue(tmp_path)
