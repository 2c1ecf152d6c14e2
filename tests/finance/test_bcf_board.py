"""The board pack's Better Care Fund and risk page: pool by partner and year, payment at
risk, conditions, the risk heat map (SVG in HTML, PNG in a PDF) and the flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.services.money_pack import board_section
from tests.conftest import ROOT

CCG = ROOT / "plans" / "ccg-2014"


def test_the_section_for_a_plan_with_a_bcf_plan_and_registers() -> None:
    section, images = board_section(CCG)
    assert section is not None and images == {}
    (bcf,) = section["bcf"]
    assert bcf["pool_m"] == pytest.approx(44.970) and bcf["years"] == ["2014/15", "2015/16"]
    assert bcf["at_stake"] == pytest.approx(1000 * 44.970 / 3800 * 1e6)
    assert bcf["metrics_without_target"] == ["patient-experience"]
    risks = section["risks"]
    assert (risks["registers"], risks["risks"], risks["scored"]) == (2, 8, 4)
    assert risks["flags"] == {"no owner": 8, "no review date": 8, "not scored": 4}
    assert risks["chart"].startswith("<svg") and risks["top"][0]["score"] == 12


def test_a_pdf_gets_the_heat_map_as_png() -> None:
    section, images = board_section(CCG, image="png")
    assert section is not None
    assert list(images) == ["chart:risk-heatmap"] and images["chart:risk-heatmap"][:4] == b"\x89PNG"
    assert section["risks"]["chart"].startswith('<img src="chart:risk-heatmap"')


def test_a_plan_without_either_has_no_bcf_or_risks() -> None:
    section, images = board_section(ROOT / "plans" / "blueprint-2015")  # investments only
    assert section is not None and images == {}
    assert (section["bcf"], section["risks"]) == ([], None)


def test_the_board_pack_shows_the_page(tmp_path: Path) -> None:
    from placehealth.services import reports

    out = tmp_path / "pack.html"
    source = reports.PackSource(CCG, ROOT / "examples" / "actuals.csv", scale=0)  # no SPC charts
    reports.board(source, out)
    html = out.read_text(encoding="utf-8")
    assert "Better Care Fund and risks" in html and "£11.834m at stake" in html
    assert "Risk heat map" in html
