"""The financial-year option rule (``periods.financial_year_start``) shared by the commands."""

import datetime as dt

import pytest

from placehealth.errors import ValidationError
from placehealth.periods import financial_year_start


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2017/18", dt.date(2017, 4, 1)),
        ("2017-18", dt.date(2017, 4, 1)),
        ("fy:2019/20", dt.date(2019, 4, 1)),
    ],
)
def test_reads_a_financial_year(text: str, start: dt.date) -> None:
    assert financial_year_start(text) == start


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2017", "calendar year"),
        ("Apr 2017", "month"),
        ("2017-19", "pooled"),
        ("2017/19", "cannot read financial year '2017/19'"),
    ],
)
def test_refuses_anything_else_naming_the_option(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        financial_year_start(text, option="--year")
    assert "cannot read financial year" in str(caught.value)
    assert says in str(caught.value)
    assert caught.value.column == "--year"
