"""The population health pages: segments, concentration of cost, people at risk, case lists.

The aggregate pages read the run's published (disclosure-controlled) tables; a
case list is released per request by the governed case-finding service, for a
neighbourhood team whose site account and roles-file entry both cover the
neighbourhood, and audited in the deployment's audit log before it is shown or
downloaded (:mod:`placehealth.services.site_phm`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from placehealth.errors import AccessDenied, ConfigurationError
from placehealth.phm.access import NEIGHBOURHOOD_TEAM
from placehealth.phm.segments import SEGMENT_NAMES
from placehealth.services import site_phm
from placehealth.tables import serialise_table
from placehealth.web.app import database, render
from placehealth.web.authz import AGGREGATES, allow
from placehealth.web.pages import AREA_LABELS, MEDIA, records
from placehealth.web.sessions import Visitor, audit

if TYPE_CHECKING:
    from placehealth.phm.case_list import Release

PREFIX = "/population-health"
router = APIRouter(prefix=PREFIX)
AREA_HEADINGS = {"neighbourhood": "neighbourhood", "practice": "GP practice",
                 "imd_decile": "deprivation decile (IMD, 1 most deprived)"}  # fmt: skip
SECTION = [
    (PREFIX, "Segments by area"),
    (f"{PREFIX}/concentration", "Concentration of cost"),
    (f"{PREFIX}/at-risk", "People at risk by neighbourhood"),
]
AT_RISK_DOWNLOAD = re.compile(r"^at-risk\.(?P<kind>csv|xlsx)$")
SHOWN_ON_PAGE, DOWNLOADED = "site page", "site download"


def site_neighbourhoods(visitor: Visitor) -> frozenset[str]:
    """The neighbourhoods the visitor's site account is a team for (none unless a team)."""
    if visitor.account is None or NEIGHBOURHOOD_TEAM not in visitor.roles:
        return frozenset()
    return frozenset(n for n in visitor.account.neighbourhoods.split(",") if n)


def attachment(frame: pd.DataFrame, kind: str, filename: str) -> Response:
    """A table to download, written by the product's one table writer (formulas neutralised;
    a case list's bytes are those its audit entry hashes)."""
    return Response(
        serialise_table(frame, f".{kind}"), media_type=MEDIA[kind],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


def _visitor(request: Request) -> Visitor:
    visitor: Visitor = request.state.visitor
    return visitor


def _page(request: Request, template: str, title: str, **context: Any) -> Response:
    """A population health page, with the section's links (case lists for a team's own)."""
    teams = sorted(site_neighbourhoods(_visitor(request)))
    links = [*SECTION, *((f"{PREFIX}/case-list/{n}", f"Case list: {n}") for n in teams)]
    return render(request, template, title=title, links=links, **context)


@router.get("", include_in_schema=False)
@allow(AGGREGATES)
def segments(request: Request, area: str | None = None) -> Response:
    outputs = request.app.state.outputs
    kinds = site_phm.segment_area_types(outputs)
    table = site_phm.segments(outputs, area or (kinds[0] if kinds else "neighbourhood"))
    columns = [c for c in table.people.columns if c != "area_code"]
    return _page(
        request, "phm_segments.html", "Population health: segments", area_type=table.area_type,
        area_types=kinds, area_labels=AREA_LABELS, area_heading=AREA_HEADINGS, columns=columns,
        rows=records(table.people), segment_names=SEGMENT_NAMES,
    )  # fmt: skip


@router.get("/concentration", include_in_schema=False)
@allow(AGGREGATES)
def concentration(request: Request) -> Response:
    found = site_phm.concentration(request.app.state.outputs)
    return _page(
        request, "phm_concentration.html", "Population health: concentration of cost",
        shares=records(found.shares), chart=found.chart is not None,
    )  # fmt: skip


@router.get("/concentration.svg", include_in_schema=False)
@allow(AGGREGATES)
def concentration_chart(request: Request) -> Response:
    """The Lorenz curve of cost the run drew (``placehealth phm concentration --chart``)."""
    found = site_phm.concentration(request.app.state.outputs)
    if found.chart is None:
        raise HTTPException(404, "There is no such chart.")
    return Response(found.chart.read_bytes(), media_type="image/svg+xml")


@router.get("/at-risk", include_in_schema=False)
@allow(AGGREGATES)
def at_risk(request: Request) -> Response:
    frame = site_phm.at_risk(request.app.state.outputs)
    return _page(
        request, "phm_at_risk.html", "Population health: people at risk",
        rows=records(frame[frame["level"] != "practice"]),
        practices=records(frame[frame["level"] == "practice"]),
        run=site_phm.at_risk_run(request.app.state.outputs),
    )  # fmt: skip


@router.get("/at-risk/download/{filename}", include_in_schema=False)
@allow(AGGREGATES)
def at_risk_download(request: Request, filename: str, db: Session = Depends(database)) -> Response:
    """The published counts of people at risk, as the product writes every table."""
    match = AT_RISK_DOWNLOAD.match(filename)
    if match is None:
        raise HTTPException(404, "There is no such download.")
    frame = site_phm.at_risk(request.app.state.outputs)
    audit(db, _visitor(request), "download", filename, f"{len(frame)} rows")
    db.commit()
    return attachment(frame, match["kind"], filename)


def release_case_list(request: Request, db: Session, neighbourhood: str, shown_as: str) -> Release:
    """The list, released and audited by the case-finding service, or the refusal as a 403
    (audited there, and in the site's own audit table)."""
    visitor = _visitor(request)
    try:
        released = site_phm.case_list(
            request.app.state.outputs, neighbourhood=neighbourhood, user=visitor.name,
            site_neighbourhoods=site_neighbourhoods(visitor), shown_as=shown_as,
        )  # fmt: skip
    except AccessDenied as exc:
        audit(db, visitor, "refused", f"case list {neighbourhood}", "no role for it")
        db.commit()
        raise HTTPException(403, exc.message) from None
    except ConfigurationError as exc:
        raise HTTPException(503, f"Case lists are not available: {exc.message}.") from None
    target = f"case list {neighbourhood} ({shown_as})"
    audit(db, visitor, "case list", target, f"{len(released.frame)} rows released")
    db.commit()
    return released


@router.get("/case-list/{neighbourhood}", include_in_schema=False)
@allow(NEIGHBOURHOOD_TEAM)
def case_list(request: Request, neighbourhood: str, db: Session = Depends(database)) -> Response:
    released = release_case_list(request, db, neighbourhood, SHOWN_ON_PAGE)
    frame = released.frame
    return _page(
        request, "phm_case_list.html", f"Case list: {neighbourhood}", neighbourhood=neighbourhood,
        index_date=released.index_date, threshold=site_phm.CASE_LIST_THRESHOLD,
        columns=list(frame.columns), rows=records(frame), segment_names=SEGMENT_NAMES,
    )  # fmt: skip


@router.get("/case-list/{neighbourhood}/download.csv", include_in_schema=False)
@allow(NEIGHBOURHOOD_TEAM)
def case_list_download(
    request: Request, neighbourhood: str, db: Session = Depends(database)
) -> Response:
    """The list as CSV: the very bytes whose hash the audit entry records."""
    released = release_case_list(request, db, neighbourhood, DOWNLOADED)
    name = f"case-list-{neighbourhood}-{released.index_date.isoformat()}.csv"
    return attachment(released.frame, "csv", name)
