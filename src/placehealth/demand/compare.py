"""The projection beside the provider activity plans: for each plan table of a point of
delivery the projection has, its TOTAL row year by year against the projection's P10, P50
and P90 for the year the column starts in (2014-15 → 2014)."""

from __future__ import annotations

import pandas as pd

from placehealth.activity.load import ActivityBook

COLUMNS = ["pod", "table", "document", "year", "plan", "p10", "p50", "p90", "plan_vs_p50_pct",
           "within_p10_p90"]  # fmt: skip


def plan_totals(activity: ActivityBook) -> pd.DataFrame:
    """``pod, table, document, year, plan``: every activity table's TOTAL row by year."""
    rows = []
    for table in activity.tables():
        total = next((r for r in table.rows if r.kind == "total"), None)
        if total is None:
            continue
        for n, column in enumerate(table.columns):
            cell = total.cell(n)
            if table.column_unit(column) != "count" or cell is None or not column.id[:4].isdigit():
                continue
            rows.append({"pod": table.pod, "table": table.id,
                         "document": activity.book.where[table.id].document.id,
                         "year": int(column.id[:4]), "plan": cell.value.value})  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS[:5])


def compare(projection: pd.DataFrame, activity: ActivityBook) -> pd.DataFrame:
    """The plans' totals against the projected activity where pod and year meet; empty when
    they never do (a projection for another place or other years)."""
    plans = plan_totals(activity)
    projected = projection[projection["measure"] == "activity"][
        ["pod", "year", "p10", "p50", "p90"]
    ]
    out = plans.merge(projected, on=["pod", "year"], how="inner")
    out["plan_vs_p50_pct"] = (out["plan"] / out["p50"] - 1) * 100
    out["within_p10_p90"] = (out["plan"] >= out["p10"]) & (out["plan"] <= out["p90"])
    return out[COLUMNS].sort_values(["pod", "table", "year"]).reset_index(drop=True)
