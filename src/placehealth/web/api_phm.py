"""The population health API under /api: the published tables the pages show, same roles.

A case list is released here as on its page (:func:`placehealth.web.pages_phm.
release_case_list`): the case-finding service admits or refuses the user and
audits either in the deployment's audit log.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placehealth.phm.access import NEIGHBOURHOOD_TEAM
from placehealth.services import site_phm
from placehealth.web.api import table
from placehealth.web.app import database
from placehealth.web.authz import AGGREGATES, allow
from placehealth.web.pages_phm import release_case_list

router = APIRouter(prefix="/api/population-health", tags=["population health"])


@router.get("/segments", summary="People by segment for one kind of area, as published")
@allow(AGGREGATES)
def segments(request: Request, area: str = "neighbourhood") -> Response:
    return table(site_phm.segments(request.app.state.outputs, area).rates)


@router.get("/concentration", summary="The share of cost held by the heaviest users")
@allow(AGGREGATES)
def concentration(request: Request) -> Response:
    return table(site_phm.concentration(request.app.state.outputs).shares)


@router.get("/at-risk", summary="People at risk by neighbourhood and practice (suppressed)")
@allow(AGGREGATES)
def at_risk(request: Request) -> Response:
    return table(site_phm.at_risk(request.app.state.outputs))


@router.get(
    "/case-list/{neighbourhood}",
    summary="A neighbourhood's case list, for its team only; released and audited",
)
@allow(NEIGHBOURHOOD_TEAM)
def case_list(request: Request, neighbourhood: str, db: Session = Depends(database)) -> Response:
    return table(release_case_list(request, db, neighbourhood, "site api").frame)
