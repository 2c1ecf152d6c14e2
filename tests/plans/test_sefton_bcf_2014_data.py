"""Seed 004 (Sefton Better Care Fund report, February 2014) as data.

The national metrics on their core indicators, the nine-item local menu with the codes
as printed, the chosen metric 2.1, the baselines, the pooled budget and the report's
facts, each on the lines it cites; the arithmetic the report implies; and the checker's
findings from this data.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Finding, check_plans
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.model import Ambition, Statement
from tests.conftest import ROOT, seed_figures, seed_quote

SEED = "004"  # 004_7f3f6293fe7bbc58.txt
FOLDER = ROOT / "plans" / "sefton-bcf-2014"
WORDS = {"five": 5, "six": 6, "nine": 9}
NATIONAL = {  # ambition id → core indicator (seed 004, 123–126)
    "residential-admissions": "care-home-admissions-65",
    "reablement": "reablement-91-days",
    "delayed-transfers": "delayed-transfers-of-care",
    "avoidable-emergency-admissions": "emergency-admissions-composite",
}
MENU = ["2.1", "2.6i", "3.5", "1A", "1H", "1D", "1.18i", "2.13ii", "2.24i"]  # 133–146


@cache
def plan() -> Plan:
    (loaded,) = load_plans(FOLDER)
    return loaded


@cache
def findings() -> tuple[Finding, ...]:
    return tuple(check_plans([plan()], load_catalogue()))


def ambition(ambition_id: str) -> Ambition:
    return next(a for a in plan().ambitions if a.id == ambition_id)


def facts() -> dict[str, float]:
    """Numeric statements by key (the first stated value of each)."""
    out: dict[str, float] = {}
    for s in plan().statements:
        if not isinstance(s.value, str):
            out.setdefault(s.key, float(s.value))
    return out


def flat(text: str) -> str:
    return " ".join(text.split()).lower()


def printed_numbers(text: str) -> set[float]:
    found = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    words = set(re.findall(r"[a-z]+", text.lower()))
    return found | {float(v) for w, v in WORDS.items() if w in words}


# --- the folder ------------------------------------------------------------------------


def test_folder_loads_and_every_indicator_is_catalogued() -> None:
    catalogue = load_catalogue()
    assert plan().document.seed == SEED and plan().document.area == "Sefton"
    assert all(a.indicator in catalogue for a in plan().ambitions)


# --- faithfulness -----------------------------------------------------------------------


@pytest.mark.parametrize("statement", plan().statements, ids=lambda s: f"{s.key}@{s.src.first}")
def test_statement_is_on_its_cited_lines(statement: Statement) -> None:
    first, last = statement.src.first, statement.src.last
    if statement.text:
        assert seed_quote(statement.text, SEED, first, last, flat=True)
    if isinstance(statement.value, str):
        assert seed_quote(statement.value, SEED, first, last, flat=True)
    else:  # in figures, or in words ("nine"), as the snapshot keeps both
        assert abs(statement.value) in printed_numbers(seed_figures(SEED, first, last))


@pytest.mark.parametrize("ambition_id", sorted(NATIONAL))
def test_national_metrics_use_the_core_indicators(ambition_id: str) -> None:
    """Seed 004, 121–126: four national metrics, named as the report names them, set on
    the core indicators; the report cites no framework code for them."""
    a = ambition(ambition_id)
    assert a.indicator == NATIONAL[ambition_id]
    assert a.group == "National metric" and a.codes == []
    assert a.src is not None and a.name is not None
    assert seed_quote(a.name, SEED, a.src.first, a.src.last, flat=True)
    indicator = load_catalogue()[a.indicator]
    assert any(c.framework == "bcf" for c in indicator.codes)
    assert any(
        s.seed == SEED and s.lines.first <= a.src.first <= s.lines.last for s in indicator.sources
    )


def test_patient_experience_has_no_measure_yet() -> None:
    """Seed 004, 127–129: the fifth national metric, 'no single measure … currently
    available'."""
    a = ambition("patient-experience")
    assert a.method.kind == "stated" and a.baseline is None and a.target is None
    assert seed_quote("There is no single measure of patient / service user experience", SEED, 129)


def test_the_nine_item_local_menu_with_its_codes() -> None:
    """Seed 004, 129–146: 'the following menu of nine metrics/measures', each with the
    code of its outcomes framework, in the order printed, each line printing its code's
    number first (the codes and names as the table words them: tests/seed_wording.py)."""
    menu = load_catalogue().framework("bcf_local_menu")
    assert seed_quote("menu of nine metrics/measures", SEED, 129)
    by_line = sorted(menu, key=lambda pair: pair[0].source.lines.first)
    assert [c.code for c, _ in by_line] == MENU
    for code, indicator in menu:
        assert code.source is not None and 131 <= code.source.lines.first <= 146
        number = re.match(r"\d+(?:\.\d+)?", code.code)
        assert number and seed_figures(SEED, code.source.lines.first).split()[0] == number[0]
        same_code_elsewhere = [c for c in indicator.codes if c.framework != "bcf_local_menu"]
        assert [c.code for c in same_code_elsewhere if c.code == code.code] == [code.code]


def test_chosen_local_metric_is_2_1() -> None:
    """Seed 004, 152: '2.1: Proportion of people feeling supported to manage their (long
    term) condition.'"""
    a = ambition("local-metric")
    (found,) = {ind.id for ind in load_catalogue().lookup_code(a.codes[0])}
    assert a.codes == ["2.1"] and found == a.indicator == "supported-to-manage-ltc"
    assert seed_quote(f"{a.codes[0]}: {a.name}", SEED, 152)
    assert not [f for f in findings() if f.subject == "local-metric"]


# --- baselines (595–615) and the one quantified aim (542) -----------------------------------

BASELINES = {  # ambition → (value, line, words printed beside it)
    "acsc-admissions": (551.4, 599, "551.4 per 100,000"),
    "acute-admissions": (650.4, 604, "650.4 admissions per 100,000"),
    "readmissions-south-sefton": (12.4, 606, "South Sefton CCG were 12.4 per 100,000"),
    "readmissions-southport-formby": (13.7, 606, "Formby CCG were 13.7 per 100,000"),
    "excess-winter-deaths": (24.9, 613, "2008-11 was 24.9 in Sefton"),
}


@pytest.mark.parametrize("ambition_id", sorted(BASELINES))
def test_baseline_rates(ambition_id: str) -> None:
    """Seed 004, 599–613: the rates the plan starts from (e.g. 551.4 per 100,000)."""
    value, line, words = BASELINES[ambition_id]
    base = ambition(ambition_id).baseline
    assert base is not None and base.src is not None
    assert (base.value, base.src.first) == (value, line)
    assert seed_quote(words, SEED, line)


def test_fifteen_percent_reduction_in_non_elective_care() -> None:
    """Seed 004, 542: 'a 15% reduction in non-elective care', the report's one number."""
    (head,) = ambition("non-elective-reduction").headlines
    assert head.change_pct == -15
    assert seed_quote("achieve a 15% reduction in non-elective care", SEED, 542)


# --- arithmetic the report implies ----------------------------------------------------------


def test_pool_is_capital_plus_existing_plus_new_transfers() -> None:
    """Seed 004, 49–53: £24.0m = £2.8m capital + £9.3m existing + £11.9m new CCG
    transfers; the template prints £24.040M (252, 254); £3m of the new money protects
    social care."""
    f = facts()
    parts = f["sefton-bcf-capital-million"] + f["sefton-bcf-existing-ccg-transfer-million"]
    total = parts + f["sefton-bcf-new-ccg-transfer-million"]
    assert round(total, 1) == 24.0
    assert round(f["sefton-bcf-pool-2015-16-million"], 1) == round(total, 1)
    assert f["sefton-bcf-protect-social-care-million"] < f["sefton-bcf-new-ccg-transfer-million"]
    assert not [f for f in findings() if "pool" in f.subject]


def test_payment_for_performance_adds_up() -> None:
    """Seed 004, 119: half of £1bn in April 2015 (£250m conditions + £250m metrics), the
    remaining £500m in October 2015, out of a £3.8bn fund."""
    f = facts()
    april = f["bcf-performance-april-2015-conditions-million"]
    april += f["bcf-performance-april-2015-metrics-million"]
    assert april == f["bcf-national-performance-fund-billion"] * 1000 / 2
    assert april + f["bcf-performance-october-2015-million"] == 1000
    assert f["bcf-national-performance-fund-billion"] < f["bcf-national-total-billion"]


def test_population_growth_percentages() -> None:
    """Seed 004, 206: 65+ from 57,366 to 66,545 is 16%; 85+ from 7,633 to 10,723 is
    40.5%; 202: 54 practices = 20 + 34."""
    f = facts()
    growth_65 = (
        f["sefton-population-65-plus-2021"] / f["sefton-population-65-plus-2011"] - 1
    ) * 100
    growth_85 = (
        f["sefton-population-85-plus-2021"] / f["sefton-population-85-plus-2011"] - 1
    ) * 100
    assert round(growth_65) == f["sefton-population-65-plus-change-2011-21-pct"] == 16
    assert round(growth_85, 1) == f["sefton-population-85-plus-change-2011-21-pct"] == 40.5
    practices = f["southport-formby-gp-practices"] + f["south-sefton-gp-practices"]
    assert practices == f["sefton-gp-practices"] == 54


def test_over_65s_with_limiting_illness_54_percent_is_not_of_the_57366() -> None:
    """Seed 004, 613: '29,800 over 65s (54%)' implies 55,185 people aged 65+, where 206
    counts 57,366 in 2011: of those, 29,800 is 51.9% (an observation, not a checker
    finding: the two counts may come from different sources)."""
    f = facts()
    share = f["sefton-over-65s-limiting-illness"] / f["sefton-population-65-plus-2011"] * 100
    assert round(share, 1) == 51.9
    assert f["sefton-over-65s-limiting-illness-share-pct"] == 54
    assert round(f["sefton-over-65s-limiting-illness"] / 0.54) == 55185


# --- what the checker reports -------------------------------------------------------------


def test_checker_former_name_given_two_ways() -> None:
    """Seed 004, 5, 15 and 96 ('Integration Transformation Fund') against 109 ('formerly
    known as the Integrated Care Fund')."""
    assert seed_quote("formerly known as the Integrated Care Fund", SEED, 109)
    (f,) = [x for x in findings() if x.subject == "bcf-former-name"]
    assert (f.expected, f.stated) == ("Integration Transformation Fund", "Integrated Care Fund")
    assert f.sources == ["seed 004, 5", "seed 004, 15", "seed 004, 96", "seed 004, 109"]
    assert "Integration Transformation Fund (" in f.message and ") ×3 but " in f.message


def test_checker_reports_nothing_else_about_this_document() -> None:
    """Any other finding is either a new contradiction to record or a data mistake."""
    assert {f.id for f in findings()} == {"statement/bcf-former-name"}
