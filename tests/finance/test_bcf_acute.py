"""The acute-sector sections (B5: seed 000, 4305–4364; B18: seed 004, 657–720) and
Sefton's enabling schemes (B17: seed 004, 625–633) as data, each line on its seed lines."""

from __future__ import annotations

import pytest

from placehealth.finance.bcf_load import load_bcf
from tests.conftest import ROOT, seed_quote

PLANS = {r.plan.document.id: r for r in load_bcf(ROOT / "plans")}
LINES = [
    (doc, r.seed, line.kind, line.text, line.src.first, line.src.last)
    for doc, r in PLANS.items()
    for line in r.plan.acute_sector
]


@pytest.mark.parametrize(("doc", "seed", "kind", "text", "first", "last"), LINES)
def test_each_acute_sector_line_is_printed_on_its_lines(
    doc: str, seed: str, kind: str, text: str, first: int, last: int
) -> None:
    assert seed_quote(text, seed, first, last, flat=True)


def test_the_sections_hold_what_the_seeds_print() -> None:
    liverpool = PLANS["ccg-2014"].plan.acute_sector
    sefton = PLANS["sefton-bcf-2014"].plan.acute_sector
    # seed 000, 4311: the section is "in development"; seed 004, 702-706: three savings areas
    assert liverpool[0].kind == "status" and "in development" in liverpool[0].text
    assert all(a.src.first >= 4305 and a.src.last <= 4364 for a in liverpool)
    assert [a.text for a in sefton if a.kind == "savings-target"] == [
        "Admissions avoidance",
        "Reduced length of stay",
        "Reduction in delayed discharges",
    ]
    assert sum(a.kind == "measure" for a in sefton) == 7  # seed 004, 688-694
    assert all(a.src.first >= 657 and a.src.last <= 720 for a in sefton)
    # neither quantifies the impact: no line carries a figure
    assert all(a.amount is None for a in liverpool + sefton)


def test_sefton_has_fourteen_approach_and_seven_enabling_schemes() -> None:
    schemes = PLANS["sefton-bcf-2014"].plan.schemes
    approach = [s for s in schemes if s.programme is None]
    enabling = [s for s in schemes if s.programme == "enabling"]
    assert [s.src.first for s in approach] == list(range(443, 457))  # seed 004, 443-456
    assert [s.src.first for s in enabling] == list(range(627, 634))  # seed 004, 627-633
    for s in enabling:
        assert seed_quote(s.name, "004", s.src.first, s.src.last, flat=True)


def test_bcf_show_lists_the_acute_sector_lines() -> None:
    from placehealth.services import bcf

    (sefton,) = bcf.show(ROOT / "plans" / "sefton-bcf-2014")
    assert len(sefton["acute_sector"]) == len(PLANS["sefton-bcf-2014"].plan.acute_sector)
    assert sefton["acute_sector"][-1] == {
        "kind": "savings-target",
        "text": "Reduction in delayed discharges",
        "source": "seed 004, 706",
    }
