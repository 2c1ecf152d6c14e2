"""Incremental indicator runs: recompute only the periods whose data changed.

A run remembers a fingerprint of the warehouse data (per table, per month of the
rows' dates: how many rows and the sum of a hash of each row) and the values it
computed, before disclosure control. The next run takes the fingerprints again,
finds the earliest month whose rows differ, and recomputes every period that month
can reach; the rest is reused. The result equals a full run's: every rule here
errs towards recomputing.

Which periods a changed month reaches:

- A row is placed in the month of its **earliest** date (a spell by its admission,
  a care episode by its start). Any change to the row (a discharge date filled in,
  an episode closed, a row added or removed) changes that month's fingerprint.
  Every value that depends on a row does so from the row's earliest date on (an
  event counted at its date, a condition held from the date recorded, a person's
  first care-home episode, a stay that is still open), so every period ending on
  or after the changed month is recomputed, never only the period the month lies in.
- Financial-year indicators also look forward from their period: a readmission up
  to 30 days after a discharge, reablement's "at home 91 days after discharge".
  A change in a month therefore also reaches financial years that ended up to
  :data:`FOLLOW_UP` days before it. Calendar (pooled) indicators count deaths,
  births and people at mid-year and look no further than their own days.
- A person is placed by their birth month, so a change of area, practice or sex
  recomputes every period since their birth (the warehouse holds a person's
  current area, which all their past events are counted in). Their death is
  fingerprinted apart, in the month of death: it changes the periods after it only.
- A table without dates (the geography), rows with no date at all, a table
  missing, or a column added or removed change every period.
- A changed calendar year is in two financial years and in every pooled window
  holding it; the month and the rules above pick out exactly those still reached.

What is not data is fingerprinted too (:func:`code_fingerprint`): the package's
own files (the indicator definitions, code lists, the engine and the statistics)
and the versions of the libraries that compute; any change recomputes everything,
as does another engine (their hashes differ) or another place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import narwhals as nw
import pandas as pd

from placehealth.engine import tables as t
from placehealth.engine.backends import Backend
from placehealth.errors import ConfigurationError
from placehealth.periods import (
    financial_year_label,
    parse_period,
    pooled_label,
    winter_years_label,
)

FOLLOW_UP = {"financial": dt.timedelta(days=91), "calendar": dt.timedelta(0)}
"""How far past its last day a period's values may read data, by the kind of period:
reablement's day 91 after a discharge (and readmissions' 30 days) for financial years;
nothing for calendar years (tests/engine/test_incremental.py checks it against the
pipelines' own constants)."""

BOOKKEEPING = frozenset({"load_id"})
"""Columns each load stamps on its rows; they say nothing of the data and are not
fingerprinted, so reloading the same rows recomputes nothing."""

ENDS = {t.PERSON: ("person_key", "death_date")}
"""Tables whose row has a date that ends it (a person's death), fingerprinted apart by
that date with the row's key, so a death reaches only the periods after it."""

LIBRARIES = ("duckdb", "narwhals", "numpy", "pandas", "pyarrow", "pyspark", "scipy")
PACKAGE = Path(__file__).resolve().parents[1]

KEY = ["table", "part", "bucket"]
UNDATED, WHOLE = -1, 0  # buckets of rows with no date, and of a table without dates
Fingerprints = pd.DataFrame  # table, part, bucket (yyyymm), rows, hash


@dataclass(frozen=True)
class Part:
    """Rows of one table fingerprinted together: the columns hashed, the dates that place
    a row in a month (none: the whole table is one bucket), the column a row must have."""

    table: str
    name: str
    columns: tuple[str, ...]
    dates: tuple[str, ...]
    present: str | None = None


def tables_read() -> list[str]:
    """Every warehouse table an indicator reads: the engine's and those the catalogue's
    definitions name."""
    from placehealth.catalogue.records import Events, defined

    named = {
        events.table
        for d in defined().values()
        for events in (d.numerator, d.denominator)
        if isinstance(events, Events)
    }
    engine = {
        t.PERSON, t.CONDITION, t.APC_SPELL, t.AE_ATTENDANCE, t.OP_APPOINTMENT, t.SOCIAL_CARE,
        t.DEATH, t.LSOA, t.PRACTICE,
    }  # fmt: skip
    return sorted(engine | named)


def parts(table: str, schema: dict[str, Any]) -> list[Part]:
    """How one table is fingerprinted, from its columns and their types."""
    columns = tuple(c for c in schema if c not in BOOKKEEPING)
    dates = tuple(c for c in columns if schema[c] == nw.Date or schema[c] == nw.Datetime)
    end = ENDS.get(table)
    if end is None or not set(end) <= set(columns):
        return [Part(table, "rows", columns, dates)]
    key, ends = end
    rest = tuple(c for c in columns if c != ends)
    return [
        Part(table, "rows", rest, tuple(d for d in dates if d != ends)),
        Part(table, ends, (key, ends), (ends,), present=ends),
    ]


def data_fingerprints(backend: Backend, tables: Iterable[str] | None = None) -> Fingerprints:
    """Rows and a hash sum per table, part and month, in one query on the engine."""
    found: list[Part] = []
    missing = []
    for name in tables if tables is not None else tables_read():
        try:
            schema = dict(backend.table(name).collect_schema())
        except ConfigurationError:
            missing.append(name)
            continue
        found += parts(name, schema)
    frames = [pd.DataFrame({"table": missing, "part": "missing", "bucket": WHOLE, "rows": 0,
                            "hash": ""})]  # fmt: skip
    if found:
        native = _spark if backend.name == "spark" else _duckdb
        frames.append(native(backend, found))
    out = pd.concat(frames, ignore_index=True)
    out = out.astype({"table": str, "part": str, "bucket": "int64", "rows": "int64", "hash": str})
    return out.sort_values(KEY, kind="stable").reset_index(drop=True)


def _duckdb(backend: Backend, found: Sequence[Part]) -> pd.DataFrame:
    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    selects = []
    for p in found:
        if p.dates:
            day = f"least({', '.join(q(d) for d in p.dates)})"
            bucket = f"coalesce(year({day}) * 100 + month({day}), {UNDATED})"
        else:
            bucket = str(WHOLE)
        where = f" where {q(p.present)} is not null" if p.present else ""
        selects.append(
            f"select '{p.table}' as \"table\", '{p.name}' as part, {bucket} as bucket, "
            f"count(*) as rows, sum(hash({', '.join(q(c) for c in p.columns)}))::varchar as hash "
            f"from {q(p.table)}{where} group by all"
        )
    con = backend.con  # type: ignore[attr-defined]
    return con.sql(" union all ".join(selects)).to_arrow_table().to_pandas()


def _spark(backend: Backend, found: Sequence[Part]) -> pd.DataFrame:
    from pyspark.sql import functions as F

    frames = []
    for p in found:
        rows = backend.table(p.table).to_native()
        if p.present:
            rows = rows.filter(F.col(p.present).isNotNull())
        if p.dates:
            day = F.least(*p.dates) if len(p.dates) > 1 else F.col(p.dates[0])
            bucket = F.coalesce(F.year(day) * 100 + F.month(day), F.lit(UNDATED))
        else:
            bucket = F.lit(WHOLE)
        # xxhash64 skips nulls, so each column's null flag is hashed beside it
        row_hash = F.xxhash64(*p.columns, *[F.isnull(c) for c in p.columns])
        frames.append(
            rows.select(bucket.cast("bigint").alias("bucket"), row_hash.alias("h"))
            .groupBy("bucket")
            .agg(F.count(F.lit(1)).alias("rows"),
                 F.sum(F.col("h").cast("decimal(38,0)")).cast("string").alias("hash"))
            .select(F.lit(p.table).alias("table"), F.lit(p.name).alias("part"), "bucket",
                    "rows", "hash")
        )  # fmt: skip
    union = frames[0]
    for frame in frames[1:]:
        union = union.unionByName(frame)
    return union.toArrow().to_pandas()


def code_fingerprint(root: Path = PACKAGE) -> str:
    """A hash of the package's files (definitions, code lists, engine, statistics) and
    the versions of the libraries that compute: any change recomputes every period."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


EVERYTHING = dt.date.min
"""What :func:`changed_since` returns when a change reaches every period."""


def changed_since(old: Fingerprints, new: Fingerprints) -> dt.date | None:
    """The first day of the earliest month whose rows differ (None: nothing changed;
    :data:`EVERYTHING`: a change no month bounds)."""
    both = old.merge(new, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    same = (
        (both["_merge"] == "both")
        & (both["rows_old"] == both["rows_new"])
        & (both["hash_old"] == both["hash_new"])
    )
    differ = both.loc[~same, "bucket"]
    if differ.empty:
        return None
    if (differ <= WHOLE).any():
        return EVERYTHING
    first = int(differ.min())
    return dt.date(first // 100, first % 100, 1)


@dataclass(frozen=True)
class Plan:
    """The periods to compute: financial years and pooled windows, by their labels."""

    years: list[int]
    pooled: list[tuple[int, int]]

    @property
    def labels(self) -> list[str]:
        return list(period_ends(self.years, self.pooled))

    def __bool__(self) -> bool:
        return bool(self.years or self.pooled)


def period_ends(years: Sequence[int], pooled: Sequence[tuple[int, int]]) -> dict[str, dt.date]:
    """Every period label a context of ``years`` and ``pooled`` windows gives values for
    (financial years, pooled windows, the calendar years in them and each window's
    winter years), with its last day."""
    ends = {financial_year_label(y): dt.date(y + 1, 3, 31) for y in years}
    ends |= {pooled_label(a, b - a + 1): dt.date(b, 12, 31) for a, b in pooled}
    winters = [winter_years_label(a, b) for a, b in pooled]  # excess winter deaths
    ends |= {label: parse_period(label).end for label in winters}
    calendar = sorted({y for a, b in pooled for y in range(a, b + 1)})
    ends |= {str(y): dt.date(y, 12, 31) for y in calendar}
    return ends


def plan(
    years: Sequence[int],
    pooled: Sequence[tuple[int, int]],
    kept: set[str],
    since: dt.date | None,
) -> Plan:
    """The periods of ``years`` and ``pooled`` to compute again: those not ``kept`` from
    the last run and those a change since ``since`` reaches.

    The engine computes financial years and pooled windows side by side, so a run
    that needs one kind only also computes the latest period of the other (its
    values replace the kept ones, which they equal).
    """

    def stale(label: str, last: dt.date, kind: str) -> bool:
        if label not in kept or since is EVERYTHING:
            return True
        return since is not None and last >= since - FOLLOW_UP[kind]

    fy = [y for y in years if stale(financial_year_label(y), dt.date(y + 1, 3, 31), "financial")]
    windows = [
        (a, b)
        for a, b in pooled
        if stale(pooled_label(a, b - a + 1), dt.date(b, 12, 31), "calendar")
        or stale(winter_years_label(a, b), parse_period(winter_years_label(a, b)).end, "calendar")
        or any(str(y) not in kept for y in range(a, b + 1))
    ]
    if fy and not windows and pooled:
        windows = [pooled[-1]]
    if windows and not fy and years:
        fy = [years[-1]]
    return Plan(fy, windows)


ORDER = ["indicator_id", "area_type", "area_code", "period", "sex"]  # compute_all's order
TIE = "_row"  # a row's place among rows of the same ORDER keys, as computed


def numbered(values: pd.DataFrame) -> pd.DataFrame:
    """Computed values with each row's place among its ties, so reused and fresh rows
    are put back in the order a full run gives."""
    return values.assign(**{TIE: values.groupby(ORDER, dropna=False, sort=False).cumcount()})


def assemble(
    kept: pd.DataFrame, fresh: pd.DataFrame, wanted: Iterable[str], computed: Iterable[str]
) -> pd.DataFrame:
    """The periods ``wanted``: ``fresh`` rows for the periods ``computed``, kept rows for
    the rest; both carry :data:`TIE`; the result is in compute_all's order, without it."""
    computed = set(computed)
    reused = kept[kept["period"].isin(set(wanted) - computed)]
    parts = [f for f in (reused, fresh) if len(f)] or [fresh]
    values = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    values = values.sort_values([*ORDER, TIE], kind="stable").reset_index(drop=True)
    return values.drop(columns=TIE)
