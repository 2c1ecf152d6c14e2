"""Seed 001 (Healthy Liverpool: The Blueprint, 2015) as data: the plan folder loads, every
number and phrase is on the lines it cites, the measures of success reproduce through their
implied populations, and the checker reports the document's contradictions with both lines.
Numbers are checked against the snapshot (tests/seed-figures.json); the wording (the
programmes, the catalogue's sources, the statements' words) against the document by
tests/seed_wording.py.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Finding, check_plans
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import compute
from placehealth.sources import SourceLines
from tests.conftest import ROOT, seed_figures, seed_quote

FOLDER = ROOT / "plans" / "blueprint-2015"
PROGRAMMES = {
    "Living Well",
    "Digital Care and Innovation",
    "Community Care",
    "Urgent and Emergency Care",
    "Hospitals",
}


@cache
def plan() -> Plan:
    (loaded,) = load_plans(FOLDER)
    return loaded


@cache
def all_plans() -> tuple[Plan, ...]:
    return tuple(load_plans(ROOT / "plans"))


@cache
def findings() -> tuple[Finding, ...]:
    """Findings over every document, so conflicts with seeds 000 and 002 are included."""
    return tuple(check_plans(list(all_plans()), load_catalogue()))


def ambition(ambition_id: str) -> Ambition:
    return next(a for a in plan().ambitions if a.id == ambition_id)


def finding(finding_id: str) -> Finding:
    matches = [f for f in findings() if f.id == finding_id]
    assert matches, f"no finding {finding_id}"
    return matches[0]


def figures_of(src: SourceLines) -> str:
    return seed_figures("001", src.first, src.last)


def numbers_in(text: str) -> set[float]:
    """Numbers printed in ``text``; '5.5 million' also counts as 5,500,000."""
    found = set()
    for match in re.finditer(r"(\d[\d,]*(?:\.\d+)?)(\s+million)?", text):
        value = float(match.group(1).replace(",", ""))
        found.add(value)
        if match.group(2):
            found.add(round(value * 1_000_000))
    return found


def squeezed(text: str) -> str:
    return " ".join(text.split()).lower().replace("’", "'")


# --- the folder -------------------------------------------------------------------------


def test_folder_loads_with_known_indicators() -> None:
    catalogue = load_catalogue()
    assert plan().document.id == "blueprint-2015"
    assert plan().seed == "001"
    missing = [a.indicator for a in plan().ambitions if a.indicator not in catalogue]
    assert not missing
    assert len(plan().ambitions) >= 45
    assert len(plan().statements) >= 60


def test_shared_indicators_use_the_core_ids() -> None:
    """Seed 000 sets ambitions for the same indicators: the ids must match for the checker."""
    used = {a.indicator for a in plan().ambitions}
    assert {
        "pyll-amenable",
        "eq5d-ltc",
        "emergency-admissions-composite",
        "dementia-diagnosis",
        "care-home-admissions-65",
        "reablement-91-days",
        "delayed-transfers-of-care",
        "iapt-access",
        "premature-mortality-cancer",
    } <= used


def test_every_ambition_is_grouped_by_programme() -> None:
    """Seed 001, 53–57 and 365–380: the five programmes, the map's five goals (named on the
    lines they cite: tests/seed_wording.py)."""
    groups = {a.id: a.group for a in plan().ambitions}
    assert set(groups.values()) <= PROGRAMMES, set(groups.values()) - PROGRAMMES
    assert {"Living Well", "Community Care", "Hospitals"} <= set(groups.values())
    (pmap,) = plan().maps
    assert len([g for g in pmap.goals if g.src is not None]) == 5


def test_the_map_lists_every_indicator_the_ambitions_use() -> None:
    (pmap,) = plan().maps
    mapped = {m for s in pmap.sections for m in s.metrics}
    used = {a.indicator for a in plan().ambitions}
    # programme aims (483-488, 894-896), not rows of the outcome tables
    assert used - mapped == {"bp-additional-active-adults", "bp-physical-activity-participation"}


def test_catalogue_sources_name_what_they_cite() -> None:
    """Every seed 001 indicator cites seed 001 (that its lines share a word with its name:
    tests/seed_wording.py)."""
    catalogue = load_catalogue()
    ours = [i for i in catalogue.indicators.values() if i.id.startswith("bp-")]
    assert len(ours) >= 100
    for indicator in ours:
        assert indicator.sources, indicator.id
        assert all(source.seed == "001" for source in indicator.sources), indicator.id


# --- faithfulness -------------------------------------------------------------------------


def test_statements_are_on_their_cited_lines() -> None:
    """A number is printed on its lines (a value in words, and the text's words:
    tests/seed_wording.py)."""
    for s in plan().statements:
        if not isinstance(s.value, str):
            assert abs(s.value) in numbers_in(figures_of(s.src)), (s.key, s.value, s.src)


def test_restated_values_are_on_their_cited_lines() -> None:
    for a in plan().ambitions:
        for r in a.restated:
            assert abs(r.value) in numbers_in(figures_of(r.src)), (a.id, r.what, r.src)


@pytest.mark.parametrize(
    ("ambition_id", "printed"),
    [
        ("pyll", "24.2%"),  # 289–291
        ("eq5d", "65% to 71%"),  # 293–296
        ("avoidable-admissions", "1659"),  # 298–301
        ("care-home-admissions", "767.3 to 612.9"),  # 318–325
        ("delayed-transfers", "2664.5 per 100,000 population"),  # 327–333
        ("dementia-diagnosis", "from 54% in July 2013 to 70% by March 2016"),  # 338–343
        ("reablement", "78.9% to 83%"),  # 345–351
        ("af-exception-reporting", "of 168 (from 671 to 504 - 25%)"),  # 4244
        ("hip-fracture-admissions", "25.6% (167)"),  # 4329
        ("integrated-care-admissions", "30% (1,944 admissions)"),  # 4345
        ("all-age-cancer-mortality", "225.1 deaths per 100,000 in 2009-11 to 160.9 in 2019-21"),
    ],
)
def test_headline_wording_is_on_the_ambition_lines(ambition_id: str, printed: str) -> None:
    a = ambition(ambition_id)
    assert a.src is not None
    assert seed_quote(printed, "001", a.src.first, a.src.last, flat=True)


# --- acceptance: the measures of success (seed 001, 318–351) ------------------------------


@pytest.mark.parametrize(
    ("ambition_id", "base", "target", "count", "population"),
    [
        # 318–325: 767.3 → 612.9 per 100,000 'equivalent to a reduction of 87'
        ("care-home-admissions", 767.3, 612.9, -87, 56_347),
        # 327–333: 2664.5 → 2602.7 per 100,000 'equivalent to a reduction of 214 delayed days'
        ("delayed-transfers", 2664.5, 2602.7, -214, 346_278),
        # 338–343: 54% → 70% 'equivalent to finding an extra 912 people'
        ("dementia-diagnosis", 54, 70, 912, 5_700),
        # 345–351: 78.9% → 83% 'equivalent to an extra 196 people'
        ("reablement", 78.9, 83, 196, 4_780),
    ],
)
def test_rate_change_equals_the_stated_count_through_the_implied_population(
    ambition_id: str, base: float, target: float, count: int, population: int
) -> None:
    a = ambition(ambition_id)
    assert a.baseline is not None and a.target is not None
    assert (a.baseline.value, a.target.value) == (base, target)
    t = compute(a, load_catalogue())
    assert t.denominator is not None and t.multiplier is not None
    assert round(t.denominator) == population
    counts = t.counts
    assert counts is not None
    assert round(float(counts[-1] - counts[0])) == count
    # the same population turns the printed rates into whole numbers of people
    assert round(base * population / t.multiplier) - round(target * population / t.multiplier) == (
        -count
    )
    assert not [f for f in findings() if f.subject == ambition_id and f.check == "count"]


def test_the_fifth_measure_15_pct_implies_11060_not_12055() -> None:
    """Seed 001, 298–301: '15% … equivalent to a reduction of 1659' implies a base of 11,060;
    4123–4125 print 12,055."""
    a = ambition("avoidable-admissions")
    head = a.headlines[0]
    assert head.change_count is not None and head.change_pct is not None
    assert head.change_count / head.change_pct * 100 == pytest.approx(11_060)
    assert a.baseline is not None and a.baseline.count == 12_055


def test_implied_populations_differ_from_seed_000s_denominators() -> None:
    """Seed 001's implied populations against the denominators seed 000's BCF table prints
    for the same indicators (seed 000, 4744–4750, 4778–4781)."""
    ccg = next(p for p in all_plans() if p.document.id == "ccg-2014")
    theirs = {
        a.indicator: a
        for a in ccg.ambitions
        if a.target is not None and a.target.denominator is not None
    }
    catalogue = load_catalogue()
    for ours_id, indicator in [
        ("care-home-admissions", "care-home-admissions-65"),
        ("dementia-diagnosis", "dementia-diagnosis"),
        ("reablement", "reablement-91-days"),
    ]:
        implied = compute(ambition(ours_id), catalogue).denominator
        assert implied is not None
        other = theirs[indicator].target
        assert other is not None and other.denominator is not None
        assert abs(implied - other.denominator) / other.denominator > 0.05, indicator


# --- acceptance: the contradictions the checker must report -------------------------------


def test_dementia_70_pct_against_64_9_pct() -> None:
    """Seed 001, 340–341: '70% by March 2016'; 4309: '54.4% to 64.9% by 15/16'."""
    f = finding("blueprint-2015/dementia-diagnosis/restated-target/2")
    assert (f.expected, f.stated) == (70, 64.9)
    assert f.sources == ["seed 001, 341", "seed 001, 4309"]
    assert "70%" in seed_figures("001", 341) and "64.9%" in seed_figures("001", 4309)


def test_af_exception_reporting_671_to_504_is_167_not_168() -> None:
    """Seed 001, 4244: 'of 168 (from 671 to 504 - 25%)'."""
    f = finding("blueprint-2015/af-exception-reporting/headline-count/headline-1")
    assert (f.stated, f.expected) == (-168, -(671 - 504))
    assert f.sources == ["seed 001, 4244"]


@pytest.mark.parametrize(
    ("key", "stated", "src"),
    [
        ("headline-1", -15, "298–301"),
        ("headline-2", -15.3, "4132–4137"),
        ("headline-3", -15.3, "4238"),
    ],
)
def test_avoidable_admissions_15_and_15_3_against_13_8(key: str, stated: float, src: str) -> None:
    """Seed 001: 15% (298) and 15.3% (4132, 4238), but 1,659 / 12,055 (4125, 4137) = 13.8%."""
    f = finding(f"blueprint-2015/avoidable-admissions/headline-pct-vs-count/{key}")
    assert f.stated == stated
    assert f.expected == pytest.approx(-1659 / 12055 * 100)
    assert round(float(f.expected), 1) == -13.8
    assert f.sources == [f"seed 001, {src}", "seed 001, 4123–4125"]


def test_cardiac_rehab_244_against_448() -> None:
    """Seed 001, 4153: 'Cardiac rehab 244' by 18/19; 4260: 'CVD admissions (due to increased
    cardiac rehab) by 448 by 18/19'."""
    f = finding("statement/admissions-reduction-by-2018-19/cardiac-rehab")
    assert (f.expected, f.stated) == (244, 448)
    assert f.sources == ["seed 001, 4153", "seed 001, 4260"]


def test_schemes_restated_consistently_raise_nothing() -> None:
    """Seed 001: pulmonary rehab 463 (4149, 4264) and CHD exercise 18 (4174, 4203) agree."""
    keys = {f.subject for f in findings() if f.check == "conflicting-statement"}
    assert "admissions-reduction-by-2018-19/pulmonary-rehabilitation" not in keys
    assert "admissions-reduction-by-2018-19/physical-exercise-in-chd" not in keys


def test_cross_document_conflicts_are_found() -> None:
    """Seed 001 against seed 000 (dementia 2015/16, IAPT 2013/14) and seed 002 (LTC share):
    one finding per indicator, area and period, listing every source and why they compare."""
    dementia = finding("conflict/dementia-diagnosis/Liverpool/2015/16")
    assert (dementia.expected, dementia.stated) == (70, 57.8)
    # seed 001 341 and seed 000 1650 both say 70; seed 000's BCF table 57.8 (4778-4781)
    assert dementia.sources == ["seed 001, 341", "seed 000, 4778–4781", "seed 000, 1650"]
    assert "70 (target in blueprint-2015/dementia-diagnosis, target in ccg-2014/dementia)" in (
        dementia.message
    )
    assert dementia.why.startswith("the same indicator (dementia-diagnosis), area (Liverpool)")
    iapt = finding("conflict/iapt-access/Liverpool/2013/14")
    assert (iapt.expected, iapt.stated) == (8.6, 8.7)
    assert iapt.check == "conflicting-baseline" and "restated by a later document" in iapt.why
    ltc = finding("statement/ltc-population-share")
    assert (ltc.expected, ltc.stated) == (30, 45)
    assert ltc.sources == ["seed 001, 127–128", "seed 002, 186"]


def test_digital_programme_has_no_outcome() -> None:
    """Seed 001, 368–370: Digital Care and Innovation has no row in the outcome tables."""
    f = finding("blueprint-2015/map/goal-without-section/digital-care-and-innovation")
    assert f.sources == ["seed 001, 368–370"]


def test_every_finding_within_seed_001_is_known() -> None:
    """A new finding is either a contradiction to add here or a mistake in the data."""
    ours = {f.id for f in findings() if all(s.startswith("seed 001") for s in f.sources)}
    assert ours == {
        "blueprint-2015/avoidable-admissions/headline-pct-vs-count/headline-1",
        "blueprint-2015/avoidable-admissions/headline-pct-vs-count/headline-2",
        "blueprint-2015/avoidable-admissions/headline-pct-vs-count/headline-3",
        "blueprint-2015/dementia-diagnosis/restated-target/2",
        "blueprint-2015/af-exception-reporting/headline-count/headline-1",
        "blueprint-2015/map/goal-without-section/digital-care-and-innovation",
        "statement/admissions-reduction-by-2018-19/cardiac-rehab",
        "statement/admissions-reduction-by-2018-19/stop-smoking-in-chd",
    }


# --- the schemes and the facts the plan rests on ------------------------------------------


def statement_values(prefix: str, lines: tuple[int, int]) -> dict[str, float | str]:
    return {
        s.key.removeprefix(prefix): s.value
        for s in plan().statements
        if s.key.startswith(prefix) and lines[0] <= s.src.first <= lines[1]
    }


def test_schemes_add_up_to_a_gross_2235_against_the_net_1659() -> None:
    """Seed 001, 4147–4174: twelve schemes summing to 2,235; 4136–4137: net 1,659."""
    schemes = statement_values("admissions-reduction-by-2018-19/", (4139, 4174))
    assert len(schemes) == 12
    gross = sum(float(v) for v in schemes.values())
    assert gross == 2235
    (net,) = {s.value for s in plan().statements if s.key.endswith("net-reduction-by-2018-19")}
    assert net == 1659
    head = ambition("avoidable-admissions").headlines[1]
    assert head.change_count == -net and gross - net == 576


def test_avoidable_share_21_3_pct_of_non_elective_admissions() -> None:
    """Seed 001, 4123–4125: 12,055 (21.3%) of 56,618 non-elective admissions in 2013."""
    facts = {s.key: s.value for s in plan().statements}
    share = float(facts["avoidable-admissions-2013"]) / float(facts["non-elective-admissions-2013"])
    assert round(share * 100, 1) == facts["avoidable-share-of-non-elective-admissions-2013-pct"]


def test_lives_saved_ranges() -> None:
    """Seed 001, 4108–4118: lives saved by 18/19 if targets are achieved, low–high."""
    saved = statement_values("lives-saved-by-2018-19/", (4102, 4118))
    bounds = [
        tuple(int(x) for x in str(v).split("-")) if "-" in str(v) else (int(v), int(v))
        for v in saved.values()
    ]
    assert len(bounds) == 6 and all(low <= high for low, high in bounds)
    assert (sum(b[0] for b in bounds), sum(b[1] for b in bounds)) == (174, 431)


def test_urgent_care_facts() -> None:
    """Seed 001, 2468–2472: 277,594 A&E and walk-in attendances, 53,828 emergency admissions."""
    facts = {s.key: (s.value, s.src.first) for s in plan().statements}
    assert facts["ae-and-walk-in-attendances-a-year"] == (277_594, 2468)
    assert facts["emergency-admissions-to-liverpool-hospitals-a-year"] == (53_828, 2471)
    assert round(277_594, -2) == 277_600 and round(53_828, -2) == 53_800


def test_activity_shares_are_complements() -> None:
    """Seed 001, 231–232: 86% not active enough; 547–549: only 14% active enough."""
    facts = {s.key: s.value for s in plan().statements}
    assert (
        float(facts["adults-not-active-enough-pct"]) + float(facts["adults-active-enough-pct"])
        == 100
    )
