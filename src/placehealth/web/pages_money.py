"""The money pages: financial position, the Better Care Fund and its payment at risk, the
risk registers and their heat map, and investment prioritisation.

Each reads the plan folders (``SiteSettings.plans``) through the service the command line
runs (:mod:`placehealth.services.site_money`); the BCF what-if is a plain GET form whose
fields are the command's ``--set metric=value``, so it works without JavaScript, and a
value the command would refuse is shown back as the command's message (400).
Money is board-level planning, not personal data, but it is the analysts' and
administrators' work: other roles are refused (docs/web.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from placehealth.errors import ValidationError
from placehealth.phm.access import ADMIN, ANALYST
from placehealth.services import bcf, finance, risks, site_money
from placehealth.web.app import render
from placehealth.web.authz import allow
from placehealth.web.pages_phm import attachment

PREFIX = "/money"
router = APIRouter(prefix=PREFIX)
# the money and activity sections: analysts and administrators (deny everyone else)
PLANNERS = frozenset({ANALYST, ADMIN})
SECTION = [
    (PREFIX, "Financial position"),
    (f"{PREFIX}/bcf", "Better Care Fund"),
    (f"{PREFIX}/risks", "Risk register"),
    (f"{PREFIX}/investments", "Investment prioritisation"),
]
T = TypeVar("T")
RISK_SORTS = ("score", "residual_score", "category", "owner", "register", "review")
DOWNLOAD = re.compile(r"^(?P<name>[a-z-]+)\.(?P<kind>csv|xlsx)$")


def plans_root(request: Request) -> Path:
    root: Path = request.app.state.settings.plans
    return root


def remembered(request: Request, job: Callable[..., T], *args: Any) -> T:
    """``job(*args)``, worked out once per version of the plan files."""
    key = (job.__module__, job.__qualname__, repr(args))
    return site_money.remembered(plans_root(request), key, lambda: job(*args))


def _page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> Response:
    return render(request, template, status, title=title, links=SECTION, section="Money",
                  **context)  # fmt: skip


class BadWhatIf(Exception):
    """A what-if or filter the command would refuse: the page again, with its message."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.message)
        self.message = error.message + (f" ({error.hint})" if error.hint else "")


# -- the jobs, shared by the pages, their downloads and the API -------------------------


def position(request: Request, plan: str | None) -> tuple[str, list[str], dict[str, Any]]:
    """The chosen plan, the plans to choose from, and ``finance model``'s record for it."""
    plans = remembered(request, site_money.position_plans, plans_root(request))
    chosen = site_money.chosen(plans, plan, "financial position")
    return (
        chosen,
        plans,
        remembered(request, finance.position_model, plans_root(request) / chosen, []),
    )


def bcf_payment(
    request: Request, plan: str | None, query: dict[str, str]
) -> tuple[str, list[str], list[str], dict[str, Any]]:
    """The chosen plan, the plans, its metrics and ``bcf payment --set …`` for the query."""
    plans = remembered(request, site_money.bcf_plans, plans_root(request))
    chosen = site_money.chosen(plans, plan, "Better Care Fund plan")
    folder = plans_root(request) / chosen
    metrics = remembered(request, site_money.bcf_metrics, folder)
    try:
        paid = remembered(request, bcf.payment, folder, site_money.what_if_sets(query, metrics))[0]
    except ValidationError as exc:
        raise BadWhatIf(exc) from None
    return chosen, plans, metrics, paid


def risk_table(request: Request, query: dict[str, str]) -> dict[str, Any]:
    """``placehealth risks show`` with the query's sort, category, owner and least score."""
    raw = query.get("min_score", "").strip()
    try:
        least = int(raw) if raw else None
        return risks.table(
            plans_root(request), sort=query.get("sort") or "score",
            category=query.get("category") or None, owner=query.get("owner") or None,
            min_score=least,
        )  # fmt: skip
    except ValueError:
        raise BadWhatIf(ValidationError(f"least score '{raw}' is not a whole number")) from None
    except ValidationError as exc:
        raise BadWhatIf(exc) from None


def investments(request: Request, plan: str | None) -> tuple[str, list[str], dict[str, Any]]:
    plans = remembered(request, site_money.investment_plans, plans_root(request))
    chosen = site_money.chosen(plans, plan, "investment proposals")
    return chosen, plans, remembered(request, finance.investments, plans_root(request) / chosen)


def bcf_tables(paid: dict[str, Any]) -> dict[str, pd.DataFrame]:
    return {"releases": pd.DataFrame(paid["releases"]), "metrics": pd.DataFrame(paid["metrics"])}


# -- the pages ---------------------------------------------------------------------------


@router.get("", include_in_schema=False)
@allow(PLANNERS)
def position_page(request: Request, plan: str | None = None) -> Response:
    chosen, plans, record = position(request, plan)
    return _page(
        request, "money_position.html", "Money: financial position", plan=chosen, plans=plans,
        years=record["years"], findings=record["findings"],
        tables=_printed_tables(request, chosen),
    )  # fmt: skip


def _printed_tables(request: Request, plan: str) -> list[dict[str, Any]]:
    """The plan's finance tables as printed, each cell with what it recomputes to."""
    return remembered(request, finance.tables, plans_root(request) / plan)["tables"]


@router.get("/bcf", include_in_schema=False)
@allow(PLANNERS)
def bcf_page(request: Request, plan: str | None = None) -> Response:
    query = dict(request.query_params)
    plans = remembered(request, site_money.bcf_plans, plans_root(request))
    chosen = site_money.chosen(plans, plan, "Better Care Fund plan")
    shown = remembered(request, bcf.show, plans_root(request) / chosen)[0]
    context: dict[str, Any] = {"plan": chosen, "plans": plans, "shown": shown, "query": query,
                               "years": sorted({c["year"] for c in shown["pool"]})}  # fmt: skip
    try:
        _, _, metrics, paid = bcf_payment(request, chosen, query)
    except BadWhatIf as bad:
        metrics = site_money.bcf_metrics(plans_root(request) / chosen)
        paid = bcf.payment(plans_root(request) / chosen)[0]
        return _page(request, "money_bcf.html", "Money: Better Care Fund", 400,
                     error=bad.message, metrics=metrics, paid=paid, **context)  # fmt: skip
    return _page(request, "money_bcf.html", "Money: Better Care Fund", metrics=metrics,
                 paid=paid, **context)  # fmt: skip


@router.get("/risks", include_in_schema=False)
@allow(PLANNERS)
def risks_page(request: Request) -> Response:
    query = dict(request.query_params)
    context: dict[str, Any] = {"query": query, "sorts": RISK_SORTS}
    try:
        found = risk_table(request, query)
    except BadWhatIf as bad:
        found = risk_table(request, {})
        return _page(request, "money_risks.html", "Money: risk register", 400, error=bad.message,
                     risks=found["risks"], registers=found["registers"], **context)  # fmt: skip
    return _page(request, "money_risks.html", "Money: risk register", risks=found["risks"],
                 registers=found["registers"], **context)  # fmt: skip


@router.get("/risks/heatmap.svg", include_in_schema=False)
@allow(PLANNERS)
def heatmap(request: Request) -> Response:
    """The likelihood × consequence heat map ``placehealth risks heatmap`` draws."""
    files: Path = request.app.state.settings.files
    return Response(site_money.heatmap_svg(plans_root(request), files), media_type="image/svg+xml")


@router.get("/investments", include_in_schema=False)
@allow(PLANNERS)
def investments_page(request: Request, plan: str | None = None) -> Response:
    chosen, plans, record = investments(request, plan)
    return _page(request, "money_investments.html", "Money: investment prioritisation",
                 plan=chosen, plans=plans, record=record)  # fmt: skip


@router.get("/download/{filename}", include_in_schema=False)
@allow(PLANNERS)
def download(request: Request, filename: str, plan: str | None = None) -> Response:
    """Each money table, as the product writes every table (formulas neutralised)."""
    match = DOWNLOAD.match(filename)
    if match is None or match["name"] not in DOWNLOADS:
        raise HTTPException(404, "There is no such download.")
    try:
        frame = DOWNLOADS[match["name"]](request, plan)
    except BadWhatIf as bad:
        raise HTTPException(400, bad.message) from None
    return attachment(frame, match["kind"], filename)


def _query(request: Request) -> dict[str, str]:
    return dict(request.query_params)


DOWNLOADS = {
    "position": lambda r, p: site_money.position_table(position(r, p)[2]),
    "bcf-payment": lambda r, p: bcf_tables(bcf_payment(r, p, _query(r))[3])["releases"],
    "bcf-metrics": lambda r, p: bcf_tables(bcf_payment(r, p, _query(r))[3])["metrics"],
    "risks": lambda r, _p: pd.DataFrame(risk_table(r, _query(r))["risks"]),
    "investments": lambda r, p: site_money.investments_table(investments(r, p)[2]),
}
