"""Seed 003 (Liverpool PCT Operational Plan 2010/11) as data: the plan folder loads, every
recorded number sits on the lines it cites, the map mirrors Appendices C and D, and the
checker reports exactly the document's own contradictions. The recorded wording and codes
are checked against the document's words by tests/seed_wording.py."""

from __future__ import annotations

import re

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.model import Ambition
from tests.conftest import seed_figures, seed_quote
from tests.plans.helpers import SeedPlan
from tests.seed_figures import figures

SEED = SeedPlan("pct-2010")


def ambition(ambition_id: str) -> Ambition:
    return SEED.ambition(ambition_id)


# --- the folder loads ---------------------------------------------------------------


def test_the_plan_loads_and_every_indicator_is_in_the_catalogue() -> None:
    plan = SEED.plan
    assert plan.document.id == "pct-2010" and plan.seed == "003"
    catalogue = load_catalogue()
    missing = [a.id for a in plan.ambitions if a.indicator not in catalogue]
    assert missing == []
    assert {p.name for p in set(plan.files.values())} == {
        "outcomes.yaml",
        "wcc.yaml",
        "local-priorities.yaml",
        "vital-signs.yaml",
        "laa.yaml",
        "kloe.yaml",
        "priorities.yaml",
    }


def test_every_ambition_cites_its_lines_and_their_numbers() -> None:
    """Seed 003, 166–1854: every ambition cites lines of the document, and each number in its
    codes (VSA03, NI 123) is printed there (their wording: tests/seed_wording.py)."""
    for a in SEED.plan.ambitions:
        assert a.src is not None, a.id
        printed = seed_figures("003", a.src.first, a.src.last).split()
        for code in a.codes:
            for number in re.findall(r"\d+(?:\.\d+)*", code):
                assert number in printed, (a.id, code)


def test_the_ten_high_level_outcome_indicators() -> None:
    """Seed 003, 166–177: 'Ten high level outcome indicators', one bullet per line; 169's
    'Increased male and female life expectancy' is one row per sex (each bullet's words:
    tests/seed_wording.py)."""
    outcomes = [a for a in SEED.plan.ambitions if a.group == "High level outcome indicators"]
    lines = [a.src.first for a in outcomes if a.src]
    assert sorted(set(lines)) == list(range(168, 178)) and len(lines) == 11
    assert {a.sex for a in outcomes if a.src and a.src.first == 169} == {"male", "female"}


# --- numbers ------------------------------------------------------------------------

PAIRS = [
    # ambition, baseline, its line, target, its line
    ("smoking-prevalence", 28, 453, 27, 453),
    ("stroke-thrombolysis", 3, 804, 10, 804),
    ("stroke-unit-stay", 73, 1946, 80, 1946),
    ("tia-24-hours", 35, 1946, 60, 1946),
    ("home-births", 2.6, 896, 3.0, 896),
    ("healthy-schools", 84, 1960, 85, 346),
    ("mrsa-screening", 50, 1934, 100, 694),
    ("vsb12-camhs", 16, 1957, 16, 1957),
]


@pytest.mark.parametrize(("ambition_id", "base", "base_line", "target", "target_line"), PAIRS)
def test_baseline_to_target_pairs(
    ambition_id: str, base: float, base_line: int, target: float, target_line: int
) -> None:
    """Seed 003: 453 (28% → 27%), 804 and 1946 (3% → 10%), 1946 (73% → 80%, 35% → 60%),
    896 (2.6% → 3.0%), 1960 and 346 (84% → 85%), 1934 and 694 (50% → 100%), 1957 (16/16)."""
    a = ambition(ambition_id)
    assert a.baseline is not None and a.target is not None
    assert (a.baseline.value, a.target.value) == (base, target)
    assert a.baseline.src is not None and a.baseline.src.first == base_line
    assert a.target.src is not None and a.target.src.first == target_line
    numbers = re.findall(
        r"\d+(?:\.\d+)?", seed_figures("003", base_line) + " " + seed_figures("003", target_line)
    )
    assert {float(n) for n in numbers} >= {float(base), float(target)}


def test_smoking_quit_rate_and_its_restatements() -> None:
    """Seed 003, 452 (and again 1951, 1993): 1378 per 100,000 aged 16+, 4935 four-week quits."""
    a = ambition("smoking-quit-rate")
    assert a.target is not None and (a.target.value, a.target.count) == (1378, 4935)
    assert [r.src.first for r in a.restated] == [1951, 1993]
    for line in (452, 1951, 1993):
        assert seed_quote("1378 per 100,000", "003", line) and "4935" in seed_figures("003", line)


def test_health_checks_trajectory() -> None:
    """Seed 003, 616 (and 2014): 5% in 2010/11, 12% by 2011/12, 20% by 2012/13."""
    a = ambition("health-checks")
    assert [(p.period, p.value) for p in a.published] == [
        ("2010/11", 5),
        ("2011/12", 12),
        ("2012/13", 20),
    ]


def test_stated_changes_without_baselines_keep_their_sign() -> None:
    """Seed 003: 552 (referrals −20%, −20%, −10%), 666 (COPD −5%, asthma attendance +20%,
    asthma admissions −10%), 740 (emergency demand −10%), 785 (+15%, +50%), 870 (−10%),
    959 (+20%), 1091 (dementia diagnosis, currently 41%, +5%)."""
    expected = {
        "referrals-dermatology": -20,
        "referrals-gynaecology": -20,
        "referrals-gastroenterology": -10,
        "copd-progression": -5,
        "asthma-school-attendance": 20,
        "asthma-admissions": -10,
        "acute-emergency-demand": -10,
        "cvd-optimum-treatment": 15,
        "cardiac-rehab": 50,
        "hospital-deaths": -10,
        "fluoride-varnish": 20,
        "dementia-diagnosis": 5,
    }
    for ambition_id, change in expected.items():
        a = ambition(ambition_id)
        assert a.headlines[0].change_pct == change, ambition_id
        assert seed_quote(f"{abs(change)}%", "003", a.headlines[0].src.first), ambition_id
    dementia = ambition("dementia-diagnosis").baseline
    assert dementia is not None and dementia.value == 41


def test_the_finance_tables_add_up_except_the_text_at_1309() -> None:
    """Seed 003: investment plans by goal (1330–1338) and savings (1351–1357) cross-foot;
    1309 says £56.8m where the table (1319, 1338) and 1323 say £56.9m."""

    def rows(table: str) -> list[list[float]]:
        """The last three figures of each line; a bracketed figure is negative."""
        return [
            [-float(c[1:-1].replace(",", "")) if c.startswith("(") else float(c.replace(",", ""))
             for c in line.split()[-3:]]
            for line in table.splitlines()
        ]  # fmt: skip

    for table in (seed_figures("003", 1330, 1338), seed_figures("003", 1351, 1357)):
        *rows_, total = rows(table)
        assert len(rows_) in (6, 8)
        assert [round(sum(r[i] for r in rows_), 1) for i in range(3)] == total
        assert all(round(r[0] + r[1], 1) == r[2] for r in rows_)
    assert seed_quote("£56.8m", "003", 1309) and seed_quote("£56.9m", "003", 1323)
    values = [
        s.value for s in SEED.plan.statements if s.key.startswith("pct-2010-gross-investment")
    ]
    assert values == [56.9, 56.8, 56.9, 56.9]


def numbers(text: str) -> set[str]:
    """The figures of ``text`` without sign or percent (a quotation may write '-' for '–')."""
    return {n.strip("-−%") for n in figures(text).split()}


def test_statements_quote_their_value() -> None:
    """Each statement's quotation holds its value (the quotation's words are checked against
    the document by tests/seed_wording.py; its numbers against the snapshot here)."""
    for s in SEED.plan.statements:
        assert s.text is not None, s.key
        assert " ".join(str(s.value).split()).lower() in " ".join(s.text.split()).lower(), s.key
        printed = numbers(seed_figures("003", s.src.first, s.src.last))
        assert numbers(s.text) <= printed, (s.key, numbers(s.text) - printed)


# --- the map ------------------------------------------------------------------------


def test_goals_are_the_eight_strategic_goals() -> None:
    """Seed 003, 151–158: 'Goal 1: Delivering the things that make a big difference' …, one
    line each (their words: tests/seed_wording.py)."""
    (pmap,) = SEED.plan.maps
    for n, goal in enumerate(pmap.goals[:8], start=1):
        assert goal.id == f"G{n}" and goal.src is not None
        assert goal.src.first == goal.src.last == 150 + n
        assert seed_figures("003", goal.src.first).split()[0] == str(n)
    assert pmap.goals[8].id == "Enablers"


def test_every_plan_section_of_the_contents_is_in_the_map() -> None:
    """Seed 003, contents 16–82: every 2.x.y and 3.x section, as Appendix C lists them."""
    contents = seed_figures("003", 16, 82).splitlines()  # a section's number, then its page
    numbered = {
        m.group(1) for line in contents if (m := re.match(r"(2\.\d+\.\d+|3\.[1-9]) ", line))
    }
    (pmap,) = SEED.plan.maps
    in_map = {s.id for s in pmap.sections}
    assert numbered <= in_map
    assert in_map - numbered == {"1", "1.4"}  # the two the schedules point to


def test_section_metrics_are_printed_on_their_appendix_c_row() -> None:
    """Seed 003, 1826–1866: each section's row of Appendix C prints the section's number and
    the numbers of its codes (the codes and uncoded metrics as Appendix C words them:
    tests/seed_wording.py)."""
    (pmap,) = SEED.plan.maps
    for s in pmap.sections:
        if s.id in {"1", "1.4"}:
            continue
        assert s.src is not None and 1826 <= s.src.first <= 1866, s.id
        printed = seed_figures("003", s.src.first).split()
        assert s.id in printed, s.id
        for code in s.metrics:
            for number in re.findall(r"\d+(?:\.\d+)*", code):
                assert number in printed, (s.id, code)
        for metric in s.local_metrics:
            assert metric.split(": ", 1)[0] in {"WCC", "LPO", "EC"}, (s.id, metric)


def test_schedules_are_the_operating_framework_summary() -> None:
    """Seed 003, 1874–1902: 45 schedules, each line printing its number and section (and its
    title: tests/seed_wording.py)."""
    (pmap,) = SEED.plan.maps
    assert len(pmap.schedules) == 45
    for sch in pmap.schedules:
        assert sch.src is not None
        printed = seed_figures("003", sch.src.first).split()
        assert sch.id in printed, sch.id
        assert all(section in printed for section in sch.sections), sch.id


# --- what the checker finds -----------------------------------------------------------

# sections Appendix C gives no metric (and 1, 1.4, which it does not list)
WITHOUT_METRIC = ["1", "1.4", "2.2.3", "2.4.6", "2.4.7", "2.6.2", "2.8.5", "2.8.6", "2.8.9"]
WITHOUT_METRIC += ["2.8.10", "2.8.15", "2.8.16", "3.3", "3.4"]
EXPECTED = {
    # codes cited for what they do not measure, or not defined at all
    "pct-2010/c-difficile/unknown-code/VSC03",  # 1839
    "pct-2010/map/unknown-metric/2.3.10/VSC03",  # 1839
    "pct-2010/social-care-assessments/misused-code/VSC11",  # 1854 vs 1745
    "pct-2010/vsa04-vsa05-18-weeks/misused-code/VSA05",  # 978 vs 1713
    "pct-2010/disabled-children-quality-of-life/unknown-code/PSA121",  # 1026
    "pct-2010/laa-climate-change/unknown-code/PSA27",  # 1262
    # facts stated twice
    "statement/hba1c-threshold-diabetes-vital-sign",  # 643 vs 1751; 643 "7 or less" vs 1837 "< 7"
    "statement/breast-screening-ages-vital-sign",  # 468 vs 1717
    "statement/bowel-screening-ages-vital-sign",  # 468 vs 1718
    "statement/strategic-goal-2-title",  # 152 vs 1836
    "statement/pct-2010-gross-investment-plans-2010-11-gbp-m",  # 1319 vs 1309
    "statement/nw-operating-framework-schedule-number-c-difficile",  # 1879 vs 1936
    "pct-2010/camhs-inappropriate-referrals/headline-disagree/headline-2",  # 1043 vs 1957
    # map coverage
    "pct-2010/map/schedule-without-section/5.2.1",  # 1892
    *(f"pct-2010/map/section-without-metric/{s}" for s in WITHOUT_METRIC),  # 1823–1868
}


def test_the_checker_finds_exactly_the_documents_contradictions() -> None:
    assert {f.id for f in SEED.findings} == EXPECTED


def test_vsc03_is_no_vital_sign_and_vsa03_is_c_difficile() -> None:
    """Seed 003, 1839: 'WCC/VS VSC03 Reduction in Cdiff'; C. difficile is VSA03 (719, 1711)."""
    f = SEED.finding("pct-2010/c-difficile/unknown-code/VSC03")
    assert f.stated == "VSC03" and "VSA03" in f.message and f.sources == ["seed 003, 1839"]
    assert "VSA03" in SEED.finding("pct-2010/map/unknown-metric/2.3.10/VSC03").message


def test_vsc11_for_timeliness_of_social_care_assessments_is_vsc12() -> None:
    """Seed 003, 1854: 'VSC11 Timeliness of social care assessment'; VSC12 at 1745."""
    f = SEED.finding("pct-2010/social-care-assessments/misused-code/VSC11")
    assert (f.stated, f.expected) == ("VSC11", "VSC12")
    assert f.sources == ["seed 003, 1854", "seed 003, 1743"]


@pytest.mark.parametrize(
    ("key", "first", "second", "lines"),
    [
        ("hba1c-threshold-diabetes-vital-sign", 7, 7.5, ["643", "1751", "1837"]),
        ("breast-screening-ages-vital-sign", "47-49 and 71-73", "53-70", ["468", "1717", "458"]),
        ("bowel-screening-ages-vital-sign", "70-75", "60-74", ["468", "1718", "458"]),
        (
            "pct-2010-gross-investment-plans-2010-11-gbp-m",
            56.9,
            56.8,
            ["1319", "1309", "1323", "1338"],
        ),
        ("nw-operating-framework-schedule-number-c-difficile", "3.2", "3.1", ["1879", "1936"]),
    ],
)
def test_facts_stated_two_ways(
    key: str, first: float | str, second: float | str, lines: list[str]
) -> None:
    """Seed 003: HbA1c 7 (643) / 7.5 (1751); breast screening 47-49 and 71-73 (468) / 53-70
    (1717); bowel 70-75 (468) / 60-74 (1718); investment £56.9m (1319) / £56.8m (1309);
    the C. difficile schedule numbered 3.2 (1879) / 3.1 (1936). One finding per fact,
    listing every line that states it."""
    f = SEED.finding(f"statement/{key}")
    assert (f.expected, f.stated) == (first, second)
    assert f.sources == [f"seed 003, {n}" for n in lines]


def test_camhs_referral_reduction_is_10_percent_then_5() -> None:
    """Seed 003, 1043: 'by 10% year on year'; Appendix D, 1957: 'a 5% reduction … within
    the year'."""
    f = SEED.finding("pct-2010/camhs-inappropriate-referrals/headline-disagree/headline-2")
    assert (f.expected, f.stated) == (-10, -5)
    assert f.sources == ["seed 003, 1043", "seed 003, 1957"]


def test_appendix_c_leaves_out_metrics_the_body_gives() -> None:
    """Seed 003: Appendix C gives 2.4.6, 2.4.7 and 2.8.16 no metric (1845, 1846, 1865) though
    the body has them (831, 848, 1262–1263); it files the mixed-sex metric under 2.4.5 (1844)."""
    for section, ambition_id in (
        ("2.4.6", "mixed-sex-accommodation"),
        ("2.4.7", "vte-risk-assessment"),
        ("2.8.16", "laa-climate-change"),
    ):
        assert SEED.finding(f"pct-2010/map/section-without-metric/{section}")
        assert ambition(ambition_id).src is not None
    (pmap,) = SEED.plan.maps
    military = next(s for s in pmap.sections if s.id == "2.4.5")
    assert military.local_metrics == [
        "LPO: Zero tolerance of mixed sex accommodation in health care"
    ]
