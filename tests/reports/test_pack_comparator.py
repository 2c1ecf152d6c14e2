"""The board pack shows the comparator an ambition is judged against, and its value."""

from __future__ import annotations

from pathlib import Path

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import check_plans
from placehealth.plans.status import read_actuals
from placehealth.reports.board import board_html
from placehealth.reports.pack import assemble
from tests.plans.helpers import SeedPlan
from tests.plans.test_comparators import fingertips, only

CATALOGUE = load_catalogue()


def test_the_gap_ambitions_exception_names_england_and_its_value(tmp_path: Path) -> None:
    """One Liverpool's life-expectancy gap (seed 002 line 143) is England's value less the
    place's: the pack's figures show England's 2018 value beside the place's gap."""
    path = tmp_path / "fingertips.csv"
    fingertips(
        [("E08000012", "Liverpool", "2017", 78.2), ("E92000001", "England", "2017", 81.4),
         ("E08000012", "Liverpool", "2018", 78.3), ("E92000001", "England", "2018", 81.6)]
    ).to_csv(path, index=False)  # fmt: skip
    plans = only(SeedPlan("one-liverpool-2019").plan, "life-expectancy-gap")
    data = assemble(plans, CATALOGUE, read_actuals(path, CATALOGUE), month="2018-12")
    (view,) = data.ambitions
    # England's value is a life expectancy, not a gap: the label says which measure it is
    assert (view.comparator, view.comparator_value) == ("England, life expectancy at birth", 81.6)
    html = board_html(data, check_plans(plans, CATALOGUE), source=path.name)
    row = html[html.index("<tr><td>England, life expectancy at birth</td>") :].split("</tr>")[0]
    assert "81.6" in row and "2018" in row
