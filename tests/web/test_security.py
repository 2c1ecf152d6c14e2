"""The site's security on SQLite and on PostgreSQL: sign-in, sessions, CSRF, throttling,
deny-by-default authorisation, headers, limits and logs."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from placehealth.phm.access import ADMIN
from placehealth.web.authz import PUBLIC, allow, api_routes, roles_of, unmarked_routes
from placehealth.web.db import Account, AuditEntry, LoginAttempt, SiteSession
from placehealth.web.middleware import CSP
from tests.web.conftest import PASSWORD, browse, csrf_of, make_site, sign_in

COOKIE = "__Host-placehealth"


def audit_rows(site: FastAPI) -> list[AuditEntry]:
    with Session(site.state.engine) as db:
        return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_sign_in_admits_and_a_wrong_password_does_not(client: TestClient, site: FastAPI) -> None:
    assert client.get("/").status_code == 303
    wrong = sign_in(client, "ana", "not the password")
    assert wrong.status_code == 401
    assert "The user name or password is not right" in wrong.text
    assert client.get("/").headers["location"] == "/login?next=%2F"
    right = sign_in(client, "ana")
    assert right.status_code == 303 and right.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Place overview" in page.text
    outcomes = [(a.user, a.action, a.outcome) for a in audit_rows(site)]
    assert ("anonymous", "sign in", "wrong name or password") in outcomes
    assert ("ana", "sign in", "signed in") in outcomes


def test_passwords_are_kept_as_argon2id_hashes(client: TestClient, site: FastAPI) -> None:
    with Session(site.state.engine) as db:
        hashes = list(db.scalars(select(Account.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_a_post_without_the_csrf_token_or_with_a_wrong_one_is_refused(client: TestClient) -> None:
    client.get("/login")
    missing = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert missing.status_code == 403
    wrong = client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "csrf_token": "x" * 43}
    )
    assert wrong.status_code == 403
    assert client.get("/").status_code == 303  # not signed in
    assert sign_in(client, "ana").status_code == 303
    page = client.get("/")
    assert client.post("/logout", data={}).status_code == 403  # still signed in after this
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert client.get("/").status_code == 303


def test_signing_in_issues_a_new_session_and_ends_the_old_one(
    client: TestClient, site: FastAPI
) -> None:
    page = client.get("/login")
    before = client.cookies[COOKIE]
    client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    after = client.cookies[COOKIE]
    assert after != before
    # a session id planted before sign-in (fixation) does not become signed in
    planted = browse(site)
    planted.cookies.set(COOKIE, before)
    assert planted.get("/").status_code == 303
    assert client.get("/").status_code == 200
    with Session(site.state.engine) as db:
        keys = list(db.scalars(select(SiteSession.key)))
    assert before not in keys and after not in keys  # only hashes are stored


def test_the_session_cookie_is_host_only_secure_httponly_and_samesite(client: TestClient) -> None:
    page = client.get("/login")
    header = page.headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=")
    lowered = header.lower()
    assert "httponly" in lowered and "secure" in lowered and "samesite=lax" in lowered
    assert "domain=" not in lowered and "path=/" in lowered


def test_a_tampered_cookie_is_nobody(client: TestClient) -> None:
    sign_in(client, "ana")
    token = client.cookies[COOKIE]
    client.cookies.set(COOKIE, token[:-1] + ("A" if token[-1] != "A" else "B"))
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/overview").status_code == 401


def test_sign_in_is_throttled_per_user_name(client: TestClient, site: FastAPI) -> None:
    limit = site.state.settings.failures_per_user
    for _ in range(limit):
        assert sign_in(client, "ana", "wrong").status_code == 401
    throttled = sign_in(client, "ana")  # the right password, too late
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.text
    assert client.get("/").status_code == 303
    assert sign_in(client, "ada").status_code == 303  # another user is not held up
    with Session(site.state.engine) as db:
        addresses = set(db.scalars(select(LoginAttempt.address)))
    assert "testclient" not in addresses and all(len(a) == 64 for a in addresses)


def test_sign_in_is_throttled_per_address(site_outputs: Path, sqlite_url: str) -> None:
    site = make_site(site_outputs, sqlite_url, failures_per_address=3, failures_per_user=100)
    with browse(site) as client:
        for name in ("x1", "x2", "x3"):
            assert sign_in(client, name, "wrong").status_code == 401
        assert sign_in(client, "ana").status_code == 429


def test_sign_in_goes_back_only_to_a_page_of_this_site(client: TestClient) -> None:
    page = client.get("/login?next=//elsewhere.example/")
    assert 'name="next" value="/"' in page.text
    response = client.post(
        "/login",
        data={"name": "ana", "password": PASSWORD, "csrf_token": csrf_of(page.text),
              "next": "https://elsewhere.example/"},
    )  # fmt: skip
    assert response.headers["location"] == "/"


def test_every_route_names_its_roles(site: FastAPI) -> None:
    """The route walk: every page and API route is marked; only sign-in is public."""
    routes = list(api_routes(site.routes))
    assert len(routes) >= 12
    assert unmarked_routes(site.routes) == []
    public = {r.path for r in routes if roles_of(r.endpoint) == PUBLIC}
    assert public == {"/login"}


def test_a_route_that_names_no_role_is_refused_even_to_an_admin(
    client: TestClient, site: FastAPI
) -> None:
    @site.get("/unmarked")
    def unmarked(request: Request) -> dict[str, str]:
        return {"secret": "yes"}

    @site.get("/admins-only")
    @allow(ADMIN)
    def admins_only(request: Request) -> dict[str, str]:
        return {"secret": "yes"}

    sign_in(client, "ada")
    assert unmarked_routes(site.routes) == ["/unmarked"]
    assert client.get("/unmarked").status_code == 403
    assert client.get("/admins-only").status_code == 200
    client.cookies.clear()
    sign_in(client, "ana")
    refused = client.get("/admins-only")
    assert refused.status_code == 403 and "secret" not in refused.text
    assert ("ana", "refused", "/admins-only") in [
        (a.user, a.action, a.target) for a in audit_rows(site)
    ]


def test_nobody_signed_in_reaches_any_page_or_api_route(client: TestClient, site: FastAPI) -> None:
    for route in api_routes(site.routes):
        if roles_of(route.endpoint) == PUBLIC:
            continue
        path = route.path.replace("{indicator_id}", "ae-attendances").replace(
            "{filename}", "ae-attendances.csv"
        )
        for method in route.methods - {"HEAD"}:
            response = client.request(method, path)
            expected = {403} if method == "POST" else ({401} if path.startswith("/api") else {303})
            assert response.status_code in expected, (method, path, response.status_code)


def test_a_download_name_cannot_climb_out(client: TestClient) -> None:
    sign_in(client, "ana")
    for name in (
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..%2Fplan_summary.csv",
        "ae-attendances.csv%2F..%2F..%2Findicators.csv",
        "..\\indicators.csv",
        "other-indicator.csv",
        "ae-attendances.parquet",
    ):
        response = client.get(f"/indicators/ae-attendances/download/{name}")
        assert response.status_code == 404, name
        assert "root:" not in response.text and "indicator_id" not in response.text
    assert client.get("/indicators/..%2F..%2Fetc/download/passwd.csv").status_code == 404
    assert client.get("/indicators/ae-attendances/download/ae-attendances.csv").status_code == 200


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/login", "/", "/assets/nhsuk-frontend.min.css", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
        assert "unsafe-inline" not in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    assert client.get("/login").headers["cache-control"] == "no-store"


def test_a_server_error_carries_the_security_headers_too(
    site_outputs: Path, sqlite_url: str
) -> None:
    """A failure the application does not handle still gets the headers (Starlette's own
    outermost handler would answer without them)."""
    site = make_site(site_outputs, sqlite_url)

    async def broken(request: object) -> None:
        raise RuntimeError("a fault")

    site.router.add_route("/broken", broken)
    with TestClient(site, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "a fault" not in response.text


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    site_outputs: Path, sqlite_url: str
) -> None:
    site = make_site(site_outputs, sqlite_url, max_body_bytes=1000)
    with browse(site) as client:
        page = client.get("/login")
        big = client.post(
            "/login",
            data={"name": "ana", "password": "x" * 5000, "csrf_token": csrf_of(page.text)},
        )
        assert big.status_code == 413

        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(10):
                yield b"x" * 500

        form = {"content-type": "application/x-www-form-urlencoded"}
        streamed = client.post("/login", content=chunks(), headers=form)
        assert streamed.status_code == 413


def test_the_log_names_routes_never_people(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "ana", "wrong password here")
        sign_in(client, "ana")
        client.get("/indicators/ae-attendances?area=neighbourhood")
    # the site's own loggers and the server's (the test client logs its own requests)
    ours = [r for r in caplog.records if r.name.startswith(("placehealth", "uvicorn", "fastapi"))]
    text = "\n".join(r.getMessage() for r in ours)
    assert "GET /indicators/{indicator_id} 200" in text
    for secret in ("ana", PASSWORD, "wrong password here", "testclient", "neighbourhood", "__Host"):
        assert secret not in text, secret


def test_a_session_ends_after_its_idle_time(site_outputs: Path, sqlite_url: str) -> None:
    site = make_site(site_outputs, sqlite_url)
    idle = dt.timedelta(minutes=site.state.settings.session_idle_minutes + 1)
    with browse(site) as client:
        assert sign_in(client, "ana").status_code == 303
        assert client.get("/").status_code == 200
        with Session(site.state.engine) as db:
            for session in db.scalars(select(SiteSession)):
                session.seen_at -= idle
            db.commit()
        assert client.get("/").status_code == 303
    with Session(site.state.engine) as db:
        assert (
            db.scalars(select(SiteSession).where(SiteSession.account_id.is_not(None))).all() == []
        )


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(
    site_outputs: Path, sqlite_url: str
) -> None:
    site = make_site(site_outputs, sqlite_url)
    with browse(site) as client:
        assert sign_in(client, "ana").status_code == 303
        with Session(site.state.engine) as db:
            db.scalars(select(Account).where(Account.name == "ana")).one().active = False
            db.commit()
        assert client.get("/").status_code == 303
        assert sign_in(client, "ana").status_code == 401
