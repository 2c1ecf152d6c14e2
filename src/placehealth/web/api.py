"""The JSON API under /api: the same published outputs and the same roles as the pages.

Sign in through /login (the session cookie then admits the API's requests);
the schema is at /api/openapi.json.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from placehealth.services import site_indicators, site_plans
from placehealth.services.overview import place_overview
from placehealth.web.authz import AGGREGATES, allow

router = APIRouter(prefix="/api", tags=["api"])


def table(frame: pd.DataFrame) -> Response:
    """A table as a JSON list of records (missing values as null)."""
    return Response(
        frame.to_json(orient="records", force_ascii=False), media_type="application/json"
    )


def _names(request: Request) -> dict[str, str]:
    return {k: v.name for k, v in request.app.state.catalogue.indicators.items()}


@router.get("/openapi.json", include_in_schema=False)
@allow(AGGREGATES)
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get(
    "/overview", summary="Every indicator's latest value, comparison, trend and plan status"
)
@allow(AGGREGATES)
def overview(request: Request) -> Response:
    return table(place_overview(request.app.state.outputs, _names(request)))


@router.get("/indicators", summary="The indicators in the outputs, with their catalogue names")
@allow(AGGREGATES)
def indicators(request: Request) -> list[dict[str, Any]]:
    ids = sorted(set(request.app.state.outputs.indicators["indicator_id"].astype(str)))
    names = _names(request)
    return [{"id": i, "name": names.get(i, i)} for i in ids]


@router.get(
    "/indicators/{indicator_id}",
    summary="An indicator's definition and values for one kind of area",
)
@allow(AGGREGATES)
def indicator(request: Request, indicator_id: str, area: str = "place") -> Response:
    outputs = request.app.state.outputs
    catalogue = request.app.state.catalogue
    site_indicators.known_indicator(outputs, catalogue, indicator_id)
    values = site_indicators.indicator_values(outputs, indicator_id, area)
    body = {
        "id": indicator_id,
        "definition": site_indicators.definition(catalogue, indicator_id),
        "area_types": site_indicators.area_types(outputs, indicator_id),
        "area_type": area,
        "values": json.loads(values.to_json(orient="records", force_ascii=False)),
    }
    return Response(
        json.dumps(body, ensure_ascii=False, default=str), media_type="application/json"
    )


@router.get("/plans/ambitions", summary="Every ambition with its target and latest status")
@allow(AGGREGATES)
def ambitions(request: Request) -> Response:
    return table(site_plans.ambitions(request.app.state.outputs))


@router.get("/plans/findings", summary="What the plan checker found, errors first")
@allow(AGGREGATES)
def findings(request: Request) -> Response:
    return table(site_plans.findings(request.app.state.outputs))
