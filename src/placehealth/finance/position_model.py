"""A financial position derived from its planning assumptions, and what-ifs on them.

A CCG-style position (baseline, surplus returned, growth, Better Care Fund, commitments,
investments, contingency, surplus) is read from the finance tables: the position
tables (rows ``baseline``, ``growth``, ``allocation``, ``commitments``, ``investments``,
``contingency``, ``total-commitments``, ``surplus``; columns ``recurrent``,
``non-recurrent``, ``total``), the assumptions table (rows ``allocation-growth``,
``contingency``, ``headroom``, ``surplus-carried-forward``, ``tariff-uplift``, one column
per year) and the contracts table (columns ``plan``/``offer``, a ``total`` row).

The rules, each tested against seed 000 (docs/finance.md, "The financial model"):

- growth = allocation growth % × the recurrent baseline;
- allocation = baseline + growth + Better Care Fund (recurrent), baseline + surplus
  returned (non-recurrent); a later year's baseline and surplus returned are the year
  before's allocation and surplus;
- contingency (non-recurrent) = contingency % × the allocation less the surplus
  returned and the Better Care Fund;
- the non-recurrent headroom = headroom % × (recurrent allocation + surplus returned):
  recurrent money spent non-recurrently, so the non-recurrent investment reserve is
  what the non-recurrent allocation and the headroom leave after non-recurrent
  commitments and contingency;
- recurrent commitments move with the tariff: the contract value of the year before ×
  the change in tariff uplift; recurrent investment is as planned;
- surplus = allocation − commitments; the headroom for investment is the surplus above
  the required surplus (surplus c/fwd % × (recurrent allocation + surplus returned)).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from placehealth.errors import ValidationError
from placehealth.finance.check import claim_finding
from placehealth.finance.load import Book
from placehealth.finance.model import SCALE, Cell, Table
from placehealth.finance.relations import Claim, Source, cell_source, evaluate
from placehealth.plans.check.findings import Finding
from placehealth.plans.severity import Severity
from placehealth.sources import Lines

# what ``--set`` may change: name -> (assumption row of the assumptions table or None, kind)
RATES: dict[str, str] = {
    "growth": "allocation-growth",
    "tariff_uplift": "tariff-uplift",
    "contingency": "contingency",
    "headroom": "headroom",
    "surplus": "surplus-carried-forward",
}
AMOUNTS = ("surplus_return", "recurrent_investment", "bcf")
NAMES = (*RATES, *AMOUNTS)
_SETTING = re.compile(r"^\s*([a-z_]+)(?:@(\d{4}[-/]\d{2}))?\s*=\s*(.+?)\s*$")
_PERCENT = re.compile(r"^([-+−]?\d+(?:\.\d+)?)\s*%$")
_MONEY = re.compile(r"^([-+]?)£(\d[\d,]*(?:\.\d+)?)\s*(m|bn|000|k)?$")
_MONEY_UNIT = {"m": "£m", "bn": "£bn", "000": "£000", "k": "£000"}


@dataclass(frozen=True)
class Assumptions:
    """One year's assumptions: rates in %, amounts in £m."""

    growth: float
    tariff_uplift: float
    contingency: float
    headroom: float
    surplus: float
    surplus_return: float
    recurrent_investment: float
    bcf: float


@dataclass(frozen=True)
class Given:
    """What a year's position takes as planned, not derived (£m, spend negative)."""

    baseline: tuple[float, float]  # recurrent, non-recurrent
    commitments: tuple[float, float]
    contract_base: float  # the contract value the tariff applies to


@dataclass(frozen=True)
class Position:
    """A derived year: every row as (recurrent, non-recurrent), £m, spend negative."""

    period: str
    rows: dict[str, tuple[float, float]]
    headroom: float  # recurrent money spent non-recurrently
    required_surplus: float
    investment_headroom: float  # surplus above the required surplus

    def total(self, row: str) -> float:
        rec, nr = self.rows[row]
        return rec + nr


@dataclass
class YearModel:
    """A year's table, its printed assumptions and what it takes as given."""

    table: Table
    period: str
    column: str  # the assumptions table's column for this year
    assumptions: Assumptions
    given: Given


@dataclass
class PositionModel:
    """The years of a plan's position, in order, and the book they were read from."""

    book: Book
    years: list[YearModel] = field(default_factory=list)
    assumptions_table: Table | None = None


def printed_value(table: Table, row: str, column: str) -> float | None:
    cell = _cell(table, row, column)
    return cell.value.value if cell is not None else None


def _cell(table: Table, row: str, column: str) -> Cell | None:
    found = next((r for r in table.rows if r.id == row), None)
    n = next((i for i, c in enumerate(table.columns) if c.id == column), None)
    if found is None or n is None:
        return None
    return found.cell(n)


def _pair(table: Table, row: str) -> tuple[float, float]:
    rec, nr = (printed_value(table, row, c) for c in ("recurrent", "non-recurrent"))
    return (rec or 0.0, nr or 0.0)


_POSITION_ROWS = {"baseline", "growth", "allocation", "commitments", "investments", "surplus"}


def is_position(table: Table) -> bool:
    columns = {c.id for c in table.columns}
    rows = {r.id for r in table.rows}
    return rows >= _POSITION_ROWS and columns >= {"recurrent", "non-recurrent"}


def _is_assumptions(table: Table) -> bool:
    return {"allocation-growth", "tariff-uplift", "contingency", "headroom"} <= {
        r.id for r in table.rows
    }


def _is_contracts(table: Table) -> bool:
    return {"plan", "offer"} <= {c.id for c in table.columns} and "total" in {
        r.id for r in table.rows
    }


def _previous(period: str) -> str:
    start = int(period[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _contract_base(book: Book, period: str) -> float:
    """The contracts' total value for the year before ``period`` (£m); 0 without a table."""
    for table in book.tables.values():
        if not _is_contracts(table):
            continue
        for column in table.columns:
            if column.period == _previous(period):
                value = printed_value(table, "total", column.id)
                unit = table.column_unit(column)
                if value is not None and unit in SCALE:
                    return value * SCALE[unit] / SCALE["£m"]
    return 0.0


def read_model(book: Book, *, file: str = "") -> PositionModel:
    """The position tables of ``book`` with their assumptions, in period order."""
    positions = sorted(
        (t for t in book.checked() if is_position(t) and t.period), key=lambda t: str(t.period)
    )
    assumptions = next((t for t in book.checked() if _is_assumptions(t)), None)
    if not positions or assumptions is None:
        raise ValidationError(
            "no financial position with planning assumptions found",
            file=file or None,
            hint="give a plan folder whose finance/ folder has a position table (rows baseline, "
            "growth, allocation, commitments, investments, surplus) and an assumptions table",
        )
    model = PositionModel(book=book, assumptions_table=assumptions)
    for table in positions:
        period = str(table.period)
        column = next((c.id for c in assumptions.columns if str(c.period) == period), None)
        if column is None:
            continue
        rates = {
            name: printed_value(assumptions, row, column) or 0.0 for name, row in RATES.items()
        }
        bcf = _pair(table, "bcf")[0] if "bcf" in {r.id for r in table.rows} else 0.0
        model.years.append(
            YearModel(
                table=table,
                period=period,
                column=column,
                assumptions=Assumptions(
                    **rates,
                    surplus_return=sum(_pair(table, "surplus-return")),
                    recurrent_investment=-_pair(table, "investments")[0],
                    bcf=bcf,
                ),
                given=Given(
                    baseline=_pair(table, "baseline"),
                    commitments=_pair(table, "commitments"),
                    contract_base=_contract_base(book, period),
                ),
            )
        )
    if not model.years:
        raise ValidationError(
            "the assumptions table has no column for any position's period", file=file or None
        )
    return model


def derive_year(
    period: str,
    a: Assumptions,
    given: Given,
    *,
    tariff_change: float = 0.0,
    baseline: tuple[float, float] | None = None,
) -> Position:
    """One year's position from its assumptions (the module docstring's rules)."""
    base_rec, base_nr = baseline if baseline is not None else given.baseline
    growth = a.growth / 100 * base_rec
    alloc = (base_rec + growth + a.bcf, base_nr + a.surplus_return)
    contingency = a.contingency / 100 * (alloc[0] + alloc[1] - a.surplus_return - a.bcf)
    headroom = a.headroom / 100 * (alloc[0] + a.surplus_return)
    commitments = (given.commitments[0] - given.contract_base * tariff_change / 100,
                   given.commitments[1])  # fmt: skip
    nr_investment = alloc[1] + headroom + commitments[1] - contingency
    investments = (-a.recurrent_investment, -nr_investment)
    total_commitments = (
        commitments[0] + investments[0],
        commitments[1] + investments[1] - contingency,
    )
    surplus = (alloc[0] + total_commitments[0], alloc[1] + total_commitments[1])
    required = a.surplus / 100 * (alloc[0] + a.surplus_return)
    return Position(
        period=period,
        rows={
            "baseline": (base_rec, base_nr),
            "surplus-return": (0.0, a.surplus_return),
            "growth": (growth, 0.0),
            "bcf": (a.bcf, 0.0),
            "allocation": alloc,
            "commitments": commitments,
            "investments": investments,
            "contingency": (0.0, -contingency),
            "total-commitments": total_commitments,
            "surplus": surplus,
        },
        headroom=headroom,
        required_surplus=required,
        investment_headroom=surplus[0] + surplus[1] - required,
    )


def derive(
    model: PositionModel, settings: Mapping[str, Mapping[str, float]] | None = None
) -> list[Position]:
    """Every year, each from the year before: a later year's baseline is the earlier
    year's allocation and its surplus returned the earlier surplus. ``settings`` maps a
    period to the assumptions changed in it."""
    out: list[Position] = []
    for year in model.years:
        changed = dict((settings or {}).get(year.period, {}))
        a = replace(year.assumptions, **changed)
        baseline = None
        if out:
            prior = out[-1]
            baseline = prior.rows["allocation"]
            if "surplus_return" not in changed:
                a = replace(a, surplus_return=prior.total("surplus"))
        out.append(
            derive_year(
                year.period,
                a,
                year.given,
                tariff_change=a.tariff_uplift - year.assumptions.tariff_uplift,
                baseline=baseline,
            )
        )
    return out


def parse_setting(text: str, periods: list[str]) -> tuple[str, str, float]:
    """``growth=2.14%``, ``tariff_uplift@2015/16=-1.8%`` or ``surplus_return=£14,300,000``
    as (period, name, value in % or £m); the first period unless one is named."""
    m = _SETTING.match(text)
    if not m:
        raise ValidationError(
            f"--set '{text}' is not NAME=VALUE", hint="e.g. --set tariff_uplift=-1.8%"
        )
    name, period, raw = m.groups()
    if name not in NAMES:
        raise ValidationError(
            f"--set '{text}': no assumption '{name}'", hint=f"one of {', '.join(NAMES)}"
        )
    period = (period or periods[0]).replace("-", "/")
    if period not in periods:
        raise ValidationError(
            f"--set '{text}': no position for {period}", hint=f"one of {', '.join(periods)}"
        )
    raw = raw.replace("−", "-")
    if name in RATES:
        pct = _PERCENT.match(raw)
        if not pct:
            raise ValidationError(
                f"--set '{text}': {name} is a percentage", hint=f"write {name}=2.14%"
            )
        return period, name, float(pct.group(1))
    value = money_in_millions(raw)
    if value is None:
        raise ValidationError(
            f"--set '{text}': {name} is money in £, £000, £m or £bn",
            hint=f"write {name}=£14.3m or {name}=£14,300k",
        )
    return period, name, value


def money_in_millions(raw: str) -> float | None:
    """'£14.3m', '£14,300k', '£14,300000', '£0.5bn' in £m; None unless it is money with a
    pound sign and, at most, one of the suffixes m, bn, k or 000."""
    raw = raw.strip().replace("−", "-")
    money = _MONEY.match(raw) if raw.startswith(("£", "-£", "+£")) else None
    if not money:
        return None
    sign, digits, suffix = money.groups()
    unit = _MONEY_UNIT.get(suffix or "", "£")
    value = float(digits.replace(",", "")) * SCALE[unit] / SCALE["£m"]
    return -value if sign == "-" else value


def settings_from(texts: list[str], model: PositionModel) -> dict[str, dict[str, float]]:
    """Every ``--set`` by period; a name set twice for one period is an error."""
    periods = [y.period for y in model.years]
    out: dict[str, dict[str, float]] = {}
    for text in texts:
        period, name, value = parse_setting(text, periods)
        if name in out.setdefault(period, {}):
            raise ValidationError(f"--set {name} is given twice for {period}")
        out[period][name] = value
    return out


# --- printed against derived, line by line (each line from the printed values it reads)

Input = tuple[Table, str, str]  # a table, row and column


def _src(book: Book, table: Table, row: str, column: str) -> Source:
    found = next(r for r in table.rows if r.id == row)
    cell = _cell(table, row, column)
    lines: Lines | None = (cell.src if cell is not None else None) or found.src
    return Source(book.where[table.id].document.seed, lines)


def _line(
    book: Book,
    year: YearModel,
    target: tuple[str, str],
    inputs: list[Input],
    fn: Callable[[list[float]], float],
    words: str,
) -> Claim | None:
    """The printed ``target`` cell of the year's table against ``fn`` of the printed
    ``inputs``, and how far their rounding could move it; None if a cell is blank."""
    stated = _cell(year.table, *target)
    cells = [_cell(*i) for i in inputs]
    if stated is None or any(c is None for c in cells):
        return None
    values = [c.value for c in cells if c is not None]
    computed, spread = evaluate(fn, values, "ratio")
    row = next(r for r in year.table.rows if r.id == target[0])
    column = next(c for c in year.table.columns if c.id == target[1])
    placed = book.where[year.table.id]
    shown = ", ".join(v.text for v in values)
    return Claim(
        document=placed.document.id,
        table=year.table.id,
        row=row.id,
        column=column.id,
        check="model",
        stated=stated.value,
        computed=computed,
        spread=spread,
        formula=f"{words} (from {shown})",
        judged="ratio",
        source=cell_source(placed.document.seed, row, stated),
        inputs=[_src(book, *i) for i in inputs],
        label=f"'{row.label}', {column.label}",
    )


def _year_claims(book: Book, a: Table, year: YearModel) -> Iterator[Claim | None]:
    t, col = year.table, year.column
    bcf = [(t, "bcf", "recurrent")] if "bcf" in {r.id for r in t.rows} else []
    alloc = [(t, "allocation", "recurrent"), (t, "allocation", "non-recurrent")]
    ret = (t, "surplus-return", "non-recurrent")
    growth = printed_value(t, "growth", "recurrent")
    base = printed_value(t, "baseline", "recurrent")
    implied = f"{growth / base * 100:.2f}%" if growth is not None and base else "—"
    yield _line(
        book, year, ("growth", "recurrent"),
        [(a, "allocation-growth", col), (t, "baseline", "recurrent")],
        lambda v: v[0] / 100 * v[1],
        f"allocation growth × recurrent baseline (the printed growth is {implied} of it)",
    )  # fmt: skip
    yield _line(
        book, year, ("contingency", "non-recurrent"),
        [(a, "contingency", col), *alloc, ret, *bcf],
        lambda v: -v[0] / 100 * (v[1] + v[2] - v[3] - (v[4] if len(v) > 4 else 0.0)),
        "−contingency × (allocation − surplus returned"
        + (" − Better Care Fund)" if bcf else ")"),
    )  # fmt: skip
    yield _line(
        book, year, ("investments", "non-recurrent"),
        [(a, "headroom", col), *alloc, ret, (t, "commitments", "non-recurrent"),
         (t, "contingency", "non-recurrent")],
        lambda v: -(v[2] + v[0] / 100 * (v[1] + v[3]) + v[4] + v[5]),
        "−(non-recurrent allocation + headroom × (recurrent allocation + surplus returned) "
        "− non-recurrent commitments − contingency)",
    )  # fmt: skip


def model_claims(model: PositionModel) -> Iterator[Claim]:
    """Each line the model derives (growth, contingency, the non-recurrent investment
    reserve) against its printed value, from the printed values it reads, so one line's
    gap is not carried into the next."""
    assumptions = model.assumptions_table
    assert assumptions is not None
    for year in model.years:
        yield from (c for c in _year_claims(model.book, assumptions, year) if c is not None)


def model_findings(book: Book) -> list[Finding]:
    """The checker's findings for every derived line that disagrees with its printed
    value; a book without a position and its assumptions has none."""
    if not any(is_position(t) for t in book.checked()) or not any(
        _is_assumptions(t) for t in book.checked()
    ):
        return []
    model = read_model(book)
    found = [f for c in model_claims(model) if (f := claim_finding(book, c)) is not None]
    return found + [f for y in model.years if (f := surplus_finding(book, model, y))]


def surplus_finding(book: Book, model: PositionModel, year: YearModel) -> Finding | None:
    """A planned surplus that is not the assumed surplus c/fwd % of the recurrent
    allocation and the surplus returned: a warning, since a larger surplus is a choice
    the assumption does not forbid, but the two should be the same plan."""
    assumptions = model.assumptions_table
    assert assumptions is not None
    t = year.table
    inputs = [(assumptions, "surplus-carried-forward", year.column),
              (t, "allocation", "recurrent"), (t, "surplus-return", "non-recurrent")]  # fmt: skip
    claim = _line(
        book, year, ("surplus", "total"), inputs, lambda v: v[0] / 100 * (v[1] + v[2]),
        "surplus c/fwd × (recurrent allocation + surplus returned)",
    )  # fmt: skip
    finding = claim_finding(book, claim) if claim is not None else None
    if finding is None or claim is None:
        return None
    share = claim.stated.value / (claim.computed / year.assumptions.surplus * 100) * 100
    finding.severity = Severity.WARNING
    finding.check = "finance-model-surplus"
    finding.id = finding.id.removesuffix("/model") + "/model-surplus"
    finding.message += f"; the planned surplus is {share:.1f}% where the assumption says " + (
        f"{year.assumptions.surplus:.2f}%"
    )
    finding.why = "the planning assumptions set the surplus carried forward"
    return finding


LABELS = {
    "baseline": "Baseline allocation",
    "surplus-return": "Return of surplus",
    "growth": "Growth",
    "bcf": "Better Care Fund",
    "allocation": "Total allocation",
    "commitments": "Planned commitments",
    "investments": "Planned investments",
    "contingency": "Contingency",
    "total-commitments": "Total commitments",
    "surplus": "Surplus / deficit (−)",
}


def _triple(pair: tuple[float, float]) -> list[float]:
    return [round(pair[0], 6), round(pair[1], 6), round(pair[0] + pair[1], 6)]


def what_if(model: PositionModel, texts: list[str]) -> dict[str, Any]:
    """The position as printed, as derived from the printed assumptions, and as derived
    with ``texts`` (``--set`` values) changed: every row, the headroom and the headroom
    for investment, by year."""
    settings = settings_from(texts, model)
    base, changed = derive(model), derive(model, settings)
    years = []
    for year, b, c in zip(model.years, base, changed, strict=True):
        rows = []
        for row_id, label in LABELS.items():
            if (
                row_id == "bcf"
                and not year.assumptions.bcf
                and row_id not in settings.get(year.period, {})
            ):
                continue
            printed = [printed_value(year.table, row_id, col) for col in COLUMNS]
            rows.append(
                {
                    "id": row_id,
                    "label": label,
                    "printed": printed,
                    "derived": _triple(b.rows[row_id]),
                    "what_if": _triple(c.rows[row_id]),
                }
            )
        years.append(
            {
                "period": year.period,
                "table": year.table.id,
                "assumptions": {
                    name: {
                        "printed": getattr(year.assumptions, name),
                        "what_if": settings.get(year.period, {}).get(
                            name, getattr(year.assumptions, name)
                        ),
                        "unit": "%" if name in RATES else "£m",
                    }
                    for name in NAMES
                },
                "rows": rows,
                "headroom": {"derived": b.headroom, "what_if": c.headroom},
                "required_surplus": {"derived": b.required_surplus, "what_if": c.required_surplus},
                "investment_headroom": {
                    "derived": b.investment_headroom,
                    "what_if": c.investment_headroom,
                },
            }
        )
    return {"set": texts, "years": years}


COLUMNS = ("recurrent", "non-recurrent", "total")
