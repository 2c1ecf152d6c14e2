"""Reporting periods as the documents write them, with a total order.

A period label is kept as written ("2012/13", "12/13", "2014", "2014/15 Q1",
"2015-04", "2015-17") but parsed to a start date, end date and kind, so
trajectories can be ordered, compared with actuals and spread across months.
NHS financial years run April to March.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from placehealth.errors import ValidationError

_FY = re.compile(r"^(?:FY\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_FYQ = re.compile(r"^(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CALQ = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
_POOLED = re.compile(r"^(\d{4})\s*-\s*(\d{2})$")


def _century(year: str) -> int:
    value = int(year)
    return value + 2000 if len(year) == 2 else value


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period; ordering is by start date, then by end date."""

    start: dt.date
    end: dt.date
    kind: str
    label: str

    @property
    def financial_year(self) -> int:
        """The calendar year in which the financial year containing ``start`` begins."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@lru_cache(maxsize=4096)
def parse_period(label: str | int) -> Period:
    """Parse a period label, or raise a clear error listing the accepted forms."""
    text = str(label).strip()
    if m := _FYQ.match(text):
        first = _century(m.group(1))
        quarter = int(m.group(3))
        month = 4 + 3 * (quarter - 1)
        year = first + (month > 12)
        month = (month - 1) % 12 + 1
        return Period(dt.date(year, month, 1), _month_end(year, month + 2), "fy_quarter", text)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(dt.date(year, month, 1), _month_end(year, month), "month", text)
    if m := _CALQ.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        month = 1 + 3 * (quarter - 1)
        return Period(dt.date(year, month, 1), _month_end(year, month + 2), "quarter", text)
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text)
    if m := _POOLED.match(text):
        first = int(m.group(1))
        last = (first // 100) * 100 + int(m.group(2))
        if last - first == 1:  # "2013-14" is a financial year
            return Period(dt.date(first, 4, 1), dt.date(last, 3, 31), "financial_year", text)
        if last > first:
            return Period(dt.date(first, 1, 1), dt.date(last, 12, 31), "pooled_years", text)
    if m := _FY.match(text):
        first, second = _century(m.group(1)), _century(m.group(2))
        if second == first + 1:
            return Period(dt.date(first, 4, 1), dt.date(second, 3, 31), "financial_year", text)
    raise ValidationError(
        f"unrecognised period '{text}'",
        hint="use 2014/15 (financial year), 2014, 2014-04, 2014/15 Q1, 2014 Q1 or 2015-17",
    )


def financial_year_label(start_year: int) -> str:
    """'2014/15' for the financial year beginning in April 2014."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def years_between(a: Period, b: Period) -> float:
    """Whole years between the starts of two periods (for yearly trajectories)."""
    return (b.start.year - a.start.year) + (b.start.month - a.start.month) / 12


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    end = _month_end(year, month + 1)
    return end.replace(day=min(day.day, end.day))
