"""Frailty scores from coded diagnoses: the Hospital Frailty Risk Score and an eFI-style index.

Both scorers take and return Narwhals lazy frames, so the same code runs in DuckDB,
Spark or pandas. Inputs are one row per coded diagnosis (``person_key``, ``code``,
``date``); outputs are one row per person. The code tables live next to this
module as versioned YAML files with their citations (``codelists/``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field, field_validator

from placehealth import icd10
from placehealth.errors import ValidationError
from placehealth.yamlfile import load_model, reject_repeats

FOLDER = Path(__file__).parent / "codelists"
KEY, CODE, DATE = "person_key", "code", "date"


class HfrsCategory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Z][0-9]{2}$")
    points: float = Field(gt=0)
    title: str


class HfrsBands(BaseModel):
    model_config = ConfigDict(extra="forbid")

    low_below: float
    high_above: float


class HfrsTable(BaseModel):
    """The published categories and points (Gilbert et al. 2018)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    system: str
    purpose: str
    source: str
    version: str
    bands: HfrsBands
    notes: str
    categories: list[HfrsCategory] = Field(min_length=1)

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: list[HfrsCategory]) -> list[HfrsCategory]:
        reject_repeats([c.code for c in value], "categories")
        return value

    def points(self) -> dict[str, float]:
        return {c.code: c.points for c in self.categories}


class Deficit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    icd10: list[str] = Field(default_factory=list)
    icd10_exclude: list[str] = Field(default_factory=list)
    snomed: list[str] = Field(default_factory=list)
    note: str | None = None

    @property
    def column(self) -> str:
        """A column-safe name: 'hypotension/syncope' → 'hypotension_syncope'."""
        return re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")


class EfiBands(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fit_max: float
    mild_max: float
    moderate_max: float


class DeficitTable(BaseModel):
    """The 36 deficits of Clegg et al. (2016) and the codes that stand for each here."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    purpose: str
    source: str
    version: str
    illustrative: bool
    notes: str
    bands: EfiBands
    deficits: list[Deficit] = Field(min_length=1)

    @field_validator("deficits")
    @classmethod
    def _unique(cls, value: list[Deficit]) -> list[Deficit]:
        reject_repeats([d.column for d in value], "deficits")
        return value


@cache
def hfrs_table() -> HfrsTable:
    return load_model(FOLDER / "hfrs.yaml", HfrsTable)


@cache
def efi_deficits() -> DeficitTable:
    return load_model(FOLDER / "efi-deficits.yaml", DeficitTable)


def hfrs(
    diagnoses: Any,
    index_date: dt.date,
    *,
    lookback_years: int = 2,
    people: Any = None,
) -> nw.LazyFrame[Any]:
    """Hospital Frailty Risk Score at ``index_date``: [person_key, hfrs, hfrs_band].

    Each of the 109 categories counts once per person, however often it is coded
    (comorbidipy 0.8.0 counts repeats; the paper does not). Diagnoses dated from
    ``lookback_years`` before the index date up to the index date, both inclusive,
    are used. Points are summed in tenths, as integers, so band edges are exact.
    Everyone in ``diagnoses`` (or in ``people``, if given) gets a row; no
    qualifying code scores 0.
    """
    frame = _lazy(diagnoses, "diagnoses", [KEY, CODE, DATE])
    table = hfrs_table()
    tenths: dict[int, list[str]] = {}
    for code, value in table.points().items():
        tenths.setdefault(round(value * 10), []).append(code)
    category = icd10.clean_expr(nw.col(CODE), 3)
    hits = (
        _in_window(frame, index_date, lookback_years)
        .with_columns(category=category)
        .filter(nw.col("category").is_in(sorted(table.points())))
        .select(KEY, "category")
        .unique([KEY, "category"])
    )
    points = _lookup("category", tenths)
    scored = hits.with_columns(tenths=points).group_by(KEY).agg(nw.col("tenths").sum())
    everyone = _everyone(frame, people).join(scored, on=KEY, how="left")
    total = nw.col("tenths").fill_null(0).cast(nw.Int64)
    low, high = round(table.bands.low_below * 10), round(table.bands.high_above * 10)
    band = (
        nw.when(total < low)
        .then(nw.lit("low"))
        .when(total <= high)
        .then(nw.lit("intermediate"))
        .otherwise(nw.lit("high"))
    )
    score = (total.cast(nw.Float64) / 10).alias("hfrs")
    return everyone.select(KEY, score, band.alias("hfrs_band"))


def efi(
    conditions: Any,
    index_date: dt.date,
    *,
    lookback_years: int | None = None,
    extra: Any = None,
    people: Any = None,
    detail: bool = False,
) -> nw.LazyFrame[Any]:
    """eFI-style index at ``index_date``: [person_key, efi_deficits, efi, efi_band].

    A deficit is present if any of its codes is recorded on or before the index
    date (within ``lookback_years`` if given; the eFI uses the whole record).
    ``extra`` adds deficits found elsewhere — [person_key, deficit], deficit by
    name ('polypharmacy') or column name — such as polypharmacy from prescribing
    data. Score = deficits present / 36; bands are decided on the whole count,
    so they are exact. ``detail`` adds one 0/1 column per deficit.
    """
    frame = _lazy(conditions, "conditions", [KEY, CODE, DATE])
    table = efi_deficits()
    coded_deficits = [d for d in table.deficits if d.icd10 or d.snomed]
    lengths = sorted(icd10.by_length(p for d in coded_deficits for p in d.icd10 + d.icd10_exclude))
    flags = {d.column: _deficit_match(d) for d in coded_deficits}
    # clean the code and cut its prefixes once, not once per deficit
    prepared = (
        _in_window(frame, index_date, lookback_years)
        .with_columns(_code=icd10.clean_expr(nw.col(CODE)))
        .with_columns(*[nw.col("_code").str.slice(0, n).alias(f"_code{n}") for n in lengths])
    )
    coded = prepared.select(
        KEY,
        *[
            (flags[d.column] if d.column in flags else nw.lit(False)).cast(nw.Int32).alias(d.column)
            for d in table.deficits
        ],
    )
    parts = [coded]
    if extra is not None:
        parts.append(_extra_deficits(extra, table))
    columns = [d.column for d in table.deficits]
    present = nw.concat(parts, how="vertical").group_by(KEY).agg(nw.col(columns).max())
    everyone = _everyone(frame, people).join(present, on=KEY, how="left")
    filled = everyone.with_columns(nw.col(columns).fill_null(0).cast(nw.Int32))
    count = nw.sum_horizontal(*[nw.col(c) for c in columns]).cast(nw.Int32)
    n = len(columns)
    edges = [math.floor(b * n + 1e-9) for b in (table.bands.fit_max, table.bands.mild_max)]
    moderate = math.floor(table.bands.moderate_max * n + 1e-9)
    band = (
        nw.when(nw.col("efi_deficits") <= edges[0])
        .then(nw.lit("fit"))
        .when(nw.col("efi_deficits") <= edges[1])
        .then(nw.lit("mild"))
        .when(nw.col("efi_deficits") <= moderate)
        .then(nw.lit("moderate"))
        .otherwise(nw.lit("severe"))
    )
    scored = filled.with_columns(efi_deficits=count).with_columns(
        efi=nw.col("efi_deficits").cast(nw.Float64) / n, efi_band=band
    )
    return scored.select(KEY, "efi_deficits", "efi", "efi_band", *(columns if detail else []))


def _deficit_match(deficit: Deficit) -> nw.Expr:
    """ICD-10 by prefix (minus exclusions), SNOMED CT by exact concept id."""
    parts = []
    if deficit.icd10:
        parts.append(
            icd10.match_expr(nw.col("_code"), deficit.icd10, deficit.icd10_exclude, cut=_code_cut)
        )
    if deficit.snomed:
        parts.append(nw.col("_code").is_in(deficit.snomed))
    return _any_of(parts).fill_null(False)


def _code_cut(n: int) -> nw.Expr:
    """The precomputed first ``n`` characters of the clean code."""
    return nw.col(f"_code{n}")


def _any_of(parts: list[nw.Expr]) -> nw.Expr:
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


def _extra_deficits(extra: Any, table: DeficitTable) -> nw.LazyFrame[Any]:
    """[person_key, deficit] rows as 0/1 deficit columns; unknown deficit names are an error."""
    frame = _lazy(extra, "extra deficits", [KEY, "deficit"])
    known = {d.name for d in table.deficits} | {d.column for d in table.deficits}
    seen = frame.select("deficit").unique().collect().to_native()
    names = {str(v) for v in nw.from_native(seen).get_column("deficit").to_list()}
    unknown = sorted(names - known)
    if unknown:
        raise ValidationError(
            f"unknown deficit(s) in extra deficits: {', '.join(unknown)}",
            column="deficit",
            hint="use one of the 36 deficit names, e.g. 'polypharmacy', 'housebound'",
        )
    named = nw.col("deficit")
    return frame.select(
        KEY,
        *[
            named.is_in([d.name, d.column]).fill_null(False).cast(nw.Int32).alias(d.column)
            for d in table.deficits
        ],
    )


def _lookup(column: str, values: dict[int, list[str]]) -> nw.Expr:
    """Value of a code through a short when/then chain (one branch per distinct value)."""
    items = sorted(values.items(), reverse=True)
    value, codes = items[0]
    chain = nw.when(nw.col(column).is_in(sorted(codes))).then(nw.lit(value))
    for value, codes in items[1:]:
        chain = chain.when(nw.col(column).is_in(sorted(codes))).then(nw.lit(value))
    return chain.otherwise(nw.lit(0)).cast(nw.Int64)


def _lazy(frame: Any, what: str, columns: list[str]) -> nw.LazyFrame[Any]:
    """Any native or Narwhals frame as a lazy frame with the columns it needs."""
    if isinstance(frame, nw.LazyFrame):
        lazy = frame
    elif isinstance(frame, nw.DataFrame):
        lazy = frame.lazy()
    else:
        try:
            native = nw.from_native(frame)
        except TypeError:
            raise ValidationError(
                f"{what} must be a data frame, not {type(frame).__name__}",
                hint="pass a pandas, DuckDB, Spark or Narwhals frame",
            ) from None
        lazy = native.lazy() if isinstance(native, nw.DataFrame) else native
    names = lazy.collect_schema().names()
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValidationError(
            f"{what} lacks column(s) {', '.join(missing)}",
            hint=f"expected columns {', '.join(columns)}",
        )
    return lazy


def _in_window(frame: nw.LazyFrame[Any], index: dt.date, years: int | None) -> nw.LazyFrame[Any]:
    """Rows dated within ``years`` before ``index`` up to ``index``, inclusive."""
    dtype = frame.collect_schema()[DATE]
    if dtype not in (nw.Datetime, nw.Date, nw.Object):
        raise ValidationError(
            f"column '{DATE}' holds {dtype}, not dates",
            column=DATE,
            hint="convert it to a date column before scoring",
        )
    stamp = dtype == nw.Datetime  # compare timestamps with timestamps, dates with dates

    def bound(day: dt.date) -> nw.Expr:
        return nw.lit(dt.datetime.combine(day, dt.time()) if stamp else day)

    # the whole index day counts, whatever the time of a timestamp
    day_after = index + dt.timedelta(days=1)
    keep = nw.col(DATE) < bound(day_after) if stamp else nw.col(DATE) <= bound(index)
    if years is not None:
        keep = keep & (nw.col(DATE) >= bound(_years_before(index, years)))
    return frame.filter(keep)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _everyone(frame: nw.LazyFrame[Any], people: Any) -> nw.LazyFrame[Any]:
    if people is None:
        return frame.select(KEY).unique()
    return _lazy(people, "people", [KEY]).select(KEY).unique()
