"""The site: the FastAPI application, its authorisation, and the error pages.

Every request passes :func:`authorise` (an app-wide dependency): it finds the
visitor's session, refuses a state-changing request without the session's CSRF
token, and admits the visitor only if the route was marked with one of their
roles (:mod:`placehealth.web.authz`) — a route marked with none is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException

from placehealth.catalogue import load_catalogue
from placehealth.errors import UserError
from placehealth.services.site_outputs import open_outputs, warm
from placehealth.web.authz import PUBLIC, roles_of
from placehealth.web.db import make_engine
from placehealth.web.middleware import BodyLimit, RequestLog, SecurityHeaders
from placehealth.web.sessions import Visitor, audit, csrf_matches, find_session
from placehealth.web.settings import SiteSettings
from placehealth.web.tokens import token_account

HERE = Path(__file__).parent
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """A page asked for by nobody signed in: send them to sign in, then back."""


def cookie_name(settings: SiteSettings) -> str:
    """``__Host-`` asks the browser to keep the cookie to this host, path / and HTTPS."""
    return "__Host-placehealth" if settings.secure_cookies else "placehealth"


def database(request: Request) -> Iterator[Session]:
    """A database session for the request, closed after it (routes commit what they write)."""
    db: Session = request.app.state.sessions()
    try:
        yield db
    finally:
        db.close()


async def authorise(request: Request, db: Session = Depends(database)) -> Visitor:
    """The visitor, admitted to this route by its roles and, for a change, by the CSRF token."""
    settings: SiteSettings = request.app.state.settings
    bearer = request.headers.get("authorization") if wants_json(request) else None
    if bearer is not None:  # a script's API token (placehealth.web.tokens): the API only
        visitor = Visitor(account=token_account(db, bearer))
        if visitor.account is None:
            raise HTTPException(401, "The API token is not valid (revoked, or not this site's).")
    else:
        visitor = find_session(db, request.cookies.get(cookie_name(settings)), settings)
    request.state.visitor = visitor
    db.commit()
    # a token is never sent by a browser on its own, so it needs no CSRF token beside it
    if request.method not in SAFE_METHODS and bearer is None:
        token = request.headers.get(CSRF_HEADER)
        if token is None:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
        if not csrf_matches(visitor, token):
            raise HTTPException(403, "The form had expired or did not come from this site.")
    allowed = roles_of(request.scope.get("endpoint"))
    if allowed == PUBLIC:
        return visitor
    if allowed is None:
        raise HTTPException(403, "This address is not open to anyone.")
    if visitor.account is None:
        raise LoginRequired
    if not visitor.roles & allowed:
        audit(db, visitor, "refused", request.scope.get("route").path, "no role for it")  # type: ignore[union-attr]
        db.commit()
        raise HTTPException(403, "Your role does not give you access to this page.")
    return visitor


def create_app(settings: SiteSettings) -> FastAPI:
    """The site over ``settings``' outputs and database (already migrated)."""
    from placehealth.web import (
        api,
        api_money,
        api_phm,
        pages,
        pages_activity,
        pages_money,
        pages_phm,
        pages_plans,
    )
    from placehealth.web.charts import warm_charts

    outputs = open_outputs(settings.outputs)
    catalogue = load_catalogue()
    warm(outputs, {k: v.name for k, v in catalogue.indicators.items()})
    warm_charts(outputs)
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="placehealth",
        summary="A place's indicators, plans and population health, as published outputs.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(authorise)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.outputs = outputs
    app.state.catalogue = catalogue
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.openapi = functools.partial(site_schema, app)  # type: ignore[method-assign]
    app.include_router(pages.router)
    app.include_router(pages_plans.router)
    app.include_router(pages_phm.router)
    app.include_router(api.router)
    if settings.oidc is not None:
        from placehealth.web import oidc

        app.include_router(oidc.router)
    app.include_router(api_phm.router)
    app.include_router(pages_money.router)
    app.include_router(pages_activity.router)
    app.include_router(api_money.router)
    app.mount("/assets", StaticFiles(directory=HERE / "static" / "nhsuk"), name="assets")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(UserError, _user_error)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders, https=settings.secure_cookies)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(RequestLog)
    return app


def site_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI schema, made once: the routes' own, with the query parameters named by
    the plans (the BCF what-if's metrics)."""
    from placehealth.web.api_money import declare_what_if

    if app.openapi_schema is None:
        app.openapi_schema = declare_what_if(FastAPI.openapi(app), app.state.settings.plans)
    return app.openapi_schema


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with who is signed in and the session's CSRF token for its forms."""
    visitor: Visitor = getattr(request.state, "visitor", Visitor())
    csrf = visitor.session.csrf if visitor.session else ""
    context = {"visitor": visitor, "csrf": csrf, "current": request.url.path, **context}
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response


async def _login_required(request: Request, _exc: LoginRequired) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": "Sign in first."}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    from urllib.parse import quote

    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


TITLES = {401: "Sign in first", 403: "Not allowed", 404: "Page not found", 405: "Not allowed",
          413: "Too large", 429: "Too many attempts"}  # fmt: skip


async def _http_error(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
    if exc.status_code == 404 and detail == "Not Found":
        detail = "There is no page at this address."
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=exc.status_code)
    title = TITLES.get(exc.status_code, "Something went wrong")
    return render(request, "error.html", exc.status_code, title=title, message=detail)


async def _user_error(request: Request, exc: UserError) -> Response:
    """An unknown indicator or a bad parameter: not found, with what to do."""
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=404)
    return render(request, "error.html", 404, title="Page not found", message=message)
