"""Seed 003 (Liverpool PCT Operational Plan 2010/11): Vital Signs and LAA catalogue, the
goal → section → metric map, and the document's contradictions."""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from tests.conftest import seed_figures, seed_quote
from tests.plans.helpers import SeedPlan

SEED = SeedPlan("pct-2010")

finding = SEED.finding


def test_forty_vital_signs_in_three_tiers() -> None:
    """Seed 003, Appendix A (1707–1752): 14 tier A, 16 tier B, 10 tier C codes."""
    signs = load_catalogue().framework("vital_signs")
    assert len(signs) == 40
    tiers = [code.tier for code, _ in signs]
    assert (tiers.count("A"), tiers.count("B"), tiers.count("C")) == (14, 16, 10)
    for code, _ in signs:
        assert code.source is not None
        assert seed_quote(code.code, "003", code.source.lines.first)


def test_sixty_laa_indicators_with_lead_organisations() -> None:
    """Seed 003, Appendix B (1754–1821): 51 NI codes and 9 local indicators, each with a lead;
    an NI code's number is printed on its line (the leads' words: tests/seed_wording.py)."""
    laa = load_catalogue().framework("laa")
    assert len(laa) == 60
    assert sum(code.code.startswith("NI ") for code, _ in laa) == 51
    for code, indicator in laa:
        assert indicator.lead, indicator.id
        assert code.source is not None and 1754 <= code.source.lines.first <= 1821
        if code.code.startswith("NI "):
            printed = seed_figures("003", code.source.lines.first).split()
            assert code.code[3:] in printed, code.code


def test_the_map_has_every_goal_and_section() -> None:
    (pmap,) = SEED.plan.maps
    assert [g.id for g in pmap.goals][:8] == [f"G{n}" for n in range(1, 9)]
    assert "2.3.10" in {s.id for s in pmap.sections}
    assert len(pmap.schedules) >= 40


def test_vsc03_is_no_vital_sign_and_vsa03_is_c_difficile() -> None:
    """Seed 003, 1839: 'WCC/VS VSC03 Reduction in Cdiff'; Appendix A has VSA03 (1711)."""
    f = finding("pct-2010/c-difficile/unknown-code/VSC03")
    assert "VSA03" in f.message
    assert "VSA03" in finding("pct-2010/map/unknown-metric/2.3.10/VSC03").message


def test_vsc11_used_for_timeliness_of_social_care_assessments() -> None:
    """Seed 003, 1854: 'VSC11 Timeliness of social care assessment'; that is VSC12 (1745)."""
    f = finding("pct-2010/social-care-assessments/misused-code/VSC11")
    assert (f.stated, f.expected) == ("VSC11", "VSC12")


def test_hba1c_threshold_7_against_7_5() -> None:
    """Seed 003: 'HbA1c is 7 or less' (643) but '7.5 or less' (1751)."""
    f = finding("statement/hba1c-threshold-diabetes-vital-sign")
    assert (f.expected, f.stated) == (7, 7.5)
    assert f.sources == ["seed 003, 643", "seed 003, 1751", "seed 003, 1837"]


def test_screening_age_ranges_disagree_between_text_and_appendix_a() -> None:
    """Seed 003: breast 47-49 and 71-73 (468) vs 53-70 (1717); bowel 70-75 (468) vs 60-74 (1718)."""
    breast = finding("statement/breast-screening-ages-vital-sign")
    assert (breast.expected, breast.stated) == ("47-49 and 71-73", "53-70")
    bowel = finding("statement/bowel-screening-ages-vital-sign")
    assert (bowel.expected, bowel.stated) == ("70-75", "60-74")


def test_sections_without_metrics_are_reported() -> None:
    """Seed 003, 1845–1863: e.g. 2.4.7 Venous Thromboembolism has no metric."""
    ids = {f.id for f in SEED.findings if f.check == "section-without-metric"}
    assert "pct-2010/map/section-without-metric/2.4.7" in ids
