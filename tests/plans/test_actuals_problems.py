"""Actuals read for a preview name every bad row; read for a command they stop at the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import ValidationError
from placehealth.plans.status import read_actuals
from placehealth.tables import every_problem

BAD = """indicator,area,period,value
life-expectancy-gap-england,Place,2016-01,3.2
nope,Place,2016-02,3.1
life-expectancy-gap-england,Place,2016-13,3.1
life-expectancy-gap-england,Place,2016-04,abc
life-expectancy-gap-england,Place,2016-13,2.9
"""


def test_every_bad_row_is_noted_with_its_file_row_column_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(BAD)
    with every_problem() as problems:
        read_actuals(path, load_catalogue())
    found = sorted((p.row, p.column) for p in problems)
    assert found == [(3, "indicator"), (4, "period"), (5, "value"), (6, "period")]
    assert all(p.hint for p in problems)
    assert {p.message for p in problems if p.column == "period"} == {
        "unrecognised period '2016-13'"
    }


def test_outside_a_preview_the_first_bad_row_is_the_error(tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(BAD)
    with pytest.raises(ValidationError, match="row 3, column 'indicator': unknown indicator"):
        read_actuals(path, load_catalogue())
    with every_problem() as problems:
        pass
    assert problems == []  # nothing carried over from the block before
    path.write_text(BAD.replace("nope", "life-expectancy-gap-england").replace("abc", "3"))
    with pytest.raises(ValidationError, match="row 4, column 'period': unrecognised period"):
        read_actuals(path, load_catalogue())
