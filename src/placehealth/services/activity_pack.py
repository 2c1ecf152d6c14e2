"""The board pack's activity page: each provider's activity at each point of delivery
against its plan (scaled to the warehouse's people when they are part of the place, and
saying so) over the months the warehouse records, with the Making Data Count
variation icon of the monthly series, and the demand projection's range (P10, P50, P90)
by point of delivery in its last year beside the base year.

Drawn from what the services publish (small counts already hidden), so the page shows no
number the published tables do not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.services.activity import ActualRun, DemandRun


def board_section(actual: ActualRun | None, demand: DemandRun | None) -> dict[str, Any] | None:
    """The page's context (None: nothing to show)."""
    section = {
        "actual": actual_rows(actual) if actual is not None else [],
        "note": actual.note if actual is not None else "",
        "months": _months(actual),
        "projection": projection_rows(demand) if demand is not None else [],
        "years": _years(demand),
        "runs": demand.runs if demand is not None else None,
    }
    if not (section["actual"] or section["projection"]):
        return None
    return section


def actual_rows(run: ActualRun) -> list[dict[str, Any]]:
    """Per provider and pod: plan, actual and their differences over all months (hidden
    counts stay hidden: None), and the variation icon's key of the monthly series."""
    from placehealth.activity.actual import ALL_MONTHS
    from placehealth.spc.summary import variation_key

    total = run.variance[run.variance["month"] == ALL_MONTHS]
    icons = run.spc.assign(icon=run.spc["variation_icon"].map(variation_key))
    merged = total.merge(
        icons[["provider", "pod", "points", "icon", "variation"]],
        on=["provider", "pod"],
        how="left",
    )
    columns = ["provider", "pod", "plan", "actual", "difference", "pct_difference"]
    rows = merged[[*columns, "points", "icon", "variation"]]
    return _records(rows)


def projection_rows(run: DemandRun) -> list[dict[str, Any]]:
    """Per pod: the activity P50 in the base year and P10, P50, P90 in the last year, as
    published (a pod whose baseline is a small count is blanked)."""
    from placehealth.services.activity import published_demand

    frame = run.projection
    if run.base is not None:
        frame = published_demand(frame, run.base).frame
    activity = frame[frame["measure"] == "activity"]
    first, last = activity["year"].min(), activity["year"].max()
    base = activity[activity["year"] == first][["pod", "p50"]].rename(columns={"p50": "base"})
    end = activity[activity["year"] == last][["pod", "p10", "p50", "p90"]]
    rows = base.merge(end, on="pod", how="right")
    return _records(rows)


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, a missing value (a hidden count) as None."""
    values = rows.astype(object)
    return [
        {str(k): v for k, v in r.items()}
        for r in values.where(values.notna(), None).to_dict("records")
    ]


def _months(run: ActualRun | None) -> tuple[str, str] | None:
    from placehealth.activity.actual import ALL_MONTHS

    if run is None or run.variance.empty:
        return None
    months = run.variance.loc[run.variance["month"] != ALL_MONTHS, "month"]
    return str(months.min()), str(months.max())


def _years(run: DemandRun | None) -> tuple[int, int] | None:
    if run is None or run.projection.empty:
        return None
    years = run.projection["year"]
    return int(years.min()), int(years.max())
