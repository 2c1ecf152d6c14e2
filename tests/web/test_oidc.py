"""Sign-in through an OpenID Connect provider, against a fake provider in-process (no network):
its discovery document, keys and token endpoint are served by an httpx transport the site is
given, and its id_tokens are signed with a key made for the test."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from placehealth.errors import ValidationError
from placehealth.web.accounts import authenticate
from placehealth.web.db import Account, AuditEntry
from placehealth.web.settings import OidcSettings, oidc_settings
from tests.web.conftest import browse, make_site, sign_in

ISSUER = "https://idp.example.test"
CLIENT_ID, CLIENT_SECRET = "placehealth-site", "a client secret"
SETTINGS = OidcSettings(
    issuer=ISSUER,
    client_id=CLIENT_ID,
    client_secret=CLIENT_SECRET,
    roles={"phm-analysts": ("analyst",), "caldicott": ("caldicott_guardian", "analyst")},
    role_claim="groups",
)


class FakeProvider:
    """An identity provider: discovery, keys, and a token endpoint that answers a code with
    the id_token the test prepared for it."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.codes: dict[str, str] = {}  # code → id_token

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "jwks_uri": f"{ISSUER}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def id_token(self, nonce: str, key: RSAKey | None = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "sub": "u-1001", "aud": CLIENT_ID, "iat": now,
                "exp": now + 300, "nonce": nonce, "preferred_username": "olga",
                "groups": ["phm-analysts"], **claims}  # fmt: skip
        signer = key or self.key
        return jwt.encode({"alg": "RS256", "kid": signer.kid}, body, signer)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(200, json=self.metadata())
        if path == "/jwks":
            return httpx.Response(200, json=KeySet([self.key]).as_dict(private=False))
        if path == "/token" and request.method == "POST":
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {basic}":
                return httpx.Response(401, json={"error": "invalid_client"})
            code = parse_qs(request.content.decode())["code"][0]
            if code not in self.codes:
                return httpx.Response(400, json={"error": "invalid_grant"})
            token = {"access_token": "opaque", "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.codes.pop(code)}  # fmt: skip
            return httpx.Response(200, json=token)
        return httpx.Response(404)


@pytest.fixture
def idp() -> FakeProvider:
    return FakeProvider()


def site_with(outputs: Path, url: str, idp: FakeProvider, settings: OidcSettings) -> FastAPI:
    site = make_site(outputs, url, oidc=settings)
    site.state.oidc_transport = httpx.MockTransport(idp.handle)
    return site


@pytest.fixture
def oidc_site(site_outputs: Path, sqlite_url: str, idp: FakeProvider) -> Iterator[FastAPI]:
    site = site_with(site_outputs, sqlite_url, idp, SETTINGS)
    yield site
    site.state.engine.dispose()


def start(client: TestClient) -> dict[str, str]:
    """The sign-in page, then 'sign in with your organisation': the provider's request."""
    assert client.get("/login").status_code == 200
    sent = client.get("/login/oidc")
    assert sent.status_code == 303
    location = urlsplit(sent.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def answer(client: TestClient, idp: FakeProvider, asked: dict[str, str], token: str) -> Any:
    """The provider sends the browser back with a code for ``token``."""
    idp.codes["code-1"] = token
    return client.get(f"/login/oidc/callback?code=code-1&state={asked['state']}")


def audit(site: FastAPI) -> list[tuple[str, str, str]]:
    with Session(site.state.engine) as db:
        rows = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.user, r.action, r.outcome) for r in rows]


def test_a_person_the_provider_vouches_for_is_signed_in(
    oidc_site: FastAPI, idp: FakeProvider
) -> None:
    with browse(oidc_site) as client:
        asked = start(client)
        assert asked["client_id"] == CLIENT_ID and asked["response_type"] == "code"
        assert asked["redirect_uri"] == "https://testserver/login/oidc/callback"
        assert "openid" in asked["scope"].split()
        done = answer(client, idp, asked, idp.id_token(asked["nonce"]))
        assert done.status_code == 303 and done.headers["location"] == "/"
        assert client.get("/").status_code == 200
        assert client.get("/api/overview").status_code == 200
    with Session(oidc_site.state.engine) as db:
        account = db.scalars(select(Account).where(Account.name == "sso.olga")).one()
        assert account.role_set == {"analyst"}
        assert authenticate(db, "sso.olga", "!oidc") is None  # no password signs it in
    assert ("sso.olga", "sign in", "signed in (identity provider)") in audit(oidc_site)


def test_roles_follow_the_provider_at_each_sign_in(oidc_site: FastAPI, idp: FakeProvider) -> None:
    for groups, roles in ((["caldicott"], {"caldicott_guardian", "analyst"}),
                          (["phm-analysts"], {"analyst"})):  # fmt: skip
        with browse(oidc_site) as client:
            asked = start(client)
            token = idp.id_token(asked["nonce"], groups=groups)
            assert answer(client, idp, asked, token).status_code == 303
        with Session(oidc_site.state.engine) as db:
            account = db.scalars(select(Account).where(Account.name == "sso.olga")).one()
            assert account.role_set == roles


ID_TOKEN_REFUSED = "refused: the id_token was refused"


def refused(site: FastAPI, response: Any, client: TestClient, reason: str) -> None:
    """Refused for ``reason`` (as the audit records it), and nobody signed in."""
    assert response.status_code == 403
    assert "set-cookie" not in response.headers or "placehealth" not in response.headers.get(
        "set-cookie", ""
    )
    assert client.get("/").status_code == 303  # still nobody: sent to sign in
    assert any(a == "sign in" and o.startswith(reason) for _, a, o in audit(site)), audit(site)


def test_no_mapped_role_is_no_entry(oidc_site: FastAPI, idp: FakeProvider) -> None:
    with browse(oidc_site) as client:
        asked = start(client)
        token = idp.id_token(asked["nonce"], groups=["finance"])
        response = answer(client, idp, asked, token)
        assert "no role on this site" in response.text
        refused(oidc_site, response, client, "refused: no role for this person")


def test_an_id_token_without_the_role_claim_is_no_entry(
    oidc_site: FastAPI, idp: FakeProvider
) -> None:
    with browse(oidc_site) as client:
        asked = start(client)
        token = idp.id_token(asked["nonce"], groups=None)
        refused(oidc_site, answer(client, idp, asked, token), client, "refused: no role")


def tamper(token: str, **changes: Any) -> str:
    """The id_token with its claims changed and its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def test_a_tampered_id_token_is_refused(oidc_site: FastAPI, idp: FakeProvider) -> None:
    with browse(oidc_site) as client:
        asked = start(client)
        token = tamper(idp.id_token(asked["nonce"]), groups=["caldicott"])
        refused(oidc_site, answer(client, idp, asked, token), client, ID_TOKEN_REFUSED)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-site"},
        {"iss": "https://impostor.example.test"},
        {"exp": int(time.time()) - 3600},
        {"nonce": "a nonce from another request"},
    ],
    ids=["audience", "issuer", "expired", "nonce"],
)
def test_an_id_token_for_another_request_is_refused(
    oidc_site: FastAPI, idp: FakeProvider, claims: dict[str, Any]
) -> None:
    with browse(oidc_site) as client:
        asked = start(client)
        nonce = claims.pop("nonce", asked["nonce"])
        token = idp.id_token(nonce, **claims)
        refused(oidc_site, answer(client, idp, asked, token), client, ID_TOKEN_REFUSED)


def test_an_id_token_signed_by_another_key_is_refused(
    oidc_site: FastAPI, idp: FakeProvider
) -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    with browse(oidc_site) as client:
        asked = start(client)
        token = idp.id_token(asked["nonce"], other)
        refused(oidc_site, answer(client, idp, asked, token), client, ID_TOKEN_REFUSED)


def test_a_callback_this_browser_did_not_start_is_refused(
    oidc_site: FastAPI, idp: FakeProvider
) -> None:
    with browse(oidc_site) as attacker:
        asked = start(attacker)  # the attacker's own state and nonce
    idp.codes["code-1"] = idp.id_token(asked["nonce"])
    with browse(oidc_site) as victim:
        victim.get("/login")
        response = victim.get(f"/login/oidc/callback?code=code-1&state={asked['state']}")
        refused(oidc_site, response, victim, "refused: the state is not this browser's")
    assert "code-1" in idp.codes  # the code was never even exchanged


def test_a_provider_name_never_takes_a_local_account(
    site_outputs: Path, sqlite_url: str, idp: FakeProvider
) -> None:
    unprefixed = OidcSettings(**{**SETTINGS.__dict__, "account_prefix": ""})
    site = site_with(site_outputs, sqlite_url, idp, unprefixed)
    with browse(site) as client:
        asked = start(client)
        token = idp.id_token(asked["nonce"], preferred_username="ana", groups=["caldicott"])
        refused(site, answer(client, idp, asked, token), client, "refused: a local account")
    with Session(site.state.engine) as db:
        ana = db.scalars(select(Account).where(Account.name == "ana")).one()
        assert ana.role_set == {"analyst"}
    site.state.engine.dispose()


def test_local_accounts_still_sign_in_and_the_page_offers_both(oidc_site: FastAPI) -> None:
    with browse(oidc_site) as client:
        page = client.get("/login")
        assert 'href="/login/oidc"' in page.text
        assert sign_in(client, "ana").status_code == 303
        assert client.get("/").status_code == 200


def test_without_a_provider_there_is_no_provider_sign_in(
    site_outputs: Path, sqlite_url: str
) -> None:
    site = make_site(site_outputs, sqlite_url)
    with browse(site) as client:
        assert 'href="/login/oidc"' not in client.get("/login").text
        assert client.get("/login/oidc").status_code == 404
    site.state.engine.dispose()


def test_settings_from_the_environment() -> None:
    assert oidc_settings({}) is None
    env = {
        "PLACEHEALTH_OIDC_ISSUER": f"{ISSUER}/",
        "PLACEHEALTH_OIDC_CLIENT_ID": CLIENT_ID,
        "PLACEHEALTH_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "PLACEHEALTH_OIDC_ROLES": "phm-analysts=analyst, caldicott=caldicott_guardian+analyst",
        "PLACEHEALTH_OIDC_ROLE_CLAIM": "groups",
    }
    assert oidc_settings(env) == SETTINGS
    with pytest.raises(ValidationError, match="CLIENT_SECRET"):
        oidc_settings({k: v for k, v in env.items() if not k.endswith("SECRET")})
    with pytest.raises(ValidationError, match="cannot read 'x=superuser'"):
        oidc_settings({**env, "PLACEHEALTH_OIDC_ROLES": "x=superuser"})


@pytest.mark.parametrize("broken", ["unreachable", "another issuer"])
def test_a_provider_that_cannot_be_read_is_a_refusal_not_an_error(
    oidc_site: FastAPI, idp: FakeProvider, broken: str
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if broken == "unreachable":
            raise httpx.ConnectError("no route to the provider", request=request)
        return httpx.Response(200, json={**idp.metadata(), "issuer": "https://other.test"})

    oidc_site.state.oidc_transport = httpx.MockTransport(handle)
    with browse(oidc_site) as client:
        client.get("/login")
        response = client.get("/login/oidc")
        refused(oidc_site, response, client, "refused: the ")
