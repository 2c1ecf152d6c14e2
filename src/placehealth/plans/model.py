"""Pydantic models of a plan file (``plans/<document>/*.yaml``).

A plan records what a document says, number by number, each with the lines
it came from. What the document *computes* (its trajectories, headline
percentages, counts) is kept next to the method it claims to use, so the
checker can recompute it and report any disagreement.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from placehealth.catalogue.model import Polarity
from placehealth.errors import UserError
from placehealth.periods import parse_period
from placehealth.places import load_place
from placehealth.sources import SourceLines

Convention = Literal["sum", "point_to_point", "compound"]

# Numbers keep the form they were written in (1677 stays an int, 71.0 a float), so
# the checker knows the precision the document printed them at.
Number = int | float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_period(value: str | int) -> str:
    try:
        parse_period(str(value))
    except UserError as exc:  # pydantic reports ValueErrors with their location
        raise ValueError(f"{exc.message} ({exc.hint})") from None
    return str(value)


PeriodLabel = Annotated[str, BeforeValidator(_check_period)]


class Point(_Strict):
    """A value at a period, as printed: the level and anything printed beside it."""

    period: PeriodLabel
    value: Number | None = None
    count: Number | None = None  # the equivalent number of people/events
    numerator: Number | None = None
    denominator: Number | None = None
    change_pct: Number | None = None  # the row's stated % change from the previous row
    change_count: Number | None = None  # the row's stated change in count
    src: SourceLines | None = None


class Headline(_Strict):
    """A stated overall change ('a total reduction of 24.2%', '87 fewer admissions')."""

    change_pct: Number | None = None  # signed: -24.2 is a reduction
    change_count: Number | None = None
    value: Number | None = None  # a stated level (e.g. 'reach 67.0 on trend')
    convention: Convention | None = None  # default: the document's
    of: Literal["value", "count"] = "value"
    # the period the change runs over; default: the ambition's baseline to its target
    from_period: PeriodLabel | None = None
    to_period: PeriodLabel | None = None
    src: SourceLines

    @model_validator(mode="after")
    def _something(self) -> Headline:
        if self.change_pct is None and self.change_count is None and self.value is None:
            raise ValueError("a headline needs change_pct, change_count or value")
        return self


def headline_periods(ambition: Ambition, head: Headline) -> tuple[str | None, str | None]:
    """The periods a headline's change runs between, stated or the ambition's own."""
    first = head.from_period or (ambition.baseline.period if ambition.baseline else None)
    last = head.to_period or (ambition.target.period if ambition.target else None)
    return first, last


class Restatement(_Strict):
    """The same baseline or target printed elsewhere in the document."""

    what: Literal["baseline", "target"]
    value: Number
    period: PeriodLabel | None = None
    src: SourceLines
    note: str | None = None


class Rebase(_Strict):
    """A known change from which an indicator's SPC limits start again (a new service, a
    new definition), stated in the plan so every chart of it rebases there."""

    period: PeriodLabel  # the first month under the change: 2015-04
    reason: str
    src: SourceLines | None = None


class Denominator(_Strict):
    """The population a rate is per: count = rate × value / multiplier."""

    value: Number | None = None  # None: implied from a printed value and count
    src: SourceLines | None = None
    note: str | None = None


class HistoryPoint(_Strict):
    period: PeriodLabel
    value: Number
    src: SourceLines | None = None


class Peer(_Strict):
    name: str
    value: Number


# --- trajectory methods (DESIGN §5) ---------------------------------------------------


class EqualSteps(_Strict):
    """Straight line from baseline to target (optionally after a first stated year)."""

    kind: Literal["equal_steps"]
    periods: list[PeriodLabel] | None = None  # default: the published periods, else yearly
    step: Number | None = None  # the step the document states, checked
    start: Point | None = None  # start the steps here instead of the baseline


class YearlyChanges(_Strict):
    """Year-on-year percentage changes applied in turn to the baseline."""

    kind: Literal["yearly_changes"]
    changes_pct: list[Number] = Field(min_length=1)  # signed
    periods: list[PeriodLabel] | None = None


class LinearForecast(_Strict):
    """Least-squares line through history; the target beats it by ``better_by_pct``.

    Where a document gives the forecast but not the history behind it, ``forecast``
    holds that value instead (say in ``notes`` whether it is printed or inferred).
    """

    kind: Literal["linear_forecast"]
    history: list[HistoryPoint] = Field(default_factory=list)
    forecast: Number | None = None
    forecast_period: PeriodLabel
    better_by_pct: Number | None = None  # target = forecast improved by this %
    stated_forecast: Number | None = None
    stated_forecast_src: SourceLines | None = None

    @model_validator(mode="after")
    def _history_or_forecast(self) -> LinearForecast:
        if self.forecast is None and len(self.history) < 2:
            raise ValueError("a linear forecast needs two or more history points, or a forecast")
        return self


class BestPeers(_Strict):
    """Target = average of the best ``n`` peers (polarity decides 'best')."""

    kind: Literal["best_peers"]
    peers: list[Peer] = Field(min_length=1)
    n: int = Field(ge=1)
    stated_average: Number | None = None


class GapClosure(_Strict):
    """Move ``fraction`` of the way from the baseline to a benchmark."""

    kind: Literal["gap_closure"]
    benchmark: Number
    fraction: float = Field(gt=0, le=1)


class ProjectedGap(_Strict):
    """Project a gap linearly from history and close ``fraction`` of it."""

    kind: Literal["projected_gap"]
    history: list[HistoryPoint] = Field(min_length=2)
    projection_period: PeriodLabel
    fraction: float = Field(gt=0, le=1)
    stated_projection: Number | None = None
    stated_target: Number | None = None
    stated_src: SourceLines | None = None


class RelativeChange(_Strict):
    """Target = baseline × factor (or baseline changed by ``change_pct``)."""

    kind: Literal["relative_change"]
    factor: Number | None = None
    change_pct: Number | None = None

    @model_validator(mode="after")
    def _one(self) -> RelativeChange:
        if (self.factor is None) == (self.change_pct is None):
            raise ValueError("give exactly one of factor or change_pct")
        return self


class Maintain(_Strict):
    """Hold the baseline level."""

    kind: Literal["maintain"]


class Stated(_Strict):
    """The document states a target without a method that can be recomputed."""

    kind: Literal["stated"]
    reason: str | None = None


Method = Annotated[
    EqualSteps
    | YearlyChanges
    | LinearForecast
    | BestPeers
    | GapClosure
    | ProjectedGap
    | RelativeChange
    | Maintain
    | Stated,
    Field(discriminator="kind"),
]


class Comparator(_Strict):
    """What an ambition measures itself against: one area (England, the North West) or a
    peer group's mean, or the mean of its ``best`` n (seed 000: "the average of the 5 best
    performing core cities"). Areas and peer groups are defined once, in
    ``catalogue/comparators.yaml``."""

    area: str | None = None  # an area name or GSS code: England, North West, E92000001
    peers: str | None = None  # a peer group id: core-cities
    best: int | None = Field(default=None, ge=1)  # mean of the best n peers; default: all
    src: SourceLines | None = None

    @model_validator(mode="after")
    def _one(self) -> Comparator:
        if (self.area is None) == (self.peers is None):
            raise ValueError("a comparator names exactly one of area or peers")
        if self.best is not None and self.peers is None:
            raise ValueError("best: applies to a peer group (peers:), not to one area")
        return self

    def describe(self, peer_name: str | None = None) -> str:
        """How status names it: 'England', 'mean of the best 5 core cities'."""
        if self.area is not None:
            return self.area
        name = peer_name or self.peers
        return f"mean of the best {self.best} {name}" if self.best else f"mean of the {name}"


class SeasonalProfile(_Strict):
    """Shares of a year by quarter (4) or month (12), e.g. last year's profile."""

    weights: list[Number]
    src: SourceLines | None = None

    @field_validator("weights")
    @classmethod
    def _length(cls, weights: list[Number]) -> list[float]:
        if len(weights) not in (4, 12):
            raise ValueError("a seasonal profile has 4 (quarters) or 12 (months) weights")
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError("profile weights must be non-negative and not all zero")
        return weights


class Ambition(_Strict):
    """One quantified ambition: indicator, baseline, target, method, what was printed."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    indicator: str
    name: str | None = None  # as the document words it
    codes: list[str] = Field(default_factory=list)  # framework codes as cited
    group: str | None = None  # objective, programme or goal
    area: str | None = None  # default: the plan's area
    sex: Literal["persons", "male", "female"] = "persons"
    age: str | None = None  # an age band as the actuals write it; default: all ages, or the
    # indicator's only band (life expectancy at birth is band "0" in the engine's output)
    polarity: Polarity | None = None  # default: the catalogue's
    multiplier: Number | None = None  # default: the catalogue's
    baseline: Point | None = None
    target: Point | None = None
    method: Method = Field(default_factory=lambda: Stated(kind="stated"))
    published: list[Point] = Field(default_factory=list)
    headlines: list[Headline] = Field(default_factory=list)
    denominator: Denominator | None = None
    restated: list[Restatement] = Field(default_factory=list)
    profile: SeasonalProfile | None = None
    # default: the catalogue's (a gap indicator's comparator area)
    comparator: Comparator | None = None
    rebase: list[Rebase] = Field(default_factory=list)  # known step changes
    src: SourceLines | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _baseline_needed(self) -> Ambition:
        needs_baseline = not isinstance(
            self.method, Stated | BestPeers | LinearForecast | ProjectedGap | YearlyChanges
        )
        if needs_baseline and (self.baseline is None or self.baseline.value is None):
            raise ValueError(f"ambition '{self.id}': method '{self.method.kind}' needs a baseline")
        return self


class Statement(_Strict):
    """A fact stated in the text (a threshold, an age range) that may be stated twice."""

    key: str
    value: Number | str
    # a threshold's operator as printed: '7 or less' is <=, 'HbA1c < 7' is <
    operator: Literal["<", "<=", ">", ">=", "="] | None = None
    # what a change is measured from ("today's rate", "the forecast"): two statements of
    # one key on different bases need not agree, so their difference is a note
    basis: str | None = None
    src: SourceLines
    text: str | None = None


class Goal(_Strict):
    id: str
    title: str
    src: SourceLines | None = None


class Section(_Strict):
    id: str
    title: str
    goals: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)  # catalogue codes or indicator ids
    local_metrics: list[str] = Field(default_factory=list)  # uncoded outcomes, as worded
    src: SourceLines | None = None


class Schedule(_Strict):
    id: str
    title: str
    sections: list[str] = Field(default_factory=list)
    src: SourceLines | None = None


class PlanMap(_Strict):
    """A document's map of goals → sections → metrics and schedules → sections."""

    goals: list[Goal] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)


class Document(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    seed: str = Field(pattern=r"^\d{3}$")
    title: str
    date: str | None = None
    # the place the document plans for; unset, the default place's name (placehealth.places)
    area: str = Field(default_factory=lambda: load_place().name, min_length=1)
    headline_convention: Convention = "point_to_point"


class PlanFile(_Strict):
    """One YAML file of a plan folder. A folder's files share one ``document``."""

    document: Document
    ambitions: list[Ambition] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    map: PlanMap | None = None
