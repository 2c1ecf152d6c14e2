"""Pydantic models of a Better Care Fund plan (``plans/<document>/bcf/*.yaml``).

A BCF plan is what the planning template holds: the partners and what each puts into
the pooled budget by year (revenue and capital), the schemes, the national conditions
with their evidence, the metrics the performance payment turns on (linked to the
outcome plans' ambitions, never copied), the payment-for-performance rules, the
contingency plan and the sign-off. Every number keeps its printed form and the seed
lines it came from; a field the template left blank stays missing and is reported.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from placehealth.finance.model import SCALE, CellRef, FinanceDocument, Id, Unit, _printed
from placehealth.finance.printed import Printed
from placehealth.plans.model import PeriodLabel
from placehealth.sources import SourceLines
from placehealth.yamlfile import reject_repeats

Money = Literal["£", "£000", "£m", "£bn"]
ConditionStatus = Literal["met", "in-progress", "not-met", "unknown"]
# the six national conditions (seed 004, 96–103): the ids every plan uses
ConditionId = Literal[
    "joint-plan",
    "protect-social-care",
    "seven-day-services",
    "data-sharing",
    "joint-assessment",
    "acute-impact",
]
CONDITIONS: tuple[str, ...] = get_args(ConditionId)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


_SUFFIX = re.compile(r"(?<=\d)\s*(?:bn|m|M|million|billion)(?=\)?\s*$)")


def _money(value: Any) -> Any:
    """A printed amount, allowing the unit after the digits ('£3.8bn', '(£500m)', '£24.040M')
    and keeping the text as printed."""
    if isinstance(value, str) and _SUFFIX.search(value):
        bare = _printed(_SUFFIX.sub("", value))
        return Printed(bare.value, bare.places, value.strip())
    return _printed(value)


MoneyValue = Annotated[Printed, BeforeValidator(_money)]
OptionalPrinted = Annotated[
    Printed | None, BeforeValidator(lambda v: None if v is None else _money(v))
]


class Partner(_Strict):
    """An organisation that contributes to the pool (a council, a CCG)."""

    id: Id
    name: str
    kind: Literal["council", "ccg", "other"]
    holds_pool: bool | None = None
    src: SourceLines | None = None


class Contribution(_Strict):
    """What one partner puts into the pool in one year: its amount as printed, or a link to
    the finance table cell that prints it (``from``), never both."""

    id: Id
    partner: Id
    year: PeriodLabel
    basis: Literal["minimum", "agreed", "spend"] = "agreed"
    kind: Literal["revenue", "capital"] | None = None  # None: the template does not split it
    label: str
    amount: OptionalPrinted = None
    unit: Money = "£m"
    from_: CellRef | None = Field(default=None, alias="from")
    part_of: Id | None = None  # a part of another contribution (the DFG within capital)
    src: SourceLines | None = None
    note: str | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True, arbitrary_types_allowed=True)

    @model_validator(mode="after")
    def _amount_or_link(self) -> Contribution:
        if (self.amount is None) == (self.from_ is None):
            raise ValueError(f"contribution '{self.id}': give an amount or a table cell (from)")
        if self.from_ is not None and self.from_.column is None:
            raise ValueError(f"contribution '{self.id}': {self.from_} names a row, not a cell")
        if self.amount is not None and self.src is None:
            raise ValueError(f"contribution '{self.id}': say which seed lines print it (src)")
        return self


class DeclaredTotal(_Strict):
    """A pool total the template prints in its header (minimum or agreed, by year); a blank
    value stays missing."""

    basis: Literal["minimum", "agreed", "spend"]
    year: PeriodLabel
    amount: OptionalPrinted = None
    # the contributions that add up to it, where the template labels them otherwise
    contributions: Literal["minimum", "agreed", "spend"] | None = None
    unit: Money = "£m"
    src: SourceLines


class Scheme(_Strict):
    """A scheme the fund pays for, the metrics it is meant to move and the conditions it
    serves; the seeds give no money per scheme, so ``amount`` is usually missing."""

    id: Id
    name: str
    programme: str | None = None
    metrics: list[Id] = Field(default_factory=list)  # ids of this plan's metrics
    conditions: list[Id] = Field(default_factory=list)
    amount: OptionalPrinted = None
    unit: Money = "£m"
    src: SourceLines
    note: str | None = None


class Condition(_Strict):
    """A national condition: the plan's evidence for it and whether it is met."""

    id: ConditionId
    name: str
    status: ConditionStatus = "unknown"
    evidence: str | None = None
    src: SourceLines | None = None  # where the evidence is printed
    note: str | None = None


class MetricLink(_Strict):
    """A metric of the performance payment: an ambition of the outcome plans and, for each
    payment (release) it counts in, the period of that ambition's target or published point
    it is judged against. Nothing about the metric itself is copied here."""

    id: Id
    ambition: Id | None  # in the same document's outcome plans; None: no ambition yet
    # release -> the period of its target; null: the metric counts in that release but the
    # plan sets no target; a release not named: the metric does not count in it
    periods: dict[Id, PeriodLabel | None] = Field(default_factory=dict)
    local: bool = False  # the locally chosen metric
    src: SourceLines | None = None
    note: str | None = None


class Release(_Strict):
    """One payment of the performance element: when, how much nationally, and the part of
    it that turns on the national conditions (the rest turns on the metrics)."""

    id: Id
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    amount: MoneyValue
    conditions_share: MoneyValue  # the part on national conditions, same unit
    metrics_share: MoneyValue
    conditions: list[ConditionId] = Field(default_factory=list)
    src: SourceLines


class PaymentRules(_Strict):
    """The 2014/15 payment-for-performance rules: the fund, the part paid for outcomes,
    its releases, and equal weight per metric."""

    fund: MoneyValue
    fund_unit: Money
    performance: MoneyValue
    performance_unit: Money
    unit: Money  # the releases' unit
    releases: list[Release] = Field(min_length=1)
    equal_weight: bool = True
    src: SourceLines
    note: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> PaymentRules:
        reject_repeats([r.id for r in self.releases], "release id")
        return self

    def fund_pounds(self) -> float:
        return self.fund.value * SCALE[self.fund_unit]

    def performance_pounds(self) -> float:
        return self.performance.value * SCALE[self.performance_unit]


class ContingencyLine(_Strict):
    """A cell of the contingency plan: planned savings or the support other services would
    need, by outcome and period; the template's blank cells stay missing."""

    outcome: str
    measure: Literal["planned-savings", "maximum-support"]
    period: str
    amount: OptionalPrinted = None
    unit: Money = "£"
    src: SourceLines


class AcuteLine(_Strict):
    """A line of the plan's section on the implications for the acute sector: where it says
    the savings will come from (``savings-target``), what the plan aims to change for the
    hospitals (``aim``), the measures it will judge the impact by (``measure``), or the
    section's own state (``status``). Each keeps its printed figure, if any; the seeds
    quantify none, which is the national condition's gap."""

    kind: Literal["status", "aim", "savings-target", "measure"]
    text: str
    amount: OptionalPrinted = None
    unit: Money = "£m"
    src: SourceLines


class SignOff(_Strict):
    """Who signed for an organisation, and when (a placeholder date stays missing)."""

    organisation: str
    on_behalf_of: Literal["ccg", "council", "health-and-wellbeing-board"]
    name: str | None = None
    position: str | None = None
    date: str | None = None  # as printed; None where the template leaves it blank or XX
    src: SourceLines


class Stated(_Strict):
    """A share or amount the text states about the fund, to compare with the rules."""

    key: Id
    value: MoneyValue
    unit: Unit
    approximately: bool = False
    src: SourceLines
    text: str | None = None


class PlanDates(_Strict):
    agreed: list[str] = Field(default_factory=list)  # dates agreed at the board, as printed
    submitted: str | None = None
    src: SourceLines
    note: str | None = None


class BcfPlan(_Strict):
    """One place's Better Care Fund plan, as its template and papers print it."""

    document: FinanceDocument
    title: str
    place: str
    src: SourceLines
    dates: PlanDates | None = None
    partners: list[Partner] = Field(min_length=1)
    pool: list[Contribution] = Field(default_factory=list)
    totals: list[DeclaredTotal] = Field(default_factory=list)
    schemes: list[Scheme] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    metrics: list[MetricLink] = Field(default_factory=list)
    payment: PaymentRules | None = None
    payment_rules_from: Id | None = None  # another document whose BCF plan prints the rules
    contingency: list[ContingencyLine] = Field(default_factory=list)
    signoff: list[SignOff] = Field(default_factory=list)
    acute_sector: list[AcuteLine] = Field(default_factory=list)
    stated: list[Stated] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> BcfPlan:
        reject_repeats([p.id for p in self.partners], "partner id")
        reject_repeats([c.id for c in self.pool], "contribution id")
        reject_repeats([s.id for s in self.schemes], "scheme id")
        reject_repeats([c.id for c in self.conditions], "condition id")
        reject_repeats([m.id for m in self.metrics], "metric id")
        if (self.payment is None) == (self.payment_rules_from is None):
            raise ValueError("give the payment rules (payment) or the plan that holds them")
        partners = {p.id for p in self.partners}
        ids = {c.id for c in self.pool}
        for c in self.pool:
            if c.partner not in partners:
                raise ValueError(f"contribution '{c.id}': no partner '{c.partner}'")
            if c.part_of is not None and c.part_of not in ids:
                raise ValueError(f"contribution '{c.id}': part_of names no contribution")
        metrics = {m.id for m in self.metrics}
        for s in self.schemes:
            unknown = [m for m in s.metrics if m not in metrics]
            if unknown:
                raise ValueError(f"scheme '{s.id}': no metric {', '.join(unknown)}")
        return self
