"""Indicators computed from their catalogue definition alone (``catalogue/records.yaml``).

A definition names the events counted (a warehouse table, the values its columns
must hold, a code list matched on its diagnosis, lengths of stay), the age limits,
the denominator (the mid-period population within the same limits, or other events
of the same table), the period and the method. Each distinct event set is counted
once, at the population grain with the exact age, and every indicator that uses it
is cut from that count; ages, bands and periods follow the rules every other
pipeline uses (:mod:`placehealth.engine.population`).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth import stats
from placehealth.catalogue.codelists import code_list
from placehealth.catalogue.load import load_catalogue
from placehealth.catalogue.records import (
    DEFINED,
    LENGTH_OF_STAY,
    Definition,
    Events,
    Method,
    Period,
)
from placehealth.catalogue.records import defined as defined_records
from placehealth.engine.expressions import day_number
from placehealth.engine.indicators.context import (
    VALUE_COLUMNS,
    Context,
    fy_label,
    long_format,
    pool,
    with_band_labels,
)
from placehealth.engine.indicators.prevalence import recorded_by_condition
from placehealth.engine.indicators.standardise import (
    AREA_KEYS,
    crude_rate,
    directly_standardised,
    proportion,
)
from placehealth.engine.population import Basis, count_events

TOP_BAND = 90  # ESP2013's last band, 90+
EVENTS, TOTAL, PEOPLE = "events", LENGTH_OF_STAY, "population"

Counts = dict[tuple[str, Period], pd.DataFrame]  # by the events (as JSON) and period


def defined_indicators(ctx: Context, pipeline: str = DEFINED) -> list[pd.DataFrame]:
    """The indicators of one engine pipeline whose catalogue definitions say how to count them."""
    definitions = defined_records(pipeline)
    counts: Counts = _prevalence_counts(ctx, definitions)
    return [_indicator(ctx, i, d, counts) for i, d in definitions.items()]


def defined_indicator(ctx: Context, indicator_id: str) -> pd.DataFrame:
    """One indicator from its catalogue definition."""
    definitions = {indicator_id: defined_records()[indicator_id]}
    return _indicator(
        ctx, indicator_id, definitions[indicator_id], _prevalence_counts(ctx, definitions)
    )


def _indicator(ctx: Context, indicator_id: str, d: Definition, counts: Counts) -> pd.DataFrame:
    assert d.numerator is not None  # a defined indicator has one (checked on loading)
    banded = d.method == Method.DSR
    keys = ["year", "age_start"] if banded else ["year"]
    numerator = rolled(ctx, _counted(ctx, d.numerator, d.period, counts), d, keys)
    if isinstance(d.denominator, Events):
        other = rolled(ctx, _counted(ctx, d.denominator, d.period, counts), d, keys)
        other = other.rename(columns={EVENTS: PEOPLE}).drop(columns=TOTAL, errors="ignore")
        frame = beside(numerator, other, keys)
    else:  # per population; a count has a row (zero or more) wherever people live
        frame = beside(numerator, population_within(ctx, d, keys), keys)
    if frame.empty:  # nobody within the ages (or no period): no values
        return pd.DataFrame(columns=VALUE_COLUMNS)
    frame = _periods(ctx, frame, d.period, [c for c in (EVENTS, TOTAL, PEOPLE) if c in frame])
    if banded:
        frame = with_band_labels(frame)
    count = TOTAL if d.numerator.measure else EVENTS
    multiplier = load_catalogue()[indicator_id].multiplier or 100
    if d.method == Method.DSR:
        return directly_standardised(
            frame, count, indicator_id, standard=_standard(d), multiplier=multiplier
        )
    if d.method == Method.CRUDE_RATE:
        return crude_rate(frame, count, indicator_id, multiplier=multiplier)
    if d.method == Method.PROPORTION:
        return proportion(frame, count, PEOPLE, indicator_id)
    if d.method == Method.RATIO:
        return quotient(frame, EVENTS, PEOPLE, indicator_id, "ratio")
    if d.method == Method.MEAN:
        return quotient(frame, TOTAL, EVENTS, indicator_id, "mean")
    summed = frame.groupby(AREA_KEYS, observed=True)[count].sum().reset_index()
    counted = summed.assign(numerator=summed[count], value=summed[count], method="count")
    return long_format(counted, indicator_id)


def quotient(
    frame: pd.DataFrame, numerator: str, denominator: str, indicator_id: str, method: str
) -> pd.DataFrame:
    """A ratio of two counts (follow-ups per first appointment, days per stay), no limits."""
    summed = frame.groupby(AREA_KEYS, observed=True)[[numerator, denominator]].sum().reset_index()
    summed = summed[summed[denominator] > 0]
    result = summed.assign(
        numerator=summed[numerator],
        denominator=summed[denominator],
        value=summed[numerator] / summed[denominator],
        method=method,
    )
    return long_format(result, indicator_id)


def _basis(period: Period) -> Basis:
    return "financial" if period == Period.FINANCIAL_YEAR else "calendar"


def _years(ctx: Context, period: Period) -> list[int]:
    return ctx.years if period == Period.FINANCIAL_YEAR else ctx.calendar_years


def _periods(ctx: Context, frame: pd.DataFrame, period: Period, values: list[str]) -> pd.DataFrame:
    """Years labelled as periods: financial years, or summed into pooled windows."""
    if period == Period.FINANCIAL_YEAR:
        return frame.assign(period=frame.pop("year").map(fy_label))
    return pool(frame, ctx.pooled, values)


def _counted(ctx: Context, events: Events, period: Period, counts: Counts) -> pd.DataFrame:
    """Events (and their summed measure) by the population grain with exact ages, once each."""
    key = (events.model_dump_json(), period)
    if key not in counts:
        counts[key] = count_events(
            ctx.backend, _selected(ctx, events), events.date, years=_years(ctx, period),
            basis=_basis(period), banding="none", name=EVENTS,
            total=TOTAL if events.measure else None,
        )  # fmt: skip
    return counts[key]


def _selected(ctx: Context, events: Events) -> nw.LazyFrame[Any]:
    """The rows of the event table the definition counts, with the person and the date."""
    frame = ctx.backend.table(events.table)
    for column, values in events.where.items():
        frame = frame.filter(nw.col(column).is_in(list(values)))
    if events.code_list is not None:
        assert events.diagnosis is not None  # checked on loading
        frame = frame.filter(code_list(events.code_list).expression(events.diagnosis))
    columns = ["person_key", events.date]
    if events.measure or events.min_days is not None or events.max_days is not None:
        stay = day_number("discharge_date") - day_number("admit_date")
        frame = frame.filter(~nw.col("discharge_date").is_null()).with_columns(stay.alias(TOTAL))
        if events.min_days is not None:
            frame = frame.filter(nw.col(TOTAL) >= events.min_days)
        if events.max_days is not None:
            frame = frame.filter(nw.col(TOTAL) <= events.max_days)
        columns.append(TOTAL)
    return frame.select(columns)


def _prevalence_counts(ctx: Context, definitions: dict[str, Definition]) -> Counts:
    """People with each recorded condition, for every condition a definition names, in one
    pass (conditions are states held from the date recorded, counted at mid-year)."""
    states = {
        d.numerator.model_dump_json(): d.numerator
        for d in definitions.values()
        if d.numerator is not None and d.numerator.state
    }
    if not states:
        return {}
    wanted = sorted({c for e in states.values() for c in e.where.get("condition", ())})
    recorded = recorded_by_condition(ctx, wanted).rename(columns={"recorded": EVENTS})
    counts: Counts = {}
    for key, events in states.items():
        (condition,) = events.where["condition"]  # one condition a person either has or not
        part = recorded[recorded["condition"] == condition].drop(columns="condition")
        counts[(key, Period.FINANCIAL_YEAR)] = part
    return counts


def _limited(frame: pd.DataFrame, d: Definition, banded: bool) -> pd.DataFrame:
    """Rows within the age limits, exact ages replaced by ESP2013 bands for a DSR."""
    ages = frame["age_start"]
    keep = pd.Series(True, index=frame.index)
    if d.min_age is not None:
        keep &= ages >= d.min_age
    if d.max_age is not None:
        keep &= ages < d.max_age
    frame = frame[keep]
    if banded:
        frame = frame.assign(age_start=np.minimum(frame["age_start"] // 5 * 5, TOP_BAND))
    return frame


def rolled(ctx: Context, counts: pd.DataFrame, d: Definition, keys: list[str]) -> pd.DataFrame:
    values = [c for c in (EVENTS, TOTAL) if c in counts]
    limited = _limited(counts, d, banded="age_start" in keys)
    grain = ["lsoa", "practice_code", *keys]
    summed = limited.groupby(grain, dropna=False, observed=True)[values].sum().reset_index()
    return ctx.roll_up(summed, values, keys)


def population_within(ctx: Context, d: Definition, keys: list[str]) -> pd.DataFrame:
    """Mid-period people within the definition's age limits, rolled up, once per kind."""

    def make() -> pd.DataFrame:
        people = ctx.population(_basis(d.period), "none").rename(columns={PEOPLE: EVENTS})
        return rolled(ctx, people, d, keys).rename(columns={EVENTS: PEOPLE})

    return ctx.remember(("defined", d.period, d.min_age, d.max_age, *keys), make)


def beside(events: pd.DataFrame, people: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Events and their denominator side by side in every area (absent = 0)."""
    merged = people.merge(events, on=["area_type", "area_code", *keys], how="outer")
    counts = [c for c in (EVENTS, TOTAL, PEOPLE) if c in merged]
    merged[counts] = merged[counts].fillna(0)
    return merged


def _standard(d: Definition) -> pd.Series:
    """ESP2013's bands within the age limits."""
    starts = np.arange(0, TOP_BAND + 1, 5)
    keep = np.ones(len(starts), dtype=bool)
    if d.min_age is not None:
        keep &= starts >= d.min_age
    if d.max_age is not None:
        keep &= starts < d.max_age
    return stats.ESP2013.iloc[np.flatnonzero(keep)]
