"""The activity checker: every total, % change, identity between tables, plausibility ratio,
link to an outcome ambition and scheme overlap, each disagreement a plan-checker finding
(same ids, severities and accepted-findings file as ``placehealth plan check``).

A table's own arithmetic (total row, year-on-year %) is the finance checker's, judged at the
printed precision; what lies between tables is judged here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from placehealth.activity.load import ActivityBook
from placehealth.activity.model import (
    ActivityTable,
    AmbitionLink,
    Identity,
    PopulationChange,
    Ratio,
    SchemeSet,
)
from placehealth.finance.check import claim_finding, judge, shown
from placehealth.finance.load import Placed
from placehealth.finance.model import Cell, Row
from placehealth.finance.relations import (
    Claim,
    Source,
    cell_source,
    column_claims,
    plus,
    row_claims,
)
from placehealth.plans.check.findings import SEVERITY_ORDER, Finding, fmt
from placehealth.plans.severity import Severity
from placehealth.sources import cite


def _id(document: str, *parts: str) -> str:
    return "/".join((document, "activity", *parts))


def table_findings(activity: ActivityBook) -> Iterator[Finding]:
    """Each table's total row and year-on-year % column, recomputed from its values."""
    book = activity.book
    for table in activity.tables():
        for claim in [*row_claims(book, table), *column_claims(book, table)]:
            found = claim_finding(book, claim)
            if found is not None:
                yield replace(
                    found,
                    id=found.id.replace("/finance/", "/activity/", 1),
                    check=f"activity-{claim.check}",
                )


def counted(table: ActivityTable) -> list[int]:
    """The positions of the columns that count activity (the years, not the % changes)."""
    return [n for n, c in enumerate(table.columns) if table.column_unit(c) == "count"]


def _cells(table: ActivityTable) -> dict[tuple[str, str], tuple[Row, Cell]]:
    """(row id, column id) -> the row and its printed cell, for the counting columns."""
    out = {}
    for row in table.rows:
        for n in counted(table):
            cell = row.cell(n)
            if cell is not None:
                out[(row.id, table.columns[n].id)] = (row, cell)
    return out


def identity_findings(
    activity: ActivityBook, identity: Identity, placed: Placed
) -> Iterator[Finding]:
    """The total table's cells against the sums of the parts' cells, for every row and year
    they all print: one finding per row that disagrees, with both numbers of each year and
    every line."""
    tables = activity.book.tables
    total = tables[identity.total]
    assert isinstance(total, ActivityTable)
    part_cells = [
        _cells(p) for p in (tables[n] for n in identity.parts) if isinstance(p, ActivityTable)
    ]
    seed = placed.document.seed
    wrong: dict[str, list[Claim]] = {}
    for (row_id, column), (row, cell) in _cells(total).items():
        found = [cells.get((row_id, column)) for cells in part_cells]
        inputs = [f for f in found if f is not None]
        if len(inputs) != len(found):
            continue
        values = [c.value for _, c in inputs]
        claim = Claim(
            document=placed.document.id,
            table=identity.total,
            row=row_id,
            column=column,
            check="identity",
            stated=cell.value,
            computed=sum(v.value for v in values),
            spread=sum(v.half_unit for v in values),
            formula=" + ".join(identity.parts) + " = " + plus(v.text for v in values),
            judged="exact",
            source=cell_source(seed, row, cell),
            inputs=[cell_source(seed, r, c) for r, c in inputs],
            label=row.label,
        )
        if judge(claim) is not None:
            wrong.setdefault(row_id, []).append(claim)
    for row_id, claims in wrong.items():
        first = claims[0]
        same = all(
            (c.stated.value, c.computed) == (first.stated.value, first.computed) for c in claims
        )
        every = len(claims) == len(counted(total))
        if not same:
            years = "; ".join(f"{c.column} {c.stated.text} against {shown(c)}" for c in claims)
        elif every:
            years = f"every year ({claims[0].column} to {claims[-1].column})"
        else:
            years = ", ".join(c.column for c in claims)
        severity = min((judge(c) or Severity.NOTE for c in claims), key=SEVERITY_ORDER.__getitem__)
        yield Finding(
            id=_id(placed.document.id, identity.id, row_id),
            severity=severity,
            check="activity-identity",
            document=placed.document.id,
            subject=f"{identity.total}/{row_id}",
            message=f"{identity.total} '{total.title}', '{first.label}': printed "
            f"{first.stated.text}, but {first.formula} gives {shown(first)} (a gap of "
            f"{fmt(first.stated.value - first.computed)}) in {years}",
            stated=first.stated.value,
            expected=first.computed,
            sources=_unique(claims),
            why=identity.why,
        )


def _unique(claims: list[Claim]) -> list[str]:
    out: list[str] = []
    for claim in claims:
        out.extend(s for s in _sources(claim) if s not in out)
    return out


def _sources(claim: Claim) -> list[str]:
    out = []
    for source in [claim.source, *claim.inputs]:
        text = cite(source.seed, source.lines)
        if text not in out:
            out.append(text)
    return out


def ratio_findings(activity: ActivityBook, ratio: Ratio, placed: Placed) -> Iterator[Finding]:
    """One finding per row whose ratio leaves the plausible range in any year: the years,
    both tables' numbers and their lines."""
    tables = activity.book.tables
    top, bottom = tables[ratio.numerator], tables[ratio.denominator]
    assert isinstance(top, ActivityTable) and isinstance(bottom, ActivityTable)
    over, under = _cells(top), _cells(bottom)
    seed = placed.document.seed
    by_row: dict[str, list[tuple[str, float, Cell, Cell, Row, Row]]] = {}
    for key, (row, cell) in over.items():
        if key not in under:
            continue
        low_row, low = under[key]
        if low.value.value == 0:
            continue
        value = cell.value.value / low.value.value
        outside = (ratio.high is not None and value > ratio.high) or (
            ratio.low is not None and value < ratio.low
        )
        if outside:
            by_row.setdefault(key[0], []).append((key[1], value, cell, low, row, low_row))
    for row_id, years in by_row.items():
        column, value, cell, low, row, low_row = years[0]
        bound = ratio.high if ratio.high is not None and value > ratio.high else ratio.low
        shown_years = ", ".join(f"{y} {v:.2f}" for y, v, *_ in years)
        sources = []
        for _, _, c, d, r, s in years:
            for text in (cite(seed, (c.src or r.src)), cite(seed, (d.src or s.src))):
                if text not in sources:
                    sources.append(text)
        yield Finding(
            id=_id(placed.document.id, ratio.id, row_id),
            severity=Severity.WARNING,
            check="activity-ratio",
            document=placed.document.id,
            subject=f"{ratio.numerator}/{ratio.denominator}/{row_id}",
            message=f"'{row.label}': {ratio.label} is {shown_years} "
            f"({ratio.numerator} {cell.value.text} / {ratio.denominator} {low.value.text} in "
            f"{column}); plausible is {_range(ratio)}",
            stated=round(value, 4),
            expected=bound,
            sources=sources,
            why=ratio.why,
        )


def _range(ratio: Ratio) -> str:
    if ratio.low is not None and ratio.high is not None:
        return f"{fmt(ratio.low)} to {fmt(ratio.high)}"
    return f"at most {fmt(ratio.high)}" if ratio.high is not None else f"at least {fmt(ratio.low)}"


def link_findings(activity: ActivityBook, link: AmbitionLink, placed: Placed) -> Iterator[Finding]:
    """The table row's fall from the base column against the ambition's fall from the same
    base, year by year; a plan that falls less in any year is a warning."""
    table = activity.book.tables[link.table]
    plan = activity.plans[link.plan]
    ambition = next(a for a in plan.ambitions if a.id == link.ambition)
    points = {p.period: p for p in ambition.published}
    if ambition.baseline is not None:
        points.setdefault(ambition.baseline.period, ambition.baseline)
    row = next(r for r in table.rows if r.id == link.row)
    position = {c.id: n for n, c in enumerate(table.columns)}

    def planned(column: str) -> Cell | None:
        return row.cell(position[column])

    def needed(column: str) -> float | None:
        counts = [points[p].count if points[p].count is not None else points[p].numerator
                  for p in link.points[column]]  # fmt: skip
        return None if any(c is None for c in counts) else float(sum(c for c in counts if c))

    base_cell, base_need = planned(link.base), needed(link.base)
    if base_cell is None or base_need is None:
        return
    short = []
    for column in link.points:
        cell, need = planned(column), needed(column)
        if column == link.base or cell is None or need is None:
            continue
        fall, must = base_cell.value.value - cell.value.value, base_need - need
        if fall < must:
            short.append((column, fall, must, cell))
    if not short:
        return
    seed = placed.document.seed
    column, fall, must, cell = short[-1]
    years = "; ".join(f"{c} {fmt(f)} against {fmt(m)}" for c, f, m, _ in short)
    yield Finding(
        id=_id(placed.document.id, link.id),
        severity=Severity.WARNING,
        check="activity-ambition",
        document=placed.document.id,
        subject=f"{link.table}/{link.row}",
        message=f"{link.table} '{table.title}', '{row.label}' falls by {fmt(fall)} from "
        f"{link.base} to {column} ({base_cell.value.text} → {cell.value.text}), but "
        f"{link.plan}'s ambition '{link.ambition}' needs {fmt(must)} fewer "
        f"({fmt(base_need)} → {fmt(base_need - must)}); short in {len(short)} year(s): {years}",
        stated=fall,
        expected=must,
        sources=[
            cite(seed, base_cell.src or row.src),
            cite(seed, cell.src or row.src),
            cite(plan.seed, ambition.src),
        ],
        why=link.why,
    )


def scheme_findings(
    activity: ActivityBook, schemes: SchemeSet, placed: Placed
) -> Iterator[Finding]:
    """The schemes' stated effects added up against the stated net effect: a net above the
    sum is impossible (an error); a net below it is the overlap the document allows (a note
    saying how much is counted twice)."""
    statements = activity.statements(schemes, placed)
    values = [statements[s.statement] for s in schemes.schemes]
    numbers = [float(v.value) for v in values if isinstance(v.value, int | float)]
    net = statements[schemes.net]
    if len(numbers) != len(values) or not isinstance(net.value, int | float):
        return
    gross = sum(numbers)
    overlap = gross - float(net.value)
    seed = placed.document.seed
    sources = [cite(seed, net.src)] + [cite(seed, v.src) for v in values]
    base = statements.get(schemes.baseline) if schemes.baseline else None
    share = (
        f"; the net is {float(net.value) / float(base.value) * 100:.1f}% of the {fmt(base.value)} "
        f"the schemes act on, the gross {gross / float(base.value) * 100:.1f}%"
        if base is not None and isinstance(base.value, int | float)
        else ""
    )
    yield Finding(
        id=_id(placed.document.id, schemes.id, "overlap"),
        severity=Severity.ERROR if overlap < 0 else Severity.NOTE,
        check="activity-scheme-overlap",
        document=placed.document.id,
        subject=schemes.id,
        message=f"{schemes.title}: the {len(values)} schemes add up to {fmt(gross)} "
        f"({plus(fmt(n) for n in numbers)}), the stated net effect is {fmt(net.value)}: "
        + (
            f"{fmt(overlap)} ({overlap / gross * 100:.1f}% of the gross) counted more than once"
            if overlap >= 0
            else f"the net is {fmt(-overlap)} more than every scheme together"
        )
        + share,
        stated=float(net.value),
        expected=gross,
        sources=sources,
        why="schemes acting on the same patients cannot avoid more together than apart",
    )


def population_findings(change: PopulationChange, placed: Placed) -> Iterator[Finding]:
    """An age group's printed % change against its printed counts, within their rounding."""
    seed = placed.document.seed
    for group in change.groups:
        if group.start is None or group.end is None or group.start.value == 0:
            continue
        start, end = group.start, group.end
        computed = (end.value / start.value - 1) * 100
        corners = [
            ((end.value + a * end.half_unit) / (start.value + b * start.half_unit) - 1) * 100
            for a in (-1, 1)
            for b in (-1, 1)
        ]
        claim = Claim(
            document=placed.document.id,
            table=change.id,
            row=group.ages,
            column="",
            check="population-change",
            stated=group.change,
            computed=computed,
            spread=max(abs(c - computed) for c in corners),
            formula=f"{end.text} / {start.text} − 1",
            judged="ratio",
            source=Source(seed, group.src),
            label=group.ages,
        )
        severity = judge(claim)
        if severity is None:
            continue
        yield Finding(
            id=_id(placed.document.id, change.id, group.ages, "population-change"),
            severity=severity,
            check="activity-population-change",
            document=placed.document.id,
            subject=f"{change.id}/{group.ages}",
            message=f"{change.title}, aged {group.ages}: printed {group.change.text}, but "
            f"{claim.formula} gives {shown(claim)}%",
            stated=group.change.value,
            expected=round(computed, group.change.places + 3),
            sources=[cite(seed, group.src)],
            why="the % change is printed beside the two counts it is the change between",
        )


def check_activity(activity: ActivityBook) -> list[Finding]:
    """Every finding for the activity files read, most severe first."""
    found = list(table_findings(activity))
    for identity, placed in activity.identities:
        found.extend(identity_findings(activity, identity, placed))
    for ratio, placed in activity.ratios:
        found.extend(ratio_findings(activity, ratio, placed))
    for link, placed in activity.links:
        found.extend(link_findings(activity, link, placed))
    for schemes, placed in activity.schemes:
        found.extend(scheme_findings(activity, schemes, placed))
    for change, placed in activity.populations:
        found.extend(population_findings(change, placed))
    return sorted(found, key=lambda f: (SEVERITY_ORDER[f.severity], f.id))
