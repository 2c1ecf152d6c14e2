"""Checks across ambitions and documents: the same number stated differently."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator

from placehealth.catalogue.model import Catalogue
from placehealth.periods import parse_period
from placehealth.plans.check.findings import Finding, Severity, agrees, fmt
from placehealth.plans.load import Plan
from placehealth.plans.model import Statement
from placehealth.plans.trajectory import denominator_of, multiplier_of
from placehealth.sources import cite


def restatements(plan: Plan) -> Iterator[Finding]:
    """A baseline or target printed again elsewhere in the document with another value."""
    for a in plan.ambitions:
        for n, r in enumerate(a.restated):
            point = a.baseline if r.what == "baseline" else a.target
            if point is None or point.value is None:
                continue
            if agrees(r.value, point.value) or agrees(point.value, r.value):
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
    """Ambitions giving the same indicator, area and period different values.

    Baselines, targets and published trajectory points all say what the indicator is
    (or is planned to be) in a period, so any two from different ambitions must agree.
    """
    groups: dict[tuple[str, str, str], list[tuple[Plan, str, str, float, str]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for plan in plans:
        for a in plan.ambitions:
            area = a.area or plan.document.area
            points = [("baseline", a.baseline), ("target", a.target)]
            points += [("value", p) for p in a.published]
            seen: set[str] = set()
            for what, point in points:
                if point is None or point.value is None or point.period in seen:
                    continue
                seen.add(point.period)
                where = cite(plan.seed, point.src or a.src)
                # the same period however it is labelled ('2013/14', '2013-14', 'FY 2013/14')
                span = _span(point.period)
                labels.setdefault(span, point.period)  # ids keep the first label seen
                groups[(a.indicator, area, span)].append((plan, a.id, what, point.value, where))
    for (indicator, area, span), entries in sorted(groups.items()):
        period = labels[span]
        # every pair, so a clash inside one document is not hidden behind another's value
        for first, second in itertools.combinations(entries, 2):
            first_plan, first_id, first_what, first_value, first_src = first
            plan, ambition_id, what, value, src = second
            if agrees(value, first_value) or agrees(first_value, value):
                continue
            same_doc = plan.document.id == first_plan.document.id
            kind = what if what == first_what else "value"
            yield Finding(
                id=f"conflict/{indicator}/{area}/{period}/"
                f"{first_plan.document.id}.{first_id}/{plan.document.id}.{ambition_id}",
                severity=Severity.ERROR if same_doc else Severity.WARNING,
                check=f"conflicting-{kind}",
                document=plan.document.id,
                subject=ambition_id,
                message=f"{indicator} for {period} ({area}): {fmt(first_value)} "
                f"({first_what}) in {first_plan.document.id}/{first_id} but {fmt(value)} "
                f"({what}) in {plan.document.id}/{ambition_id}",
                stated=value,
                expected=first_value,
                sources=[first_src, src],
            )


def _span(label: str) -> str:
    """A period's dates and kind as a key, so two labels for one period group together."""
    period = parse_period(label)
    return f"{period.start}..{period.end} {period.kind}"


def statements(plans: list[Plan]) -> Iterator[Finding]:
    """The same fact (same key) stated with different values, in one document or several.

    A threshold is its operator and its value ('<= 7' and '< 7' differ). Two statements
    measured from different bases (a fall from today's rate, a fall below a forecast) need
    not agree: their difference is a note, not an error.
    """
    groups: dict[str, list[tuple[Plan, Statement, str]]] = defaultdict(list)
    for plan in plans:
        for s in plan.statements:
            groups[s.key].append((plan, s, cite(plan.seed, s.src)))
    for key, entries in sorted(groups.items()):
        first_plan, first, first_src = entries[0]
        for n, (plan, s, src) in enumerate(entries[1:], start=2):
            op, first_op = s.operator, first.operator
            if _same(s.value, first.value) and (op is None or first_op is None or op == first_op):
                continue
            shown, first_shown = s.value, first.value
            if op is not None and first_op is not None:
                shown, first_shown = f"{op} {fmt(s.value)}", f"{first_op} {fmt(first.value)}"
            # the numbers themselves unless only the operators tell the two apart
            stated, expected = (shown, first_shown) if op != first_op else (s.value, first.value)
            same_doc = plan.document.id == first_plan.document.id
            severity = Severity.ERROR if same_doc else Severity.WARNING
            detail = f" ('{first.text}' / '{s.text}')" if first.text and s.text else ""
            if first.basis and s.basis and first.basis != s.basis:
                severity = Severity.NOTE
                detail += f"; need not agree: one is from {first.basis}, the other from {s.basis}"
            yield Finding(
                id=f"statement/{key}/{n}",
                severity=severity,
                check="conflicting-statement",
                document=plan.document.id,
                subject=key,
                message=f"{key}: {fmt(first_shown)} but {fmt(shown)}{detail}",
                stated=stated,
                expected=expected,
                sources=[first_src, src],
            )


def _same(a: float | str, b: float | str) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return agrees(a, b) or agrees(b, a)
    return str(a).strip().lower() == str(b).strip().lower()


POPULATION_TOLERANCE = 0.10  # populations a year or two apart differ by a few per cent


def implied_populations(plans: list[Plan], catalogue: Catalogue) -> Iterator[Finding]:
    """The populations two documents' numbers imply for one indicator and area, when they
    differ by more than a tenth: one finding per indicator and area, listing every source.

    A rate's denominator is the population it is per: printed beside a point, stated, or
    implied by a stated change in number ('87 fewer admissions' for a fall in the rate).
    Populations a few years apart need not agree exactly, so this is a warning.
    """
    found: dict[tuple[str, str], list[tuple[Plan, str, float, str, str]]] = defaultdict(list)
    for plan in plans:
        for a in plan.ambitions:
            area = a.area or plan.document.area
            key = (a.indicator, area)
            for point in (a.baseline, a.target, *a.published):
                if point is not None and point.denominator:
                    where = cite(plan.seed, point.src or a.src)
                    found[key].append((plan, a.id, float(point.denominator), where, "printed"))
            if a.denominator is not None and a.denominator.value is None:
                implied = denominator_of(a, multiplier_of(a, catalogue.indicators.get(a.indicator)))
                if implied:
                    heads = [h.src for h in a.headlines if h.change_count is not None]
                    where = cite(plan.seed, heads[0] if heads else a.src)
                    found[key].append((plan, a.id, implied, where, "implied"))
    for (indicator, area), listed_twice in sorted(found.items()):
        # a point printed as baseline and again as a published row is one source
        unique = {(e[0].document.id, e[1], e[2], e[3]): e for e in listed_twice}
        entries = list(unique.values())
        documents = {plan.document.id for plan, *_ in entries}
        values = [value for _, _, value, _, _ in entries]
        low, high = min(values), max(values)
        if len(documents) < 2 or high <= low * (1 + POPULATION_TOLERANCE):
            continue
        listed = "; ".join(
            f"{fmt(round(value))} ({how}, {plan.document.id}/{ambition})"
            for plan, ambition, value, _, how in sorted(entries, key=lambda e: e[2])
        )
        yield Finding(
            id=f"population/{indicator}/{area}",
            severity=Severity.WARNING,
            check="implied-population",
            document=",".join(sorted(documents)),
            subject=indicator,
            message=f"{indicator} ({area}): the documents' numbers are per populations from "
            f"{fmt(round(low))} to {fmt(round(high))}, more than a tenth apart — each is the "
            f"population its rate or share is counted in: {listed}",
            stated=round(high),
            expected=round(low),
            sources=sorted({where for *_, where, _ in entries}),
        )
