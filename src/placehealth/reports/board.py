"""The board pack: cover, summary of every ambition, a page per objective, exception
pages, and methods with the plan checker's findings — HTML and PDF from one template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from placehealth import __version__
from placehealth.periods import parse_period
from placehealth.plans.check import Finding
from placehealth.plans.check.findings import SEVERITY_ORDER
from placehealth.reports.pack import PackData
from placehealth.reports.render import render_html, write_document

MAX_FINDINGS = 40  # the rest are one `placehealth plan check` away


def common_context(data: PackData, *, title: str | None, source: str | None) -> dict[str, Any]:
    """What every report shows: title, month, area, the ambitions and the exceptions."""
    documents = {p.document.id: p.document for p in data.plans}
    first = data.plans[0].document
    areas = sorted({v.area for v in data.ambitions}) or [first.area]
    return {
        "title": title or (first.title if len(documents) == 1 else "Plans of the place"),
        "area": ", ".join(areas),
        "month": data.month,
        "month_name": pd.Period(data.month, freq="M").strftime("%B %Y"),
        "subtitle": data.month,
        "plans": data.plans,
        "ambitions": data.ambitions,
        "exceptions": data.exceptions(),
        "groups": data.groups(),
        "card_groups": data.card_groups(),
        "no_data": data.no_data(),
        "synthetic": data.synthetic,
        "source": source or "not stated",
        "produced": dt.date.today().isoformat(),
        "version": __version__,
    }


def data_notes(data: PackData) -> list[str]:
    """Plain-language notes on gaps in the actuals that a reader should know about."""
    notes = []
    no_data = [v.id for v in data.ambitions if v.status == "no data"]
    if no_data:
        notes.append(f"No actuals for {len(no_data)} ambition(s): {', '.join(no_data)}.")
    short = [v.id for v in data.ambitions if v.status != "no data" and v.variation is None]
    if short:
        notes.append(
            f"Too few points for an SPC chart for {len(short)} ambition(s): {', '.join(short)}."
        )
    notes.extend(
        f"A possible step change in {v.id} at {month} (seven or more points on each "
        "side of the mean): if something changed then (a new service, a new "
        "definition), mark the month in the actuals' rebase column to start new limits."
        for v in data.ambitions
        for month in v.step_changes
    )
    rebased = [
        f"{v.id} at {', '.join(v.rebased)}"
        + "".join(f" ({r.period}: {r.reason})" for r in v.ambition.rebase)
        for v in data.ambitions
        if v.rebased
    ]
    if rebased:
        notes.append(
            "SPC limits restart at a known change, stated in the plan or marked in the "
            f"actuals: {'; '.join(rebased)}."
        )
    month_start = pd.Period(data.month, freq="M").start_time.date()
    stale = [
        v.id
        for v in data.ambitions
        if v.latest_period and parse_period(v.latest_period).end < month_start
    ]
    if stale:
        notes.append(
            f"The latest actual is older than {data.month} for {len(stale)} ambition(s): "
            f"{', '.join(stale)}."
        )
    return notes


def board_context(
    data: PackData,
    findings: list[Finding],
    *,
    title: str | None = None,
    source: str | None = None,
    money: dict[str, Any] | None = None,
    activity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    counts = pd.Series([str(f.severity) for f in findings], dtype=object).value_counts()
    shown = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.id))[:MAX_FINDINGS]
    return {
        **common_context(data, title=title, source=source),
        "status_counts": data.status_counts(),
        "data_notes": data_notes(data),
        "finding_counts": {str(k): int(n) for k, n in counts.items()},
        "findings_shown": shown,
        "findings_total": len(findings),
        "money": money,  # the Better Care Fund and risk page (services/money_pack.py)
        "activity": activity,  # the activity page (services/activity_pack.py)
    }


def board_html(
    data: PackData,
    findings: list[Finding],
    *,
    title: str | None = None,
    source: str | None = None,
    money: dict[str, Any] | None = None,
    activity: dict[str, Any] | None = None,
) -> str:
    context = board_context(
        data, findings, title=title, source=source, money=money, activity=activity
    )
    return render_html("board.html", context)


def write_board(
    data: PackData,
    findings: list[Finding],
    path: Path,
    *,
    title: str | None = None,
    source: str | None = None,
    money: dict[str, Any] | None = None,
    activity: dict[str, Any] | None = None,
) -> Path:
    """Write the pack as .html or .pdf (by suffix)."""
    html = board_html(data, findings, title=title, source=source, money=money, activity=activity)
    return write_document(html, path, data.images)
