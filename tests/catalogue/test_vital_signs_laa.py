"""Seed 003's two national frameworks in the catalogue: the 40 Vital Signs of Appendix A
(1707–1752) and the 60 Local Area Agreement indicators of Appendix B (1754–1821).

Each code cites a line of its appendix and the numbers printed there; the code, name and
lead organisations as the line words them are checked against the document by
tests/seed_wording.py, so one that drifts from the document fails there.
"""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.model import Polarity
from tests.conftest import seed_figures, seed_quote

APPENDIX_A = (1707, 1752)
APPENDIX_B = (1754, 1821)


def test_forty_vital_signs_fourteen_sixteen_and_ten_by_tier() -> None:
    """Seed 003, Appendix A: tier A 1710–1723 (14), tier B 1725–1741 (16), tier C 1743–1752 (10)."""
    signs = load_catalogue().framework("vital_signs")
    codes = [code.code for code, _ in signs]
    assert len(codes) == len(set(codes)) == 40
    tiers = [code.tier for code, _ in signs]
    assert (tiers.count("A"), tiers.count("B"), tiers.count("C")) == (14, 16, 10)
    assert all(code.tier == code.code[2] for code, _ in signs)


def test_each_vital_sign_code_and_name_is_on_its_appendix_a_line() -> None:
    """Seed 003, 1707–1752: every code cites its line of Appendix A, which prints the code's
    number first (VSA03: '03')."""
    for code, _ in load_catalogue().framework("vital_signs"):
        assert code.source is not None and code.source.seed == "003", code.code
        assert APPENDIX_A[0] <= code.source.lines.first <= APPENDIX_A[1], code.code
        assert seed_figures("003", code.source.lines.first).split()[0] == code.code[3:]


def test_vsa03_is_the_shared_c_difficile_indicator() -> None:
    """Seed 003, 1711: 'VSA03 Number of Clostridium difficile infections'."""
    (indicator,) = load_catalogue().lookup_code("VSA03")
    assert indicator.id == "c-diff-infections"
    assert seed_quote("Clostridium difficile", "003", 1711)


def test_sixty_laa_indicators_51_national_and_9_local_each_with_a_lead() -> None:
    """Seed 003, Appendix B (1754–1821): 51 NI codes and 9 local indicators."""
    laa = load_catalogue().framework("laa")
    codes = [code.code for code, _ in laa]
    assert len(codes) == len(set(codes)) == 60
    assert sum(code.startswith("NI ") for code in codes) == 51
    assert sum(code.startswith("Local Indicator ") for code in codes) == 9
    assert all(indicator.lead for _, indicator in laa)


def test_each_laa_code_name_and_lead_is_on_its_appendix_b_line() -> None:
    """Seed 003, 1757–1821: every code cites its line of Appendix B, which prints the NI
    number first, and each indicator has its leads (the wording: tests/seed_wording.py)."""
    for code, indicator in load_catalogue().framework("laa"):
        assert code.source is not None and code.source.seed == "003", code.code
        assert APPENDIX_B[0] <= code.source.lines.first <= APPENDIX_B[1], code.code
        if code.code.startswith("NI "):
            assert seed_figures("003", code.source.lines.first).split()[0] == code.code[3:]
        assert indicator.lead, indicator.id


def test_the_port_and_airport_share_one_line_and_get_one_lead_each() -> None:
    """Seed 003, 1786: two local indicators, then 'Liverpool Airport Merseyside Docks & Harbour
    Company' — one lead each, read by meaning."""
    catalogue = load_catalogue()
    port = next(i for _, i in catalogue.framework("laa") if "tonnage" in i.name)
    airport = next(i for _, i in catalogue.framework("laa") if "airport" in i.name)
    assert port.lead == ["Merseyside Docks & Harbour Company"]
    assert airport.lead == ["Liverpool Airport"]


def test_only_a_basket_of_mixed_measures_has_no_direction() -> None:
    """Seed 003, 1713: VSA05 bundles diagnostic waits (lower is better) with audiology waits
    and patient experience (higher is better); every other Vital Sign and LAA indicator has
    a direction."""
    catalogue = load_catalogue()
    both = catalogue.framework("vital_signs") + catalogue.framework("laa")
    neutral = {code.code for code, ind in both if ind.polarity == Polarity.NEUTRAL}
    assert neutral == {"VSA05"}


def test_shared_measures_agree_between_vital_signs_and_laa() -> None:
    """Seed 003: VSC26 = NI 39 (1750, 1808), VSB11 = NI 53 (1734, 1809), VSB01 = NI 120
    (1725, 1812), VSC11 = NI 124 (1743, 1816): same unit, multiplier and direction."""
    catalogue = load_catalogue()
    for vs, ni in (
        ("VSC26", "NI 39"),
        ("VSB11", "NI 53"),
        ("VSB01", "NI 120"),
        ("VSC11", "NI 124"),
    ):
        (a,), (b,) = catalogue.lookup_code(vs), catalogue.lookup_code(ni)
        assert (a.unit, a.multiplier, a.polarity) == (b.unit, b.multiplier, b.polarity), vs
