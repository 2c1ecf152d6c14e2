"""The board pack's money pages: the financial position against plan and the investments,
every number on the page the one the finance services compute."""

from __future__ import annotations

import pytest
from markupsafe import escape

from placehealth.services import finance
from placehealth.services.money_pack import board_section
from tests.conftest import ROOT

CCG = ROOT / "plans" / "ccg-2014"
BLUEPRINT = ROOT / "plans" / "blueprint-2015"


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    from placehealth.services import reports

    out = tmp_path_factory.mktemp("pack") / "pack.html"
    source = reports.PackSource(CCG, ROOT / "examples" / "actuals.csv", scale=0)
    reports.board(source, out)
    return out.read_text(encoding="utf-8")


def test_the_position_section_is_the_models_position() -> None:
    section, _ = board_section(CCG)
    assert section is not None
    model = finance.position_model(CCG, [])
    assert [y["period"] for y in section["position"]] == ["2014/15", "2015/16"]
    for shown, year in zip(section["position"], model["years"], strict=True):
        assert shown["investment_headroom"] == year["investment_headroom"]["derived"]
        assert [r["printed"] for r in shown["rows"]] == [r["printed"][2] for r in year["rows"]]
        assert [r["derived"] for r in shown["rows"]] == [r["derived"][2] for r in year["rows"]]
    first = section["position"][0]
    # seed 000, 5189-5193: the 2014/15 surplus printed 14.8; derived 15.13 from the assumptions
    surplus = next(r for r in first["rows"] if r["label"].startswith("Surplus"))
    assert surplus["printed"] == 14.8 and surplus["gap"] == pytest.approx(14.8 - 15.132197)
    assert {f["check"] for f in first["findings"]} == {"finance-model", "finance-model-surplus"}
    assert all("/F04/" in f["id"] for f in first["findings"])


def test_the_page_prints_the_position_and_its_headroom(html: str) -> None:
    assert "Financial position against plan" in html
    for year in finance.position_model(CCG, [])["years"]:
        assert f"{year['period']} ({year['table']})" in html
        assert f"Headroom for investment: £{year['investment_headroom']['derived']:.1f}m" in html
        for row in year["rows"]:
            assert f"{row['derived'][2]:.1f}</td>" in html
    assert "printed 14.8, but surplus c/fwd" in html  # the model's finding, on the page


def test_the_ccg_judges_the_blueprints_proposals() -> None:
    section, _ = board_section(CCG)
    assert section is not None
    (shown,) = section["investments"]
    ranked = finance.investments(BLUEPRINT)
    assert shown["plan"] == "blueprint-2015"
    assert [p["id"] for p in shown["proposals"]] == [p["id"] for p in ranked["proposals"]]
    assert (shown["spent"], shown["left"]) == (ranked["spent"], ranked["left"])
    assert [p["id"] for p in shown["bought"]] == [
        p["id"] for p in ranked["proposals"] if p["bought"]
    ]


def test_the_page_prints_the_ranking_and_what_the_reserve_buys(html: str) -> None:
    ranked = finance.investments(BLUEPRINT)
    assert "<h2>Investments</h2>" in html
    assert f"£{ranked['spent']:.1f}m spent, £{ranked['left']:.1f}m left" in html
    for p in ranked["proposals"]:
        assert f'<td>{escape(p["label"])}</td><td class="num">{p["score"]:.2f}</td>' in html
    bought = [p for p in ranked["proposals"] if p["bought"]]
    assert bought and all(f"{escape(p['label'])} (£{p['cost']:.1f}m)" in html for p in bought)


def test_a_plan_with_its_own_proposals_ranks_them() -> None:
    section, _ = board_section(BLUEPRINT)
    assert section is not None and section["position"] == []
    assert [s["plan"] for s in section["investments"]] == ["blueprint-2015"]


def test_a_folder_with_no_money_has_no_section() -> None:
    assert board_section(ROOT / "plans" / "one-liverpool-2019") == (None, {})


def test_a_folder_of_plans_ranks_each_plans_own_proposals() -> None:
    section, _ = board_section(ROOT / "plans")
    assert section is not None
    assert [s["plan"] for s in section["investments"]] == ["blueprint-2015", "pct-2010"]
    pct = section["investments"][1]
    assert [p["id"] for p in pct["proposals"]] == [
        p["id"] for p in finance.investments(ROOT / "plans" / "pct-2010")["proposals"]
    ]
