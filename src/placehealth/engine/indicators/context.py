"""What every indicator pipeline shares: the backend, the periods, the area lookups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.engine.expressions import band_label
from placehealth.engine.geography import lookups, roll_up, warehouse_place
from placehealth.engine.population import Banding, Basis, population
from placehealth.periods import financial_year_label, pooled_label

T = TypeVar("T")
VALUE_COLUMNS = [
    "indicator_id", "area_type", "area_code", "period", "sex", "age_band", "numerator",
    "denominator", "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl",
    "method", "value_note", "suppressed",
]  # fmt: skip
CONFIDENCE = (0.95, 0.998)
# why a value is blank, in words a reader of the table understands (see value_notes)
TOO_FEW_EVENTS = "too few events for a rate: fewer than "  # then the least count
NO_DENOMINATOR = "no denominator: no people counted in the area and period"
NO_RATE = "no rate: events in an age band with no people"
_TOO_FEW = r"NA for total count < (\d+)"  # how placehealth.stats marks a rate not given


@dataclass
class Context:
    """Periods to compute (financial years, and pooled calendar-year windows) and areas.

    ``place`` is the code of the place-level rows; unset, it is the place the
    warehouse's LSOAs name (written there from the place file).
    """

    backend: Backend
    years: list[int]  # financial years by start year, e.g. [2014, …, 2018]
    pooled: list[tuple[int, int]]  # calendar windows, e.g. [(2015, 2017)]
    place: str | None = None
    area_types: tuple[str, ...] = t.AREA_TYPES
    _populations: dict[tuple[Any, ...], pd.DataFrame] = field(default_factory=dict)
    _shared: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def geography(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return lookups(self.backend)

    @cached_property
    def place_name(self) -> str:
        return self.place if self.place is not None else warehouse_place(self.backend)

    @property
    def calendar_years(self) -> list[int]:
        return sorted({y for a, b in self.pooled for y in range(a, b + 1)})

    def population(
        self, basis: Basis = "financial", banding: Banding = "five", min_age: int | None = None
    ) -> pd.DataFrame:
        """Mid-period populations, computed once per kind and reused by every indicator."""
        key = (basis, banding, min_age)
        if key not in self._populations:
            years = self.years if basis == "financial" else self.calendar_years
            self._populations[key] = population(
                self.backend, years, basis=basis, banding=banding, min_age=min_age
            )
        return self._populations[key]

    def roll_up(self, frame: pd.DataFrame, values: list[str], keys: list[str]) -> pd.DataFrame:
        lsoa, practice = self.geography
        return roll_up(
            frame, values, keys, lsoa, practice, place=self.place_name, area_types=self.area_types
        )

    def rolled_population(
        self,
        keys: list[str],
        basis: Basis = "financial",
        banding: Banding = "five",
        min_age: int | None = None,
    ) -> pd.DataFrame:
        """:meth:`population` summed to every area by ``keys``, once per kind."""
        key = ("rolled", basis, banding, min_age, *keys)
        if key not in self._populations:
            people = self.population(basis, banding, min_age)
            self._populations[key] = self.roll_up(people, ["population"], keys)
        return self._populations[key]

    def remember(self, key: tuple[Any, ...], make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A population frame of another kind (``key``), made once per context."""
        if key not in self._populations:
            self._populations[key] = make()
        return self._populations[key]

    def shared(self, name: str, make: Callable[[], T]) -> T:
        """Counts several pipelines cut their indicators from (``name``), made once."""
        if name not in self._shared:
            self._shared[name] = make()
        return cast(T, self._shared[name])

    def with_population(
        self,
        events: pd.DataFrame,
        count: str,
        keys: list[str],
        basis: Basis = "financial",
        banding: Banding = "five",
        min_age: int | None = None,
    ) -> pd.DataFrame:
        """Events and people summed to every area by ``keys``, side by side (absent = 0).

        Summing each side before joining gives the same totals as joining at the
        population grain, on frames a hundred times smaller.
        """
        rolled = self.roll_up(events, [count], keys)
        people = self.rolled_population(keys, basis, banding, min_age)
        merged = people.merge(rolled, on=["area_type", "area_code", *keys], how="outer")
        merged[[count, "population"]] = merged[[count, "population"]].fillna(0)
        return merged


def midpoint_frame(ctx: Context, basis: Basis = "financial") -> Any:
    """A small engine table of (year, mid) for the context's periods."""
    from placehealth.engine.population import midpoint

    years = ctx.years if basis == "financial" else ctx.calendar_years
    frame = pd.DataFrame({"year": years, "mid": [midpoint(y, basis) for y in years]})
    return ctx.backend.from_pandas(frame, f"periods_{basis}")


def fy_label(year: int | np.integer) -> str:
    return financial_year_label(int(year))


def pool(frame: pd.DataFrame, windows: list[tuple[int, int]], values: list[str]) -> pd.DataFrame:
    """Sum calendar-year rows into pooled windows (a row may fall in several windows)."""
    parts = []
    for first, last in windows:
        part = frame[frame["year"].between(first, last)].drop(columns="year")
        keys = [c for c in part.columns if c not in values]
        part = part.groupby(keys, dropna=False, observed=True)[values].sum().reset_index()
        part["period"] = pooled_label(first, last - first + 1)  # one way to read it
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def with_band_labels(frame: pd.DataFrame, width: int = 5) -> pd.DataFrame:
    """Replace ``age_start`` by the stats module's band labels ('0-4' … '90+')."""
    starts = frame["age_start"].astype(int)
    labels = {s: band_label(s, width) for s in starts.unique()}
    return frame.assign(age_band=starts.map(labels)).drop(columns="age_start")


def long_format(
    result: pd.DataFrame, indicator_id: str, *, sex: str = "persons", age_band: str = "all ages"
) -> pd.DataFrame:
    """Stats output (value, limits, numerator, denominator) in the DESIGN §4 long format."""
    out = result.rename(columns={"statistic": "_statistic"}).copy()
    out["indicator_id"] = indicator_id
    if "sex" not in out.columns:
        out["sex"] = sex
    if "age_band" not in out.columns:
        out["age_band"] = age_band
    out["suppressed"] = False
    for column in VALUE_COLUMNS:
        if column not in out.columns:
            out[column] = np.nan
    out["value_note"] = value_notes(out, out.get("note"), out.get("_statistic"))
    return out[VALUE_COLUMNS]


def value_notes(
    frame: pd.DataFrame, note: pd.Series | None, statistic: pd.Series | None
) -> pd.Series:
    """Why each blank value is blank (None where there is a value), vectorised.

    In order: the statistics' own reason (life expectancy's rules), too few events
    for a rate (a DSR needs 10), no denominator; disclosure control adds its own
    reason when the value is published (placehealth.publish.indicators).
    """
    blank = frame["value"].isna()
    out = pd.Series(None, index=frame.index, dtype=object)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce")
    out = out.mask(blank & ~(denominator > 0), NO_DENOMINATOR)
    if statistic is not None:
        few = statistic.astype("string").str.extract(_TOO_FEW, expand=False)
        out = out.mask(blank & few.notna(), TOO_FEW_EVENTS + few)
    if note is not None:
        given = note.where(note.astype("string").str.len() > 0)
        out = out.mask(blank & given.notna(), given)
    return out.astype(object).where(out.notna(), None)
