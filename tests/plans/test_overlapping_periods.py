"""The checker sets overlapping periods of different kinds side by side, as a note."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import seed_figures, seed_quote
from tests.plans.helpers import by_check, findings_for

# Seed 000's GP Patient Survey measure: 4.2 for calendar 2013 in the table (1596) and "a
# baseline of 4.6" for 2013/14 in the text (1578). A calendar year and the financial year
# starting that April share nine months.
TWO_PERIODS = """
ambitions:
  - id: table
    indicator: gp-experience-negative
    baseline: {period: "2013", value: 4.2, src: 1596}
  - id: text
    indicator: gp-experience-negative
    baseline: {period: 2013/14, value: 4.6, src: 1578}
"""


def test_calendar_year_beside_financial_year_is_a_note_with_the_overlap(tmp_path: Path) -> None:
    assert seed_figures("000", 1596) == "4.2"
    assert seed_quote("from a baseline of 4.6", "000", 1578)
    (found,) = by_check(findings_for(tmp_path, TWO_PERIODS), "overlapping-periods")
    assert found.severity == "note"
    assert found.id == "overlap/gp-experience-negative/Liverpool/2013/2013/14"
    assert "share 9 months (Apr 2013–Dec 2013)" in found.message
    assert "4.2 for 2013" in found.message and "4.6 for 2013/14" in found.message
    assert "share 9 of their 12 and 12 months" in found.why and "need not agree" in found.why
    assert found.sources == ["seed 000, 1596", "seed 000, 1578"]


def test_periods_sharing_less_than_half_or_agreeing_are_not_reported(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / name).mkdir()
    # 2013 and 2014/15 share no month
    apart = TWO_PERIODS.replace("2013/14", "2014/15")
    assert by_check(findings_for(tmp_path / "a", apart), "overlapping-periods") == []
    # a quarter inside a year shares all of its 3 months but only 3 of the year's 12
    quarter = TWO_PERIODS.replace('period: "2013"', "period: 2013 Q2")
    assert by_check(findings_for(tmp_path / "b", quarter), "overlapping-periods") == []
    same = TWO_PERIODS.replace("4.6", "4.2")
    assert by_check(findings_for(tmp_path / "c", same), "overlapping-periods") == []
