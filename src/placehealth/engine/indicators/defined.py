"""Indicators computed from their catalogue definition alone (``catalogue/records.yaml``).

A definition names the events counted (a warehouse table, the values its columns
must hold, a code list matched on its diagnosis, lengths of stay), the age limits,
the denominator (the mid-period population within the same limits, or other events
of the same table), the period and the method. Every distinct event set of every
definition is counted in one engine query per event table (a conditional count
each), the people in one more, by LSOA, practice, year and age segment; those
counts are summed to every area at once and each indicator is cut from them by its
ages and period. Ages, bands and periods follow the rules every other pipeline
uses (:mod:`placehealth.engine.population`).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
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
from placehealth.engine.expressions import (
    age_at,
    band_label,
    calendar_year,
    day_number,
    financial_year,
    flag,
)
from placehealth.engine.indicators.context import (
    VALUE_COLUMNS,
    Context,
    fy_label,
    long_format,
)
from placehealth.engine.indicators.grid import Areas, Segments, roll_up
from placehealth.engine.indicators.prevalence import having
from placehealth.engine.indicators.standardise import (
    AREA_KEYS,
    crude_rate,
    directly_standardised,
    proportion,
)
from placehealth.engine.population import Basis, midpoint, persons
from placehealth.periods import pooled_label

TOP_BAND = 90  # ESP2013's last band, 90+
LEVELS = [0, 1, 2]  # an LSOA, a practice, the place (see by_level)
BASES: tuple[tuple[Basis, str], ...] = (("financial", "fy"), ("calendar", "cy"))  # year columns
EVENTS, TOTAL, PEOPLE = "events", LENGTH_OF_STAY, "population"


def defined_indicators(ctx: Context, pipeline: str = DEFINED) -> list[pd.DataFrame]:
    """The indicators of one engine pipeline whose catalogue definitions say how to count them.

    Every definition's events are counted together the first time any defined
    pipeline runs on a context (one pass over each event table, see :func:`tally`),
    and each pipeline cuts its indicators from those counts.
    """
    counts = ctx.shared("defined counts", lambda: tally(ctx, defined_records()))
    return [_indicator(ctx, i, d, counts) for i, d in defined_records(pipeline).items()]


def defined_indicator(ctx: Context, indicator_id: str) -> pd.DataFrame:
    """One indicator from its catalogue definition, its events counted on their own."""
    definitions = {indicator_id: defined_records()[indicator_id]}
    return _indicator(ctx, indicator_id, definitions[indicator_id], tally(ctx, definitions))


@dataclass(frozen=True)
class Tally:
    """Events of every event set and the mid-period people, by area, year and age segment."""

    segments: Segments
    areas: Areas
    years: dict[Basis, list[int]]
    events: dict[tuple[str, Basis], np.ndarray]  # (area, year, segment) by (key, basis)
    people: dict[Basis, np.ndarray]  # (area, year, segment)


def tally(ctx: Context, definitions: dict[str, Definition]) -> Tally:
    """Count the events of ``definitions`` — one engine query per event table, each event
    set a conditional count of it, and one of the people at every mid-period — then sum
    them to every area at once (:mod:`placehealth.engine.indicators.grid`)."""
    sets: dict[str, Events] = {}
    for d in definitions.values():
        for side in (d.numerator, d.denominator):
            if isinstance(side, Events):
                sets.setdefault(side.model_dump_json(), side)
    segments = Segments.cut_at([a for d in definitions.values() for a in (d.min_age, d.max_age)])
    years: dict[Basis, list[int]] = {"financial": ctx.years, "calendar": ctx.calendar_years}
    by_table: dict[str, dict[str, Events]] = {}
    for key, chosen in sets.items():
        if not chosen.state:
            by_table.setdefault(chosen.table, {})[key] = chosen
    counted = [_table_counts(ctx, table, chosen, segments) for table, chosen in by_table.items()]
    states = {k: e for k, e in sets.items() if e.state}
    recorded = _state_counts(ctx, states, segments) if states else None
    people = _people(ctx, years, segments)
    frames = [f for f, _ in counted] + ([recorded[0]] if recorded else []) + [people]
    lsoa, practice = ctx.geography
    codes = [
        np.concatenate([f.loc[f["level"] == i, "code"].to_numpy(dtype=object) for f in frames])
        for i in (0, 1)
    ]
    areas = Areas.of(
        lsoa, practice, codes[0], codes[1], place=ctx.place_name, area_types=ctx.area_types
    )
    n = len(segments)
    events: dict[tuple[str, Basis], np.ndarray] = {}
    for frame, columns in counted:
        for basis, year in BASES:
            rolled = roll_up(frame, list(columns), areas, years[basis], year, n)
            for i, key in enumerate(columns.values()):
                events[(key, basis)] = rolled[..., i]
    if recorded:
        frame, columns = recorded
        rolled = roll_up(frame, list(columns), areas, years["financial"], "year", n)
        for i, key in enumerate(columns.values()):
            events[(key, "financial")] = rolled[..., i]
    people_by: dict[Basis, np.ndarray] = {}
    for code, (basis, _) in enumerate(BASES):
        part = people[people["basis"] == code]
        people_by[basis] = roll_up(part, [PEOPLE], areas, years[basis], "year", n)[..., 0]
    return Tally(segments, areas, years, events, people_by)


def _condition(events: Events, matched: dict[str, str]) -> nw.Expr:
    """True on the rows of the event table the definition counts (``matched``: the column
    that flags the rows each code list matches)."""
    tests = [nw.col(column).is_in(list(values)) for column, values in events.where.items()]
    if events.code_list is not None:
        tests.append(nw.col(matched[events.code_list]) == 1)
    if _stays(events):
        tests.append(~nw.col("discharge_date").is_null())
        if events.min_days is not None:
            tests.append(nw.col(TOTAL) >= events.min_days)
        if events.max_days is not None:
            tests.append(nw.col(TOTAL) <= events.max_days)
    return reduce(operator.and_, tests) if tests else nw.lit(True)


def _code_lists(
    ctx: Context, frame: nw.LazyFrame[Any], table: str, sets: dict[str, Events]
) -> tuple[nw.LazyFrame[Any], dict[str, str]]:
    """The table with a 0/1 column per code list its sets name. Each distinct diagnosis is
    matched once, in Python (:func:`placehealth.icd10.match_array`, the same test as the
    engine's), and joined back: a join to a table of a few thousand codes costs less than
    every list's prefixes tested on every row."""
    names = sorted({e.code_list for e in sets.values() if e.code_list is not None})
    if not names:
        return frame, {}
    diagnosis = next(e.diagnosis for e in sets.values() if e.code_list is not None)
    assert diagnosis is not None  # checked on loading
    codes = ctx.backend.collect(frame.select(diagnosis).unique())[diagnosis].dropna()
    matched = {name: f"list{i}" for i, name in enumerate(names)}
    if codes.empty:  # no diagnosis recorded: no list matches (and no table to join)
        return frame.with_columns(*[nw.lit(0, nw.Int8).alias(c) for c in matched.values()]), matched
    lookup = pd.DataFrame({diagnosis: codes.astype(object).to_numpy()})
    for name, column in matched.items():
        lookup[column] = code_list(name).match_array(lookup[diagnosis]).astype(np.int8)
    joined = frame.join(
        ctx.backend.from_pandas(lookup, f"code_lists_{table}"), on=diagnosis, how="left"
    )
    return joined, matched


def by_level(
    frame: nw.LazyFrame[Any],
    ctx: Context,
    keys: list[str],
    sums: dict[str, nw.Expr],
    segments: Segments,
) -> nw.LazyFrame[Any]:
    """``sums`` by ``keys`` and age segment (of the frame's exact ``age``) for each LSOA
    (``level`` 0), each practice (1) and the place (2), in one query: summed first by LSOA,
    practice and segment together, then that smaller result once per level (grouping
    sets, written so that every engine runs them). Counts are 32-bit until the last sum:
    64-bit sums cost DuckDB twice as much (it sums them in 128 bits)."""
    both = (
        frame.with_columns(segment=_segment(nw.col("age"), segments))
        .group_by("lsoa", "practice_code", *keys, "segment")
        .agg(*[s.cast(nw.Int32).alias(n) for n, s in sums.items()])
    )
    levels = ctx.backend.from_pandas(pd.DataFrame({"level": LEVELS}), "area_levels")
    code = (
        nw.when(nw.col("level") == 0)
        .then(nw.col("lsoa"))
        .when(nw.col("level") == 1)
        .then(nw.col("practice_code"))
    )
    return (
        both.join(levels, how="cross")
        .with_columns(code=code)
        .group_by("level", "code", *keys, "segment")
        .agg(*[nw.col(n).sum().cast(nw.Int64) for n in sums])
    )


def _segment(age: nw.Expr, segments: Segments) -> nw.Expr:
    """How many segment starts the age has reached (0 below zero): the five-year bands by
    arithmetic, the other cuts one test each."""
    bands = nw.when(age < 0).then(nw.lit(0)).otherwise(age // 5 + 1)
    bands = nw.when(bands > segments.bands).then(nw.lit(segments.bands)).otherwise(bands)
    extra = [flag(age >= cut) for cut in segments.extra]
    return reduce(operator.add, extra, bands).cast(nw.Int32)


def _check_columns(frame: nw.LazyFrame[Any], sets: Iterable[Events], date: str) -> None:
    """Name the columns a warehouse table lacks before one query needs them all."""
    needed: set[str | None] = {"person_key", date}
    for events in sets:
        needed |= set(events.where) | ({events.diagnosis} if events.code_list else set())
        needed |= {"admit_date", "discharge_date"} if _stays(events) else set()
    available = frame.collect_schema().names()
    missing = sorted(str(c) for c in needed - {*available, None})
    if missing:
        raise nw.exceptions.ColumnNotFoundError.from_missing_and_available_column_names(
            missing, available
        )


def _stays(events: Events) -> bool:
    return bool(events.measure) or events.min_days is not None or events.max_days is not None


def _table_counts(
    ctx: Context, table: str, sets: dict[str, Events], segments: Segments
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every event set of one table counted in one pass, by LSOA, practice, financial year,
    calendar year and age segment (age at the event): a column of events per set, and of
    the summed length of stay for a set that measures it. Returns the frame and, by column,
    the key each column's counts are known by."""
    date = next(iter(sets.values())).date
    frame = ctx.backend.table(table)
    _check_columns(frame, sets.values(), date)
    frame, matched = _code_lists(ctx, frame, table, sets)
    if any(_stays(e) for e in sets.values()):
        stay = day_number("discharge_date") - day_number("admit_date")
        frame = frame.with_columns(stay.alias(TOTAL))
    conditions = {key: _condition(events, matched) for key, events in sets.items()}
    if all(e.where or e.code_list or _stays(e) for e in sets.values()):
        frame = frame.filter(reduce(operator.or_, conditions.values()))
    columns: dict[str, str] = {}
    flags = []
    for i, (key, events) in enumerate(sets.items()):
        columns[f"n{i}"] = key
        flags.append(conditions[key].cast(nw.Int32).alias(f"n{i}"))
        if events.measure:
            columns[f"t{i}"] = key + TOTAL
            stay = nw.when(conditions[key]).then(nw.col(TOTAL)).otherwise(0)
            flags.append(stay.cast(nw.Int32).alias(f"t{i}"))
    rows = (
        frame.select("person_key", date, *flags)
        .join(persons(ctx.backend), on="person_key")
        .with_columns(
            fy=financial_year(date), cy=calendar_year(date), age=age_at("birth_month", date)
        )
        .filter(nw.col("fy").is_in(ctx.years) | nw.col("cy").is_in(ctx.calendar_years))
    )
    sums = by_level(rows, ctx, ["fy", "cy"], {c: nw.col(c).sum() for c in columns}, segments)
    return ctx.backend.collect(sums), columns


def _state_counts(
    ctx: Context, states: dict[str, Events], segments: Segments
) -> tuple[pd.DataFrame, dict[str, str]]:
    """People with each recorded condition a definition names, at each financial mid-year
    (conditions are states held from the date recorded), in one pass summed in the engine."""
    wanted = sorted({c for e in states.values() for c in e.where.get("condition", ())})
    columns: dict[str, str] = {}
    sums: dict[str, nw.Expr] = {}
    for i, (key, events) in enumerate(states.items()):
        (condition,) = events.where["condition"]  # one condition a person either has or not
        columns[f"s{i}"] = key
        sums[f"s{i}"] = flag(nw.col("condition") == condition).sum()
    grouped = by_level(having(ctx, wanted, ["condition"]), ctx, ["year"], sums, segments)
    return ctx.backend.collect(grouped), columns


def _people(ctx: Context, years: dict[Basis, list[int]], segments: Segments) -> pd.DataFrame:
    """People alive at every mid-period of both kinds (``basis`` 0 financial, 1 calendar),
    by LSOA, practice, year and age segment, in one pass."""
    periods = pd.DataFrame(
        [(code, y, midpoint(y, b)) for code, (b, _) in enumerate(BASES) for y in years[b]],
        columns=["basis", "year", "mid"],
    )
    alive = (
        persons(ctx.backend)
        .join(ctx.backend.from_pandas(periods, "periods_both"), how="cross")
        .filter(
            nw.col("birth_month") <= nw.col("mid"),
            nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("mid")),
        )
        .with_columns(age=age_at("birth_month", "mid"), ones=nw.lit(1, nw.Int32))
    )
    grouped = by_level(alive, ctx, ["basis", "year"], {PEOPLE: nw.col("ones").sum()}, segments)
    return ctx.backend.collect(grouped)


def _indicator(ctx: Context, indicator_id: str, d: Definition, counts: Tally) -> pd.DataFrame:
    assert d.numerator is not None  # a defined indicator has one (checked on loading)
    frame = _cut(ctx, counts, d)
    if frame.empty:  # nobody within the ages (or no period): no values
        return pd.DataFrame(columns=VALUE_COLUMNS)
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


def _cut(ctx: Context, counts: Tally, d: Definition) -> pd.DataFrame:
    """The definition's events and denominator within its ages, by area and period (and by
    ESP2013 band for a DSR): a row wherever either side counted anyone in a year of the
    period (absent = 0). Pooled windows sum their calendar years."""
    assert d.numerator is not None
    basis = _basis(d.period)
    keep = counts.segments.within(d.min_age, d.max_age)
    banded = d.method == Method.DSR
    starts = counts.segments.band_starts(TOP_BAND)[keep]
    bands = np.unique(starts) if banded else np.zeros(1, dtype=int)
    into = (starts[:, None] == bands[None, :]) if banded else np.ones((len(starts), 1), bool)
    into = into.astype(np.float64)
    years = counts.years[basis]
    if d.period == Period.FINANCIAL_YEAR:
        labels = [fy_label(y) for y in years]
        windows = np.eye(len(years))  # (year, period)
    else:
        labels = [pooled_label(first, last - first + 1) for first, last in ctx.pooled]
        windows = np.array([[first <= y <= last for first, last in ctx.pooled] for y in years])
        windows = windows.reshape(len(years), len(labels)).astype(np.float64)

    def within(cells: np.ndarray) -> np.ndarray:
        banded_cells = cells[:, :, keep] @ into  # (area, year, band)
        return np.einsum("ayb,yp->apb", banded_cells, windows)  # (area, period, band)

    key = d.numerator.model_dump_json()
    values = {EVENTS: within(counts.events[(key, basis)])}
    if d.numerator.measure:
        values[TOTAL] = within(counts.events[(key + TOTAL, basis)])
    if isinstance(d.denominator, Events):
        values[PEOPLE] = within(counts.events[(d.denominator.model_dump_json(), basis)])
    else:  # per population; a count has a row (zero or more) wherever people live
        values[PEOPLE] = within(counts.people[basis])
    area, period, band = np.nonzero((values[EVENTS] > 0) | (values[PEOPLE] > 0))
    frame = pd.DataFrame(
        {
            "area_type": counts.areas.types[area],
            "area_code": counts.areas.codes[area],
            "period": np.array(labels, dtype=object)[period],
        }
    )
    if banded:
        frame["age_band"] = np.array([band_label(int(b)) for b in bands], dtype=object)[band]
    for name, cells in values.items():
        frame[name] = cells[area, period, band]
    return frame


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
