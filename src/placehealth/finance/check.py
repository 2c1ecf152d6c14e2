"""The finance checker: every claim recomputed, every disagreement a plan-checker finding
(same ids, severities and accepted-findings file as ``placehealth plan check``).

Agreement is judged at the precision the document printed: a sum of printed values must
reproduce its printed total; a percentage, per-head figure or growth rate agrees
anywhere the rounding of its inputs allows; a number restated elsewhere agrees if the
two printed values could be the same quantity. Beyond that, within one unit of the last
printed digit (or the inputs' rounding) is minor; anything more is an error.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator

from placehealth.finance.load import Book
from placehealth.finance.model import SCALE, Table
from placehealth.finance.relations import Claim, Source, claims
from placehealth.plans.check.findings import Finding, fmt
from placehealth.plans.severity import Severity
from placehealth.sources import cite

_TINY = 1e-9
SLIP_RATIO = 500.0  # a money value this many times its column's median is read as a slip

_WHY = {
    "total-column": "the column is declared the sum of the columns named",
    "row-sum": "the row is declared the sum of the rows named",
    "difference": "the column is declared the difference of the columns named",
    "pct-change": "the column is declared the % change between the columns named",
    "per-head": "the column is declared money per head of the population column",
    "growth": "the column is declared the year-on-year growth of another",
    "same-as": "the cell is declared the same quantity as another table's",
    "change-across": "the cell is declared the % change between two other tables' cells",
    "figure": "the text's figure is declared to be the table's",
    "model": "the line follows from the planning assumptions (finance.position_model)",
}


def judge(claim: Claim) -> Severity | None:
    """None when the printed value agrees; else how serious the disagreement is."""
    stated, computed = claim.stated.value, claim.computed
    half = claim.stated.half_unit
    gap = abs(stated - computed)
    tolerance = max(_TINY, 1e-12 * abs(stated))  # float noise, never a printed digit
    if claim.judged == "exact":
        if gap < half - tolerance:
            return None
        within = gap <= 2 * half + tolerance or gap < half + claim.spread
    else:
        if gap < half + claim.spread - tolerance:
            return None
        coarser = max(2 * half, 2 * claim.spread)
        within = (
            gap <= coarser + tolerance
            if claim.judged == "restated"
            else (gap <= 2 * half + claim.spread + tolerance)
        )
    return Severity.MINOR if within else Severity.ERROR


def _sources(claim: Claim) -> list[str]:
    out = [cite(claim.source.seed, claim.source.lines)]
    for source in claim.inputs:
        text = cite(source.seed, source.lines)
        if text not in out:
            out.append(text)
    return out


def _explained(book: Book, claim: Claim) -> str:
    """A row of the same column whose value is the gap: likely left out or counted twice."""
    table = book.tables.get(claim.table)
    if table is None or claim.judged != "exact":
        return ""
    n = next(i for i, c in enumerate(table.columns) if c.id == claim.column)
    gap = claim.stated.value - claim.computed
    half = claim.stated.half_unit
    for row in table.rows:
        cell = row.cell(n)
        if (
            cell is not None
            and row.id != claim.row
            and abs(abs(gap) - abs(cell.value.value)) < half
        ):
            return f"; the gap ({cell.value.text.strip('()-')}) is the '{row.label}' row"
    return ""


def _scale_slip(claim: Claim) -> str:
    """A gap that is a power of ten: a decimal point lost or a unit slip."""
    if claim.computed == 0 or claim.stated.value == 0:
        return ""
    ratio = abs(claim.stated.value / claim.computed)
    power = round(math.log10(ratio))
    if power != 0 and abs(math.log10(ratio) - power) < 0.02:
        times = f"1/{10.0**-power:g} of" if power < 0 else f"{10.0**power:g} times"
        return f"; printed is {times} it: a decimal point or a unit slipped"
    return ""


def shown(claim: Claim) -> str:
    """The recomputed value: a sum of printed values in full (never to fewer places than
    printed), a ratio one place finer than printed."""
    places = claim.stated.places
    if claim.judged == "ratio":
        return f"{claim.computed:,.{places + 1}f}"
    text = f"{round(claim.computed, 6):,.6f}".rstrip("0")
    decimals = len(text.split(".")[1])
    return f"{claim.computed:,.{max(places, decimals)}f}"


def claim_finding(book: Book, claim: Claim) -> Finding | None:
    severity = judge(claim)
    if severity is None:
        return None
    where = f"{claim.table} {claim.label}" if claim.table != "text" else claim.label
    return Finding(
        id=f"{claim.document}/finance/{claim.table}/{claim.row}"
        + (f"/{claim.column}" if claim.column else "")
        + f"/{claim.check}",
        severity=severity,
        check=f"finance-{claim.check}",
        document=claim.document,
        subject=f"{claim.table}/{claim.row}" + (f"/{claim.column}" if claim.column else ""),
        message=f"{where}: printed {claim.stated.text}, but {claim.formula} gives "
        f"{shown(claim)}"
        + (f" {claim.unit}" if claim.unit else "")
        + _explained(book, claim)
        + _scale_slip(claim),
        stated=claim.stated.value,
        expected=round(claim.computed, claim.stated.places + 3),
        sources=_sources(claim),
        why=_WHY[claim.check],
    )


def unit_findings(book: Book, table: Table) -> Iterator[Finding]:
    """A header's unit that is not the values', and a money value a thousand times (or a
    thousandth of) the rest of its column."""
    placed = book.where[table.id]
    document, seed = placed.document.id, placed.document.seed
    if table.printed_unit and table.printed_unit != table.unit:
        yield Finding(
            id=f"{document}/finance/{table.id}/printed-unit",
            severity=Severity.WARNING,
            check="finance-printed-unit",
            document=document,
            subject=table.id,
            message=f"{table.id} '{table.title}': the header says {table.printed_unit}, but the "
            f"values are in {table.unit}" + (f" ({table.notes.strip()})" if table.notes else ""),
            stated=table.printed_unit,
            expected=table.unit,
            sources=[cite(seed, table.src)],
            why="the unit printed over the values against the unit they are in",
        )
    for n, column in enumerate(table.columns):
        if table.column_unit(column) not in SCALE:
            continue
        cells = [(r, c) for r in table.rows if (c := r.cell(n)) is not None]
        sizes = [(r, c, abs(c.value.value)) for r, c in cells if c is not None and c.value.value]
        if len(sizes) < 3:
            continue
        for row, cell, size in sizes:
            rest = statistics.median(s for r, _, s in sizes if r is not row)
            ratio = size / rest
            if ratio >= SLIP_RATIO or ratio <= 1 / SLIP_RATIO:
                source = Source(seed, cell.src or row.src)
                yield Finding(
                    id=f"{document}/finance/{table.id}/{row.id}/{column.id}/unit-slip",
                    severity=Severity.WARNING,
                    check="finance-unit-slip",
                    document=document,
                    subject=f"{table.id}/{row.id}/{column.id}",
                    message=f"{table.id} '{row.label}', {column.label}: {cell.value.text} is "
                    f"{ratio:,.4g} times the column's median ({fmt(rest)}): a value in the "
                    "wrong unit?",
                    stated=cell.value.value,
                    expected=rest,
                    sources=[cite(source.seed, source.lines)],
                    why="values of one column are in one unit",
                )


def check_book(book: Book) -> list[Finding]:
    """Every finding for the tables and figures in ``book``."""
    findings = [f for c in claims(book) if (f := claim_finding(book, c)) is not None]
    for table in book.checked():
        findings.extend(unit_findings(book, table))
    return findings
