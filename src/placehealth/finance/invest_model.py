"""Investment proposals, prioritisation criteria and reserves as data
(``plans/<document>/finance/investments/*.yaml``).

A proposal keeps what the document prints: its cost (or a cell of a finance table that
holds it), whether it is recurrent, the savings and outcomes expected, the decision.
A criterion is a measure of the proposals (lives saved, admissions avoided, cost,
savings) with a weight; a reserve is an amount, printed or a cell of a position table.
The prioritisation process (the steps, who decides, when) is kept as text with lines.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from placehealth.finance.model import CellRef, FinanceDocument, Id, PrintedValue, _Strict
from placehealth.sources import SourceLines
from placehealth.yamlfile import reject_repeats

Money = Literal["£", "£000", "£m", "£bn"]
# what a criterion measures, each a column of the proposals' measure matrix
Measure = Literal["cost", "savings", "lives-saved", "admissions-avoided"]
MEASURES: tuple[Measure, ...] = ("cost", "savings", "lives-saved", "admissions-avoided")


class Amount(_Strict):
    """Money as printed (``value`` and ``unit``) or a cell of a finance table (``ref``,
    negated by a leading ``-``: a planned investment is printed negative)."""

    value: PrintedValue | None = None
    unit: Money | None = None
    ref: CellRef | None = None
    src: SourceLines | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Amount:
        if (self.value is None) == (self.ref is None):
            raise ValueError("give a value with its unit, or a ref to a table cell, not both")
        if self.value is not None and self.unit is None:
            raise ValueError("a value needs its unit (£, £000, £m or £bn)")
        if self.ref is not None and self.ref.column is None:
            raise ValueError(f"{self.ref} names a row; an amount needs a column")
        return self


class Range(_Strict):
    """An expected outcome, printed as one number or a range (44-114)."""

    low: float
    high: float
    src: SourceLines

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"range {self.low:g}-{self.high:g} runs backwards")
        return self

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


class Proposal(_Strict):
    """One investment proposal, and the outcomes the document expects from it."""

    id: Id
    label: str
    src: SourceLines
    cost: Amount | None = None
    recurrent: bool | None = None
    savings: Amount | None = None
    lives_saved: Range | None = None
    admissions_avoided: Range | None = None
    decision: Literal["approved", "rejected", "deferred", "announced"] | None = None
    note: str | None = None


class Criterion(_Strict):
    """A measure the proposals are scored on, its direction and its weight."""

    id: Id
    label: str
    measure: Measure
    better: Literal["higher", "lower"]
    weight: float = Field(ge=0)
    src: SourceLines | None = None
    note: str | None = None


class Reserve(_Strict):
    """An investment reserve: how much, for which year, recurrent or not."""

    id: Id
    label: str
    period: str
    recurrent: bool
    amount: Amount
    src: SourceLines


class Step(_Strict):
    what: str
    when: str | None = None
    src: SourceLines


class Process(_Strict):
    """How proposals are prioritised (who reviews, against what, when)."""

    src: SourceLines
    summary: str
    steps: list[Step] = Field(default_factory=list)


class InvestmentFile(_Strict):
    """One investments file: a document's process, criteria, reserves and proposals."""

    document: FinanceDocument
    # the plan folder whose criteria and reserves judge these proposals, where this
    # document has none of its own (seed 001's proposals, seed 000's process)
    judged_by: Id | None = None
    process: Process | None = None
    criteria: list[Criterion] = Field(default_factory=list)
    reserves: list[Reserve] = Field(default_factory=list)
    proposals: list[Annotated[Proposal, Field()]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> InvestmentFile:
        reject_repeats([c.id for c in self.criteria], "criterion id")
        reject_repeats([r.id for r in self.reserves], "reserve id")
        reject_repeats([p.id for p in self.proposals], "proposal id")
        return self
