"""The outputs say which place they are for, so the site draws that place's maps."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.places import load_place
from placehealth.services.demo import _record_place
from placehealth.services.site_outputs import PLACE, SiteOutputs


def test_a_run_for_a_second_place_is_shown_as_that_place(tmp_path: Path) -> None:
    _record_place(tmp_path, "sefton", load_place("sefton"))
    assert (tmp_path / PLACE).read_text() == "sefton"
    assert SiteOutputs(tmp_path).place.id == "sefton"


def test_a_place_file_of_ones_own_is_kept_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = load_place(None)
    own = tmp_path / "places" / "mine.yaml"
    own.parent.mkdir()
    own.touch()  # recorded by its path, not read here
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    _record_place(out, "places/mine.yaml", default)
    assert (out / PLACE).read_text() == str(own.resolve())


def test_outputs_that_do_not_say_are_the_default_places(tmp_path: Path) -> None:
    assert SiteOutputs(tmp_path).place.id == load_place(None).id
