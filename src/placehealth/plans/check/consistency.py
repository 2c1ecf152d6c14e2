"""Checks across ambitions and documents: the same number stated differently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from placehealth.plans.check.findings import Finding, Severity, agrees, fmt
from placehealth.plans.load import Plan
from placehealth.sources import cite


def restatements(plan: Plan) -> Iterator[Finding]:
    """A baseline or target printed again elsewhere in the document with another value."""
    for a in plan.ambitions:
        for n, r in enumerate(a.restated):
            point = a.baseline if r.what == "baseline" else a.target
            if point is None or point.value is None or agrees(r.value, point.value):
                continue
            if r.period is not None and r.period != point.period:
                continue
            yield Finding(
                id=f"{plan.document.id}/{a.id}/restated-{r.what}/{n + 1}",
                severity=Severity.ERROR,
                check=f"restated-{r.what}",
                document=plan.document.id,
                subject=a.id,
                message=f"{r.what} {fmt(point.value)} ({point.period}) is printed elsewhere "
                f"as {fmt(r.value)}" + (f": {r.note}" if r.note else ""),
                stated=r.value,
                expected=point.value,
                sources=[cite(plan.seed, point.src or a.src), cite(plan.seed, r.src)],
            )


def conflicting_values(plans: list[Plan]) -> Iterator[Finding]:
    """Ambitions for the same indicator, area and period with different baselines/targets."""
    groups: dict[tuple[str, str, str, str], list[tuple[Plan, str, float, str]]] = defaultdict(list)
    for plan in plans:
        for a in plan.ambitions:
            area = a.area or plan.document.area
            for what, point in (("baseline", a.baseline), ("target", a.target)):
                if point is None or point.value is None:
                    continue
                where = cite(plan.seed, point.src or a.src)
                groups[(a.indicator, area, point.period, what)].append(
                    (plan, a.id, point.value, where)
                )
    for (indicator, area, period, what), entries in sorted(groups.items()):
        first_plan, first_id, first_value, first_src = entries[0]
        for plan, ambition_id, value, src in entries[1:]:
            if agrees(value, first_value) or agrees(first_value, value):
                continue
            same_doc = plan.document.id == first_plan.document.id
            yield Finding(
                id=f"conflict/{indicator}/{area}/{period}/{what}/"
                f"{first_plan.document.id}.{first_id}/{plan.document.id}.{ambition_id}",
                severity=Severity.ERROR if same_doc else Severity.WARNING,
                check=f"conflicting-{what}",
                document=plan.document.id,
                subject=ambition_id,
                message=f"{indicator} {what} for {period} ({area}): {fmt(first_value)} in "
                f"{first_plan.document.id}/{first_id} but {fmt(value)} in "
                f"{plan.document.id}/{ambition_id}",
                stated=value,
                expected=first_value,
                sources=[first_src, src],
            )


def statements(plans: list[Plan]) -> Iterator[Finding]:
    """The same fact (same key) stated with different values, in one document or several."""
    groups: dict[str, list[tuple[Plan, float | str, str, str | None]]] = defaultdict(list)
    for plan in plans:
        for s in plan.statements:
            groups[s.key].append((plan, s.value, cite(plan.seed, s.src), s.text))
    for key, entries in sorted(groups.items()):
        first_plan, first_value, first_src, first_text = entries[0]
        for n, (plan, value, src, text) in enumerate(entries[1:], start=2):
            if _same(value, first_value):
                continue
            same_doc = plan.document.id == first_plan.document.id
            detail = f" ('{first_text}' / '{text}')" if first_text and text else ""
            yield Finding(
                id=f"statement/{key}/{n}",
                severity=Severity.ERROR if same_doc else Severity.WARNING,
                check="conflicting-statement",
                document=plan.document.id,
                subject=key,
                message=f"{key}: {fmt(first_value)} but {fmt(value)}{detail}",
                stated=value,
                expected=first_value,
                sources=[first_src, src],
            )


def _same(a: float | str, b: float | str) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return agrees(a, b) or agrees(b, a)
    return str(a).strip().lower() == str(b).strip().lower()
