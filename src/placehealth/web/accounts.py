"""Accounts: who may sign in, with which of the case-finding roles, and their password hash.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, re-hashed
when the defaults grow). Roles are the ones the case-finding roles file uses
(:data:`placehealth.phm.access.ROLES`), so one vocabulary names what a person may
see on the command line and on the site.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from placehealth.errors import ValidationError
from placehealth.phm.access import NEIGHBOURHOOD_TEAM, ROLES
from placehealth.web.db import Account

MIN_PASSWORD = 12
NAME = re.compile(r"^[A-Za-z0-9._@-]{1,100}$")
_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone's")


def check_new_account(
    name: str, roles: list[str], password: str, neighbourhoods: list[str]
) -> None:
    """Refuse a bad name, an unknown role, a short password or a team with no neighbourhood."""
    if not NAME.match(name):
        raise ValidationError(
            f"user name {name!r} is not allowed", hint="letters, digits, '.', '_', '@', '-'"
        )
    unknown = [r for r in roles if r not in ROLES]
    if not roles or unknown:
        raise ValidationError(
            f"unknown role '{unknown[0] if unknown else ''}'", hint=f"roles: {', '.join(ROLES)}"
        )
    if NEIGHBOURHOOD_TEAM in roles and not neighbourhoods:
        raise ValidationError(
            "a neighbourhood_team user needs a neighbourhood", hint="add --neighbourhood CODE"
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"the password is shorter than {MIN_PASSWORD} characters", hint="choose a longer one"
        )


def add_account(
    db: Session,
    name: str,
    roles: list[str],
    password: str,
    neighbourhoods: list[str] = (),  # type: ignore[assignment]
) -> Account:
    """Create an account (or refuse a name already taken)."""
    neighbourhoods = list(neighbourhoods)
    check_new_account(name, roles, password, neighbourhoods)
    if db.scalar(select(Account).where(Account.name == name)) is not None:
        raise ValidationError(f"user '{name}' already exists", hint="choose another name")
    account = Account(
        name=name,
        password_hash=_hasher.hash(password),
        roles="+".join(dict.fromkeys(roles)),
        neighbourhoods=",".join(neighbourhoods),
        active=True,
    )
    db.add(account)
    db.flush()
    return account


def authenticate(db: Session, name: str, password: str) -> Account | None:
    """The active account whose password this is, else None (in the same time either way)."""
    account = db.scalar(select(Account).where(Account.name == name, Account.active.is_(True)))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return account
