"""The pages: sign in and out, the place overview, an indicator, the plans."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from placehealth.services import site_indicators, site_plans
from placehealth.services.overview import NOT_COMPARED_LABEL, place_overview
from placehealth.tables import serialise_table
from placehealth.web.accounts import authenticate
from placehealth.web.app import cookie_name, database, render
from placehealth.web.authz import AGGREGATES, PLAN_EDITORS, PUBLIC, allow
from placehealth.web.charts import FORMATS, chart_image, indicator_charts, spine_areas, spine_image
from placehealth.web.sessions import (
    Visitor,
    audit,
    end_session,
    find_session,
    forget_old,
    record_attempt,
    start_session,
    throttled,
)

router = APIRouter()
AREA_LABELS = {
    "place": "The whole place",
    "neighbourhood": "Neighbourhoods",
    "pcn": "Primary care networks",
    "practice": "GP practices",
    "imd_decile": "Deprivation deciles (IMD)",
    "lsoa": "Small areas (LSOA)",
}
CHART = re.compile(r"^(?P<chart>[a-z]+)\.(?P<kind>svg|png)$")
DOWNLOAD = re.compile(r"^(?P<stem>[a-z0-9][a-z0-9-]*)\.(?P<kind>csv|xlsx)$")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for a template, with missing values as None (every cell as a Python object, as
    ``astype(object)`` gives it, without pandas' per-column ``where``)."""
    values = frame.to_numpy(dtype=object)
    values[pd.isna(values)] = None
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in values.tolist()]


def names(request: Request) -> dict[str, str]:
    return {k: v.name for k, v in request.app.state.catalogue.indicators.items()}


def _visitor(request: Request) -> Visitor:
    visitor: Visitor = request.state.visitor
    return visitor


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        cookie_name(settings),
        token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
        max_age=settings.session_max_hours * 3600,
    )


def safe_next(target: str) -> str:
    """Only a path on this site: never another site ('//host', 'https://...', '/\\host')."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/login", include_in_schema=False)
@allow(PUBLIC)
def login_page(request: Request, next: str = "/", db: Session = Depends(database)) -> Response:
    visitor = _visitor(request)
    if visitor.account is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    # an anonymous session carries the sign-in form's CSRF token
    token = start_session(db) if visitor.session is None else None
    return _login_form(request, db, token, next=safe_next(next))


def _login_form(
    request: Request,
    db: Session,
    token: str | None,
    *,
    next: str,
    error: str = "",
    name: str = "",
    status: int = 200,
) -> Response:
    if token is not None:
        request.state.visitor = find_session(db, token, request.app.state.settings)
    db.commit()
    response = render(
        request, "login.html", status, title="Sign in", next=next, error=error, name=name
    )
    if token is not None:
        set_session_cookie(request, response, token)
    return response


@router.post("/login", include_in_schema=False)
@allow(PUBLIC)
def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = Depends(database),
) -> Response:
    settings = request.app.state.settings
    visitor = _visitor(request)
    address = request.client.host if request.client else "unknown"
    name = name.strip()[:100]
    if throttled(db, name, address, settings):
        audit(db, Visitor(), "sign in", name, "throttled")
        return _login_form(
            request, db, None, next=safe_next(next), name=name, status=429,
            error=f"Too many failed attempts. Try again in {settings.throttle_minutes} minutes.",
        )  # fmt: skip
    account = authenticate(db, name, password)
    record_attempt(db, name, address, account is not None)
    if account is None:
        audit(db, Visitor(), "sign in", name, "wrong name or password")
        return _login_form(
            request, db, None, next=safe_next(next), name=name, status=401,
            error="The user name or password is not right.",
        )  # fmt: skip
    end_session(db, visitor.session)  # the session used before signing in ends here
    forget_old(db, settings)
    token = start_session(db, account)
    audit(db, Visitor(account=account), "sign in", name, "signed in")
    db.commit()
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout", include_in_schema=False)
@allow(AGGREGATES)
def logout(request: Request, db: Session = Depends(database)) -> Response:
    visitor = _visitor(request)
    audit(db, visitor, "sign out", "", "signed out")
    end_session(db, visitor.session)
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    settings = request.app.state.settings
    response.delete_cookie(
        cookie_name(settings), path="/", secure=settings.secure_cookies, httponly=True
    )
    return response


@router.get("/", include_in_schema=False)
@allow(AGGREGATES)
def overview(request: Request, area: str | None = None) -> Response:
    outputs = request.app.state.outputs
    frame = place_overview(outputs, names(request))
    present = bool((frame["significance"] != NOT_COMPARED_LABEL).any())
    areas = spine_areas(outputs)
    codes = [code for code, _ in areas]
    chosen = area if area in codes else (codes[0] if codes else None)
    return render(
        request, "overview.html", title="Place overview", rows=records(frame),
        comparator="England", comparator_present=present, spine_areas=areas, spine_area=chosen,
    )  # fmt: skip


@router.get("/charts/spine/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def spine(request: Request, filename: str, area: str = "") -> Response:
    """The overview's spine chart for one neighbourhood, as SVG or PNG."""
    match = re.fullmatch(r"spine\.(?P<kind>svg|png)", filename)
    data = spine_image(request.app.state.outputs, area, match["kind"]) if match else None
    if match is None or data is None:
        raise HTTPException(404, "There is no such chart.")
    return Response(data, media_type=FORMATS[match["kind"]])


def _area_type(request: Request, indicator_id: str, area: str | None) -> tuple[str, list[str]]:
    outputs = request.app.state.outputs
    site_indicators.known_indicator(outputs, request.app.state.catalogue, indicator_id)
    kinds = site_indicators.area_types(outputs, indicator_id)
    chosen = area or (kinds[0] if kinds else "place")
    if kinds and chosen not in kinds:
        raise HTTPException(404, f"No values of this indicator for '{chosen}'.")
    return chosen, kinds


@router.get("/indicators/{indicator_id}", include_in_schema=False)
@allow(AGGREGATES)
def indicator(
    request: Request, indicator_id: str, area: str | None = None, page: str | None = None
) -> Response:
    """The indicator's definition, charts and values, a page of rows at a time (the
    download has them all)."""
    area_type, kinds = _area_type(request, indicator_id, area)
    outputs = request.app.state.outputs
    definition = site_indicators.definition(request.app.state.catalogue, indicator_id)
    rows = site_indicators.indicator_values(outputs, indicator_id, area_type)
    shown = site_indicators.page_of(rows, page)
    return render(
        request, "indicator.html", title=definition["Name"], indicator_id=indicator_id,
        definition=definition, area_type=area_type, area_types=kinds, area_labels=AREA_LABELS,
        rows=records(shown.rows), page=shown,
        charts=indicator_charts(outputs, indicator_id, area_type),
    )  # fmt: skip


@router.get("/indicators/{indicator_id}/download/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def download(
    request: Request, indicator_id: str, filename: str, area: str | None = None,
    db: Session = Depends(database),
) -> Response:  # fmt: skip
    """The values shown on the page, as the product writes every table (formulas neutralised)."""
    match = DOWNLOAD.match(filename)
    if match is None or match["stem"] != indicator_id:
        raise HTTPException(404, "There is no such download.")
    area_type, _ = _area_type(request, indicator_id, area)
    frame = site_indicators.indicator_values(request.app.state.outputs, indicator_id, area_type)
    data = serialise_table(frame, f".{match['kind']}")
    audit(db, _visitor(request), "download", f"{filename} ({area_type})", f"{len(frame)} rows")
    db.commit()
    attachment = f"{indicator_id}-{area_type}.{match['kind']}"
    return Response(
        data, media_type=MEDIA[match["kind"]],
        headers={"content-disposition": f'attachment; filename="{attachment}"'},
    )  # fmt: skip


@router.get("/indicators/{indicator_id}/charts/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def chart(request: Request, indicator_id: str, filename: str, area: str | None = None) -> Response:
    """One chart of the indicator page as an image (SVG or PNG), drawn by the chart functions."""
    match = CHART.match(filename)
    if match is None:
        raise HTTPException(404, "There is no such chart.")
    area_type, _ = _area_type(request, indicator_id, area)
    outputs = request.app.state.outputs
    data = chart_image(outputs, indicator_id, area_type, match["chart"], match["kind"])
    if data is None:
        raise HTTPException(404, "There is no such chart.")
    return Response(data, media_type=FORMATS[match["kind"]])


@router.get("/plans", include_in_schema=False)
@allow(AGGREGATES)
def plans(request: Request) -> Response:
    outputs, files = request.app.state.outputs, request.app.state.settings.files
    rows = records(site_plans.ambitions(outputs))
    grouped = [(doc, list(items)) for doc, items in groupby(rows, key=lambda r: r["document"])]
    findings = site_plans.reviewed_findings(outputs, site_plans.accepted_file(files))
    return render(
        request, "plans.html", title="Plans", ambitions=grouped,
        documents=[doc for doc, _ in grouped], findings=records(findings),
        folders=site_plans.plan_folders(outputs, request.app.state.settings.plans),
        can_edit=bool(_visitor(request).roles & PLAN_EDITORS),
    )  # fmt: skip
