"""How much of an actuals file the plans could use: never a silent pack of "no data".

An area code where the plan names the area, ``--area`` naming another place than the
file's, or indicator names the catalogue does not use all leave every ambition
without data. The commands then say what the file holds (areas, indicators,
periods) beside what the plans expected, and ``--strict`` makes it an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Catalogue
from placehealth.errors import ValidationError
from placehealth.plans.load import Plan

SHOWN = 6  # names listed before "and N more"
FAR_LESS = 0.5  # under this share of the rows used, the unused rows are described


@dataclass(frozen=True)
class Coverage:
    """Rows of the actuals an ambition can use, and what to tell the user about the rest."""

    rows: int
    used: int
    ambitions: int
    with_data: int
    message: str | None  # what the file holds against what was expected; None when all is used

    @property
    def nothing(self) -> bool:
        """No actual matches any ambition (the pack would be all "no data")."""
        return self.ambitions > 0 and self.with_data == 0


def coverage(
    plans: list[Plan],
    catalogue: Catalogue,
    actuals: pd.DataFrame,
    *,
    area: str | None = None,
    all_areas: bool = False,
) -> Coverage:
    """Which actuals rows match an ambition's indicator and area (or its comparator).

    Matched as :func:`placehealth.plans.status.plan_status` matches them: by
    indicator (the gap's source for a gap indicator), and by area name or code,
    case-insensitively; ``all_areas`` takes every area.
    """
    names = actuals["area"].astype(str).str.strip().str.lower()
    codes = (
        actuals["area_code"].astype(str).str.strip().str.lower()
        if "area_code" in actuals.columns
        else names
    )
    indicators = actuals["indicator"].astype(str)
    wanted: list[tuple[str, str, str]] = []  # indicator, area to match, area as written
    for plan in plans:
        for a in plan.ambitions:
            indicator = catalogue[a.indicator]
            source = indicator.gap_of or a.indicator
            where = (area or a.area or plan.document.area or "").strip()
            wanted.append((source, where.lower(), where))
            if indicator.comparator:
                comparator = indicator.comparator.strip()
                wanted.append((source, comparator.lower(), comparator))
    named = pd.DataFrame(wanted, columns=["indicator", "area", "shown"])
    pairs = named.drop_duplicates(["indicator", "area"])[["indicator", "area"]]
    sources = set(pairs["indicator"])
    if all_areas:
        used = indicators.isin(sources).to_numpy()
        hit = pairs["indicator"].isin(set(indicators)).to_numpy()
    else:
        by_name = pd.MultiIndex.from_arrays([indicators, names])
        by_code = pd.MultiIndex.from_arrays([indicators, codes])
        expected = pd.MultiIndex.from_frame(pairs)
        used = (by_name.isin(expected) | by_code.isin(expected)).astype(bool)
        found = set(by_name[used]) | set(by_code[used])
        hit = np.array([pair in found for pair in expected], dtype=bool)  # ambitions, not rows
    ambitions = sum(len(p.ambitions) for p in plans)
    with_data = int(hit.sum())
    rows, n_used = len(actuals), int(np.asarray(used).sum())
    message = None
    if ambitions and with_data == 0 and rows:
        message = (
            "no actual matches any ambition: "
            + _holds(actuals, names)
            + "; "
            + _expects(named, area)
        )
    elif rows and n_used < FAR_LESS * rows:
        message = f"{rows - n_used:,} of {rows:,} actuals match no ambition: " + _unused(
            actuals, indicators, names, np.asarray(used), sources, pairs
        )
    return Coverage(rows, n_used, ambitions, with_data, message)


def refuse_or_warn(found: Coverage, file: Path, *, strict: bool) -> str | None:
    """Under ``--strict`` an actuals file that matches nothing is an error; otherwise the
    message (or None) for the command to print as a warning."""
    if strict and found.nothing:
        raise ValidationError(
            found.message or "no actual matches any ambition",
            file=file,
            hint="give --area with one of the file's areas (or --all-areas), or use the "
            "catalogue's indicator ids; drop --strict to write the report anyway",
        )
    return found.message


def _listing(values: pd.Series | list[str]) -> str:
    unique = sorted({str(v) for v in values})
    shown = ", ".join(unique[:SHOWN])
    return shown + (f" and {len(unique) - SHOWN} more" if len(unique) > SHOWN else "")


def _holds(actuals: pd.DataFrame, names: pd.Series) -> str:
    areas = _listing(actuals["area"])
    if "area_code" in actuals.columns and not (names == actuals["area_code"].str.lower()).all():
        areas += f" (codes {_listing(actuals['area_code'])})"
    periods = actuals["period"].astype(str)
    order = np.argsort(actuals["start"].to_numpy()) if "start" in actuals.columns else None
    first, last = (periods.iloc[order[0]], periods.iloc[order[-1]]) if order is not None else (
        periods.iloc[0], periods.iloc[-1])  # fmt: skip
    return (
        f"the file holds {len(actuals):,} rows for areas {areas}; indicators "
        f"{_listing(actuals['indicator'])}; periods {first} to {last}"
    )


def _expects(named: pd.DataFrame, area: str | None) -> str:
    areas = _listing(named["shown"])
    given = f" (--area {area})" if area else ""
    return f"the plans expect areas {areas}{given} and indicators {_listing(named['indicator'])}"


def _unused(
    actuals: pd.DataFrame,
    indicators: pd.Series,
    names: pd.Series,
    used: np.ndarray,
    sources: set[str],
    pairs: pd.DataFrame,
) -> str:
    spare = ~used
    parts = []
    other_indicators = indicators[spare & ~indicators.isin(sources).to_numpy()]
    if len(other_indicators):
        parts.append(f"indicators not in the plans: {_listing(other_indicators)}")
    other_areas = actuals["area"][spare & ~names.isin(set(pairs["area"])).to_numpy()]
    if len(other_areas):
        parts.append(f"areas not asked for: {_listing(other_areas)}")
    return "; ".join(parts) or "sex or age bands the ambitions do not use"
