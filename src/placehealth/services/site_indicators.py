"""One indicator for the site: its catalogue definition and its published values by area."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Catalogue, Polarity
from placehealth.errors import ValidationError
from placehealth.services.overview import period_order
from placehealth.services.site_outputs import SiteOutputs

PAGE_ROWS = 100  # rows of values on a page: some 300 small areas' would be a megabyte of HTML
# the area types in the order a reader meets them: the whole place first
AREA_ORDER = ("place", "neighbourhood", "pcn", "practice", "imd_decile", "lsoa")
BETTER_WHEN = {
    Polarity.HIGHER: "higher",
    Polarity.LOWER: "lower",
    Polarity.NEUTRAL: "neither: higher is not better or worse",
}
VALUE_COLUMNS = [
    "area_code", "area_name", "period", "sex", "age_band", "numerator", "denominator",
    "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl", "method", "disclosure",
]  # fmt: skip


@dataclass(frozen=True)
class ValuesIndex:
    """Where each indicator's values for each kind of area sit in the values table: a page
    then costs a look-up, not a scan of every value of every indicator."""

    rows: dict[tuple[str, str], np.ndarray]  # (indicator, area type) → row positions
    kinds: dict[str, list[str]]  # indicator → its kinds of area, the place first


def values_index(outputs: SiteOutputs) -> ValuesIndex:
    """The index of this version of the outputs' values, made once."""
    return _values_index(outputs, outputs.version)


@functools.lru_cache(maxsize=4)
def _values_index(outputs: SiteOutputs, _version: object) -> ValuesIndex:
    values = outputs.indicators
    keys = [values["indicator_id"].astype(str), values["area_type"].astype(str)]
    groups: dict[tuple[str, str], Any] = values.groupby(keys, sort=False).indices  # type: ignore[assignment]
    rows = {(str(i), str(a)): np.asarray(r) for (i, a), r in groups.items()}
    present: dict[str, set[str]] = {}
    for indicator_id, area_type in rows:
        present.setdefault(indicator_id, set()).add(area_type)
    kinds = {
        i: [a for a in AREA_ORDER if a in found] + sorted(found - set(AREA_ORDER))
        for i, found in present.items()
    }
    return ValuesIndex(rows, kinds)


def known_indicator(outputs: SiteOutputs, catalogue: Catalogue, indicator_id: str) -> None:
    """Refuse an id that is neither in the catalogue nor in the outputs."""
    if indicator_id not in catalogue and indicator_id not in values_index(outputs).kinds:
        raise ValidationError(f"no indicator '{indicator_id}'", hint="see the place overview")


def definition(catalogue: Catalogue, indicator_id: str) -> dict[str, Any]:
    """What the catalogue says of an indicator, as labelled text for a summary list."""
    if indicator_id not in catalogue:
        return {"Name": indicator_id}
    ind = catalogue[indicator_id]
    codes = "; ".join(f"{c.framework} {c.code}" for c in ind.codes)
    sources = "; ".join(f"seed {s.seed}, lines {s.lines}" for s in ind.sources)
    items = {
        "Name": ind.name,
        "Definition": ind.definition,
        "Unit": ind.unit_label,
        "Better when": BETTER_WHEN[ind.polarity],
        "Numerator": ind.numerator,
        "Denominator": ind.denominator,
        "Frequency": ind.frequency,
        "Fingertips id": ind.fingertips,
        "Framework codes": codes,
        "Sources": sources,
    }
    return {k: v for k, v in items.items() if v not in (None, "")}


def area_types(outputs: SiteOutputs, indicator_id: str) -> list[str]:
    """The kinds of area the outputs hold values for, the place first."""
    return list(values_index(outputs).kinds.get(indicator_id, []))


def indicator_values(outputs: SiteOutputs, indicator_id: str, area_type: str) -> pd.DataFrame:
    """The published values of one indicator for one kind of area, by area, then period
    (kept for this version of the outputs: callers must not change it)."""
    return _indicator_values(outputs, outputs.version, indicator_id, area_type)


@functools.lru_cache(maxsize=256)
def _indicator_values(
    outputs: SiteOutputs, _version: object, indicator_id: str, area_type: str
) -> pd.DataFrame:
    values = outputs.indicators
    found = values_index(outputs).rows.get((indicator_id, area_type), np.empty(0, dtype=int))
    rows = values.iloc[found]
    order = period_order(rows["period"])
    rows = rows.assign(_order=rows["period"].map(lambda p: order[str(p)]))
    rows = rows.sort_values(["area_code", "sex", "_order"], key=_natural)
    return rows[[c for c in VALUE_COLUMNS if c in rows.columns]].reset_index(drop=True)


def _natural(column: pd.Series) -> pd.Series:
    """Sort area codes as text but numbers (IMD deciles) as numbers."""
    if column.name == "area_code":
        numeric = pd.to_numeric(column, errors="coerce")
        if numeric.notna().all():
            return numeric
    return column


@dataclass(frozen=True)
class Page:
    """One page of a table's rows: which page, of how many, and the first row's number."""

    rows: pd.DataFrame
    number: int
    pages: int
    first: int  # 1-based, as a reader counts rows
    total: int

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link to: the first, the last, and those beside this one
        (None where others are left out)."""
        wanted = sorted({1, self.pages, *range(self.number - 1, self.number + 2)})
        shown: list[int | None] = []
        for n in (n for n in wanted if 1 <= n <= self.pages):
            if shown and shown[-1] is not None and n - shown[-1] > 1:
                shown.append(None)
            shown.append(n)
        return shown


def page_of(frame: pd.DataFrame, page: str | None, size: int = PAGE_ROWS) -> Page:
    """Rows ``size`` at a time; ``page`` counts from 1 (none: the first). A page that is
    not a number or past the last is refused, as an address that does not exist."""
    pages = max(1, -(-len(frame) // size))
    number = 1 if page in (None, "") else int(page) if str(page).isdigit() else 0
    if not 1 <= number <= pages:
        raise ValidationError(f"there is no page '{page}' of these values", hint=f"1 to {pages}")
    start = (number - 1) * size
    return Page(frame.iloc[start : start + size], number, pages, start + 1, len(frame))
