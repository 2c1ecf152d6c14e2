"""The money and activity API under /api: the records the pages show, the same roles.

A BCF what-if takes the metrics' actuals as query parameters (``?delayed-transfers=228``),
as the page's form does; a value the command would refuse is a 400 with its message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from placehealth.services import site_money
from placehealth.web import pages_activity, pages_money
from placehealth.web.api import table
from placehealth.web.authz import allow
from placehealth.web.pages_money import PLANNERS, BadWhatIf

router = APIRouter(prefix="/api", tags=["money and activity"])


def _json(body: Any) -> Response:
    import json

    return Response(
        json.dumps(body, ensure_ascii=False, default=str), media_type="application/json"
    )


@router.get("/money/position", summary="A plan's financial position: printed, derived, findings")
@allow(PLANNERS)
def position(request: Request, plan: str | None = None) -> Response:
    chosen, _, record = pages_money.position(request, plan)
    return _json({"plan": chosen, **record})


@router.get(
    "/money/bcf",
    summary="A BCF plan's payment at risk; metrics' actuals as query parameters for a what-if",
)
@allow(PLANNERS)
def bcf_payment(request: Request, plan: str | None = None) -> Response:
    try:
        chosen, _, _, paid = pages_money.bcf_payment(request, plan, dict(request.query_params))
    except BadWhatIf as bad:
        return JSONResponse({"detail": bad.message}, status_code=400)
    return _json({"plan": chosen, **paid})


def what_if_parameters(plans_root: Path) -> list[dict[str, Any]]:
    """The what-if's query parameters for the schema: one optional number for each metric
    the plans' performance payments count (the plans' own metric ids, read at start)."""
    counted: dict[str, list[str]] = {}
    for plan in site_money.bcf_plans(plans_root):
        for metric in site_money.bcf_metrics(plans_root / plan):
            counted.setdefault(metric, []).append(plan)
    return [
        {
            "name": metric,
            "in": "query",
            "required": False,
            "schema": {"type": "number", "title": metric},
            "description": f"The metric's actual, in its own unit, for a what-if (the command's "
            f"`--set {metric}=value`); counted by {', '.join(plans)}",
        }
        for metric, plans in counted.items()
    ]


def declare_what_if(schema: dict[str, Any], plans_root: Path) -> dict[str, Any]:
    """``schema`` with the BCF what-if's query parameters on ``/api/money/bcf``: they are the
    plans' metrics, so no signature can name them."""
    operation = schema["paths"]["/api/money/bcf"]["get"]
    parameters = operation.setdefault("parameters", [])
    named = {p["name"] for p in parameters}
    parameters += [p for p in what_if_parameters(plans_root) if p["name"] not in named]
    return schema


@router.get("/money/risks", summary="The risk registers, scored and flagged; sort and filter")
@allow(PLANNERS)
def risks(request: Request) -> Response:
    try:
        return _json(pages_money.risk_table(request, dict(request.query_params)))
    except BadWhatIf as bad:
        return JSONResponse({"detail": bad.message}, status_code=400)


@router.get("/money/investments", summary="Investment proposals ranked; what the reserve buys")
@allow(PLANNERS)
def investments(request: Request, plan: str | None = None) -> Response:
    chosen, _, record = pages_money.investments(request, plan)
    return _json({"plan": chosen, **record})


@router.get("/activity/plans", summary="A plan's provider activity tables, printed and recomputed")
@allow(PLANNERS)
def activity_plans(request: Request, plan: str | None = None) -> Response:
    chosen, _, record = pages_activity.plan_tables(request, plan)
    return _json({"plan": chosen, **record})


@router.get("/activity/findings", summary="Every activity finding under the plans")
@allow(PLANNERS)
def activity_findings(request: Request) -> Response:
    return table(pages_activity.findings(request))


@router.get("/activity/demand", summary="The demand projection: P10, P50, P90 by pod and year")
@allow(PLANNERS)
def demand(request: Request) -> Response:
    return table(pages_activity.run_table(request, "projection"))
