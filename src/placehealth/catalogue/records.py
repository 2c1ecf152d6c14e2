"""Which catalogue indicators person-level records define, and how (``catalogue/records.yaml``).

Every catalogue indicator is in exactly one of two lists: ``computed`` gives the
definition the engine computes it from (events, their code list, age limits, the
denominator, the period and the method), ``not_computed`` says why records cannot
define it (a survey, workforce, finance…). A definition is computed from this data
alone by the engine's generic pipeline, as part of the engine pipeline it names; a
``bespoke`` one (readmissions, life expectancy…) has rules in its own module, with its
method, period, code lists and limits named here.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.catalogue.codelists import FOLDER as CODE_LISTS
from placehealth.catalogue.model import Catalogue
from placehealth.data import schema
from placehealth.data.columns import Kind
from placehealth.data.conditions import condition_list
from placehealth.errors import ValidationError
from placehealth.yamlfile import load_model

FILE = Path(__file__).parent / "records.yaml"
DEFINED = "defined"  # the engine pipeline of definitions no other pipeline names
ESP2013_BAND = 5  # a standardised rate's age limits fall on the standard's five-year bands
LENGTH_OF_STAY = "length_of_stay"  # days from admission to discharge, of a hospital spell


class Method(StrEnum):
    DSR = "dsr"  # directly standardised rate (ESP2013 bands within the age limits)
    CRUDE_RATE = "crude_rate"  # events per population
    PROPORTION = "proportion"  # numerator events (or people) as a % of the denominator
    RATIO = "ratio"  # numerator events per denominator event, no limits
    MEAN = "mean"  # the numerator events' measure, averaged over them
    COUNT = "count"  # events, no denominator
    LIFE_TABLE = "life_table"  # bespoke: life expectancy and its inequality
    YEARS_LOST = "years_of_life_lost"  # bespoke


class Period(StrEnum):
    FINANCIAL_YEAR = "financial_year"  # April to March, people counted on 30 September
    POOLED_CALENDAR_YEARS = "pooled_calendar_years"  # three calendar years, 30 June
    CALENDAR_YEAR = "calendar_year"  # bespoke: one calendar year


class Events(BaseModel):
    """Rows of one warehouse table: those whose columns hold the given values and whose
    diagnosis is on the code list; for hospital spells, optionally within stay lengths."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str
    where: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    code_list: str | None = None
    min_days: int | None = Field(default=None, ge=0)  # length of stay at least
    max_days: int | None = Field(default=None, ge=0)  # length of stay at most
    measure: Literal["length_of_stay"] | None = None  # summed by a mean or a bed-day rate

    @model_validator(mode="after")
    def _known_columns(self) -> Events:
        if self.table not in schema.TABLES or self.table not in _EVENT_TABLES:
            raise ValueError(f"'{self.table}' is not an event table of the warehouse")
        table = schema.TABLES[self.table]
        for column, values in self.where.items():
            try:
                allowed = table.column(column).values
            except KeyError:
                raise ValueError(f"{self.table} has no column '{column}'") from None
            if column == "condition":
                allowed = tuple(condition_list().ids())
            unknown = set(values) - set(allowed)
            if allowed and unknown:
                raise ValueError(f"{self.table}.{column} takes none of {sorted(unknown)}")
        if self.code_list is not None:
            if self.diagnosis is None:
                raise ValueError(f"{self.table} has no ICD-10 column for a code list")
            if not (CODE_LISTS / f"{self.code_list}.yaml").exists():
                raise ValueError(f"no code list '{self.code_list}'")
        stays = self.min_days is not None or self.max_days is not None or self.measure
        if stays and self.table != schema.APC_SPELL.name:
            raise ValueError("a length of stay belongs to hospital spells (apc_spell)")
        return self

    @property
    def state(self) -> bool:
        """A recorded condition is a state (held from its date on), not an event in a period."""
        return self.table == schema.CONDITION.name

    @property
    def diagnosis(self) -> str | None:
        """The table's ICD-10 column (a spell's primary diagnosis, a death's cause)."""
        table = schema.TABLES[self.table]
        return next((c.name for c in table.columns if c.kind is Kind.ICD10), None)

    @property
    def date(self) -> str:
        """The date that places an event in a period (the schema's event date)."""
        event_date = schema.TABLES[self.table].event_date
        assert event_date is not None  # every event table has one
        return event_date


_EVENT_TABLES = {t.name for t in schema.RECORDS if t.event_date is not None}


class Definition(BaseModel):
    """How records define one indicator."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pipeline: str = DEFINED  # the engine pipeline that computes it (a PIPELINES name)
    bespoke: bool = False  # rules in the pipeline's module rather than in this definition
    method: Method
    period: Period
    numerator: Events | None = None
    denominator: Events | Literal["population"] | None = None
    min_age: int | None = Field(default=None, ge=0)  # age at the event (or the mid-period)
    max_age: int | None = Field(default=None, ge=1)  # under this age
    standard: Literal["esp2013"] | None = None
    code_lists: tuple[str, ...] = ()  # a bespoke pipeline's code lists
    note: str | None = None  # how it differs from the national definition

    @model_validator(mode="after")
    def _complete(self) -> Definition:
        if self.bespoke:
            return self
        if self.numerator is None:
            raise ValueError("a defined indicator needs a numerator")
        needs_population = self.method in (Method.DSR, Method.CRUDE_RATE)
        if needs_population and self.denominator != "population":
            raise ValueError(f"a {self.method} is per population: denominator: population")
        if self.method == Method.RATIO and not isinstance(self.denominator, Events):
            raise ValueError("a ratio needs events as its denominator")
        if self.method in (Method.COUNT, Method.MEAN) and self.denominator is not None:
            raise ValueError(f"a {self.method} has no denominator (a mean's is its events)")
        if (self.method == Method.DSR) != (self.standard is not None):
            raise ValueError("a DSR, and only a DSR, names its standard population")
        if self.method == Method.DSR:
            for age in (self.min_age, self.max_age):
                if age is not None and age % ESP2013_BAND:
                    raise ValueError("a DSR's age limits fall on five-year bands")
        if self.period == Period.CALENDAR_YEAR:
            raise ValueError("a defined indicator is by financial year or pooled calendar years")
        if self.numerator.state and self.period != Period.FINANCIAL_YEAR:
            raise ValueError("recorded conditions are counted on 30 September: financial_year")
        if self.method == Method.MEAN and self.numerator.measure is None:
            raise ValueError("a mean needs a measure to average (length_of_stay)")
        return self


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    note: str | None = None


class RecordsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: dict[str, str]  # category -> why records cannot define such an indicator
    computed: dict[str, Definition]
    not_computed: dict[str, Reason]

    @model_validator(mode="after")
    def _known_reasons(self) -> RecordsFile:
        both = set(self.computed) & set(self.not_computed)
        if both:
            raise ValueError(f"both computed and not computed: {sorted(both)}")
        for indicator_id, given in self.not_computed.items():
            if given.reason not in self.reasons:
                raise ValueError(f"'{indicator_id}': unknown reason '{given.reason}'")
        return self


@cache
def records() -> RecordsFile:
    return load_model(FILE, RecordsFile)


def defined(pipeline: str | None = None) -> dict[str, Definition]:
    """The definitions the generic pipeline computes (those of one engine ``pipeline``,
    or every one), by indicator id."""
    return {
        i: d
        for i, d in records().computed.items()
        if not d.bespoke and (pipeline is None or d.pipeline == pipeline)
    }


def check_coverage(catalogue: Catalogue) -> None:
    """Every catalogue indicator is computed or has a reason, and each listed id exists."""
    given = records()
    listed = set(given.computed) | set(given.not_computed)
    missing = sorted(set(catalogue.indicators) - listed)
    unknown = sorted(listed - set(catalogue.indicators))
    if missing or unknown:
        raise ValidationError(
            f"records coverage: not listed {missing[:10]}; not in the catalogue {unknown[:10]}",
            file=FILE,
            hint="list each catalogue indicator once, under computed or not_computed",
        )
