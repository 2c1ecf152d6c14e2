"""The seeds' Better Care Fund plans as data (plans/*/bcf): every number is printed on the
seed lines it cites, every link resolves to the finance table cell or outcome-plan target
it names, and each plan holds the template's parts."""

from __future__ import annotations

import pytest

from placehealth.finance.bcf_load import ResolvedBcf, load_bcf
from placehealth.finance.bcf_model import CONDITIONS
from placehealth.finance.printed import Printed
from placehealth.sources import Lines
from tests.conftest import ROOT, seed_figures
from tests.finance.test_seed_tables import digits

PLANS: dict[str, ResolvedBcf] = {r.plan.document.id: r for r in load_bcf(ROOT / "plans")}
LIVERPOOL, SEFTON = PLANS["ccg-2014"], PLANS["sefton-bcf-2014"]


def _numbers() -> list[tuple[str, str, str, int, int]]:
    """Every printed number of the plans, with its seed and lines."""
    out: list[tuple[str, str, str, int, int]] = []

    def add(key: str, printed: Printed | None, seed: str, lines: Lines | None) -> None:
        if printed is not None and lines is not None:
            out.append((key, printed.text, seed, lines.first, lines.last))

    for doc, r in PLANS.items():
        plan, seed = r.plan, r.seed
        for c in plan.pool:
            add(f"{doc}/pool/{c.id}", c.amount, seed, c.src)
        for t in plan.totals:
            add(f"{doc}/totals/{t.basis}/{t.year}", t.amount, seed, t.src)
        for s in plan.stated:
            add(f"{doc}/stated/{s.key}", s.value, seed, s.src)
        if plan.payment is not None:
            p = plan.payment
            add(f"{doc}/fund", p.fund, seed, p.src)
            add(f"{doc}/performance", p.performance, seed, p.src)
            for rel in p.releases:
                for name in ("amount", "conditions_share", "metrics_share"):
                    value = getattr(rel, name)
                    if value.value:  # a share of nothing is not printed
                        add(f"{doc}/{rel.id}/{name}", value, seed, rel.src)
    return out


@pytest.mark.parametrize(("key", "printed", "seed", "first", "last"), _numbers())
def test_every_number_is_printed_on_its_lines(
    key: str, printed: str, seed: str, first: int, last: int
) -> None:
    on_lines = {digits(n).rstrip("mMbn") for n in seed_figures(seed, first, last).split()}
    assert digits(printed).rstrip("mMbn") in on_lines, f"{key}: {printed} not on {first}–{last}"


def test_payment_rules_are_seed_004s() -> None:
    """Seed 004, 119: £1bn of £3.8bn; half (£500m) in April 2015, £250m on four national
    conditions and £250m on metrics; the remainder (£500m) in October 2015. 156: each metric
    of equal value."""
    assert seed_figures("004", 119).split() == [
        "1", "3.8", "1", "2015", "250", "four", "six", "250", "2014", "15", "500", "2015"
    ]  # fmt: skip
    rules = SEFTON.rules
    assert (rules.fund.value, rules.fund_unit, rules.performance.value) == (3.8, "£bn", 1.0)
    assert [(r.id, r.month, r.amount.value, r.conditions_share.value, r.metrics_share.value)
            for r in rules.releases] == [
        ("april-2015", "2015-04", 500, 250, 250),
        ("october-2015", "2015-10", 500, 0, 500),
    ]  # fmt: skip
    assert len(rules.releases[0].conditions) == 4 and rules.equal_weight
    assert LIVERPOOL.rules == rules and LIVERPOOL.rules_file == SEFTON.file


def test_contributions_link_to_the_finance_tables() -> None:
    """Seed 000, 4606–4614 (B8): the CCG's 31.646 / 39.832 / 39.832 and the council's
    17.856 / 5.138 / 12.721; seed 004, 49–53 (B13): 2.8 + 9.3 + 11.9."""
    got = {k: (a.printed.text, a.table) for k, a in LIVERPOOL.amounts.items() if a.table}
    assert got == {
        "ccg-spend-2014-15": ("31.646", "B8/ccg/spending-2014-15"),
        "council-spend-2014-15": ("17.856", "B8/council/spending-2014-15"),
        "ccg-minimum-2015-16": ("39.832", "B8/ccg/minimum-2015-16"),
        "council-minimum-2015-16": ("5.138", "B8/council/minimum-2015-16"),
        "ccg-actual-2015-16": ("39.832", "B8/ccg/actual-2015-16"),
        "council-actual-2015-16": ("12.721", "B8/council/actual-2015-16"),
    }
    assert seed_figures("000", 4606, 4607).split() == ["5.138", "12.721"]
    pool = ("capital", "existing-transfers", "new-transfer")
    assert [SEFTON.amounts[c].pounds / 1e6 for c in pool] == [2.8, 9.3, 11.9]


def test_metrics_link_to_the_outcome_plans_targets() -> None:
    """Seed 000, 4728–4781 (B10): the targets underpinning the April and October 2015
    payments, read from the linked ambitions, not copied."""
    targets = {k: t.value for k, t in LIVERPOOL.targets.items()}
    assert targets == {
        ("residential-admissions", "october-2015"): 690.0,
        ("reablement", "october-2015"): 82.0,
        ("delayed-transfers", "april-2015"): 230.0,
        ("delayed-transfers", "october-2015"): 225.0,
        ("avoidable-admissions", "april-2015"): 1055.7,
        ("avoidable-admissions", "october-2015"): 1197.6,
        ("patient-experience", "october-2015"): None,
        ("dementia", "april-2015"): 57.7,
        ("dementia", "october-2015"): 57.8,
    }
    assert "230" in seed_figures("000", 4733) and "1197.6" in seed_figures("000", 4756)
    assert not LIVERPOOL.targets[("delayed-transfers", "april-2015")].higher_is_better
    assert LIVERPOOL.targets[("dementia", "april-2015")].higher_is_better
    assert all(t.value is None for t in SEFTON.targets.values())  # Sefton sets none (864)


def test_each_plan_holds_the_templates_parts() -> None:
    for r in PLANS.values():
        assert sorted(c.id for c in r.plan.conditions) == sorted(CONDITIONS)
        assert r.plan.signoff and r.plan.partners and r.plan.pool and r.plan.totals
    assert len(LIVERPOOL.plan.schemes) == 6  # seed 000, 393–398
    assert len(SEFTON.plan.schemes) == 14 + 7  # seed 004, 443–456 and the enabling 627–633
    assert len(LIVERPOOL.plan.contingency) == 5 and all(
        c.amount is None for c in LIVERPOOL.plan.contingency
    )  # seed 000, 4628–4648: blank
    assert [s.date for s in SEFTON.plan.signoff] == [None] * 5  # "XX/XX/2014", 262–278
