"""Seed 000 as data (plans/ccg-2014): the numbers the shared faithfulness test does not
reach (restatements, stated facts, table % columns, method figures), the interventions and
BCF commitments, and the contradictions they expose. Each test names its seed lines."""

from __future__ import annotations

import re

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import check_plans
from placehealth.plans.load import load_plans
from placehealth.plans.methods import point_to_point_pct
from placehealth.plans.model import EqualSteps, YearlyChanges
from tests.conftest import ROOT, seed_figures, seed_quote
from tests.plans.helpers import SeedPlan

SEED = SeedPlan("ccg-2014")
ambition = SEED.ambition
finding = SEED.finding


def printed(text: str) -> set[float]:
    """Every number printed in ``text`` (thousands separators dropped)."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def percent_column(first: int, last: int) -> list[float]:
    """A table's % column, one signed number per extracted line, in row order."""
    text = seed_figures("000", first, last)
    return [float(n) for n in re.findall(r"(-?\d+(?:\.\d+)?)%", text)]


def test_the_folder_has_every_part_of_the_document() -> None:
    """Outcome ambitions (1326–1679), interventions (617–713), BCF metrics (4650–4781) and
    national conditions (4366–4485) load as one plan, every indicator catalogued."""
    plan = SEED.plan
    catalogue = load_catalogue()
    assert {plan.files[a.id].name for a in plan.ambitions} == {
        "outcome-ambitions.yaml",
        "interventions.yaml",
        "bcf-metrics.yaml",
        "bcf-conditions.yaml",
    }
    assert all(a.indicator in catalogue for a in plan.ambitions)
    assert len(plan.ambitions) >= 34 and len(plan.statements) >= 20


def _restatements() -> list[tuple[str, float, int, int]]:
    return [
        (a.id, r.value, r.src.first, r.src.last) for a in SEED.plan.ambitions for r in a.restated
    ]


@pytest.mark.parametrize(("ambition_id", "value", "first", "last"), _restatements())
def test_restated_numbers_are_on_their_lines(
    ambition_id: str, value: float, first: int, last: int
) -> None:
    """Every baseline or target printed a second time is on the seed 000 lines cited."""
    assert value in printed(seed_figures("000", first, last)), (ambition_id, first, last)


def _statements() -> list[tuple[str, float | str, int, int]]:
    return [(s.key, s.value, s.src.first, s.src.last) for s in SEED.plan.statements]


@pytest.mark.parametrize(("key", "value", "first", "last"), _statements())
def test_stated_facts_are_on_their_lines(
    key: str, value: float | str, first: int, last: int
) -> None:
    """Every stated fact (numbers, or words such as 'The Welsh Model') is on its lines."""
    if isinstance(value, str):
        assert seed_quote(value, "000", first, last, flat=True), key
    else:
        assert abs(value) in printed(seed_figures("000", first, last)), key


@pytest.mark.parametrize(
    ("ambition_id", "first", "last", "periods"),
    [
        # EQ-5D % column, 1412–1417 (1418 repeats 1412: the duplicated last row)
        ("eq5d", 1412, 1417, ["2012/13", "2013/14", "2014/15", "2015/16", "2016/17", "2017/18"]),
        ("inpatient-experience", 1565, 1570, ["2013/14", "2014/15", "2015/16", "2016/17",
                                              "2017/18", "2018/19"]),
        ("gp-experience", 1605, 1611, ["2012", "2013", "2013/14", "2014/15", "2015/16",
                                       "2016/17", "2017/18"]),
        ("emergency-admissions", 1484, 1511, ["2013/14", "2014/15", "2015/16", "2016/17",
                                              "2017/18", "2018/19", "total"]),
    ],
)  # fmt: skip
def test_percent_columns_are_recorded_in_row_order(
    ambition_id: str, first: int, last: int, periods: list[str]
) -> None:
    """The % columns, extracted apart from their values, match the rows they are recorded on
    (seed 000, 1412–1417, 1565–1570, 1605–1611, 1489–1511)."""
    a = ambition(ambition_id)
    recorded = {p.period: p.change_pct for p in a.published if p.change_pct is not None}
    column = percent_column(first, last)
    if periods[-1] == "total":  # the emergency table ends with its 15.3% total
        periods, column = periods[:-1], column[:-1]
        recorded = {k: abs(v) for k, v in recorded.items()}
    assert dict(zip(periods, column, strict=True)) == recorded


def test_eq5d_last_row_is_modelled_from_the_text() -> None:
    """Seed 000: the extracted 2018/19 row (1403: 63.0, 1418: 1.6%) repeats the first row
    (1396, 1412); the plan takes 2018/19 from the text, 71.0 (1355–1356, 643, 292), and
    steps of 1.4 from 65.4 — the 2017/18 → 2018/19 change 69.6 → 71.0 is 2.0%, and with it
    the yearly changes from 2014/15 sum to the Plan on a Page's 8.4% (461–463)."""
    assert seed_figures("000", 1403) == seed_figures("000", 1396) == "63.0"
    assert seed_figures("000", 1418) == seed_figures("000", 1412) == "1.6%"
    a = ambition("eq5d")
    last = a.published[-1]
    assert (last.period, last.value) == ("2018/19", 71.0)
    assert last.src is not None and "71.0" in seed_figures("000", last.src.first, last.src.last)
    assert isinstance(a.method, EqualSteps) and a.method.step == 1.4
    changes = [p.change_pct for p in a.published if p.change_pct is not None][2:]
    assert sum(changes) + round(point_to_point_pct(69.6, 71.0), 1) == pytest.approx(8.4)


def test_pyll_yearly_changes_are_printed_on_line_1337() -> None:
    """Seed 000, 1337: '(-3.2%, -4%, -5%, -6%, -6%)', recorded signed and in order."""
    method = ambition("pyll").method
    assert isinstance(method, YearlyChanges)
    assert method.changes_pct == percent_column(1337, 1337)


def test_emergency_headline_is_the_sum_of_the_percent_column() -> None:
    """Seed 000, 1489–1511: 1.8 + 1.0 + 2.9 + 3.0 + 3.2 + 3.4 = 15.3, the printed total,
    restated at 294, 469 and 668 — while 1677 / 12102 is 13.9%."""
    column = percent_column(1484, 1511)
    assert sum(column[:-1]) == pytest.approx(column[-1]) == pytest.approx(15.3)
    heads = ambition("emergency-admissions").headlines
    assert {h.src.first for h in heads if h.change_pct == -15.3} == {1510, 294, 468, 668}
    found = finding("ccg-2014/emergency-admissions/headline-pct-vs-count/headline-5")
    assert (found.stated, round(float(found.expected), 1)) == (-15.3, -13.9)


def test_gp_headline_matches_neither_convention() -> None:
    """Seed 000, 489–493: 'by 21%'. The yearly changes (1608–1611) sum to 23; the target
    3.07 (1579) is 26.9% below 4.2 (1597); 21% is 4.2 → 3.3 (2017/18, 1601)."""
    a = ambition("gp-experience")
    by_period = {p.period: p.value for p in a.published}
    assert round(-point_to_point_pct(by_period["2013/14"], by_period["2017/18"])) == 21
    assert finding("ccg-2014/gp-experience/headline-sum/headline-1").expected == -23
    p2p = finding("ccg-2014/gp-experience/headline-point-to-point/headline-1")
    assert round(float(p2p.expected), 1) == -26.9


def test_gp_baseline_is_4_6_in_the_strategy_too() -> None:
    """Seed 000: 'from a baseline of 4.6' in the strategy (756) as in the appendix (1578);
    the table's 2013/14 row is 4.2 (1597). One value printed twice is one finding, listing
    both lines."""
    found = finding("ccg-2014/gp-experience/restated-baseline/1")
    assert (found.stated, found.expected) == (4.6, 4.2)
    assert found.sources == ["seed 000, 1597", "seed 000, 1578", "seed 000, 756"]
    assert "printed elsewhere as 4.6 2 times" in found.message
    assert "for the same period (2013/14)" in found.why
    assert not [f for f in SEED.findings if f.id == "ccg-2014/gp-experience/restated-baseline/2"]


def test_pulmonary_rehab_completion_increase_to_60_vs_maintain_76() -> None:
    """Seed 000: 'increase number of patients completing Pulmonary Rehabilitation to 60%'
    (633–634) against 'a maintenance of a 76% ... completion rate' (694–695)."""
    found = finding("ccg-2014/pulmonary-rehab-completion/restated-target/1")
    assert (found.stated, found.expected) == (60, 76)
    assert found.sources == ["seed 000, 694–695", "seed 000, 633–634"]


def test_dementia_diagnosed_count_3669_vs_bcf_3029() -> None:
    """Seed 000: 3,669 diagnosed in 2015/16 (1652) but 3,029 in the BCF table for
    September 2015 (4779), which the text says 'align[s] to this submission' (1652–1653);
    both over 5,241 expected (4780): 70.0% and 57.8%."""
    found = finding("statement/dementia-diagnosed-2015-16")
    assert (found.stated, found.expected) == (3029, 3669)
    bcf = ambition("bcf-dementia").target
    assert bcf is not None and bcf.numerator == 3029 and bcf.denominator == 5241
    assert round(3029 / 5241 * 100, 1) == 57.8 and round(3669 / 5241 * 100, 1) == 70.0


def test_iapt_recovery_quarter_4_is_3_75_and_50() -> None:
    """Seed 000, 1675–1676: 'to 3.75% in quarter 4 (Q1 32%, Q2 38%, Q3 44%, Q4 50%)' —
    the 3.75% is the access plan's quarter-4 figure (1618)."""
    found = finding("statement/iapt-recovery-2014-15-q4-pct")
    assert (found.stated, found.expected) == (50, 3.75)
    q4 = ambition("iapt-recovery").published[-1]
    assert (q4.period, q4.value) == ("2014/15 Q4", 50)


def test_high_risk_population_is_about_1_percent() -> None:
    """Seed 000, 4477–4485: 'Approximately 1% (4561 people in a population of 466,000)';
    200 care-planned now, all of them by December 2015."""
    facts = {s.key: s.value for s in SEED.plan.statements}
    share = float(facts["liverpool-high-risk-population"]) / float(
        facts["liverpool-population-bcf-2014"]
    )
    assert round(share * 100) == facts["liverpool-high-risk-population-share-pct"] == 1
    a = ambition("high-risk-care-plans")
    assert a.baseline is not None and a.target is not None
    assert (a.baseline.value, a.target.value, a.target.period) == (200, 4561, "at:2015-12")


def test_af_exception_reduction_is_25_percent() -> None:
    """Seed 000, 704–705: 168 out of 671 (25%)."""
    head = ambition("af-exception-reporting").headlines[0]
    assert head.change_count == -168 and head.change_pct == -25
    assert round(168 / 671 * 100) == 25
    assert not SEED.ids_containing("/af-exception-reporting/")


def test_interventions_agree_with_seed_001_where_both_print_them() -> None:
    """Seed 000 (629, 692–709) and seed 001 (4240–4262, 4384) give the same baselines and
    targets for pulse checks, AF and stroke prescribing, statins, rehabilitation and
    bowel screening: checked together, no value conflicts between the two; the net fall in
    avoidable admissions, 1,677 (seed 000, 668) against 1,659 (seed 001, 4136–4137), is
    reported."""
    plans = [
        *load_plans(ROOT / "plans" / "ccg-2014"),
        *load_plans(ROOT / "plans" / "blueprint-2015"),
    ]
    findings = check_plans(plans, load_catalogue())
    shared = {a.indicator for a in SEED.plan.ambitions if a.indicator.startswith("bp-")}
    assert len(shared) >= 8
    assert not [
        f for f in findings if f.id.startswith("conflict/") and f.id.split("/")[1] in shared
    ]
    net = [f for f in findings if f.id.startswith("statement/avoidable-admissions-net-reduction")]
    assert {frozenset((f.stated, f.expected)) for f in net} == {frozenset((1677, 1659))}
    assert all(f.severity == "warning" for f in net)
