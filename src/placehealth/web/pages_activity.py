"""The activity pages: the provider activity plans with their findings (through the
services ``placehealth activity show|check`` run), and what the run wrote for the place —
the demand projection (fan chart, waterfall, P10/P50/P90) and activity against plan
(:mod:`placehealth.services.site_activity`). Same roles as money.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from placehealth.services import activity, site_activity, site_money
from placehealth.web.app import render
from placehealth.web.authz import allow
from placehealth.web.pages import records
from placehealth.web.pages_money import PLANNERS, plans_root, remembered
from placehealth.web.pages_phm import attachment

PREFIX = "/activity"
router = APIRouter(prefix=PREFIX)
SECTION = [
    (PREFIX, "Provider activity plans"),
    (f"{PREFIX}/actual", "Activity against plan"),
    (f"{PREFIX}/demand", "Demand projection"),
]
DOWNLOAD = re.compile(r"^(?P<name>[a-z-]+)\.(?P<kind>csv|xlsx)$")
CHART = re.compile(r"^(?P<name>fan|waterfall)\.svg$")


def _page(request: Request, template: str, title: str, **context: Any) -> Response:
    return render(request, template, title=title, links=SECTION, section="Activity", **context)


def plan_tables(request: Request, plan: str | None) -> tuple[str, list[str], dict[str, Any]]:
    """The chosen plan, the plans to choose from and ``activity show``'s record for it."""
    plans = remembered(request, site_activity.activity_plans, plans_root(request))
    chosen = site_money.chosen(plans, plan, "activity plans")
    return chosen, plans, remembered(request, activity.tables, plans_root(request) / chosen)


def findings(request: Request) -> pd.DataFrame:
    """Every activity finding under the plans (``placehealth activity check plans/``)."""
    found = remembered(request, activity.check, plans_root(request)).findings
    return pd.DataFrame([f.as_dict() for f in found])


def run_activity(request: Request) -> site_activity.RunActivity:
    return site_activity.RunActivity(request.app.state.outputs)


def run_table(request: Request, name: str) -> pd.DataFrame:
    """A table the run wrote, or 404 saying how to make it."""
    frame = run_activity(request).table(name)
    if frame is None:
        raise HTTPException(404, f"No {name} table in the run's outputs: {MISSING}.")
    return frame


MISSING = site_activity.MISSING_HINT


@router.get("", include_in_schema=False)
@allow(PLANNERS)
def plans_page(request: Request, plan: str | None = None) -> Response:
    chosen, plans, record = plan_tables(request, plan)
    return _page(request, "activity_plans.html", "Activity: provider activity plans",
                 plan=chosen, plans=plans, tables=record["tables"],
                 findings=records(findings(request)))  # fmt: skip


@router.get("/demand", include_in_schema=False)
@allow(PLANNERS)
def demand_page(request: Request) -> Response:
    found = run_activity(request)
    projection, plan = found.table("projection"), found.table("plan")
    shown = None if projection is None else projection[projection["measure"] == "activity"]
    return _page(request, "activity_demand.html", "Activity: demand projection",
                 projection=None if shown is None else records(shown),
                 plan=None if plan is None else records(plan), missing=MISSING,
                 charts=[c for c in site_activity.CHARTS if found.chart(c)])  # fmt: skip


@router.get("/actual", include_in_schema=False)
@allow(PLANNERS)
def actual_page(request: Request) -> Response:
    table = run_activity(request).table("actual")
    return _page(request, "activity_actual.html", "Activity: against plan",
                 actual=None if table is None else records(table), missing=MISSING)  # fmt: skip


@router.get("/demand/{filename}", include_in_schema=False)
@allow(PLANNERS)
def demand_chart(request: Request, filename: str) -> Response:
    match = CHART.match(filename)
    path = run_activity(request).chart(match["name"]) if match else None
    if path is None:
        raise HTTPException(404, "There is no such chart.")
    return Response(path.read_bytes(), media_type="image/svg+xml")


@router.get("/download/{filename}", include_in_schema=False)
@allow(PLANNERS)
def download(request: Request, filename: str) -> Response:
    """The findings and the run's tables, as the product writes every table."""
    match = DOWNLOAD.match(filename)
    name = match["name"] if match else ""
    if match is None or name not in ("findings", *site_activity.TABLES):
        raise HTTPException(404, "There is no such download.")
    frame = findings(request) if name == "findings" else run_table(request, name)
    return attachment(frame, match["kind"], filename)
