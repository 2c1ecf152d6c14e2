"""API tokens: how an analyst's script signs in to /api without a browser.

A token is made for an account (``placehealth site token add NAME``), shown once,
and kept only as its SHA-256. A request to /api that sends it as
``Authorization: Bearer <token>`` acts as that account with the account's roles
at that moment (a role taken away is taken from its tokens too), until the token
is revoked or the account deactivated. Tokens open the API only, never the pages.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from placehealth.errors import ValidationError
from placehealth.web.db import Account, ApiToken, utcnow
from placehealth.web.sessions import token_key

PREFIX = "ph_"  # tells a placehealth token apart in a script or a secret scanner


def issue_token(db: Session, name: str) -> tuple[int, str]:
    """A new token for the active account ``name``: its id and the token (shown once)."""
    account = db.scalar(select(Account).where(Account.name == name, Account.active.is_(True)))
    if account is None:
        raise ValidationError(f"no active user '{name}'", hint="placehealth site user add")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(account_id=account.id, key=token_key(token), created_at=utcnow())
    db.add(row)
    db.flush()
    return row.id, token


def revoke_token(db: Session, token_id: int) -> str:
    """Revoke the token ``token_id``; the name of its account."""
    row = db.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        raise ValidationError(f"no live API token {token_id}", hint="the id add printed")
    row.revoked_at = utcnow()
    db.flush()
    account = db.get(Account, row.account_id)
    return account.name if account else ""


def token_account(db: Session, authorization: str | None) -> Account | None:
    """The active account of a live token sent as ``Bearer <token>``, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.scalar(
        select(ApiToken).where(ApiToken.key == token_key(token), ApiToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    account = db.get(Account, row.account_id)
    return account if account is not None and account.active else None
