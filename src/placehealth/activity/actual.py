"""Plan against actual: the provider activity plans phased by month, set against the
activity the warehouse records, with the variance and SPC on each monthly series.

A plan's year column (``2015-16``) is the financial year April to March; it is phased in
equal twelfths (no seasonal profile: the plans print none). Actual activity comes from
:func:`placehealth.engine.activity.activity_by_month` by provider code; the place's
``providers`` map each code to the plans' provider id (a code the place does not list
keeps its code, with no plan). Only the months the warehouse covers are compared.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from placehealth.activity.model import ActivityTable
from placehealth.errors import ValidationError

KEYS = ["provider", "pod", "month"]
VARIANCE = [*KEYS, "plan", "actual", "difference", "pct_difference"]
_YEAR = re.compile(r"^(\d{4})-\d{2}$")  # a plan column that counts a financial year
_PHASE = np.arange(12)  # months from April


def plan_by_month(tables: list[ActivityTable], pods: tuple[str, ...]) -> pd.DataFrame:
    """provider, pod, month (first day), plan: each year's planned count in twelfths."""
    rows = []
    seen: set[str] = set()
    for table in tables:
        if table.pod not in pods:
            continue
        if table.pod in seen:
            raise ValidationError(
                f"two activity tables count '{table.pod}' (one is {table.id})",
                hint="compare against one plan folder (one table per point of delivery)",
            )
        seen.add(table.pod)
        for n, column in enumerate(table.columns):
            year = _YEAR.match(column.id)
            if year is None or table.column_unit(column) != "count":
                continue
            for row in table.rows:
                cell = row.cell(n)
                if row.id != "total" and cell is not None and cell.value.value is not None:
                    rows.append((row.id, table.pod, int(year.group(1)), float(cell.value.value)))
    annual = pd.DataFrame(rows, columns=["provider", "pod", "year", "annual"])
    months = pd.DataFrame({"phase": _PHASE})
    out = annual.merge(months, how="cross")
    index = out["year"] * 12 + 3 + out["phase"]  # months since year 0, from April
    out["month"] = _first_days(index // 12, index % 12 + 1)
    out["plan"] = out["annual"] / 12
    return out[["provider", "pod", "month", "plan"]]


def actual_by_month(actual: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """provider (the plans' id where the place maps the code), pod, month, actual."""
    month = _first_days(actual["year"], actual["month"])
    frame = pd.DataFrame(
        {
            "provider": actual["provider_code"].map(codes).fillna(actual["provider_code"]),
            "pod": actual["pod"],
            "month": month,
            "actual": actual["activity"],
        }
    )
    return frame.groupby(KEYS)["actual"].sum().reset_index()


def _first_days(year: pd.Series, month: pd.Series) -> pd.Series:
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))


def variance(plan: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """Plan, actual, difference (actual - plan) and % difference by provider, pod and month,
    over the months from the first to the last the warehouse records (none recorded: 0)."""
    if actual.empty:
        return pd.DataFrame(columns=VARIANCE)
    first, last = actual["month"].min(), actual["month"].max()
    plan = plan[plan["month"].between(first, last)]
    out = plan.merge(actual, on=KEYS, how="outer")
    out["actual"] = out["actual"].fillna(0).astype("int64")
    out["difference"] = out["actual"] - out["plan"]
    planned = out["plan"].where(out["plan"] > 0)
    out["pct_difference"] = 100 * out["difference"] / planned
    return out.sort_values(KEYS, ignore_index=True)[VARIANCE]


def monthly_spc(table: pd.DataFrame) -> pd.DataFrame:
    """An XmR chart of each provider's monthly actual at each point of delivery (Making
    Data Count, :mod:`placehealth.spc`): one row per series with its limits and icons."""
    from placehealth.spc import xmr
    from placehealth.spc.summary import series_summary

    charted = xmr(table, "actual", "month", ["provider", "pod"])
    return series_summary(charted, "actual", "month", ["provider", "pod"])


ALL_MONTHS = "all"


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The variance table as published: months as ``YYYY-MM``, a row of all months for each
    provider and pod, and small actual counts hidden with whatever would give them back
    (the differences of a hidden count are blanked too; docs/disclosure.md)."""
    from placehealth.publish import Hierarchy, suppress_long

    monthly = table.assign(month=table["month"].dt.strftime("%Y-%m"))
    sums = monthly.groupby(["provider", "pod"], as_index=False)[["plan", "actual"]].sum(min_count=1)
    sums["month"] = ALL_MONTHS
    sums["difference"] = sums["actual"] - sums["plan"]
    sums["pct_difference"] = 100 * sums["difference"] / sums["plan"].where(sums["plan"] > 0)
    frame = pd.concat([monthly, sums[VARIANCE]], ignore_index=True)
    months = frame["month"].drop_duplicates()
    months = months[months != ALL_MONTHS]
    edges = pd.DataFrame({"month": months, "parent_month": ALL_MONTHS})
    return suppress_long(
        frame,
        ["actual"],
        keys=KEYS,
        hierarchies=[Hierarchy(("month",), edges)],
        derived=["difference", "pct_difference"],
    )
