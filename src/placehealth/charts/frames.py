"""Picking a chart's rows out of the long indicator table, already aggregated.

The table is the one ``placehealth indicators compute`` publishes (DESIGN §4): one row
per indicator, area type, area, period, sex and age band. A chart shows one indicator
for one sex and age band; these helpers choose those rows and say plainly when none
are there, so a chart is never drawn from an empty frame.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from placehealth.publish.indicators import ALL_AGES, PERSONS


def series(
    indicators: pd.DataFrame,
    indicator_id: str,
    *,
    sex: str = PERSONS,
    age_band: str = ALL_AGES,
) -> pd.DataFrame:
    """The indicator's rows for one sex and age band (every area type, area and period)."""
    rows = indicators[indicators["indicator_id"].astype(str) == indicator_id]
    if rows.empty:
        known = ", ".join(sorted(indicators["indicator_id"].astype(str).unique())[:8])
        raise ValidationError(f"no values for indicator '{indicator_id}'", hint=f"found: {known}")
    if "sex" in rows.columns:
        rows = rows[rows["sex"].astype(str) == sex]
    if "age_band" in rows.columns and (rows["age_band"].astype(str) == age_band).any():
        rows = rows[rows["age_band"].astype(str) == age_band]
    if rows.empty:
        raise ValidationError(f"no values for indicator '{indicator_id}' for sex '{sex}'")
    out = rows.copy()
    out["area_code"] = out["area_code"].astype(str)
    out["period"] = out["period"].astype(str)
    if "area_name" not in out.columns:
        out["area_name"] = out["area_code"]
    return out


def everyone(indicators: pd.DataFrame) -> pd.DataFrame:
    """Every indicator's rows for persons of all ages, codes as text."""
    frame = indicators.assign(
        area_type=indicators["area_type"].astype(str),
        area_code=indicators["area_code"].astype(str),
    )
    keep = np.ones(len(frame), dtype=bool)
    for column, wanted in (("sex", PERSONS), ("age_band", ALL_AGES)):
        if column in frame.columns:
            keep &= (frame[column].astype(str) == wanted).to_numpy()
    return frame[keep]


def latest_period(rows: pd.DataFrame) -> str:
    """The period that starts last (labels parsed, so '2018/19' follows '2017/18')."""
    labels = rows["period"].astype(str).unique()
    starts = [parse_period(p).start for p in labels]
    return str(labels[starts.index(max(starts))])


def pick(rows: pd.DataFrame, **where: str) -> pd.DataFrame:
    """Rows where each named column equals the value; a clear message when none do."""
    mask = np.ones(len(rows), dtype=bool)
    for column, wanted in where.items():
        mask &= (rows[column].astype(str) == str(wanted)).to_numpy()
    if not mask.any():
        said = ", ".join(f"{k} '{v}'" for k, v in where.items())
        kinds = ", ".join(sorted(rows["area_type"].astype(str).unique()))
        raise ValidationError(f"no indicator values for {said}", hint=f"area types: {kinds}")
    return rows[mask]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows for a spec's inline data: NaN and NA become null."""
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                clean[str(key)] = None
            elif isinstance(value, np.generic):
                clean[str(key)] = value.item()
            else:
                clean[str(key)] = value
        out.append(clean)
    return out


def number(value: float | None, digits: int = 1) -> str:
    """A value as printed on a chart: thousands separated, fixed decimals; blank as '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"
