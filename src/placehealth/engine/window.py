"""The dates a warehouse covers, read from the warehouse itself, never assumed.

The first and last day of recorded activity bound every look-back and follow-up:
segments, risk features, case finding and the years of indicator values. A
warehouse of any years works.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.errors import ConfigurationError, ValidationError
from placehealth.periods import financial_year_label

ACTIVITY_DATES = (
    (t.APC_SPELL, "admit_date"),
    (t.AE_ATTENDANCE, "arrival_date"),
    (t.OP_APPOINTMENT, "appt_date"),
    ("gp_contact", "contact_date"),
    ("community_contact", "contact_date"),
    ("mh_contact", "contact_date"),
    (t.DEATH, "date_of_death"),
)
"""The dated activity whose first and last days bound the data. Condition records and
care-home stays are left out: they reach back before the extract (a diagnosis made
years ago, a resident who moved in before), so they say nothing about its start."""


@dataclass(frozen=True)
class DataWindow:
    """The first and last day of the warehouse's recorded activity."""

    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def financial_years(self) -> list[int]:
        """Start years of the financial years that begin inside the data."""
        first = self.start.year + (self.start > dt.date(self.start.year, 4, 1))
        last = self.end.year - (self.end < dt.date(self.end.year, 4, 1))
        return list(range(first, last + 1))

    def check(self, index_date: dt.date, option: str = "--index-date") -> None:
        """An index date outside the records cannot be looked back from."""
        check_is_date(index_date)
        if not self.start <= index_date <= self.end:
            raise ValidationError(
                f"index date {index_date.isoformat()} is outside the data ({self})",
                column=option,
                hint=f"choose a date inside the data, e.g. {self.latest_full_year().isoformat()}",
            )

    def check_year(self, start: dt.date, label: str, option: str = "--year") -> None:
        """A financial year (by its 1 April) must begin inside the data."""
        years = self.financial_years
        if start.year not in years:
            choose = (
                f"choose one of {financial_year_label(years[0])} to "
                f"{financial_year_label(years[-1])}"
                if years
                else "the data hold no 1 April"
            )
            raise ValidationError(
                f"financial year {label} is outside the data ({self})", column=option, hint=choose
            )

    @property
    def whole_financial_years(self) -> list[int]:
        """Start years of the financial years wholly inside the data."""
        return [y for y in self.financial_years if dt.date(y + 1, 3, 31) <= self.end]

    def latest_full_year(self) -> dt.date:
        """The last 1 April followed by 12 months inside the data (or the first day)."""
        years = self.whole_financial_years
        return dt.date(years[-1], 4, 1) if years else self.start


def check_is_date(index_date: object) -> None:
    if not isinstance(index_date, dt.date):
        raise ValidationError(
            f"index date {index_date!r} is not a date", hint="write e.g. 2018-04-01"
        )


_WINDOWS: weakref.WeakKeyDictionary[Any, DataWindow] = weakref.WeakKeyDictionary()


def data_window(backend: Backend) -> DataWindow:
    """First and last day of activity in the warehouse (one small query, kept per backend)."""
    if backend in _WINDOWS:
        return _WINDOWS[backend]
    parts = []
    for name, column in ACTIVITY_DATES:
        try:
            table = backend.table(name)
        except ConfigurationError:  # a warehouse may lack a kind of activity
            continue
        parts.append(
            table.select(
                nw.col(column).cast(nw.Date).min().alias("start"),
                nw.col(column).cast(nw.Date).max().alias("end"),
            )
        )
    frame = (
        backend.collect(nw.concat(parts, how="vertical"))
        if parts
        else pd.DataFrame({"start": [], "end": []})
    )
    start, end = pd.to_datetime(frame["start"]).min(), pd.to_datetime(frame["end"]).max()
    if pd.isna(start) or pd.isna(end):
        raise ValidationError(
            "the warehouse holds no dated activity, so no index date can be looked back from",
            hint="load extracts with hospital, A&E, GP or other contacts (placehealth ingest)",
        )
    window = DataWindow(start.date(), end.date())
    _WINDOWS[backend] = window
    return window
