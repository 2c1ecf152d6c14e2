"""Sign-in through an OpenID Connect identity provider, beside the local accounts.

The authorisation code flow with authlib (its OAuth 2 client for the redirect and
the token request; its ID-token claims, over joserfc, for the checks): the
provider's discovery document and keys are fetched once; the ``state`` and the
``nonce`` are keyed hashes of the browser's own anonymous session, so a callback
that did not start in this browser, or an id_token minted for another request,
is refused. The id_token must be signed by one of the provider's keys with an
asymmetric algorithm, name this site as its audience and the provider as its
issuer, and be in date. The person's roles come from one claim, mapped to the
site's roles by the settings; no mapped role means no entry (deny by default).
Each person gets an account of their own (named with a prefix, never a local
account's name, and with no password), whose roles are refreshed at each sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from placehealth.phm.access import NEIGHBOURHOOD_TEAM
from placehealth.web.accounts import NAME
from placehealth.web.app import database, render
from placehealth.web.authz import PUBLIC, allow
from placehealth.web.db import Account
from placehealth.web.sessions import Visitor, audit, end_session, forget_old, start_session
from placehealth.web.settings import OidcSettings

router = APIRouter(include_in_schema=False)
# an account made for the provider's people: no password can ever match it
NO_PASSWORD = "!oidc"
# signatures the site accepts: the provider's private keys only, never a shared secret
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY = 60  # seconds of clock difference allowed with the provider


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in; the reason is for the audit."""


def _settings(request: Request) -> OidcSettings:
    settings: OidcSettings | None = request.app.state.settings.oidc
    if settings is None:
        raise HTTPException(404, "There is no page at this address.")
    return settings


def _http(request: Request) -> httpx.Client:
    """An HTTP client for the provider (tests give the app an in-process transport)."""
    transport = getattr(request.app.state, "oidc_transport", None)
    return httpx.Client(transport=transport, timeout=10.0)


def provider(request: Request) -> dict[str, Any]:
    """The provider's discovery document and keys, fetched once per site."""
    cached: dict[str, Any] | None = getattr(request.app.state, "oidc_provider", None)
    if cached is not None:
        return cached
    settings = _settings(request)
    try:
        with _http(request) as http:
            found = http.get(f"{settings.issuer}/.well-known/openid-configuration")
            metadata = found.raise_for_status().json()
            jwks = http.get(metadata["jwks_uri"]).raise_for_status().json()
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        raise SignInRefused("the provider's discovery document or keys could not be read") from None
    if str(metadata.get("issuer", "")).rstrip("/") != settings.issuer:
        raise SignInRefused("the discovery document names another issuer")
    metadata["jwks"] = jwks
    request.app.state.oidc_provider = metadata
    return metadata


def _bound(visitor: Visitor, purpose: str) -> str:
    """A value only this browser's session can produce (its CSRF token is server-side)."""
    assert visitor.session is not None
    key = visitor.session.csrf.encode()
    return hmac.new(key, f"oidc {purpose}".encode(), hashlib.sha256).hexdigest()


def _redirect_uri(request: Request, settings: OidcSettings) -> str:
    return settings.redirect_uri or str(request.url_for("oidc_callback"))


def _client(request: Request, settings: OidcSettings) -> Any:
    from authlib.integrations.httpx_client import OAuth2Client

    return OAuth2Client(
        settings.client_id,
        settings.client_secret,
        scope=settings.scope,
        redirect_uri=_redirect_uri(request, settings),
        transport=getattr(request.app.state, "oidc_transport", None),
        timeout=10.0,
    )


@router.get("/login/oidc")
@allow(PUBLIC)
def oidc_start(request: Request, db: Session = Depends(database)) -> Response:
    """Send the browser to the provider, with a state and nonce bound to its session."""
    settings = _settings(request)
    visitor: Visitor = request.state.visitor
    if visitor.session is None:  # the sign-in page starts the anonymous session
        return RedirectResponse("/login", status_code=303)
    try:
        metadata = provider(request)
    except SignInRefused as refusal:
        return _refused(request, db, visitor, str(refusal))
    with _client(request, settings) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=_bound(visitor, "state"),
            nonce=_bound(visitor, "nonce"),
        )
    return RedirectResponse(url, status_code=303)


def verified_claims(
    request: Request, settings: OidcSettings, visitor: Visitor, code: str
) -> dict[str, Any]:
    """Exchange the code for tokens and check the id_token: signature, issuer, audience,
    dates, nonce (and the access token's hash where the token carries one)."""
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet
    from joserfc.jws import JWSRegistry

    metadata = provider(request)  # fetched when the sign-in started; refusals propagate
    with _client(request, settings) as client:
        try:
            token = client.fetch_token(metadata["token_endpoint"], code=code)
        except Exception as error:  # the provider refused the code, or did not answer
            raise SignInRefused(f"the token request failed ({type(error).__name__})") from None
    if "id_token" not in token:
        raise SignInRefused("the provider sent no id_token")
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in offered if a in ALGORITHMS]
    try:
        decoded = jwt.decode(
            token["id_token"],
            KeySet.import_key_set(metadata["jwks"]),
            registry=JWSRegistry(algorithms=algorithms),
        )
        params = {"nonce": _bound(visitor, "nonce"), "client_id": settings.client_id}
        if "access_token" in token:
            params["access_token"] = token["access_token"]
        options = {"iss": {"essential": True, "values": [metadata["issuer"]]}}
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        claims.validate(now=int(time.time()), leeway=LEEWAY)
    except (JoseError, ValueError, KeyError) as error:
        raise SignInRefused(f"the id_token was refused ({type(error).__name__})") from None
    return dict(claims)


def _values(claims: dict[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def account_for(db: Session, settings: OidcSettings, claims: dict[str, Any]) -> Account:
    """The provider's person as a site account with the roles the claims map to."""
    roles = list(
        dict.fromkeys(
            r for v in _values(claims, settings.role_claim) for r in settings.roles.get(v, ())
        )
    )
    if not roles:
        raise SignInRefused("no role for this person")
    neighbourhoods = _values(claims, settings.neighbourhood_claim)
    if NEIGHBOURHOOD_TEAM in roles and not neighbourhoods:
        raise SignInRefused("a neighbourhood team member with no neighbourhood")
    local = str(claims.get(settings.name_claim) or claims["sub"])
    name = f"{settings.account_prefix}{local}"
    if not NAME.match(name):
        raise SignInRefused("the provider's user name cannot name an account")
    account = db.scalar(select(Account).where(Account.name == name))
    if account is None:
        account = Account(name=name, password_hash=NO_PASSWORD, active=True)
        db.add(account)
    elif account.password_hash != NO_PASSWORD:
        raise SignInRefused("a local account has this name")
    elif not account.active:
        raise SignInRefused("the account is deactivated")
    account.roles = "+".join(roles)
    account.neighbourhoods = ",".join(neighbourhoods)
    db.flush()
    return account


def _refused(request: Request, db: Session, visitor: Visitor, reason: str) -> Response:
    audit(db, visitor, "sign in", "identity provider", f"refused: {reason}")
    db.commit()
    message = "Signing in through your organisation's account did not work. " + (
        "Your account has no role on this site: ask its administrator."
        if "role" in reason
        else "Start again from the sign-in page."
    )
    return render(request, "error.html", 403, title="Not signed in", message=message)


@router.get("/login/oidc/callback", name="oidc_callback")
@allow(PUBLIC)
def oidc_callback(
    request: Request, code: str = "", state: str = "", db: Session = Depends(database)
) -> Response:
    """The provider's answer: sign the person in, or refuse and record why."""
    from placehealth.web.pages import set_session_cookie

    settings = _settings(request)
    visitor: Visitor = request.state.visitor
    if visitor.session is None or not hmac.compare_digest(state, _bound(visitor, "state")):
        return _refused(request, db, visitor, "the state is not this browser's")
    if not code:
        return _refused(request, db, visitor, "the provider sent no code")
    try:
        account = account_for(db, settings, verified_claims(request, settings, visitor, code))
    except SignInRefused as refusal:
        db.rollback()
        return _refused(request, db, visitor, str(refusal))
    end_session(db, visitor.session)  # as with a password: a new session at sign-in
    forget_old(db, request.app.state.settings)
    token = start_session(db, account)
    audit(db, Visitor(account=account), "sign in", account.name, "signed in (identity provider)")
    db.commit()
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, token)
    return response
