"""Small builders for plan tests: write inline YAML, load it, check it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Finding, check_plans
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.model import Ambition

DOCUMENT = 'document: {id: t, seed: "000", title: Test plan, headline_convention: sum}\n'


def write_plan(folder: Path, body: str, name: str = "plan.yaml", document: str = DOCUMENT) -> Path:
    path = folder / name
    path.write_text(document + textwrap.dedent(body), encoding="utf-8")
    return path


def plans_from(folder: Path, body: str) -> list[Plan]:
    write_plan(folder, body)
    return load_plans(folder)


def findings_for(folder: Path, body: str) -> list[Finding]:
    return check_plans(plans_from(folder, body), load_catalogue())


def by_check(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


class SeedPlan:
    """One seed document's plan folder, loaded and checked once per test session."""

    def __init__(self, folder: str) -> None:
        from tests.conftest import ROOT

        self.folder = ROOT / "plans" / folder
        self._plan: Plan | None = None
        self._findings: list[Finding] | None = None

    @property
    def plan(self) -> Plan:
        if self._plan is None:
            (self._plan,) = load_plans(self.folder)
        return self._plan

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = check_plans([self.plan], load_catalogue())
        return self._findings

    def ambition(self, ambition_id: str) -> Ambition:
        return next(a for a in self.plan.ambitions if a.id == ambition_id)

    def finding(self, finding_id: str) -> Finding:
        matches = [f for f in self.findings if f.id == finding_id]
        assert matches, f"no finding {finding_id}"
        return matches[0]

    def ids_containing(self, text: str) -> list[str]:
        return [f.id for f in self.findings if text in f.id]
