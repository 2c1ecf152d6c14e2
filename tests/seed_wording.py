"""The plans' and the catalogue's wording, checked against the seed documents' words.

The documents' words are not ours to keep: the repository holds only the numbers printed
on the lines it cites (tests/seed-figures.json), and every other test runs from those. A
check that compares *words* (a plan's name with the line it cites, a code at the start of
a table row, a title equal to a heading) needs the documents themselves, so those checks
are gathered here and run by the one test that needs the documents,
``tests/test_seed_figures.py::test_the_seed_documents_match_the_snapshot_and_the_wording``:
CI has the documents; a plain clone says that test did not run and why.

Each check reads lines with ``read(seed, first, last)`` and asserts; the test runs them
all and reports every one that fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from placehealth.catalogue import load_catalogue
from tests.plans.helpers import SeedPlan

Read = Callable[..., str]  # read(seed, first, last=None) -> the text of those lines
CHECKS: list[Callable[[Read], None]] = []


def check(function: Callable[[Read], None]) -> Callable[[Read], None]:
    CHECKS.append(function)
    return function


def flat(text: str) -> str:
    """Whitespace collapsed, lower case, plain quotes and dashes: extracted tables break
    lines and pad with tabs."""
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.split()).lower()


# --- seed 001: Healthy Liverpool, the Blueprint (plans/blueprint-2015) -------------------


@check
def blueprint_goals_are_the_five_programmes(read: Read) -> None:
    (pmap,) = SeedPlan("blueprint-2015").plan.maps
    goal_text = [read("001", g.src.first, g.src.last) for g in pmap.goals if g.src is not None]
    for name in ("Living Well", "Digital Care", "Community Care", "Urgent and Emergency",
                 "Hospital"):  # fmt: skip
        assert any(name in text for text in goal_text), name


@check
def blueprint_catalogue_sources_name_what_they_cite(read: Read) -> None:
    """Each seed 001 indicator's cited lines share a word with its name (a wrong line fails)."""
    stop = {"the", "and", "with", "who", "for", "from", "people", "patients", "rate", "under"}
    for indicator in load_catalogue().indicators.values():
        if not indicator.id.startswith("bp-"):
            continue
        words = {w for w in re.findall(r"[a-z0-9]{3,}", indicator.name.lower()) if w not in stop}
        for source in indicator.sources:
            cited = flat(read("001", source.lines.first, source.lines.last))
            assert any(w in cited for w in words), (indicator.id, source.lines)


@check
def blueprint_statements_are_worded_as_their_lines(read: Read) -> None:
    """A value given as words is on its lines; a statement's text shares most of its words."""
    for s in SeedPlan("blueprint-2015").plan.statements:
        cited = flat(read("001", s.src.first, s.src.last))
        if isinstance(s.value, str):
            assert flat(s.value) in cited, (s.key, s.src)
        if s.text:
            words = set(re.findall(r"[a-z]{4,}", flat(s.text)))
            shared = words & set(re.findall(r"[a-z]{4,}", cited))
            assert len(shared) >= len(words) / 2, (s.key, s.text)


# --- seed 002: One Liverpool (plans/one-liverpool-2019) ----------------------------------


@check
def one_liverpool_seven_population_segments(read: Read) -> None:
    """Seed 002, 172–180: the segments listed are seven, as the plan states."""
    (s,) = [x for x in SeedPlan("one-liverpool-2019").plan.statements
            if x.key == "population-segments"]  # fmt: skip
    bullets = [ln for ln in read("002", 174, 180).splitlines() if ln.startswith("- ")]
    assert len(bullets) == s.value == 7
    assert bullets[0] == "- Healthy Population (prevention)" and bullets[-1] == "- End of Life"


@check
def one_liverpool_objective_titles_are_the_documents(read: Read) -> None:
    """Seed 002, 92–112: the four objectives, each printed over three lines."""
    (pmap,) = SeedPlan("one-liverpool-2019").plan.maps
    for goal in pmap.goals:
        assert goal.src is not None
        assert flat(goal.title) == flat(read("002", goal.src.first, goal.src.last)), goal.id


@check
def one_liverpool_measure_names_are_on_their_lines(read: Read) -> None:
    """Seed 002, 852–891. From 862 on, the clean third column (after the last tab) is the
    name itself; before it, and where that column holds only bullets, the name is in the
    first column."""
    for code, indicator in load_catalogue().framework("one_liverpool"):
        assert code.source is not None, code.code
        line = code.source.lines.first
        columns = read("002", line).split("\t")
        if line >= 862 and any(ch.isalpha() for ch in columns[-1]):
            assert columns[-1].strip() == indicator.name, code.code
        else:
            assert flat(indicator.name) in flat(columns[0]), code.code
        assert indicator.name in read("002", 852, 891), code.code


@check
def one_liverpool_investing_in_proportionate_universalism(read: Read) -> None:
    """Seed 002, 302–306: the principle the allocation follows (placehealth.phm.allocate)."""
    text = read("002", 302, 306)
    assert "INVESTING TO REDUCE HEALTH INEQUALITIES" in text
    assert "greatest need" in text and "proportionate universalism" in text


# --- seed 003: Liverpool PCT Operational Plan 2010/11 (plans/pct-2010, the catalogue) ----

PCT = SeedPlan("pct-2010")


def _pct_on_lines(text: str, first: int, last: int, read: Read) -> bool:
    """Every ' … '-separated part of ``text`` is on seed 003, lines first–last."""
    body = flat(read("003", first, last))
    return all(flat(part) in body for part in text.split(" … "))


@check
def pct_ambitions_are_worded_and_coded_as_on_their_lines(read: Read) -> None:
    """Seed 003, 166–1854: `name` is the plan's wording and `codes` are printed on `src`."""
    for a in PCT.plan.ambitions:
        assert a.src is not None, a.id
        assert _pct_on_lines(a.name or "", a.src.first, a.src.last, read), a.id
        body = flat(read("003", a.src.first, a.src.last))
        for code in a.codes:
            assert flat(code.removeprefix("KLOE ")) in body, (a.id, code)


@check
def pct_high_level_outcomes_are_one_bullet_each(read: Read) -> None:
    """Seed 003, 166–177: one bullet per line; 169 is 'Increased male and female life
    expectancy', one plan row per sex."""
    for a in PCT.plan.ambitions:
        if a.group == "High level outcome indicators":
            assert a.src is not None
            assert read("003", a.src.first) == f"- {a.name}", a.id
    assert read("003", 169) == "- Increased male and female life expectancy"


@check
def pct_statements_quote_their_lines(read: Read) -> None:
    for s in PCT.plan.statements:
        assert s.text is not None and _pct_on_lines(s.text, s.src.first, s.src.last, read), s.key


@check
def pct_goals_are_the_eight_strategic_goals(read: Read) -> None:
    """Seed 003, 151–158: 'Goal 1: Delivering the things that make a big difference' …"""
    (pmap,) = PCT.plan.maps
    for n, goal in enumerate(pmap.goals[:8], start=1):
        assert goal.src is not None
        assert read("003", goal.src.first) == f"- Goal {n}: {goal.title}", goal.id


@check
def pct_section_metrics_are_printed_on_their_appendix_c_row(read: Read) -> None:
    """Seed 003, 1826–1866: codes and uncoded metrics as Appendix C words them."""
    (pmap,) = PCT.plan.maps
    for s in pmap.sections:
        if s.id in {"1", "1.4"} or s.src is None:
            continue
        row = flat(read("003", s.src.first))
        for code in s.metrics:  # 'VSA04/05', 'VSA11 & 12' print two codes as one
            assert flat(code.removeprefix("KLOE ")) in row or code in {"VSA05", "VSA12"}, (
                s.id,
                code,
            )
        for metric in s.local_metrics:
            tag, wording = metric.split(": ", 1)
            assert tag in {"WCC", "LPO", "EC"} and flat(wording) in row, (s.id, metric)


@check
def pct_schedules_are_the_operating_framework_summary(read: Read) -> None:
    """Seed 003, 1874–1902: each line holding its schedule's number, title and section."""
    (pmap,) = PCT.plan.maps
    for sch in pmap.schedules:
        assert sch.src is not None
        cells = [c.strip() for c in read("003", sch.src.first).split("\t")]
        assert sch.id in cells, sch.id
        i = cells.index(sch.id)
        assert cells[i + 1] == sch.title, sch.id
        assert (cells[i + 2] if i + 2 < len(cells) else "") == "".join(sch.sections), sch.id


@check
def vital_signs_codes_and_names_are_on_their_appendix_a_lines(read: Read) -> None:
    """Seed 003, 1707–1752: every code's cited line starts with that code (and, for the Vital
    Signs file, holds the indicator's name as the appendix words it)."""
    for code, indicator in load_catalogue().framework("vital_signs"):
        assert code.source is not None
        line = read("003", code.source.lines.first)
        assert line.split("\t")[0].strip() == code.code
        if indicator.id.startswith("vs-"):
            assert flat(indicator.name) in flat(line), indicator.id


@check
def laa_codes_names_and_leads_are_on_their_appendix_b_lines(read: Read) -> None:
    """Seed 003, 1757–1821: the NI number (or 'Local Indicator'), the indicator's wording and
    every lead organisation are on the line the code cites."""
    for code, indicator in load_catalogue().framework("laa"):
        assert code.source is not None
        line = read("003", code.source.lines.first)
        if code.code.startswith("NI "):
            assert re.search(rf"NI\s*{code.code[3:]}\b", line), code.code
        else:
            assert "Local Indicator" in line, code.code
        assert flat(indicator.name) in flat(line), indicator.id
        for lead in indicator.lead:
            assert flat(lead) in flat(line), (indicator.id, lead)


# --- seed 000: Liverpool CCG's plans, 2014 (plans/ccg-2014) ------------------------------


@check
def ccg_pyll_is_directly_age_standardised(read: Read) -> None:
    """Seed 000, 1346–1349: the method placehealth.stats.pyll follows."""
    text = read("000", 1346, 1349).replace("\n", " ")
    assert "Directly age standardised rate of potential years of life lost" in text


# --- seed 004: Sefton's Better Care Fund report (plans/sefton-bcf-2014) ------------------


@check
def sefton_local_menu_codes_and_names(read: Read) -> None:
    """Seed 004, 129–146: each menu item's line starts with its code, and the table names
    each indicator (core indicators keep core's name; the menu words them its own way)."""
    wording = {"dementia-diagnosis": "Estimated diagnosis rate for people with dementia"}
    table = flat(read("004", 131, 146))
    for code, indicator in load_catalogue().framework("bcf_local_menu"):
        assert code.source is not None
        assert read("004", code.source.lines.first).startswith(code.code + "\t"), code.code
        assert flat(wording.get(indicator.id, indicator.name)) in table, indicator.name


# --- comparators named by the plans ------------------------------------------------------


@check
def comparators_are_named_on_their_cited_lines(read: Read) -> None:
    """Each comparator written into a plan row is on the seed lines it cites."""
    cases = {
        ("ccg-2014", "eq5d"): ("000", "5 best performing"),
        ("ccg-2014", "pyll"): ("000", "gap between Liverpool and the national average"),
        ("blueprint-2015", "physical-activity-participation"): ("001", "most active Core City"),
        ("one-liverpool-2019", "life-expectancy-gap"): ("002", "gap with England"),
        ("pct-2010", "home-births"): ("003", "national average of 3.0%"),
        ("sefton-bcf-2014", "excess-winter-deaths"): ("004", "England average"),
    }
    for (document, ambition), (seed, words) in cases.items():
        a = SeedPlan(document).ambition(ambition)
        assert a.comparator is not None and a.comparator.src is not None
        text = " ".join(read(seed, a.comparator.src.first, a.comparator.src.last).split())
        assert words in text, (document, ambition)


@check
def statutory_duties_are_on_their_lines(read: Read) -> None:
    """Seed 000's F01 (4855–4891): each duty's requirement, word for word in any order (the
    text conversion interleaves the duty, requirement and achieved-by columns)."""
    from placehealth.finance.model_duties import load_duties
    from tests.conftest import ROOT

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]+", text.lower()))

    (duties,) = load_duties(ROOT / "plans" / "ccg-2014")
    for duty in duties.duties:
        on_lines = words(read("000", duty.src.first, duty.src.last))
        assert words(duty.requires) <= on_lines, duty.id
