"""The plan checker: recompute everything a plan claims and report each disagreement."""

from __future__ import annotations

import itertools

from placehealth.catalogue.comparators import load_comparators
from placehealth.catalogue.model import Catalogue
from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from placehealth.plans.check.ambition import AmbitionChecker
from placehealth.plans.check.codes import ambition_codes, plan_maps
from placehealth.plans.check.consistency import (
    conflicting_values,
    implied_populations,
    overlapping_periods,
    restatements,
    statements,
)
from placehealth.plans.check.findings import SEVERITY_ORDER, Finding, Severity
from placehealth.plans.load import Plan
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import Trajectory, compute
from placehealth.yamlfile import line_of

__all__ = ["Finding", "Severity", "check_plans", "validate_references"]


def validate_references(plans: list[Plan], catalogue: Catalogue) -> None:
    """Stop with one clear message for what makes a plan unreadable rather than wrong:
    an indicator the catalogue lacks, an undefined peer group, or published periods out of
    order."""
    for plan in plans:
        for a in plan.ambitions:
            file = plan.files[a.id]
            index = [x.id for x in plan.ambitions if plan.files[x.id] == file].index(a.id)
            if a.indicator not in catalogue:
                raise ValidationError(
                    f"ambition '{a.id}' uses indicator '{a.indicator}', which is not in the "
                    "catalogue",
                    file=file,
                    line=line_of(file, ("ambitions", index, "indicator")),
                    hint="add it to a catalogue file or use an existing id",
                )
            peers = a.comparator.peers if a.comparator is not None else None
            if peers is not None and peers not in load_comparators().peer_groups:
                raise ValidationError(
                    f"ambition '{a.id}' compares with peer group '{peers}', which is not defined",
                    file=file,
                    line=line_of(file, ("ambitions", index, "comparator", "peers")),
                    hint="use a peer group id from catalogue/comparators.yaml ("
                    + ", ".join(sorted(load_comparators().peer_groups))
                    + ") or define it there",
                )
            starts = [parse_period(p.period) for p in a.published]
            for n, (before, after) in enumerate(itertools.pairwise(starts)):
                if after <= before:
                    raise ValidationError(
                        f"ambition '{a.id}': published periods out of order "
                        f"({before} then {after})",
                        file=file,
                        line=line_of(file, ("ambitions", index, "published", n + 1)),
                        hint="list published points in time order, one per period",
                    )


def compute_in_file(plan: Plan, ambition: Ambition, catalogue: Catalogue) -> Trajectory:
    """The ambition's trajectory; a method that cannot be applied names its file and line."""
    try:
        return compute(ambition, catalogue)
    except ValidationError as exc:
        file = plan.files[ambition.id]
        index = [x.id for x in plan.ambitions if plan.files[x.id] == file].index(ambition.id)
        raise ValidationError(
            exc.message,
            file=file,
            line=line_of(file, ("ambitions", index, "method")),
            hint=exc.hint,
        ) from None


def check_plans(plans: list[Plan], catalogue: Catalogue) -> list[Finding]:
    """All findings for ``plans``, most severe first, in a stable order."""
    validate_references(plans, catalogue)
    findings: list[Finding] = []
    for plan in plans:
        for a in plan.ambitions:
            trajectory = compute_in_file(plan, a, catalogue)
            unit = catalogue[a.indicator].unit
            findings.extend(AmbitionChecker(plan, a, trajectory, unit).run())
        findings.extend(restatements(plan))
        findings.extend(ambition_codes(plan, catalogue))
        findings.extend(plan_maps(plan, catalogue))
    findings.extend(conflicting_values(plans))
    findings.extend(overlapping_periods(plans))
    findings.extend(statements(plans))
    findings.extend(implied_populations(plans, catalogue))
    unique = {f.id: f for f in findings}
    return sorted(unique.values(), key=lambda f: (SEVERITY_ORDER[f.severity], f.id))
