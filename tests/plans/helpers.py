"""Small builders for plan tests: write inline YAML, load it, check it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Finding, check_plans
from placehealth.plans.load import Plan, load_plans

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
