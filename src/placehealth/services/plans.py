"""Plans kept as data: check their arithmetic, show their trajectories, track their status.

Each function loads the plans and the catalogue, checks the references between
them and does the job; the interface shows what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.errors import ValidationError
from placehealth.plans.severity import Severity

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.catalogue import Catalogue
    from placehealth.plans.check.findings import Finding
    from placehealth.plans.load import Plan

Warn = Callable[[str], None]


@dataclass(frozen=True)
class PlanCheck:
    """The findings at least as severe as asked for, less those accepted after review."""

    plans: list[Plan]
    findings: list[Finding]
    accepted: list[Finding] | None = None  # None: no review file given
    stale: list[str] = field(default_factory=list)  # accepted ids that match nothing


@dataclass(frozen=True)
class PlanStatus:
    """Each ambition's latest actual against its trajectory, and the file written if any."""

    plans: list[Plan]
    frame: pd.DataFrame
    path: Path | None


def load_checked(path: Path) -> tuple[list[Plan], Catalogue]:
    """The plans under ``path`` and the catalogue, every indicator they name known to it."""
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import validate_references
    from placehealth.plans.load import load_plans

    catalogue = load_catalogue()
    plans = load_plans(path)
    validate_references(plans, catalogue)
    return plans, catalogue


def every_finding(plans: list[Plan], catalogue: Catalogue, path: Path) -> list[Finding]:
    """The outcome plans' findings and those of the financial and activity tables, Better
    Care Fund plans and risk registers under ``path``, most severe first: one list, one
    format, one accepted-findings file."""
    from placehealth.plans.check import check_plans
    from placehealth.plans.check.findings import SEVERITY_ORDER
    from placehealth.services import activity, bcf, finance, risks

    return sorted(
        check_plans(plans, catalogue)
        + finance.findings(path)
        + bcf.findings(path)
        + risks.findings(path)
        + activity.findings(path),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.id),
    )


def check(
    path: Path, *, severity: Severity = Severity.NOTE, accepted: Path | None = None
) -> PlanCheck:
    """Recompute every trajectory, headline and ratio, and every financial table in the
    plan folders' ``finance/`` folders; disagreements at ``severity`` or worse, most severe
    first."""
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check.accepted import apply_accepted
    from placehealth.plans.load import load_plans

    catalogue = load_catalogue()
    plans = load_plans(path)
    order = list(Severity)
    findings = [
        f
        for f in every_finding(plans, catalogue, path)
        if order.index(f.severity) <= order.index(severity)
    ]
    if accepted is None:
        return PlanCheck(plans, findings)
    review = apply_accepted(findings, accepted)
    return PlanCheck(plans, review.open, review.accepted, list(review.stale))


def show(path: Path) -> tuple[list[Plan], list[dict[str, Any]]]:
    """The plans and, for each ambition, its trajectory recomputed from its method."""
    from placehealth.plans.show import trajectory_rows

    plans, catalogue = load_checked(path)
    return plans, trajectory_rows(plans, catalogue)


def status(
    plan: Path,
    actuals: Path,
    *,
    area: str | None = None,
    all_areas: bool = False,
    population: float | None = None,
    strict: bool = False,
    sex: str = "persons",
    age: str | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    output: Path | None = None,
    bom: bool = True,
    warn: Warn | None = None,
) -> PlanStatus:
    """Latest actual against the trajectory, on or off track, and a forecast for the target.

    ``warn`` hears when the actuals match few or none of the ambitions; under
    ``strict`` matching none, or an ambition that cannot be compared, is an error
    and nothing is written.
    """
    from placehealth.plans.coverage import coverage, refuse_or_warn
    from placehealth.plans.status import plan_status, read_actuals
    from placehealth.tables import write_table

    if area and all_areas:
        raise ValidationError("give --area or --all-areas, not both")
    plans, catalogue = load_checked(plan)
    frame = read_actuals(actuals, catalogue, sex=sex, age=age, sheet=sheet, header_row=header_row)
    found = coverage(plans, catalogue, frame, area=area, all_areas=all_areas)
    if (note := refuse_or_warn(found, actuals, strict=strict)) and warn is not None:
        warn(note)
    result = plan_status(
        plans, catalogue, frame, area=area, all_areas=all_areas, population=population
    )
    if strict:
        refuse_incomparable(result, plans)
    path = write_table(result, output, bom=bom) if output is not None else None
    return PlanStatus(plans, result, path)


def refuse_incomparable(result: pd.DataFrame, plans: list[Plan]) -> None:
    """Under --strict the first row that could not be compared is an error naming its plan file."""
    refused = result[result["status"] == "not comparable"]
    if refused.empty:
        return
    rec = refused.iloc[0]
    files = {(p.document.id, a): f for p in plans for a, f in p.files.items()}
    raise ValidationError(
        f"ambition '{rec['ambition']}' ({rec['area']}) cannot be compared: {rec['comparison']}",
        file=files.get((rec["document"], rec["ambition"])),
        hint="fix the actuals or the plan, or drop --strict to report it as 'not comparable'",
    )
