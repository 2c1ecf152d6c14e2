"""Checks across ambitions and documents: the same number stated differently."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from placehealth.catalogue.model import Catalogue
from placehealth.periods import Period, parse_period
from placehealth.plans.check.findings import Finding, Severity, agrees, fmt
from placehealth.plans.load import Plan
from placehealth.plans.model import Restatement, Statement
from placehealth.plans.trajectory import denominator_of, multiplier_of
from placehealth.sources import cite


def restatements(plan: Plan) -> Iterator[Finding]:
    """A baseline or target printed again elsewhere in the document with another value:
    one finding per value, listing every line that prints it.

    A restatement labelled with another period is compared when the label names the same
    dates ('2013/14' and '2013-14'); one for a different period need not agree, so it is
    a note. The id keeps the number of the first restatement printing that value.
    """
    for a in plan.ambitions:
        groups: dict[tuple[str, float, str], list[tuple[int, Restatement]]] = defaultdict(list)
        for n, r in enumerate(a.restated):
            point = a.baseline if r.what == "baseline" else a.target
            if point is None or point.value is None:
                continue
            if agrees(r.value, point.value) or agrees(point.value, r.value):
                continue
            period = r.period or point.period
            groups[(r.what, r.value, _span_or_label(period))].append((n, r))
        for (what, value, span), entries in groups.items():
            point = a.baseline if what == "baseline" else a.target
            assert point is not None and point.value is not None
            first_n, first = entries[0]
            same_period = span == _span_or_label(point.period)
            period = first.period or point.period
            labels = sorted({point.period, period})
            why = f"the same {what} of {a.id} ({a.indicator}, {a.area or plan.document.area}), "
            if same_period:
                why += f"for the same period ({' = '.join(labels)})"
            else:
                why += f"but for {period}, not {point.period}: need not agree"
            notes = "; ".join(dict.fromkeys(r.note for _, r in entries if r.note))
            yield Finding(
                id=f"{plan.document.id}/{a.id}/restated-{what}/{first_n + 1}",
                severity=Severity.ERROR if same_period else Severity.NOTE,
                check=f"restated-{what}",
                document=plan.document.id,
                subject=a.id,
                message=f"{what} {fmt(point.value)} ({point.period}) is printed elsewhere "
                f"as {fmt(value)}"
                + (f" ({period})" if not same_period else "")
                + (f" {len(entries)} times" if len(entries) > 1 else "")
                + (f": {notes}" if notes else ""),
                stated=value,
                expected=point.value,
                sources=list(
                    dict.fromkeys(
                        [cite(plan.seed, point.src or a.src)]
                        + [cite(plan.seed, r.src) for _, r in entries]
                    )
                ),
                why=why,
            )


def _span_or_label(label: str) -> str:
    try:
        return _span(label)
    except ValueError:
        return label


@dataclass
class _Claim:
    """One number a document gives for an indicator, area and period."""

    document: str
    ambition: str
    what: str  # baseline, target or value (a published trajectory point)
    value: float
    label: str
    where: str


def conflicting_values(plans: list[Plan]) -> Iterator[Finding]:
    """Ambitions giving the same indicator, area and period different values: one finding
    per indicator, area and period, listing every value and every source.

    Baselines, targets and published trajectory points all say what the indicator is
    (or is planned to be) in a period, so two from different ambitions should agree.
    A baseline that a later document gives again for the same period (however labelled)
    is a restated baseline. Where a measured baseline meets a planned value of another
    document, the two need not agree (the plan was set before the year was measured):
    that is a note. Otherwise: an error inside one document, a warning across documents.
    """
    groups: dict[tuple[str, str, str], list[_Claim]] = defaultdict(list)
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
                claim = _Claim(plan.document.id, a.id, what, point.value, point.period, where)
                groups[(a.indicator, area, _span(point.period))].append(claim)
    for (indicator, area, _), claims in sorted(groups.items()):
        values = _distinct(claims)
        if len(values) < 2:
            continue
        must = []  # pairs of differing claims that claim the same thing
        for x, y in itertools.combinations(claims, 2):
            if _same(x.value, y.value) or (x.ambition == y.ambition and x.document == y.document):
                continue
            measured_vs_planned = (x.what == "baseline") != (y.what == "baseline")
            if not (measured_vs_planned and x.document != y.document):
                must.append((x, y))
        if not must:
            severity = Severity.NOTE
        elif any(x.document == y.document for x, y in must):
            severity = Severity.ERROR
        else:
            severity = Severity.WARNING
        labels = list(dict.fromkeys(c.label for c in claims))
        period = labels[0]  # ids keep the first label seen
        whats = {c.what for c in claims}
        kind = next(iter(whats)) if len(whats) == 1 else "value"
        documents = list(dict.fromkeys(c.document for c in claims))
        restated = kind == "baseline" and len(documents) > 1
        why = f"the same indicator ({indicator}), area ({area}) and period ({' = '.join(labels)})"
        if restated:
            why += "; a baseline restated by a later document"
        if severity == Severity.NOTE:
            why += "; need not agree: a measured baseline against another document's plan"
        listed = "; ".join(
            f"{fmt(v)} ("
            + ", ".join(f"{c.what} in {c.document}/{c.ambition}" for c in claims if c.value == v)
            + ")"
            for v in values
        )
        yield Finding(
            id=f"conflict/{indicator}/{area}/{period}",
            severity=severity,
            check=f"conflicting-{kind}",
            document=",".join(documents),
            subject=",".join(dict.fromkeys(c.ambition for c in claims)),
            message=f"{indicator} for {period} ({area}): {listed}",
            stated=values[-1],
            expected=values[0],
            sources=list(dict.fromkeys(c.where for c in claims)),
            why=why,
        )


def overlapping_periods(plans: list[Plan]) -> Iterator[Finding]:
    """Values for overlapping periods of different kinds (a calendar year beside the
    financial year that shares nine of its months): a note stating the overlap.

    Not the same period, so they need not agree, but a reader comparing them should know
    how much they share. Only pairs that share at least half the months of each period,
    from different ambitions, with different values; one finding per pair of periods.
    """
    claims: dict[tuple[str, str], list[_Claim]] = defaultdict(list)
    for plan in plans:
        for a in plan.ambitions:
            area = a.area or plan.document.area
            points = [("baseline", a.baseline), ("target", a.target)]
            points += [("value", p) for p in a.published]
            for what, point in points:
                if point is None or point.value is None:
                    continue
                where = cite(plan.seed, point.src or a.src)
                claim = _Claim(plan.document.id, a.id, what, point.value, point.period, where)
                claims[(a.indicator, area)].append(claim)
    for (indicator, area), found in sorted(claims.items()):
        pairs: dict[tuple[str, str], list[tuple[_Claim, _Claim]]] = defaultdict(list)
        for x, y in itertools.combinations(found, 2):
            if (x.document, x.ambition) == (y.document, y.ambition) or _same(x.value, y.value):
                continue
            first, second = sorted((x, y), key=lambda c: (parse_period(c.label), c.label))
            one, two = parse_period(first.label), parse_period(second.label)
            if one.kind == two.kind or one.months == 0 or two.months == 0:
                continue
            shared = _shared_months(one, two)
            if 2 * shared < max(one.months, two.months):
                continue
            pairs[(first.label, second.label)].append((first, second))
        for (a_label, b_label), matched in pairs.items():
            one, two = parse_period(a_label), parse_period(b_label)
            shared = _shared_months(one, two)
            start, end = max(one.start, two.start), min(one.end, two.end)
            overlap = f"{start:%b %Y}–{end:%b %Y}"
            listed = "; ".join(
                dict.fromkeys(
                    f"{fmt(x.value)} for {x.label} ({x.what} in {x.document}/{x.ambition}) and "
                    f"{fmt(y.value)} for {y.label} ({y.what} in {y.document}/{y.ambition})"
                    for x, y in matched
                )
            )
            yield Finding(
                id=f"overlap/{indicator}/{area}/{a_label}/{b_label}",
                severity=Severity.NOTE,
                check="overlapping-periods",
                document=",".join(dict.fromkeys(c.document for p in matched for c in p)),
                subject=",".join(dict.fromkeys(c.ambition for p in matched for c in p)),
                message=f"{indicator} ({area}): {listed}; the periods share {shared} months "
                f"({overlap})",
                stated=matched[0][1].value,
                expected=matched[0][0].value,
                sources=list(dict.fromkeys(c.where for p in matched for c in p)),
                why=f"the same indicator ({indicator}) and area ({area}) for overlapping periods "
                f"of different kinds: {a_label} ({one.describe()}) and {b_label} "
                f"({two.describe()}) share {shared} of their {one.months} and {two.months} "
                f"months ({overlap}); need not agree, as the periods differ",
            )


def _shared_months(one: Period, two: Period) -> int:
    """Whole months two periods have in common."""
    start, end = max(one.start, two.start), min(one.end, two.end)
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _distinct(claims: list[_Claim]) -> list[float]:
    """The values ``claims`` give, each once (agreeing at the printed precision), in order."""
    values: list[float] = []
    for c in claims:
        match = next((v for v in values if _same(v, c.value)), None)
        if match is None:
            values.append(c.value)
        else:
            c.value = match  # agreeing values are listed under the first printed
    return values


def _span(label: str) -> str:
    """A period's dates and kind as a key, so two labels for one period group together."""
    period = parse_period(label)
    return f"{period.start}..{period.end} {period.kind}"


def statements(plans: list[Plan]) -> Iterator[Finding]:
    """The same fact (same key) stated with different values, in one document or several:
    one finding per fact, listing every value it is given and every source.

    A threshold is its operator and its value ('<= 7' and '< 7' differ). Two statements
    measured from different bases (a fall from today's rate, a fall below a forecast) need
    not agree: if every difference is between bases, the finding is a note, not an error.
    """
    groups: dict[str, list[tuple[Plan, Statement, str]]] = defaultdict(list)
    for plan in plans:
        for s in plan.statements:
            groups[s.key].append((plan, s, cite(plan.seed, s.src)))
    for key, entries in sorted(groups.items()):
        shown: list[str] = []  # each distinct claim once, as printed
        by_claim: dict[str, list[tuple[Plan, Statement, str]]] = defaultdict(list)
        for entry in entries:
            claim = _claim_of(entry[1], [e[1] for e in entries])
            match = next((c for c in shown if _claims_agree(c, claim, by_claim, entry[1])), None)
            if match is None:
                shown.append(claim)
                match = claim
            by_claim[match].append(entry)
        if len(shown) < 2:
            continue
        must, bases = [], set()
        for a, b in itertools.combinations(shown, 2):
            for pa, sa, _ in by_claim[a]:
                for pb, sb, _ in by_claim[b]:
                    if sa.basis and sb.basis and sa.basis != sb.basis:
                        bases |= {sa.basis, sb.basis}
                    else:
                        must.append(pa.document.id == pb.document.id)
        if not must:
            severity = Severity.NOTE
        elif any(must):
            severity = Severity.ERROR
        else:
            severity = Severity.WARNING
        documents = list(dict.fromkeys(p.document.id for p, _, _ in entries))
        why = f"the same fact ('{key}')" + (
            f" in {', '.join(documents)}" if len(documents) > 1 else f" in {documents[0]}"
        )
        if severity == Severity.NOTE:
            why += "; need not agree: measured from " + " and from ".join(sorted(bases))
        listed = " but ".join(
            f"{c}"
            + (f" ('{by_claim[c][0][1].text}')" if by_claim[c][0][1].text else "")
            + (f" ×{len(by_claim[c])}" if len(by_claim[c]) > 1 else "")
            for c in shown
        )
        first = by_claim[shown[0]][0][1]
        # the numbers themselves, from the first claim whose number differs; else the
        # operators are all that tell the claims apart
        other = next(
            (
                by_claim[c][0][1]
                for c in shown[1:]
                if not _same(by_claim[c][0][1].value, first.value)
            ),
            None,
        )
        yield Finding(
            id=f"statement/{key}",
            severity=severity,
            check="conflicting-statement",
            document=",".join(documents),
            subject=key,
            message=f"{key}: {listed}",
            stated=other.value if other is not None else shown[1],
            expected=first.value if other is not None else shown[0],
            sources=list(dict.fromkeys(src for _, _, src in entries)),
            why=why,
        )


def _claim_of(s: Statement, all_of_key: list[Statement]) -> str:
    """A statement as printed: its value, with its operator where any statement of the key
    has one (so '<= 7' and '< 7' are two claims)."""
    with_ops = any(x.operator for x in all_of_key)
    if with_ops and s.operator:
        return f"{s.operator} {fmt(s.value)}"
    return fmt(s.value) if isinstance(s.value, int | float) else str(s.value)


def _claims_agree(
    shown: str,
    claim: str,
    by_claim: dict[str, list[tuple[Plan, Statement, str]]],
    s: Statement,
) -> bool:
    if shown == claim:
        return True
    other = by_claim[shown][0][1]
    # a statement with no operator agrees with one that has it, as before
    if (other.operator is None) != (s.operator is None):
        return _same(other.value, s.value)
    return other.operator == s.operator and _same(other.value, s.value)


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
