"""API tokens: a script reaches /api with a token instead of a browser session; the token is
kept hashed, acts with its user's roles of the moment, opens no page, and stops when revoked."""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from placehealth.web.db import Account, ApiToken
from placehealth.web.tokens import issue_token, revoke_token
from tests.test_cli import run_cli


def token_for(site: FastAPI, name: str) -> tuple[int, str]:
    with Session(site.state.engine) as db:
        made = issue_token(db, name)
        db.commit()
    return made


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_a_token_opens_the_api_as_its_user(client: TestClient, site: FastAPI) -> None:
    _, token = token_for(site, "ana")
    assert client.get("/api/overview").status_code == 401
    response = client.get("/api/overview", headers=bearer(token))
    assert response.status_code == 200 and response.json()
    assert client.get("/api/openapi.json", headers=bearer(token)).status_code == 200


def test_only_the_hash_is_kept(site: FastAPI) -> None:
    _, token = token_for(site, "ana")
    with Session(site.state.engine) as db:
        keys = db.scalars(select(ApiToken.key)).all()
    assert token not in keys
    assert hashlib.sha256(token.encode()).hexdigest() in keys


def test_a_token_opens_no_page(client: TestClient, site: FastAPI) -> None:
    _, token = token_for(site, "ana")
    page = client.get("/plans", headers=bearer(token))
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_wrong_or_revoked_token_is_refused(client: TestClient, site: FastAPI) -> None:
    token_id, token = token_for(site, "ana")
    assert client.get("/api/overview", headers=bearer(token[:-2] + "xx")).status_code == 401
    assert client.get("/api/overview", headers=bearer("not-a-token")).status_code == 401
    with Session(site.state.engine) as db:
        assert revoke_token(db, token_id) == "ana"
        db.commit()
    refused = client.get("/api/overview", headers=bearer(token))
    assert refused.status_code == 401 and "not valid" in refused.json()["detail"]


def test_a_token_has_its_users_roles_of_the_moment(client: TestClient, site: FastAPI) -> None:
    _, token = token_for(site, "ana")
    with Session(site.state.engine) as db:
        db.execute(update(Account).where(Account.name == "ana").values(roles="", active=True))
        db.commit()
    assert client.get("/api/overview", headers=bearer(token)).status_code == 403
    with Session(site.state.engine) as db:
        db.execute(
            update(Account).where(Account.name == "ana").values(roles="analyst", active=False)
        )
        db.commit()
    assert client.get("/api/overview", headers=bearer(token)).status_code == 401


def test_the_command_line_adds_and_revokes_tokens(sqlite_url: str) -> None:
    added = run_cli("site", "token", "add", "ana", "--database-url", sqlite_url)
    assert added.returncode == 0, added.stderr
    token_id = int(added.stdout.split()[2])
    token = added.stdout.split()[-1]
    assert token.startswith("ph_")
    revoked = run_cli("site", "token", "revoke", str(token_id), "--database-url", sqlite_url)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    again = run_cli("site", "token", "revoke", str(token_id), "--database-url", sqlite_url)
    assert again.returncode != 0 and "no live API token" in again.stderr
    unknown = run_cli("site", "token", "add", "nobody", "--database-url", sqlite_url)
    assert unknown.returncode != 0 and "no active user 'nobody'" in unknown.stderr
