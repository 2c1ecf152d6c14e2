"""Reporting periods as the documents write them, each with a kind that is never guessed.

A period label is kept as written ("2012/13", "2014", "2015-17", "2015-04") but
parsed to a start date, an end date and a **kind** (month, quarter, half-year, year,
financial year, pooled window of n years, part-year range, rolling twelve months,
point in time), so trajectories can be ordered, compared with actuals of the same
kind and converted explicitly between kinds. NHS financial years run April to March.

A label that can be read two ways is refused rather than guessed: "2009-11" is
November 2009 or the pooled years 2009–2011; "2010-11" is November 2010 or the
financial year 2010/11. Such a label is written with its kind as a prefix
("pooled:2009-11", "month:2009-11", "fy:2010-11"), or as an explicit month range
("2014-04..2014-12"). ``at:2015-12`` is a point in time (the end of December 2015),
for counts at a date (stocks).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from placehealth.dates import month_label
from placehealth.errors import ValidationError

# the kinds, from the shortest to the longest
KINDS = (
    "point",
    "month",
    "part_year",  # an explicit range of months shorter than a year
    "quarter",  # calendar quarter
    "fy_quarter",
    "half_year",  # calendar half-year
    "fy_half_year",
    "year",  # calendar year
    "financial_year",
    "rolling_12_months",  # twelve months ending in a month other than December or March
    "pooled_years",  # n calendar years
    "pooled_financial_years",  # n financial years
    "pooled_months",  # a range of months longer than a year, not whole years
)
PREFIXES = {"month": "month", "pooled": "pooled_years", "fy": "financial_year", "at": "point"}
HINT = (
    "write 2014/15 (financial year), 2014, 2014 Q1, 2014/15 Q1, 2014 H1, 2014/15 H1, "
    "2015-17 (pooled years), 2015/16-2017/18, 2014-04 (month), 2014-04..2014-12 (months), "
    "at:2015-12 (point in time), or prefix an ambiguous label with month:, pooled: or fy:"
)

_FY = re.compile(r"^(?:FY\s*)?(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})$")
_FY_DASH = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_FYQ = re.compile(r"^(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])$", re.IGNORECASE)
_FYH = re.compile(r"^(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})\s*H([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CALQ = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
_CALH = re.compile(r"^(\d{4})\s*H([12])$", re.IGNORECASE)
_SHORT_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{2})$")  # 2015-17, 2013-14, or a month
_POOLED_FY = re.compile(r"^(\d{4})/(\d{2})\s*-\s*(\d{4})/(\d{2})$")
_MONTHS = re.compile(r"^(\d{4})-(\d{2})\s*\.\.\s*(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PREFIXED = re.compile(r"^([a-z]+)\s*:\s*(.+)$", re.IGNORECASE)


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

    @property
    def months(self) -> int:
        """Length in whole months (0 for a point in time)."""
        if self.kind == "point":
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def years(self) -> float:
        return self.months / 12

    @property
    def shape(self) -> tuple[str, int]:
        """Kind and length: two periods compare like with like when their shapes match."""
        return (self.kind, self.months)

    def describe(self) -> str:
        """The kind in words, e.g. 'pooled window of 3 calendar years'."""
        n = self.months
        words = {
            "point": f"point in time ({self.end:%d %B %Y})",
            "month": "month",
            "part_year": f"part-year range of {n} months",
            "quarter": "calendar quarter",
            "fy_quarter": "financial-year quarter",
            "half_year": "calendar half-year",
            "fy_half_year": "financial half-year",
            "year": "calendar year",
            "financial_year": "financial year",
            "rolling_12_months": "rolling twelve months",
            "pooled_years": f"pooled window of {n // 12} calendar years",
            "pooled_financial_years": f"pooled window of {n // 12} financial years",
            "pooled_months": f"pooled window of {n} months",
        }
        return words[self.kind]

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _month(year: int, month: int, label: str) -> Period:
    return Period(dt.date(year, month, 1), _month_end(year, month), "month", label)


def _financial_year(first: int, label: str) -> Period:
    return Period(dt.date(first, 4, 1), dt.date(first + 1, 3, 31), "financial_year", label)


def _pooled(first: int, last: int, label: str) -> Period:
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31), "pooled_years", label)


def _months_range(y1: int, m1: int, y2: int, m2: int, label: str) -> Period:
    start, end = dt.date(y1, m1, 1), _month_end(y2, m2)
    n = (y2 - y1) * 12 + m2 - m1 + 1
    if n < 1:
        raise ValidationError(f"period '{label}' ends before it starts", hint=HINT)
    if n == 1:
        kind = "month"
    elif n == 12 and m1 == 1:
        kind = "year"
    elif n == 12 and m1 == 4:
        kind = "financial_year"
    elif n == 12:
        kind = "rolling_12_months"
    elif n < 12:
        kind = "part_year"
    elif n % 12 == 0 and m1 == 1:
        kind = "pooled_years"
    elif n % 12 == 0 and m1 == 4:
        kind = "pooled_financial_years"
    else:
        kind = "pooled_months"
    return Period(start, end, kind, label)


def readings(label: str) -> list[Period]:
    """Every reading of an unprefixed label (two or more means it is ambiguous)."""
    text = label.strip()
    found: list[Period] = []
    if m := _SHORT_RANGE.match(text):
        first, two = int(m.group(1)), int(m.group(2))
        if 1 <= two <= 12:
            found.append(_month(first, two, text))
        last = (first // 100) * 100 + two
        if last == first + 1:
            found.append(_financial_year(first, text))
        elif last > first + 1:
            found.append(_pooled(first, last, text))
        return found
    if m := _FYQ.match(text):
        first, quarter = _century(m.group(1)), int(m.group(3))
        if _century(m.group(2)) % 100 == (first + 1) % 100:
            month = 4 + 3 * (quarter - 1)
            year = first + (month > 12)
            month = (month - 1) % 12 + 1
            start = dt.date(year, month, 1)
            found.append(Period(start, _month_end(year, month + 2), "fy_quarter", text))
    elif m := _FYH.match(text):
        first, half = _century(m.group(1)), int(m.group(3))
        if _century(m.group(2)) % 100 == (first + 1) % 100:
            year, month = (first, 4) if half == 1 else (first, 10)
            start = dt.date(year, month, 1)
            found.append(Period(start, _month_end(year, month + 5), "fy_half_year", text))
    elif m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            found.append(_month(year, month, text))
    elif m := _CALQ.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        month = 1 + 3 * (quarter - 1)
        start = dt.date(year, month, 1)
        found.append(Period(start, _month_end(year, month + 2), "quarter", text))
    elif m := _CALH.match(text):
        year, month = int(m.group(1)), 1 + 6 * (int(m.group(2)) - 1)
        start = dt.date(year, month, 1)
        found.append(Period(start, _month_end(year, month + 5), "half_year", text))
    elif m := _YEAR.match(text):
        year = int(m.group(1))
        found.append(Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text))
    elif m := _POOLED_FY.match(text):
        first, last = int(m.group(1)), int(m.group(3))
        if last > first:
            start, end = dt.date(first, 4, 1), dt.date(last + 1, 3, 31)
            found.append(Period(start, end, "pooled_financial_years", text))
    elif m := _MONTHS.match(text):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        if 1 <= m1 <= 12 and 1 <= m2 <= 12:
            found.append(_months_range(y1, m1, y2, m2, text))
    elif m := _FY_DASH.match(text):
        first, second = int(m.group(1)), int(m.group(2))
        if second == first + 1:
            found.append(_financial_year(first, text))
        elif second > first + 1:
            found.append(_pooled(first, second, text))
    elif m := _FY.match(text):
        first, second = _century(m.group(1)), _century(m.group(2))
        if second == first + 1:
            found.append(_financial_year(first, text))
    elif named := month_label(text):  # Apr-21, Mar-2016, April 2021 (placehealth.dates)
        found.append(_month(*named, text))
    return found


def _prefixed(prefix: str, body: str, label: str) -> Period:
    kind = PREFIXES.get(prefix.lower())
    if kind is None:
        raise ValidationError(f"unknown period kind '{prefix}' in '{label}'", hint=HINT)
    if kind == "point":
        if m := _DATE.match(body):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return Period(day, day, "point", label)
        if m := _MONTH.match(body):
            day = _month_end(int(m.group(1)), int(m.group(2)))
            return Period(day, day, "point", label)
        raise ValidationError(f"'{label}' is not a date", hint="write at:2015-12 or at:2015-12-31")
    chosen = [p for p in readings(body) if p.kind == kind]
    if not chosen:
        raise ValidationError(f"'{body}' cannot be read as a {kind.replace('_', ' ')}", hint=HINT)
    p = chosen[0]
    return Period(p.start, p.end, p.kind, label)


@lru_cache(maxsize=8192)
def parse_period(label: str | int) -> Period:
    """Parse a period label; refuse an unknown or an ambiguous one with a clear message."""
    text = str(label).strip()
    if (m := _PREFIXED.match(text)) and not _DATE.match(text):
        return _prefixed(m.group(1), m.group(2).strip(), text)
    found = readings(text)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        both = " or ".join(f"{p.describe()} {_span(p)}" for p in found)
        prefixes = " or ".join(f"'{_prefix_of(p)}:{text}'" for p in found)
        raise ValidationError(
            f"ambiguous period '{text}': {both}",
            hint=f"write {prefixes} to say which",
        )
    raise ValidationError(f"unrecognised period '{text}'", hint=HINT)


def _span(period: Period) -> str:
    if period.kind == "month":
        return f"({period.start:%B %Y})"
    return f"({period.start:%b %Y}–{period.end:%b %Y})"


def _prefix_of(period: Period) -> str:
    return {v: k for k, v in PREFIXES.items()}.get(period.kind, period.kind)


def is_period(label: str) -> bool:
    """False for stand-in labels such as an index trajectory's 'baseline'."""
    try:
        parse_period(label)
    except ValidationError:
        return False
    return True


def financial_year_start(text: str, *, option: str = "--year") -> dt.date:
    """1 April of the financial year ``text`` names ('2017/18', 'FY2017/18'), by the one
    period rule; anything else (a calendar year, a month) is refused, naming the option."""
    try:
        period = parse_period(text)
    except ValidationError as exc:
        raise ValidationError(
            f"cannot read financial year '{text}'", column=option, hint="write e.g. 2017/18"
        ) from exc
    if period.kind != "financial_year":
        raise ValidationError(
            f"cannot read financial year '{text}': it is a {period.describe()}",
            column=option,
            hint="write e.g. 2017/18",
        )
    return period.start


def financial_year_label(start_year: int) -> str:
    """'2014/15' for the financial year beginning in April 2014."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def pooled_label(first: int, years: int, *, financial: bool = False) -> str:
    """'2016-18' for three calendar years from 2016 ('pooled:2010-12' where the short form
    could be read as a month); '2016/17-2018/19' for financial years."""
    last = first + years - 1
    if financial:
        return f"{financial_year_label(first)}-{financial_year_label(last)}"
    label = f"{first}-{last % 100:02d}"
    return label if len(readings(label)) == 1 else f"pooled:{label}"


WINTER_YEAR_STARTS = 8
"""A winter year (for excess winter deaths) runs from August to July."""


def winter_years_label(first: int, last: int) -> str:
    """'2014-08..2017-07' for the winter years whose winters end in ``first`` … ``last``
    (August before the first to July of the last): a months range, as it parses."""
    start, end = WINTER_YEAR_STARTS, WINTER_YEAR_STARTS - 1
    return f"{first - 1}-{start:02d}..{last}-{end:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    end = _month_end(year, month + 1)
    return end.replace(day=min(day.day, end.day))


def decimal_year(day: dt.date) -> float:
    """A date as a decimal year (2015.0 is 1 January 2015)."""
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def midpoint(period: Period) -> dt.date:
    return period.start + (period.end - period.start) / 2
