"""Load every activity file under a path: its tables into a finance book (so the finance
checker's arithmetic recomputes their totals and % changes), and what lies between tables,
plans and statements, every reference resolved with its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from placehealth.activity.files import FOLDER, activity_files
from placehealth.activity.model import (
    ActivityFile,
    ActivityTable,
    AmbitionLink,
    Identity,
    PopulationChange,
    Ratio,
    SchemeSet,
    TextFigure,
)
from placehealth.errors import ValidationError
from placehealth.finance.load import Book, Placed
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.model import Statement
from placehealth.sources import cite
from placehealth.yamlfile import line_of, load_model


@dataclass
class ActivityBook:
    """The activity files read: tables (in a finance book), the relations between them, the
    outcome plans their links and schemes name, and where each item was read."""

    book: Book = field(default_factory=Book)
    identities: list[tuple[Identity, Placed]] = field(default_factory=list)
    ratios: list[tuple[Ratio, Placed]] = field(default_factory=list)
    links: list[tuple[AmbitionLink, Placed]] = field(default_factory=list)
    schemes: list[tuple[SchemeSet, Placed]] = field(default_factory=list)
    figures: list[tuple[TextFigure, Placed]] = field(default_factory=list)
    populations: list[tuple[PopulationChange, Placed]] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)  # document id -> its outcome plan

    def statements(self, schemes: SchemeSet, placed: Placed) -> dict[str, Statement]:
        """The plan's statements by key; a key stated in the scheme block and restated
        elsewhere is the block's statement (the checker compares the two elsewhere)."""
        block = schemes.src
        out: dict[str, Statement] = {}
        for statement in self.plans[placed.document.id].statements:
            inside = block.first <= statement.src.first and statement.src.last <= block.last
            if inside or statement.key not in out:
                out[statement.key] = statement
        return out

    def figure(self, figure: TextFigure, placed: Placed) -> dict[str, Any]:
        """What a figure says, where: its own value, or the statement or ambition it links."""
        seed = placed.document.seed
        if figure.value is None and figure.statement is None and figure.ambition is None:
            return {"printed": None, "value": None, "unit": None, "text": figure.text,
                    "source": cite(seed, figure.src)}  # fmt: skip
        if figure.value is not None:
            text = figure.text
            return {
                "printed": figure.value.text,
                "value": figure.value.value,
                "unit": figure.unit,
                "text": text,
                "source": cite(seed, figure.src),
            }
        plan = self.plans[placed.document.id]
        if figure.statement is not None:
            stated = next(s for s in plan.statements if s.key == figure.statement)
            return {
                "printed": str(stated.value),
                "value": stated.value,
                "unit": figure.unit,
                "text": stated.text or stated.key,
                "source": cite(seed, stated.src),
            }
        ambition = next(a for a in plan.ambitions if a.id == figure.ambition)
        heads = [f"{h.change_pct:+g}%" for h in ambition.headlines if h.change_pct is not None]
        base = ambition.baseline
        printed = heads[0] if heads else (str(base.value) if base and base.value else "")
        return {
            "printed": printed,
            "value": None,
            "unit": figure.unit,
            "text": ambition.name,
            "source": cite(seed, ambition.src),
        }

    def tables(self) -> list[ActivityTable]:
        return [t for t in self.book.tables.values() if isinstance(t, ActivityTable)]


def load_activity(path: Path) -> ActivityBook:
    """Read the activity files under ``path`` (none gives an empty book)."""
    out = ActivityBook()
    for file in activity_files(path):
        _read(out, file)
    _resolve(out)
    return out


def _read(out: ActivityBook, file: Path) -> None:
    parsed = load_model(file, ActivityFile)
    document = parsed.document
    for index, table in enumerate(parsed.tables):
        for location, problem in table.problems():
            raise ValidationError(
                problem, file=file, line=line_of(file, ("tables", index, *location))
            )
        if table.id in out.book.tables:
            raise ValidationError(
                f"table {table.id} is also in {out.book.where[table.id].file}",
                file=file,
                line=line_of(file, ("tables", index, "id")),
                hint="each index table is encoded once",
            )
        out.book.tables[table.id] = table
        out.book.where[table.id] = Placed(document, file, index)
    for key, items in (
        ("identities", parsed.identities),
        ("ratios", parsed.ratios),
        ("links", parsed.links),
        ("schemes", parsed.schemes),
        ("figures", parsed.figures),
        ("populations", parsed.populations),
    ):
        target: list[tuple[object, Placed]] = getattr(out, key)
        target.extend((item, Placed(document, file, n)) for n, item in enumerate(items))


def _fail(problem: str, placed: Placed, location: tuple[str | int, ...], hint: str = "") -> None:
    raise ValidationError(
        problem, file=placed.file, line=line_of(placed.file, location), hint=hint or None
    )


def _plan(out: ActivityBook, document: str, placed: Placed, where: tuple[str | int, ...]) -> Plan:
    """The outcome plan ``document``: the folder holding this activity folder, or a sibling
    plan folder of that name."""
    if document in out.plans:
        return out.plans[document]
    own = placed.file.parent.parent if placed.file.parent.name == FOLDER else placed.file.parent
    for folder in (own, own.parent / document):
        if folder.is_dir():
            for plan in load_plans(folder):
                out.plans.setdefault(plan.document.id, plan)
        if document in out.plans:
            return out.plans[document]
    _fail(f"no outcome plan '{document}' beside {own}", placed, where, "name a plan folder's id")
    raise AssertionError  # _fail raises


def _resolve(out: ActivityBook) -> None:
    """Every table, ambition, period and statement named exists."""
    tables = out.book.tables
    for identity, placed in out.identities:
        for n, name in enumerate([identity.total, *identity.parts]):
            if name not in tables:
                key = "total" if n == 0 else ("parts", n - 1)
                at = ("identities", placed.index, *((key,) if isinstance(key, str) else key))
                _fail(f"identity '{identity.id}': no table {name}", placed, at)
    for ratio, placed in out.ratios:
        for side in ("numerator", "denominator"):
            if getattr(ratio, side) not in tables:
                _fail(
                    f"ratio '{ratio.id}': no table {getattr(ratio, side)}",
                    placed,
                    ("ratios", placed.index, side),
                )
    for link, placed in out.links:
        at = ("links", placed.index)
        plan = _plan(out, link.plan, placed, (*at, "plan"))
        ambition = next((a for a in plan.ambitions if a.id == link.ambition), None)
        if ambition is None:
            _fail(f"plan {link.plan} has no ambition '{link.ambition}'", placed, (*at, "ambition"))
            continue
        table = tables.get(link.table)
        if table is None or link.row not in {r.id for r in table.rows}:
            _fail(f"link '{link.id}': no table row {link.table}/{link.row}", placed, (*at, "row"))
            continue
        columns = {c.id for c in table.columns}
        periods = {p.period for p in ambition.published}
        if ambition.baseline is not None:
            periods.add(ambition.baseline.period)
        for column, wanted in link.points.items():
            if column not in columns:
                _fail(f"link '{link.id}': {link.table} has no column '{column}'", placed, at)
            missing = [p for p in wanted if p not in periods]
            if missing:
                _fail(
                    f"link '{link.id}': ambition '{link.ambition}' has no point for {missing[0]}",
                    placed,
                    (*at, "points", column),
                    "use a period of its baseline or published points",
                )
    for schemes, placed in out.schemes:
        at = ("schemes", placed.index)
        plan = _plan(out, placed.document.id, placed, at)
        keys = {s.key for s in plan.statements}
        named: list[tuple[tuple[str | int, ...], str | None]] = [
            (("net",), schemes.net),
            (("baseline",), schemes.baseline),
        ]
        named += [(("schemes", n, "statement"), s.statement) for n, s in enumerate(schemes.schemes)]
        for loc, stated in named:
            if stated is not None and stated not in keys:
                _fail(f"plan {plan.document.id} has no statement '{stated}'", placed, (*at, *loc))
    for figure, placed in out.figures:
        if figure.value is not None:
            continue
        at = ("figures", placed.index)
        plan = _plan(out, placed.document.id, placed, at)
        if figure.statement is not None and figure.statement not in {
            s.key for s in plan.statements
        }:
            _fail(
                f"plan {plan.document.id} has no statement '{figure.statement}'",
                placed,
                (*at, "statement"),
            )
        if figure.ambition is not None and figure.ambition not in {a.id for a in plan.ambitions}:
            _fail(
                f"plan {plan.document.id} has no ambition '{figure.ambition}'",
                placed,
                (*at, "ambition"),
            )
