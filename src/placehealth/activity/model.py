"""Pydantic models of an activity file (``plans/<document>/activity/*.yaml``).

A provider activity table is written in the finance format (:mod:`placehealth.finance.model`:
columns in order, each value as printed with its line, a total row that is the sum of the
providers, a year-on-year % column that is the change between two years) plus the point of
delivery it counts. Beside the tables a file declares what holds *between* them — a table
that is the sum of others (day cases + ordinary = all elective), a ratio that must be
plausible (follow-ups per first attendance) — the outcome ambitions the plan must deliver
(linked by id, never copied), the schemes whose avoided admissions are stated in the text
(linked to the plan's statements), and figures the text prints.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from placehealth.activity.pods import Pod
from placehealth.finance.model import FinanceDocument, Id, PrintedValue, Table, _Strict
from placehealth.plans.model import PeriodLabel
from placehealth.sources import SourceLines
from placehealth.yamlfile import reject_repeats

TableId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*$")]


class ActivityTable(Table):
    """A provider × year table of one point of delivery, as printed."""

    pod: Pod
    header: SourceLines | None = None  # where the title and row labels are printed
    more_src: SourceLines | None = None  # the block's second range, where it is split


class Identity(_Strict):
    """A table that is the sum of others, cell by cell (rows and year columns they share)."""

    id: Id
    total: TableId
    parts: list[TableId] = Field(min_length=2)
    why: str


class Ratio(_Strict):
    """One table over another, cell by cell, and the range a plausible plan stays in."""

    id: Id
    label: str
    numerator: TableId
    denominator: TableId
    low: float | None = None
    high: float | None = None
    why: str

    @model_validator(mode="after")
    def _a_range(self) -> Ratio:
        if self.low is None and self.high is None:
            raise ValueError(f"ratio '{self.id}': give low, high or both")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"ratio '{self.id}': low {self.low} is above high {self.high}")
        return self


class AmbitionLink(_Strict):
    """An outcome ambition of a plan (by id) that a table's row must deliver: from the
    ``base`` column, the row must fall at least as far as the ambition's counts (or
    numerators) do, each column matched to the ambition periods it covers (summed)."""

    id: Id
    plan: Id
    ambition: Id
    table: TableId
    row: Id = "total"
    base: str
    points: dict[str, list[PeriodLabel]] = Field(min_length=2)
    why: str

    @model_validator(mode="after")
    def _base_mapped(self) -> AmbitionLink:
        if self.base not in self.points:
            raise ValueError(f"link '{self.id}': points has no '{self.base}' (the base column)")
        return self


class Scheme(_Strict):
    """A scheme and the statement of the plan that gives its expected avoided activity."""

    id: Id
    statement: str
    pod: Pod


class SchemeSet(_Strict):
    """Schemes whose effects are stated one by one and as a net total (overlap allowed)."""

    id: Id
    title: str
    src: SourceLines
    schemes: list[Scheme] = Field(min_length=1)
    net: str  # the statement of the stated net effect
    baseline: str | None = None  # the statement of the activity the schemes act on

    @model_validator(mode="after")
    def _unique(self) -> SchemeSet:
        reject_repeats([s.id for s in self.schemes], f"scheme set {self.id}: scheme id")
        return self


class TextFigure(_Strict):
    """A volume, rate or target of activity the text prints, with its point of delivery: a
    statement or ambition the outcome plan already holds (linked by key or id, never
    copied), a value of its own where the plan has none, or (``text`` and ``src`` alone) a
    text item: what the plan says about activity without a number."""

    key: Id
    pod: Pod | None = None
    statement: str | None = None
    ambition: Id | None = None
    value: PrintedValue | None = None
    unit: str | None = None
    src: SourceLines | None = None
    text: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TextFigure:
        given = [n for n in ("statement", "ambition", "value") if getattr(self, n) is not None]
        if not given and self.text is not None and self.src is not None:
            return self  # a text item
        if len(given) != 1:
            raise ValueError(
                f"figure '{self.key}': give one of statement, ambition or value (or text and src)"
            )
        if self.value is not None and (self.src is None or self.unit is None):
            raise ValueError(f"figure '{self.key}': a value needs its unit and src")
        return self


class AgeGroupChange(_Strict):
    """A printed change in the number of people of an age group: ``65+`` or ``all``, with
    the counts at the two years where printed."""

    ages: str = Field(pattern=r"^(all|\d+\+)$")
    start: PrintedValue | None = None
    end: PrintedValue | None = None
    change: PrintedValue  # the % printed
    src: SourceLines

    @property
    def from_age(self) -> int:
        return 0 if self.ages == "all" else int(self.ages.rstrip("+"))


class PopulationChange(_Strict):
    """A document's population projection as it prints it: age groups' changes between two
    years. The demand model grows a place's age bands by them (docs/activity.md)."""

    id: Id
    title: str
    area: str
    start_year: int
    end_year: int
    src: SourceLines
    groups: list[AgeGroupChange] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _years(self) -> PopulationChange:
        if self.end_year <= self.start_year:
            raise ValueError(f"population '{self.id}': end_year is not after start_year")
        reject_repeats([g.ages for g in self.groups], f"population {self.id}: age group")
        return self


class ActivityFile(_Strict):
    """One file of a plan's ``activity/`` folder."""

    document: FinanceDocument
    tables: list[ActivityTable] = Field(default_factory=list)
    identities: list[Identity] = Field(default_factory=list)
    ratios: list[Ratio] = Field(default_factory=list)
    links: list[AmbitionLink] = Field(default_factory=list)
    schemes: list[SchemeSet] = Field(default_factory=list)
    figures: list[TextFigure] = Field(default_factory=list)
    populations: list[PopulationChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ActivityFile:
        reject_repeats([t.id for t in self.tables], "table id")
        reject_repeats([f.key for f in self.figures], "figure key")
        ids = [i.id for i in self.identities] + [r.id for r in self.ratios]
        ids += [k.id for k in self.links] + [s.id for s in self.schemes]
        reject_repeats(ids + [p.id for p in self.populations], "id")
        return self
