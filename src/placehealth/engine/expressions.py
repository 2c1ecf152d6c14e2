"""Engine-neutral column expressions: periods, ages and age bands.

Written with Narwhals so DuckDB and Spark evaluate them natively. Known
edges on SQL backends (DESIGN §3): cast booleans before summing them, and no
``rank().over(order_by=…)``.
"""

from __future__ import annotations

import narwhals as nw


def financial_year(date: str) -> nw.Expr:
    """Start year of the NHS financial year (April–March) containing ``date``."""
    col = nw.col(date)
    return (col.dt.year() - (col.dt.month() < 4).cast(nw.Int32)).cast(nw.Int32)


def calendar_year(date: str) -> nw.Expr:
    return nw.col(date).dt.year().cast(nw.Int32)


def age_at(birth: str, when: str) -> nw.Expr:
    """Whole years from ``birth`` (a month, stored as its first day) to ``when``."""
    b, w = nw.col(birth), nw.col(when)
    months = (w.dt.year() - b.dt.year()) * 12 + (w.dt.month() - b.dt.month())
    return (months // 12).cast(nw.Int32)


def five_year_band(age: nw.Expr, top: int = 90) -> nw.Expr:
    """Start age of the 5-year band (0, 5, … ``top``+), the ESP2013 bands."""
    start = (age // 5) * 5
    return nw.when(start >= top).then(nw.lit(top)).otherwise(start).cast(nw.Int32)


def life_table_band(age: nw.Expr, top: int = 90) -> nw.Expr:
    """Start age of the abridged life-table band: 0, 1, 5, 10, … ``top``+."""
    five = five_year_band(age, top)
    return (
        nw.when(age < 1)
        .then(nw.lit(0))
        .when(age < 5)
        .then(nw.lit(1))
        .otherwise(five)
        .cast(nw.Int32)
    )


def band_label(start: int, width: int = 5, top: int = 90) -> str:
    """'0-4', '85-89', '90+' (the stats module's band labels); '0' and '1-4' for life tables."""
    if start >= top:
        return f"{top}+"
    if width == 0:  # life-table bands
        return "0" if start == 0 else ("1-4" if start == 1 else f"{start}-{start + 4}")
    return f"{start}-{start + width - 1}"


def flag(expr: nw.Expr) -> nw.Expr:
    """A boolean as 0/1, so it can be summed on every engine."""
    return expr.cast(nw.Int64)


def day_number(column: str) -> nw.Expr:
    """Days since 0000-03-01 of a date column, by integer arithmetic on year, month and day.

    Differences of these are day counts on every engine, where subtracting dates
    gives an integer on one and an interval on another.
    """
    date = nw.col(column)
    month = date.dt.month().cast(nw.Int64)
    year = date.dt.year().cast(nw.Int64) - (month <= 2).cast(nw.Int64)
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * ((month + 9) % 12) + 2) // 5 + date.dt.day().cast(nw.Int64) - 1
    return era * 146097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year
