"""Seed 002 (One Liverpool Strategy 2019–2024) as data.

Every stated fact sits on the lines it cites; the ambitions recompute (infant deaths,
cancer against its forecast, the projected life-expectancy gap); the measures of success
follow the appendix's clean column; and the checker reports the document's own
contradictions, and nothing else, from this data. The wording (titles, the measures'
names, the segments) is checked against the document by tests/seed_wording.py.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans import methods as m
from placehealth.plans.check import Finding, check_plans
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.model import Ambition, Statement
from placehealth.plans.trajectory import compute
from tests.conftest import ROOT, seed_figures, seed_quote

SEED = "002"  # 002_c20b30fa9e722d12.txt
FOLDER = ROOT / "plans" / "one-liverpool-2019"
WORDS = {"one": 1, "three": 3, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


@cache
def plan() -> Plan:
    (loaded,) = load_plans(FOLDER)
    return loaded


@cache
def findings() -> tuple[Finding, ...]:
    return tuple(check_plans([plan()], load_catalogue()))


def ambition(ambition_id: str) -> Ambition:
    return next(a for a in plan().ambitions if a.id == ambition_id)


def flat(text: str) -> str:
    """Whitespace collapsed, lower case: extracted tables break lines and pad with tabs."""
    return " ".join(text.split()).lower()


def printed_numbers(text: str) -> set[float]:
    found = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    words = set(re.findall(r"[a-z]+", text.lower()))
    return found | {float(v) for w, v in WORDS.items() if w in words}


# --- the folder ------------------------------------------------------------------------


def test_folder_loads_and_every_indicator_is_catalogued() -> None:
    catalogue = load_catalogue()
    assert plan().document.seed == SEED
    assert {a.id for a in plan().ambitions} == {
        "life-expectancy-gap", "premature-cancer", "premature-circulatory",
        "premature-respiratory", "infant-deaths",
    }  # fmt: skip
    assert all(a.indicator in catalogue for a in plan().ambitions)
    (pmap,) = plan().maps
    for section in pmap.sections:
        for metric in section.metrics:
            assert metric in catalogue or catalogue.lookup_code(metric), metric


# --- faithfulness: every statement on its cited lines ------------------------------------

# Values counted or normalised rather than copied: checked by the tests named here.
NOT_PRINTED = {
    ("population-segments", 7): "one_liverpool_seven_population_segments (seed_wording.py)",
    ("premature-respiratory-mortality-direction", "hold"): "the text is checked instead",
    ("premature-respiratory-mortality-direction", "reduce"): "the text is checked instead",
}


@pytest.mark.parametrize("statement", plan().statements, ids=lambda s: f"{s.key}@{s.src.first}")
def test_statement_is_on_its_cited_lines(statement: Statement) -> None:
    first, last = statement.src.first, statement.src.last
    if statement.text:
        assert seed_quote(statement.text, SEED, first, last, flat=True)
    if (statement.key, statement.value) in NOT_PRINTED:
        assert statement.text
        return
    if isinstance(statement.value, str):  # verbatim, or a range given as its digits
        digits = re.sub(r"\D", "", statement.value)
        if digits and statement.text and digits in re.sub(r"\D", "", statement.text):
            return  # a range given as its digits, in the quoted text checked above
        assert seed_quote(statement.value, SEED, first, last, flat=True)
    else:  # in figures, or in words ("eight years"), as the snapshot keeps both
        assert abs(statement.value) in printed_numbers(seed_figures(SEED, first, last))


def test_seven_population_segments() -> None:
    """Seed 002, 172–180: the segments listed are seven, one a line (174–180; that each is a
    bullet: tests/seed_wording.py)."""
    (s,) = [x for x in plan().statements if x.key == "population-segments"]
    assert s.value == 7 and (s.src.first, s.src.last) == (172, 180)


def test_place_facts() -> None:
    """Seed 002, 41: 86 GP practices, 12 neighbourhoods, 11 Primary Care Networks."""
    facts = {s.key: s.value for s in plan().statements if s.src.first == 41}
    assert seed_quote(
        "86 GP practices collaborating across 12 neighbourhoods and 11 Primary", SEED, 41
    )
    assert (facts["liverpool-gp-practices"], facts["liverpool-neighbourhoods"]) == (86, 12)
    assert facts["liverpool-pcns"] == 11


def test_population_health_management_shares() -> None:
    """Seed 002, 184 and 186: 11% of patients → 74% of bed-days; 45% with an LTC →
    60% of A&E attendances, 85% of admissions, 92% of mental health and 91% of community
    contacts, in the order the sentence gives them."""
    facts = {s.key: s.value for s in plan().statements}
    assert [int(x) for x in re.findall(r"(\d+)%", seed_figures(SEED, 184))] == [
        facts["share-of-patients-holding-74pct-of-bed-days"],
        facts["bed-days-share-of-top-11pct-patients"],
    ]
    keys = ["population-share", "share-of-ae-attendances", "share-of-admissions"]
    keys += ["share-of-mental-health-contacts", "share-of-community-contacts"]
    assert [int(x) for x in re.findall(r"(\d+)%", seed_figures(SEED, 186))] == [
        facts[f"ltc-{k}"] for k in keys
    ]


# --- acceptance: the ambitions recomputed -------------------------------------------------


def test_infant_deaths_117_to_78_one_third_fewer() -> None:
    """Seed 002, 850 ('117 infant deaths … a 33% reduction … a decrease of 39 deaths')
    and 162 ('Reducing infant deaths by one third'): 117 → 78."""
    assert seed_quote("117 infant deaths", SEED, 850)
    assert seed_quote("decrease of 39 deaths", SEED, 850)
    assert seed_quote("by one third", SEED, 162)
    a = ambition("infant-deaths")
    t = compute(a, load_catalogue())
    assert t.target is not None and round(t.target) == 78 == round(117 * (1 - 1 / 3))
    (head,) = a.headlines
    assert head.change_count == round(t.target) - 117 == -39
    assert head.change_pct == round((78 - 117) / 117 * 100)
    assert not [f for f in findings() if f.subject == "infant-deaths"]


def test_cancer_127_is_17_percent_below_a_forecast_of_153() -> None:
    """Seed 002, 834: '127 deaths per 100,000 … 17% lower than the current forecast';
    the forecast is not printed: 127 / 0.83 = 153.0."""
    assert seed_quote("127 deaths per 100,000", SEED, 834)
    assert seed_quote("17% lower than the current forecast", SEED, 834)
    assert round(127 / (1 - 0.17), 1) == 153.0
    a = ambition("premature-cancer")
    t = compute(a, load_catalogue())
    assert t.extras["forecast"] == pytest.approx(153.0)
    assert t.target == pytest.approx(153.0 * 0.83)
    assert a.target is not None and round(t.target) == a.target.value == 127
    assert not [f for f in findings() if f.subject == "premature-cancer"]


def test_circulatory_58_is_5_percent_below_a_forecast_of_61_1() -> None:
    """Seed 002, 840: '58 deaths per 100,000 … 5% lower than the current forecast'."""
    assert seed_quote("58 deaths per 100,000", SEED, 840)
    t = compute(ambition("premature-circulatory"), load_catalogue())
    assert round(t.extras["forecast"] * 0.95) == 58
    assert round(58 / 0.95, 1) == t.extras["forecast"]


def test_respiratory_holds_66() -> None:
    """Seed 002, 846: 'maintain the current rate of 66 deaths per 100,000'."""
    t = compute(ambition("premature-respiratory"), load_catalogue())
    assert t.target == 66 and seed_quote("current rate of 66", SEED, 846)


def test_life_expectancy_gap_forecast_linearly_to_2024() -> None:
    """Seed 002, 143: the gap widened from 2.9 (2010) to 3.2 (2017); on that line 3.5 in
    2024, and half of it is 1.75."""
    assert seed_quote("2.9 years in 2010 to 3.2 years in 2017", SEED, 143)
    assert float(m.linear_forecast([2010, 2017], [2.9, 3.2], [2024])[0]) == pytest.approx(3.5)
    t = compute(ambition("life-expectancy-gap"), load_catalogue())
    assert t.extras["projection"] == pytest.approx(3.5)
    assert t.target == pytest.approx(1.75)


# --- acceptance: what the checker reports --------------------------------------------------


def finding(finding_id: str) -> Finding:
    (f,) = [x for x in findings() if x.id == finding_id]
    return f


def test_checker_halve_the_projected_gap_gives_1_75_not_1_7() -> None:
    """Seed 002, 149–151: 'Halve the projected life expectancy gap with England to 1.7
    years by 2024' (restated at 827), against 3.5 / 2 = 1.75."""
    assert seed_quote("1.7 years by 2024", SEED, 151)
    assert seed_quote("by 2024 to 1.7 years", SEED, 827)
    f = finding("one-liverpool-2019/life-expectancy-gap/projected-target/2024")
    assert (f.stated, f.expected) == (1.7, pytest.approx(1.75))
    assert f.sources == ["seed 002, 149–151"]


def test_checker_cancer_headline_25_against_the_appendix_17() -> None:
    """Seed 002, 159 ('Reducing premature cancer deaths by 25%') against 834 ('17% lower
    than the current forecast')."""
    assert seed_quote("Reducing premature cancer deaths by 25%", SEED, 159)
    f = finding("statement/premature-cancer-reduction-pct")
    assert (f.expected, f.stated) == (25, 17)
    assert f.sources == ["seed 002, 159", "seed 002, 834"]
    # a fall from today's rate against a fall below a forecast: need not agree, so a note
    assert f.severity == "note" and "from today's rate" in f.why and "from the forecast" in f.why


def test_checker_circulatory_headline_40_against_the_appendix_5() -> None:
    """Seed 002, 160 ('by 40%') against 840 ('5% lower than the current forecast')."""
    f = finding("statement/premature-circulatory-reduction-pct")
    assert (f.expected, f.stated) == (40, 5)
    assert f.sources == ["seed 002, 160", "seed 002, 840"]


def test_checker_nhs_funding_11bn_against_1_1bn() -> None:
    """Seed 002, 654 (the infographic: '£11 bn BY 2023/24') against 672 ('from £934m in
    2019/20 to £1.1billion by 2023/24')."""
    assert seed_quote("£11 bn", SEED, 654) and seed_quote("BY 2023/24", SEED, 656)
    assert seed_quote("£934m in 2019/20 to £1.1billion by 2023/24", SEED, 672)
    f = finding("statement/liverpool-nhs-funding-2023-24-billion")
    assert (f.expected, f.stated) == (11, 1.1)
    assert f.sources == ["seed 002, 654", "seed 002, 672"]


def test_checker_respiratory_held_but_also_reduced() -> None:
    """Seed 002, 161 ('Stabilising') and 846 ('maintain') against 153 ('reductions in the
    premature mortality rates of … respiratory disease') and the measure at 858."""
    (f,) = [f for f in findings() if f.subject == "premature-respiratory-mortality-direction"]
    assert f.sources == ["seed 002, 161", "seed 002, 846", "seed 002, 153", "seed 002, 858"]
    assert f.message.startswith("premature-respiratory-mortality-direction: hold (")
    assert " ×2 but reduce (" in f.message and f.severity == "error"


def test_checker_reports_nothing_else_about_this_document() -> None:
    """Any other finding is either a new contradiction to record or a data mistake."""
    assert {f.id for f in findings()} == {
        "one-liverpool-2019/life-expectancy-gap/projected-target/2024",
        "one-liverpool-2019/life-expectancy-gap/target/2024",
        "statement/premature-cancer-reduction-pct",
        "statement/premature-circulatory-reduction-pct",
        "statement/liverpool-nhs-funding-2023-24-billion",
        "statement/premature-respiratory-mortality-direction",  # one fact, four lines
    }


# --- the measures of success by objective (852–891) -----------------------------------------

OBJECTIVES = {  # section → (goal, number of measures listed under it)
    "9.1": ("1", 6),
    "9.2": ("2", 5),
    "9.3": ("3", 12),
    "9.4": ("4", 10),
}


def test_measures_grouped_by_the_four_objectives() -> None:
    """Seed 002, 852–891: 33 listings of 32 measures; 'Improve control over daily life'
    appears under objective 2 (867) and objective 3 (880)."""
    catalogue = load_catalogue()
    coded = catalogue.framework("one_liverpool")
    assert len(coded) == 33 and len({ind.id for _, ind in coded}) == 32
    (pmap,) = plan().maps
    sections = {s.id: s for s in pmap.sections}
    listed: list[str] = []
    for section_id, (goal, count) in OBJECTIVES.items():
        section = sections[section_id]
        assert section.goals == [goal] and len(section.metrics) == count
        groups = {catalogue.lookup_code(c)[0].group for c in section.metrics}
        listed += section.metrics
        if section_id != "9.3":  # OL3.11 is the objective-2 measure listed again
            assert len(groups) == 1 and next(iter(groups)).startswith(f"{goal}. ")
    assert sorted(listed) == sorted(code.code for code, _ in coded)
    (twice,) = {ind.id for c, ind in coded if c.code in ("OL2.3", "OL3.11")}
    assert twice == "ol-improve-control-over-daily-life"


def test_objective_titles_cite_their_lines() -> None:
    """Seed 002, 92–112: the four objectives, each printed over three lines (the titles'
    words: tests/seed_wording.py)."""
    (pmap,) = plan().maps
    assert [g.id for g in pmap.goals] == ["1", "2", "3", "4"]
    for goal in pmap.goals:
        assert goal.src is not None and 92 <= goal.src.first <= goal.src.last <= 112
        assert goal.src.last - goal.src.first == 2, goal.id
