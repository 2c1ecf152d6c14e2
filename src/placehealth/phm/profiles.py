"""Segment profiles: people and hospital use by segment and area, safe to publish.

For each area type (neighbourhood, PCN, practice, IMD decile) a table of areas ×
segments is built for every count (people, emergency admissions, A&E
attendances, bed-days, deaths), with its totals: the row total is the area's
whole population, the column total the place. All of them go through the one
publishing step (:mod:`placehealth.publish`) together, so practices within PCNs
within the place are protected as one linked table: counts of 1-7 hidden, other
cells hidden until nothing hidden can be worked out by subtraction, and counts
rounded to 5. Rates and shares come from the published counts and are blank when
their numerator or denominator is hidden (either would give the other away).

Activity is counted in the 12 months from the index date (``period="after"``:
index date included, one year on excluded) — what each segment goes on to
use — or in the 12 months before it (``period="before"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import day_number
from placehealth.errors import ValidationError
from placehealth.periods import add_months
from placehealth.phm.concentration import concentration, people_share
from placehealth.phm.segments import SEGMENTS, segments
from placehealth.publish import DISCLOSURE, HIGH, LOW, Hierarchy, suppress_long

KEY = "person_key"
Period = Literal["after", "before"]
AREA_TYPES = ("neighbourhood", "pcn", "practice", "imd_decile")
MEASURES = ("emergency_admissions", "ae_attendances", "bed_days", "deaths")
COUNTS = ("people", *MEASURES)
# Hospital spells of any kind: only to say who is an inpatient (the base of "11% of patients").
SPELLS = "spells"
PATIENTS = {"bed_days": SPELLS}
ALL = "all"
FRACTIONS = (0.005, 0.01, 0.05, 0.10, 0.11, 0.20)


@dataclass(frozen=True)
class Profiles:
    """Everything the segments command publishes, already suppressed."""

    index_date: dt.date
    period: Period
    profile: pd.DataFrame  # area_type, area_code, segment, counts, shares, rates
    shares: pd.DataFrame  # place level: share of people and of each activity by segment
    multimorbidity: pd.DataFrame  # place level: segment × ltc band
    concentration: pd.DataFrame  # top-x% shares of bed-days and emergency admissions


def window(index_date: dt.date, period: Period) -> tuple[dt.date, dt.date]:
    """[start, end) of the 12 months after (from) or before the index date."""
    if period == "after":
        return index_date, add_months(index_date, 12)
    if period == "before":
        return add_months(index_date, -12), index_date
    raise ValidationError(f"unknown period '{period}'", hint="use 'after' or 'before'")


def activity(backend: Backend, index_date: dt.date, period: Period = "after") -> nw.LazyFrame[Any]:
    """Per person with any activity: emergency admissions, A&E attendances, bed-days
    (discharge minus admission of every spell admitted in the window), death, and
    hospital spells of any kind."""
    start, end = (nw.lit(d) for d in window(index_date, period))
    # day numbers, not date subtraction: the same whole days on every engine
    stay = (day_number("discharge_date") - day_number("admit_date")).fill_null(0)
    apc = (
        backend.table(t.APC_SPELL)
        .filter((nw.col("admit_date") >= start) & (nw.col("admit_date") < end))
        .select(
            KEY,
            (nw.col("admission_method") == "emergency")
            .cast(nw.Int64)
            .alias("emergency_admissions"),
            nw.lit(0, nw.Int64).alias("ae_attendances"),
            stay.cast(nw.Int64).alias("bed_days"),
            nw.lit(0, nw.Int64).alias("deaths"),
            nw.lit(1, nw.Int64).alias(SPELLS),
        )
    )
    ae = (
        backend.table(t.AE_ATTENDANCE)
        .filter((nw.col("arrival_date") >= start) & (nw.col("arrival_date") < end))
        .select(
            KEY,
            nw.lit(0, nw.Int64).alias("emergency_admissions"),
            nw.lit(1, nw.Int64).alias("ae_attendances"),
            nw.lit(0, nw.Int64).alias("bed_days"),
            nw.lit(0, nw.Int64).alias("deaths"),
            nw.lit(0, nw.Int64).alias(SPELLS),
        )
    )
    died = (
        backend.table(t.PERSON)
        .filter((nw.col("death_date") >= start) & (nw.col("death_date") < end))
        .select(
            KEY,
            nw.lit(0, nw.Int64).alias("emergency_admissions"),
            nw.lit(0, nw.Int64).alias("ae_attendances"),
            nw.lit(0, nw.Int64).alias("bed_days"),
            nw.lit(1, nw.Int64).alias("deaths"),
            nw.lit(0, nw.Int64).alias(SPELLS),
        )
    )
    return (
        nw.concat([apc, ae, died], how="vertical")
        .group_by(KEY)
        .agg(nw.col([*MEASURES, SPELLS]).sum())
    )


def person_table(backend: Backend, index_date: dt.date, period: Period = "after") -> pd.DataFrame:
    """One row per person alive at the index date: segment, ltc band, activity and areas.

    The only collection of person-level rows; everything after works on it in pandas
    (half a million rows of a few columns).
    """
    people = segments(backend, index_date)
    lsoa = backend.table(t.LSOA).select("lsoa", "neighbourhood", "imd_decile")
    practice = backend.table(t.PRACTICE).select("practice_code", "pcn")
    joined = (
        people.select(KEY, "segment", "ltc_count", "ltc_band", "lsoa", "practice_code")
        .join(activity(backend, index_date, period), on=KEY, how="left")
        .join(lsoa, on="lsoa", how="left")
        .join(practice, on="practice_code", how="left")
        .with_columns(nw.col([*MEASURES, SPELLS]).fill_null(0).cast(nw.Int64))
    )
    frame = backend.collect(joined)
    frame["practice"] = frame.pop("practice_code")
    frame["imd_decile"] = frame["imd_decile"].astype("Int64").astype(str)
    return frame


def profile(
    people: pd.DataFrame,
    *,
    area_types: Sequence[str] = AREA_TYPES,
    place: str = "place",
    low: int = LOW,
    high: int = HIGH,
    rounded: bool = True,
) -> pd.DataFrame:
    """Published counts, shares and rates per 1,000 by area × segment (plus 'all' and place).

    Suppression runs once over every area type the people carry (practices within
    PCNs within the place, neighbourhoods and deciles within the place, segments
    within 'all'), whichever ``area_types`` are shown, so two profiles of the same
    people by different areas hide the same cells. Counts are rounded to 5 (the
    index date is the user's choice); shares and rates come from the published counts.
    """
    unknown = [a for a in area_types if a not in AREA_TYPES]
    if unknown:
        raise ValidationError(
            f"unknown area type(s) {', '.join(unknown)}",
            column="--by",
            hint=f"use one of {', '.join(AREA_TYPES)}",
        )
    _check_people(people)
    every = [a for a in AREA_TYPES if a in people.columns] or list(area_types)
    long = _raw_counts(people, every, place)
    published = suppress_long(
        long,
        list(COUNTS),
        keys=["area_type", "area_code", "segment"],
        hierarchies=_hierarchies(people, every, place),
        rounded=rounded,
        low=low,
        high=high,
    )
    shown = published[published["area_type"].isin([*area_types, "place"])]
    return _derive(shown)


def _raw_counts(people: pd.DataFrame, area_types: Sequence[str], place: str) -> pd.DataFrame:
    """Every area × every segment (zeros included) and each area's 'all', before suppression."""
    parts = []
    for area in [*area_types, "place"]:
        codes = people[area].astype(str) if area != "place" else pd.Series(place, people.index)
        valid = people[area].notna().to_numpy() if area != "place" else np.ones(len(people), bool)
        grouped = (
            people[valid]
            .assign(area_code=codes[valid])
            .groupby(["area_code", "segment"], observed=True)
        )
        counts = grouped.agg(people=(KEY, "size"), **{m: (m, "sum") for m in MEASURES})
        areas = sorted(counts.index.get_level_values(0).unique())
        grid = pd.MultiIndex.from_product([areas, list(SEGMENTS)], names=["area_code", "segment"])
        full = counts.reindex(grid, fill_value=0)
        total = full.groupby(level="area_code").sum()
        total.index = pd.MultiIndex.from_product([total.index, [ALL]], names=grid.names)
        frame = pd.concat([full, total]).reset_index()
        frame.insert(0, "area_type", area)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True).astype({c: np.int64 for c in COUNTS})


def _hierarchies(people: pd.DataFrame, area_types: Sequence[str], place: str) -> list[Hierarchy]:
    """Segments add up to 'all'; each area type to the place; practices to their PCN."""
    segments = pd.DataFrame({"segment": list(SEGMENTS), "parent_segment": ALL})
    edges = []
    for area in area_types:
        codes = people[area].dropna().astype(str).unique()
        edges.append(pd.DataFrame({"area_type": area, "area_code": codes,
                                   "parent_area_type": "place", "parent_area_code": place,
                                   "family": area}))  # fmt: skip
    if {"practice", "pcn"} <= set(area_types):
        pairs = people[["practice", "pcn"]].dropna().astype(str).drop_duplicates()
        edges.append(pd.DataFrame({"area_type": "practice", "area_code": pairs["practice"],
                                   "parent_area_type": "pcn", "parent_area_code": pairs["pcn"],
                                   "family": "pcn"}))  # fmt: skip
    areas = pd.concat(edges, ignore_index=True)
    return [Hierarchy(("segment",), segments), Hierarchy(("area_type", "area_code"), areas)]


def segment_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Place level, from a published profile: each segment's share of people and of activity."""
    place = frame[frame["area_type"] == "place"].set_index("segment")
    out = pd.DataFrame(index=pd.Index(list(SEGMENTS), name="segment"))
    for count in COUNTS:
        values = place[count].reindex(out.index)
        total = place.loc[ALL, count] if ALL in place.index else pd.NA
        out[count] = values
        out[f"share_of_{count}"] = _ratio(values, pd.Series(total, index=out.index))
    return out.reset_index()


BANDS = ("0", "1", "2", "3", "4+")


def multimorbidity(
    people: pd.DataFrame, *, low: int = LOW, high: int = HIGH, rounded: bool = True
) -> pd.DataFrame:
    """Place level: people by segment × long-term condition band (0, 1, 2, 3, 4+), published."""
    _check_people(people)
    counts = people.groupby(["segment", "ltc_band"], observed=True).size()
    wide = counts.unstack("ltc_band", fill_value=0)
    wide = wide.reindex(index=list(SEGMENTS), columns=list(BANDS), fill_value=0)
    wide.loc[ALL] = wide.sum(axis=0)
    wide[ALL] = wide.sum(axis=1)
    long = pd.Series(wide.rename_axis(index="segment", columns="ltc_band").stack(), name="people")
    hierarchies = [
        Hierarchy(("segment",), pd.DataFrame({"segment": list(SEGMENTS), "parent_segment": ALL})),
        Hierarchy(("ltc_band",), pd.DataFrame({"ltc_band": list(BANDS), "parent_ltc_band": ALL})),
    ]
    published = suppress_long(long.reset_index(), ["people"], keys=["segment", "ltc_band"],
                              hierarchies=hierarchies, rounded=rounded, low=low, high=high,
                              flag=None)  # fmt: skip
    table = published.pivot(index="segment", columns="ltc_band", values="people")
    table = table.reindex(index=[*SEGMENTS, ALL], columns=[*BANDS, ALL])
    table.columns.name = "ltc_band"
    return table.reset_index()


def concentration_table(
    people: pd.DataFrame,
    measures: Sequence[str] = ("bed_days", "emergency_admissions", "ae_attendances"),
    fractions: Sequence[float] = FRACTIONS,
) -> pd.DataFrame:
    """Share of each measure held by the heaviest x% of people, the Gini coefficient, and
    the share of people holding 74% (seed 002, 184: "11% of patients … 74% of bed-days").

    Two bases: everyone alive at the index date ('population') and the patients, those
    with any of the measure in the window ('patients'; for bed-days, anyone with a
    hospital spell, as the synthetic calibration reads seed 002, 184).
    """
    rows = []
    for measure in measures:
        values = people[measure].to_numpy(dtype=float)
        using = people[PATIENTS.get(measure, measure)].to_numpy(dtype=float) > 0
        for base, chosen in (("population", values), ("patients", values[using])):
            if chosen.sum() <= 0:
                continue
            row = concentration(pd.DataFrame({measure: chosen}), measure, fractions=fractions)
            record = row.iloc[0].to_dict()
            record.update(
                measure=measure,
                base=base,
                people_with_any=float((chosen > 0).mean()),
                **{"people_holding_74%": people_share(chosen, 0.74)},
            )
            rows.append(record)
    frame = pd.DataFrame(rows)
    first = ["measure", "base", "people", "total", "people_with_any", "gini"]
    return frame[[*first, *[c for c in frame.columns if c not in first]]]


def profiles(
    backend: Backend,
    index_date: dt.date,
    *,
    period: Period = "after",
    area_types: Sequence[str] = AREA_TYPES,
    place: str = "place",
) -> Profiles:
    """Segments, profiles by area, place shares, multimorbidity and concentration in one go."""
    window(index_date, period)  # checks the period before any work
    people = person_table(backend, index_date, period)
    table = profile(people, area_types=area_types, place=place)
    return Profiles(
        index_date=index_date,
        period=period,
        profile=table,
        shares=segment_shares(table),
        multimorbidity=multimorbidity(people),
        concentration=concentration_table(people),
    )


def _check_people(people: pd.DataFrame) -> None:
    missing = [c for c in [KEY, "segment", *MEASURES] if c not in people.columns]
    if missing:
        raise ValidationError(f"the person table lacks column(s) {', '.join(missing)}")
    unknown = sorted(set(people["segment"].unique()) - set(SEGMENTS))
    if unknown:
        raise ValidationError(f"unknown segment(s) {', '.join(map(str, unknown))}")


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """numerator / denominator × scale, blank when either is hidden or the denominator is 0."""
    num = pd.to_numeric(numerator, errors="coerce").astype("Float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("Float64")
    den = den.mask(den == 0)
    return (num / den * scale).astype("Float64")


def _derive(long: pd.DataFrame) -> pd.DataFrame:
    """Share of the area's people in each segment; activity per 1,000 people."""
    long = long.copy()
    for count in COUNTS:
        long[count] = long[count].astype("Int64")
    total = long[long["segment"] == ALL].set_index(["area_type", "area_code"])["people"]
    area_total = pd.Series(
        total.reindex(pd.MultiIndex.from_frame(long[["area_type", "area_code"]])).to_numpy(),
        index=long.index,
    )
    long["share_of_people"] = _ratio(long["people"], area_total)
    for measure in MEASURES:
        long[f"{measure}_per_1000"] = _ratio(long[measure], long["people"], 1000.0)
    long["suppressed"] = long[list(COUNTS)].isna().any(axis=1)
    if DISCLOSURE in long.columns:  # last, beside the rates it explains
        long[DISCLOSURE] = long.pop(DISCLOSURE)
    order = {s: i for i, s in enumerate([*SEGMENTS, ALL])}
    long["_order"] = long["segment"].map(order)
    types = {a: i for i, a in enumerate([*AREA_TYPES, "place"])}
    long["_type"] = long["area_type"].map(types)
    long = long.sort_values(["_type", "area_code", "_order"], kind="stable")
    return long.drop(columns=["_order", "_type"]).reset_index(drop=True)
