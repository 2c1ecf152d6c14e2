"""The monthly exception report: every ambition off trajectory or showing special cause
of concern, with its numbers, charts and the lead's narrative — as HTML, PDF or CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.errors import InputFileError
from placehealth.reports.board import common_context
from placehealth.reports.icons import assurance_text, variation_text
from placehealth.reports.pack import PackData
from placehealth.reports.render import HTML_SUFFIXES, render_html, write_document
from placehealth.tables import WRITABLE as TABLE_SUFFIXES
from placehealth.tables import write_table

COLUMNS = [
    "month", "document", "ambition", "name", "group", "indicator", "area", "reasons", "status",
    "latest_period", "actual", "lower95_0cl", "upper95_0cl", "trajectory_now", "difference",
    "variation", "assurance", "baseline", "baseline_period", "target", "target_period",
    "forecast_end", "forecast_meets_target", "lead", "narrative",
]  # fmt: skip


def exception_frame(data: PackData) -> pd.DataFrame:
    """One row per exception, every number the HTML shows, for spreadsheets."""
    rows = [
        {
            "month": data.month,
            "document": v.document,
            "ambition": v.id,
            "name": v.name,
            "group": v.group,
            "indicator": v.ambition.indicator,
            "area": v.area,
            "reasons": "; ".join(v.exception_reasons),
            "status": v.status,
            "latest_period": v.latest_period,
            "actual": v.actual,
            "lower95_0cl": v.lower,
            "upper95_0cl": v.upper,
            "trajectory_now": v.trajectory_now,
            "difference": v.difference,
            "variation": variation_text(v.variation),
            "assurance": assurance_text(v.assurance),
            "baseline": v.baseline[0],
            "baseline_period": v.baseline[1],
            "target": v.target[0],
            "target_period": v.target[1],
            "forecast_end": v.forecast_end,
            "forecast_meets_target": v.forecast_meets_target,
            "lead": v.narrative.lead if v.narrative else None,
            "narrative": v.narrative.narrative if v.narrative else None,
        }
        for v in data.exceptions()
    ]
    return pd.DataFrame(rows, columns=COLUMNS).round(6)  # no float noise in spreadsheets


def exceptions_html(data: PackData, *, title: str | None = None, source: str | None = None) -> str:
    context = common_context(data, title=title, source=source)
    return render_html("exceptions.html", context)


def write_exceptions(
    data: PackData,
    path: Path,
    *,
    title: str | None = None,
    source: str | None = None,
    bom: bool = True,
) -> Path:
    """Write the report as .html, .pdf or .csv (also .xlsx, .parquet), by suffix.

    ``bom``: a CSV starts with the UTF-8 byte-order mark (see ``write_table``).
    """
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES | {".pdf"}:
        return write_document(exceptions_html(data, title=title, source=source), path, data.images)
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(
            f"unsupported output type '{suffix}'", file=path, hint="use .html, .pdf or .csv"
        )
    return write_table(exception_frame(data), path, bom=bom)
