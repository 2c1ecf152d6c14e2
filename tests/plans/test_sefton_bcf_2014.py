"""Seed 004 (Sefton Better Care Fund report, February 2014): the metric menu and choice."""

from __future__ import annotations

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.load import load_plans
from tests.conftest import ROOT, seed_quote

MENU = {  # seed 004, 131–146: framework code → indicator
    ("nhs_of", "2.1"): "supported-to-manage-ltc",
    ("nhs_of", "2.6i"): "dementia-diagnosis",
    ("nhs_of", "3.5"): "fragility-fracture-mobility",
    ("ascof", "1A"): "social-care-quality-of-life",
    ("ascof", "1H"): "mental-health-living-independently",
    ("ascof", "1D"): "carer-quality-of-life",
    ("phof", "1.18i"): "social-care-users-social-contact",
    ("phof", "2.13ii"): "adults-inactive",
    ("phof", "2.24i"): "falls-injuries-65",
}


@pytest.mark.parametrize(("code", "indicator"), sorted(MENU.items()))
def test_the_nine_item_local_metric_menu(code: tuple[str, str], indicator: str) -> None:
    framework, value = code
    found = [(c, ind) for c, ind in load_catalogue().framework(framework) if c.code == value]
    assert [ind.id for _, ind in found] == [indicator]
    ((c, _),) = found
    assert c.source is not None
    assert seed_quote(value, "004", c.source.lines.first)


def test_national_metrics_carry_their_bcf_codes() -> None:
    """Seed 004, 123–127: residential admissions, reablement, delayed transfers, avoidable
    emergency admissions (patient experience has no national measure yet)."""
    bcf = {ind.id for _, ind in load_catalogue().framework("bcf")}
    assert {
        "care-home-admissions-65", "reablement-91-days", "delayed-transfers-of-care",
        "emergency-admissions-composite",
    } <= bcf  # fmt: skip


def test_chosen_local_metric_is_2_1() -> None:
    """Seed 004, 152: '2.1: Proportion of people feeling supported to manage their … condition'."""
    (plan,) = load_plans(ROOT / "plans" / "sefton-bcf-2014")
    chosen = next(a for a in plan.ambitions if a.id == "local-metric")
    assert chosen.codes == ["2.1"]
    assert chosen.indicator == "supported-to-manage-ltc"
    assert seed_quote("2.1: Proportion of people feeling supported", "004", 152)


def test_pool_adds_up() -> None:
    """Seed 004, 49–53: £24.0m = £2.8m capital + £9.3m existing + £11.9m new transfers."""
    (plan,) = load_plans(ROOT / "plans" / "sefton-bcf-2014")
    facts = {s.key: s.value for s in plan.statements}
    parts = ["capital", "existing-ccg-transfer", "new-ccg-transfer"]
    total = sum(float(facts[f"sefton-bcf-{p}-million"]) for p in parts)
    assert total == pytest.approx(float(facts["sefton-bcf-pool-2015-16-million"]))
