"""Dates as people write them in files and options, read by one rule everywhere.

UK files write 01/04/2022 for 1 April, so a date with slashes (or dots) is read
day first unless the user says ``--month-first``. ISO dates (2022-04-01) and
month labels as spreadsheets write them (``Apr-21``, ``Mar-2016``, ``April 2021``,
``1-Apr-2022``) are read as they are. A file whose dates contradict the rule (a
month-first value such as 01/17/2022 under day-first) or mix both orders is
refused with the row, the value, its readings and the fix: reading the wrong
way would put a rebase or a point in the wrong month without a word.

Work is done on the distinct values with vectorised string and date functions,
then spread back over the rows.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from placehealth.errors import ValidationError

if TYPE_CHECKING:  # pandas loads on first use, so reading a period label stays light
    import numpy as np
    import pandas as pd

MONTH_FIRST = "--month-first"
DAY_FIRST = "--day-first"
HINT = "write dates as 2022-04-01, 01/04/2022 (day first), Apr-2022 or April 2022"

_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in {
        dt.date(2000, number, 1).strftime("%b").lower(),
        dt.date(2000, number, 1).strftime("%B").lower(),
    }
} | {"sept": 9}
_NAME = "(?P<name>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<a>\d{1,2})(?:-(?P<b>\d{1,2}))?" + _TIME + "$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})" + _TIME + "$")
_LABEL = re.compile(
    r"^(?:(?P<day>\d{1,2})[\s\-/]*)?" + _NAME + r"[\s\-/,]*(?P<year>\d{4}|\d{2})$", re.IGNORECASE
)


def month_label(text: str) -> tuple[int, int] | None:
    """(year, month) for a month label such as ``Apr-21``, ``Mar-2016`` or ``April 2021``."""
    found = _LABEL.match(text.strip())
    if found is None or found.group("day"):
        return None
    return _year(found.group("year")), _MONTH_NAMES[found.group("name").lower()]


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def read_dates(
    values: pd.Series,
    *,
    month_first: bool = False,
    column: str | None = None,
    first_row: int = 2,
    option: str | None = None,
) -> pd.Series:
    """``values`` as dates (datetime64), by the one rule; refuse what cannot be read surely.

    Values that are already dates (an Excel date cell) are kept. ``first_row`` is the
    file row of the first value, for messages; ``option`` names a command-line option
    when the values came from one.
    """
    import numpy as np
    import pandas as pd

    series = values.reset_index(drop=True)
    blank = series.isna().to_numpy()
    if blank.any():
        row = int(np.flatnonzero(blank)[0])
        raise _error("a row has no date", row, column, first_row, option, "give every row a date")
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize(None) if values.dt.tz else values
    stamped = _stamped(series)
    text = series.astype(str).str.strip()
    unique = pd.Index(text[~stamped].unique())
    parsed = _parse_unique(unique, text, month_first, column, first_row, option)
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    if stamped.any():
        out[stamped] = pd.to_datetime(series[stamped].astype(object))
    if (~stamped).any():
        out[~stamped] = text[~stamped].map(parsed).to_numpy()
    return out.set_axis(values.index)


def _stamped(series: pd.Series) -> np.ndarray:
    """Where a mixed column already holds dates (Excel date cells beside text)."""
    import numpy as np
    import pandas as pd

    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind in {"datetime", "datetime64", "date"}:
        return np.ones(len(series), bool)
    if kind != "mixed":
        return np.zeros(len(series), bool)
    return series.map(lambda v: isinstance(v, dt.date)).to_numpy(dtype=bool)


def read_date(text: str, *, month_first: bool = False, option: str) -> pd.Timestamp:
    """One date given on the command line (``--rebase 01/04/2022``), by the same rule."""
    import pandas as pd

    return pd.Timestamp(
        read_dates(pd.Series([text]), month_first=month_first, option=option).iloc[0]
    )


def _parse_unique(
    unique: pd.Index,
    text: pd.Series,
    month_first: bool,
    column: str | None,
    first_row: int,
    option: str | None,
) -> pd.Series:
    """Each distinct text value's date; raises for a value read neither way or two ways."""
    import numpy as np
    import pandas as pd

    values = pd.Series(unique, index=unique, dtype=object).astype(str)
    iso = values.str.extract(_ISO)
    numeric = values.str.extract(_NUMERIC)
    label = values.str.extract(_LABEL)
    a = pd.to_numeric(numeric["a"]).to_numpy(dtype=float)
    b = pd.to_numeric(numeric["b"]).to_numpy(dtype=float)
    is_numeric = numeric["a"].notna().to_numpy()
    only_day_first = is_numeric & (a > 12) & (b <= 12)
    only_month_first = is_numeric & (b > 12) & (a <= 12)
    both = is_numeric & (a <= 12) & (b <= 12) & (a != b)

    if only_day_first.any() and only_month_first.any():
        d, m = values[only_day_first].iloc[0], values[only_month_first].iloc[0]
        raise _error(
            f"dates are written in two orders: '{d}' is day first, '{m}' month first",
            _row_of(text, m), column, first_row, option,
            "write every date the same way, best as 2022-04-01",
        )  # fmt: skip
    wrong = only_month_first if not month_first else only_day_first
    if wrong.any():
        bad = values[wrong].iloc[0]
        said = "day first (the default)" if not month_first else f"month first ({MONTH_FIRST})"
        fix = MONTH_FIRST if not month_first else f"{DAY_FIRST} (or leave out {MONTH_FIRST})"
        also = ""
        if both.any():
            other = values[both].iloc[0]
            day, month = _readings(other)
            first, second = (day, month) if not month_first else (month, day)
            also = f"; so '{other}' would be read as {first}, not {second}"
        raise _error(
            f"'{bad}' cannot be read {said}{also}",
            _row_of(text, bad), column, first_row, option,
            f"the dates are month first: give {fix}" if not month_first
            else f"the dates are day first: give {fix}",
        )  # fmt: skip

    day_num = np.where(month_first, b, a)
    month_num = np.where(month_first, a, b)
    numeric_year = numeric["year"].fillna("0").map(_year).to_numpy(dtype=float)
    label_day = pd.to_numeric(label["day"]).fillna(1).to_numpy(dtype=float)
    label_month = label["name"].str.lower().str.rstrip(".").map(_MONTH_NAMES)
    label_year = label["year"].fillna("0").map(_year).to_numpy(dtype=float)
    iso_year = pd.to_numeric(iso["year"]).to_numpy(dtype=float)
    iso_month = pd.to_numeric(iso["a"]).to_numpy(dtype=float)
    iso_day = pd.to_numeric(iso["b"]).fillna(1).to_numpy(dtype=float)
    is_iso = iso["year"].notna().to_numpy()
    is_label = label["name"].notna().to_numpy()
    years = np.select([is_iso, is_numeric, is_label], [iso_year, numeric_year, label_year], np.nan)
    months = np.select(
        [is_iso, is_numeric, is_label],
        [iso_month, month_num, label_month.to_numpy(dtype=float)],
        np.nan,
    )
    days = np.select([is_iso, is_numeric, is_label], [iso_day, day_num, label_day], np.nan)
    parts = pd.DataFrame({"year": years, "month": months, "day": days})
    dates = pd.to_datetime(parts, errors="coerce")
    missing = dates.isna().to_numpy()
    if missing.any():
        bad = values.iloc[int(np.flatnonzero(missing)[0])]
        raise _error(f"'{bad}' is not a date", _row_of(text, bad), column, first_row, option, HINT)
    return pd.Series(dates.to_numpy(), index=unique)


def _readings(value: str) -> tuple[str, str]:
    """The day-first and month-first readings of a numeric date, in words."""
    found = _NUMERIC.match(value)
    assert found is not None
    a, b, year = int(found.group("a")), int(found.group("b")), _year(found.group("year"))
    return f"{dt.date(year, b, a):%-d %B %Y}", f"{dt.date(year, a, b):%-d %B %Y}"


def _row_of(text: pd.Series, value: str) -> int:
    import numpy as np

    return int(np.flatnonzero((text == value).to_numpy())[0])


def _error(
    message: str,
    position: int,
    column: str | None,
    first_row: int,
    option: str | None,
    hint: str,
) -> ValidationError:
    if option is not None:
        return ValidationError(f"{option}: {message}", hint=hint)
    return ValidationError(message, row=position + first_row, column=column, hint=hint)


def ambiguity_note(values: pd.Series, *, month_first: bool = False) -> str | None:
    """How the first date that reads two ways was read, for a command to print; or None."""
    import pandas as pd

    text = values.dropna().astype(str).str.strip()
    found = text.str.extract(_NUMERIC)
    a, b = pd.to_numeric(found["a"]), pd.to_numeric(found["b"])
    both = (a <= 12) & (b <= 12) & (a != b)
    if not both.any():
        return None
    value = text[both.to_numpy()].iloc[0]
    day, month = _readings(value)
    chosen, other = (day, month) if not month_first else (month, day)
    flag = MONTH_FIRST if not month_first else DAY_FIRST
    return f"'{value}' read as {chosen} (give {flag} for {other})"
