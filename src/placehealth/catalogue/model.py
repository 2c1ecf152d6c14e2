"""Pydantic models of the indicator catalogue (``catalogue/data/*.yaml``)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.sources import SourceLines


class Polarity(StrEnum):
    """Which direction is better; decides on/off track and SPC improvement direction."""

    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"
    NEUTRAL = "neutral"


class Unit(StrEnum):
    RATE = "rate"  # per `multiplier` population
    PERCENT = "percent"
    PROPORTION = "proportion"
    COUNT = "count"
    RATIO = "ratio"
    SCORE = "score"
    YEARS = "years"
    MONEY = "money"
    DAYS = "days"
    TIME = "time"  # minutes, hours, weeks
    YES_NO = "yes_no"
    OTHER = "other"


class Aggregation(StrEnum):
    """How a value adds up over time; decides which comparisons and conversions are sound."""

    RATE = "rate"  # events per population per year: a part-year rate is annualised
    PROPORTION = "proportion"  # a share: the same scale over a month or a year
    FLOW_COUNT = "flow_count"  # events in a period: a month's count is a share of the year's
    STOCK_COUNT = "stock_count"  # a count at a date: interpolated between dates, never summed
    POOLED = "pooled"  # a value published over pooled windows of years (a 3-year DSR)
    LEVEL = "level"  # an average, score or length of life: does not scale with the period


DEFAULT_AGGREGATION = {
    Unit.RATE: Aggregation.RATE,
    Unit.PERCENT: Aggregation.PROPORTION,
    Unit.PROPORTION: Aggregation.PROPORTION,
    Unit.COUNT: Aggregation.FLOW_COUNT,
}


def value_range(unit: Unit) -> tuple[float, float]:
    """The values a measure in ``unit`` can take (forecasts are bounded by it)."""
    if unit == Unit.PERCENT:
        return (0.0, 100.0)
    if unit in (Unit.PROPORTION, Unit.YES_NO):
        return (0.0, 1.0)
    if unit in (Unit.RATE, Unit.COUNT, Unit.DAYS, Unit.TIME, Unit.MONEY):
        return (0.0, float("inf"))
    return (float("-inf"), float("inf"))


def unit_factor(
    given: Unit, given_multiplier: float | None, wanted: Unit, wanted_multiplier: float | None
) -> float | None:
    """What a value in ``given`` units is multiplied by to be in ``wanted`` units: a rate per
    100,000 is a rate per 1,000 × 0.01, a percentage a proportion × 0.01; None when one
    cannot be turned into the other (a count into a rate needs a population)."""
    if given == wanted and given != Unit.RATE:
        return 1.0
    if given == wanted == Unit.RATE and given_multiplier and wanted_multiplier:
        return wanted_multiplier / given_multiplier
    shares = {Unit.PERCENT: 100.0, Unit.PROPORTION: 1.0}
    if given in shares and wanted in shares:
        return shares[wanted] / shares[given]
    return None


def unit_label(unit: Unit, multiplier: float | None) -> str:
    """What a value measures, in a table's or chart's words: 'per 100,000', '%', 'years'."""
    if unit == Unit.RATE and multiplier:
        return f"per {multiplier:,.0f}"
    return {Unit.PERCENT: "%"}.get(unit, str(unit).replace("_", "/"))


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: str = Field(pattern=r"^\d{3}$")
    lines: SourceLines


class FrameworkCode(BaseModel):
    """A code an indicator carries in a national or local framework."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: str  # vital_signs, laa, nhs_of, ascof, phof, ccg_ois, bcf, a local strategy's id
    code: str
    tier: str | None = None  # Vital Signs tier A/B/C
    source: Source | None = None


class Indicator(BaseModel):
    """One indicator: enough to compute, judge and cite it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    definition: str | None = None
    unit: Unit
    multiplier: float | None = None  # rates per 100,000 etc.; 100 for percentages
    polarity: Polarity
    numerator: str | None = None
    denominator: str | None = None
    frequency: str | None = None  # annual, quarterly, monthly, ...
    aggregation: Aggregation | None = None  # default: by unit (see DEFAULT_AGGREGATION)
    # a gap to a comparator area: comparator's value of `gap_of` less the place's
    gap_of: str | None = None
    comparator: str | None = None  # area name or code, e.g. England
    codes: list[FrameworkCode] = Field(default_factory=list)
    # the Fingertips (OHID) Indicator ID its downloads carry, where there is one
    fingertips: int | None = Field(default=None, ge=1)
    lead: list[str] = Field(default_factory=list)  # lead organisations (LAA)
    group: str | None = None  # objective / programme / goal the document files it under
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _rate_has_multiplier(self) -> Indicator:
        if self.unit == Unit.RATE and self.multiplier is None:
            raise ValueError(f"indicator '{self.id}' is a rate but has no multiplier")
        if (self.gap_of is None) != (self.comparator is None):
            raise ValueError(f"indicator '{self.id}': give both gap_of and comparator, or neither")
        if self.aggregation is None:
            self.aggregation = DEFAULT_AGGREGATION.get(self.unit, Aggregation.LEVEL)
        return self

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit, self.multiplier)

    @property
    def kind(self) -> Aggregation:
        """The aggregation, always set after validation."""
        return self.aggregation or DEFAULT_AGGREGATION.get(self.unit, Aggregation.LEVEL)


class CatalogueFile(BaseModel):
    """One YAML file of the catalogue: a titled list of indicators."""

    model_config = ConfigDict(extra="forbid")

    title: str
    description: str | None = None
    indicators: list[Indicator]


class Catalogue:
    """All indicators, looked up by id or by any framework code."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.by_code: dict[str, list[Indicator]] = {}
        self.by_fingertips: dict[int, Indicator] = {}
        for indicator in indicators:
            self.indicators[indicator.id] = indicator
            if indicator.fingertips is not None:
                self.by_fingertips[indicator.fingertips] = indicator
            for code in indicator.codes:
                self.by_code.setdefault(normalise_code(code.code), []).append(indicator)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.indicators

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def lookup_code(self, code: str) -> list[Indicator]:
        return self.by_code.get(normalise_code(code), [])

    def framework(self, name: str) -> list[tuple[FrameworkCode, Indicator]]:
        return [
            (code, ind)
            for ind in self.indicators.values()
            for code in ind.codes
            if code.framework == name
        ]


def normalise_code(code: str) -> str:
    """Codes are compared without spaces or case: 'NI 123' == 'ni123'."""
    return "".join(code.split()).upper()
