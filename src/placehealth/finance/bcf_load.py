"""Read Better Care Fund plans and resolve every link: contributions to the finance
tables' cells, metrics to the outcome plans' ambitions (and their targets by payment
period), and a plan's payment rules to the plan that prints them.

A link that names nothing stops the load with its file and line: a plan that cannot be
resolved cannot be paid against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from placehealth.errors import InputFileError, ValidationError
from placehealth.finance.bcf_model import BcfPlan, PaymentRules
from placehealth.finance.files import FOLDER, folder_files
from placehealth.finance.load import Book, load_book
from placehealth.finance.model import SCALE
from placehealth.finance.printed import Printed
from placehealth.sources import Lines
from placehealth.yamlfile import line_of, load_model

BCF_FOLDER = "bcf"


@dataclass(frozen=True)
class Amount:
    """A contribution resolved: its printed value, in £, and where it is printed."""

    printed: Printed
    unit: str
    pounds: float
    seed: str
    lines: Lines | None
    table: str | None = None  # the finance table cell it was read from


@dataclass(frozen=True)
class Target:
    """A metric's target for one payment: the value, whether higher is better, and its
    ambition's lines (None: the plan sets no target for this payment)."""

    value: float | None
    higher_is_better: bool
    period: str | None
    ambition: str | None
    indicator: str | None


@dataclass
class ResolvedBcf:
    """A BCF plan with its links followed."""

    plan: BcfPlan
    file: Path
    rules: PaymentRules
    rules_file: Path
    amounts: dict[str, Amount] = field(default_factory=dict)  # contribution id -> amount
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)  # (metric, release)

    @property
    def seed(self) -> str:
        return self.plan.document.seed


def bcf_files(path: Path) -> list[Path]:
    """The files under ``path``: a file, a ``bcf/`` folder, a plan folder or a folder of plans."""
    return folder_files(path, BCF_FOLDER)


def plan_folder(file: Path) -> Path:
    """The plan folder a BCF file belongs to (``plans/ccg-2014`` for its ``bcf/plan.yaml``)."""
    return file.parent.parent if file.parent.name == BCF_FOLDER else file.parent


def load_bcf(path: Path) -> list[ResolvedBcf]:
    """Every BCF plan under ``path``, resolved; none found is an error (nothing to show)."""
    files = bcf_files(path)
    if not files:
        raise InputFileError(
            "no Better Care Fund plan found",
            file=path,
            hint=f"give a plan folder with a {BCF_FOLDER}/ folder, e.g. plans/ccg-2014",
        )
    return [resolve(file, load_model(file, BcfPlan)) for file in files]


def resolve(file: Path, plan: BcfPlan) -> ResolvedBcf:
    """Follow ``plan``'s links from ``file``."""
    rules, rules_file = _rules(file, plan)
    resolved = ResolvedBcf(plan=plan, file=file, rules=rules, rules_file=rules_file)
    folder = plan_folder(file)
    book = load_book(folder) if (folder / FOLDER).is_dir() else Book()
    for n, c in enumerate(plan.pool):
        if c.amount is not None:
            resolved.amounts[c.id] = Amount(
                c.amount, c.unit, c.amount.value * SCALE[c.unit], plan.document.seed, c.src
            )
            continue
        assert c.from_ is not None  # the model requires one of the two
        resolved.amounts[c.id] = _cell(book, c.from_, file, ("pool", n, "from"))
    resolved.targets = _targets(file, plan, folder)
    return resolved


def _cell(book: Book, ref: object, file: Path, location: tuple[str | int, ...]) -> Amount:
    from placehealth.finance.model import Ref

    assert isinstance(ref, Ref)
    table = book.tables.get(ref.table)
    row = next((r for r in table.rows if r.id == ref.row), None) if table else None
    column = (
        next((i for i, c in enumerate(table.columns) if c.id == ref.column), None)
        if table
        else None
    )
    cell = row.cell(column) if row is not None and column is not None else None
    if table is None or row is None or cell is None:
        raise ValidationError(
            f"{ref}: no such cell in the plan's finance tables",
            file=file,
            line=line_of(file, location),
            hint="write TABLE/row/column with the ids of the plan's finance/ files",
        )
    assert column is not None
    unit = table.column_unit(table.columns[column])
    seed = book.where[table.id].document.seed
    return Amount(
        cell.value,
        unit,
        cell.value.value * SCALE[unit],
        seed,
        cell.src or row.src,
        table=str(ref),
    )


def _rules(file: Path, plan: BcfPlan) -> tuple[PaymentRules, Path]:
    if plan.payment is not None:
        return plan.payment, file
    folder = plan_folder(file)
    for other in sorted(folder.parent.glob(f"*/{BCF_FOLDER}/*.yaml")):
        if other == file:
            continue
        parsed = load_model(other, BcfPlan)
        if parsed.document.id == plan.payment_rules_from and parsed.payment is not None:
            return parsed.payment, other
    raise ValidationError(
        f"payment_rules_from: no BCF plan of '{plan.payment_rules_from}' with payment rules "
        "beside this plan",
        file=file,
        line=line_of(file, ("payment_rules_from",)),
        hint="name the document id of a sibling plan folder whose bcf/ file has payment:",
    )


def _targets(file: Path, plan: BcfPlan, folder: Path) -> dict[tuple[str, str], Target]:
    """Each metric's target for each payment, read from the ambition it links to."""
    from placehealth.catalogue.load import load_catalogue
    from placehealth.catalogue.model import Polarity
    from placehealth.plans.load import load_plans

    if not plan.metrics:
        return {}
    plans = [p for p in load_plans(folder) if p.document.id == plan.document.id]
    ambitions = {a.id: a for p in plans for a in p.ambitions}
    catalogue = load_catalogue()
    releases = {r.id for r in (_rules(file, plan)[0]).releases}
    out: dict[tuple[str, str], Target] = {}
    for n, metric in enumerate(plan.metrics):
        ambition = ambitions.get(metric.ambition) if metric.ambition else None
        if metric.ambition is not None and ambition is None:
            raise ValidationError(
                f"metric '{metric.id}': no ambition '{metric.ambition}' in {plan.document.id}",
                file=file,
                line=line_of(file, ("metrics", n, "ambition")),
                hint="link to an ambition id of the same document's outcome plan files",
            )
        for release, period in metric.periods.items():
            if release not in releases:
                raise ValidationError(
                    f"metric '{metric.id}': no payment '{release}' in the payment rules",
                    file=file,
                    line=line_of(file, ("metrics", n, "periods", release)),
                    hint="use a release id: " + ", ".join(sorted(releases)),
                )
            value = None
            polarity = None
            if ambition is not None:
                points = ([ambition.target] if ambition.target else []) + ambition.published
                if period is not None:
                    point = next((p for p in points if p.period == period), None)
                    if point is None:
                        raise ValidationError(
                            f"metric '{metric.id}': ambition '{ambition.id}' has no target or "
                            f"published point for {period}",
                            file=file,
                            line=line_of(file, ("metrics", n, "periods", release)),
                            hint="name a period of the ambition's target or published points",
                        )
                    value = float(point.value) if point.value is not None else None
                polarity = ambition.polarity or (
                    catalogue[ambition.indicator].polarity
                    if ambition.indicator in catalogue
                    else None
                )
            out[(metric.id, release)] = Target(
                value=value,
                higher_is_better=polarity != Polarity.LOWER,
                period=period,
                ambition=metric.ambition,
                indicator=ambition.indicator if ambition else None,
            )
    return out
