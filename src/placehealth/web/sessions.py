"""Sessions kept on the server, login throttling and the site's audit trail.

The browser holds only a random session token; the database keeps its SHA-256,
so a copy of the database does not hand out live sessions. A new token is issued
at sign-in (the one used before it is deleted: no session fixation) and each
session carries its own CSRF token. Sessions end after an idle time and after a
maximum age whatever the activity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from placehealth.web.db import Account, AuditEntry, LoginAttempt, SiteKey, SiteSession, utcnow
from placehealth.web.settings import SiteSettings

# how stale a session's last-seen time may get before a request renews it: the idle limit
# is kept to within a minute, and most requests write nothing to the database
SEEN_STEP = dt.timedelta(minutes=1)


def token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Visitor:
    """The session behind a request (if any) and the account signed in (if any)."""

    session: SiteSession | None = None
    account: Account | None = None

    @property
    def name(self) -> str:
        return self.account.name if self.account else "anonymous"

    @property
    def roles(self) -> frozenset[str]:
        return self.account.role_set if self.account and self.account.active else frozenset()


def start_session(db: Session, account: Account | None = None) -> str:
    """A new session (anonymous, or signed in as ``account``); returns the browser's token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        SiteSession(
            key=token_key(token),
            account_id=account.id if account else None,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            seen_at=now,
        )
    )
    db.flush()
    return token


def find_session(db: Session, token: str | None, settings: SiteSettings) -> Visitor:
    """The live session for ``token``; an unknown, tampered or expired token is nobody."""
    if not token or len(token) > 100:
        return Visitor()
    session = db.get(SiteSession, token_key(token))
    if session is None:
        return Visitor()
    now = utcnow()
    idle = dt.timedelta(minutes=settings.session_idle_minutes)
    age = dt.timedelta(hours=settings.session_max_hours)
    if now - session.seen_at > idle or now - session.created_at > age:
        db.delete(session)
        db.flush()
        return Visitor()
    if now - session.seen_at > SEEN_STEP:  # one write a minute, not one a request
        session.seen_at = now
    account = db.get(Account, session.account_id) if session.account_id is not None else None
    return Visitor(session, account if account is None or account.active else None)


def end_session(db: Session, session: SiteSession | None) -> None:
    if session is not None:
        db.delete(session)
        db.flush()


def csrf_matches(visitor: Visitor, token: str | None) -> bool:
    """The form's (or header's) CSRF token is this session's, compared in constant time."""
    if visitor.session is None or not token:
        return False
    return hmac.compare_digest(visitor.session.csrf.encode(), token.encode())


def address_key(db: Session, address: str) -> str:
    """A keyed hash of a network address: throttles by address without storing it."""
    key = db.scalar(select(SiteKey.secret).where(SiteKey.id == 1)) or ""
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def throttled(db: Session, name: str, address: str, settings: SiteSettings) -> bool:
    """Too many failed sign-ins for this name, or from this address, within the window."""
    since = utcnow() - dt.timedelta(minutes=settings.throttle_minutes)
    failed = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    )
    by_name = db.scalar(failed.where(LoginAttempt.name == name)) or 0
    by_address = db.scalar(failed.where(LoginAttempt.address == address_key(db, address))) or 0
    return by_name >= settings.failures_per_user or by_address >= settings.failures_per_address


def record_attempt(db: Session, name: str, address: str, succeeded: bool) -> None:
    db.add(
        LoginAttempt(
            name=name[:100], address=address_key(db, address), succeeded=succeeded, at=utcnow()
        )
    )
    db.flush()


def forget_old(db: Session, settings: SiteSettings) -> None:
    """Delete expired sessions and attempts older than the throttling window."""
    now = utcnow()
    db.execute(
        delete(SiteSession).where(
            (SiteSession.seen_at < now - dt.timedelta(minutes=settings.session_idle_minutes))
            | (SiteSession.created_at < now - dt.timedelta(hours=settings.session_max_hours))
        )
    )
    db.execute(
        delete(LoginAttempt).where(
            LoginAttempt.at < now - dt.timedelta(minutes=settings.throttle_minutes)
        )
    )


def audit(db: Session, visitor: Visitor, action: str, target: str, outcome: str) -> None:
    """Record what a person did or was refused (no address, no personal data beyond the name)."""
    db.add(
        AuditEntry(
            at=utcnow(),
            user=visitor.name,
            role="+".join(sorted(visitor.roles)),
            action=action,
            target=target[:500],
            outcome=outcome,
        )
    )
    db.flush()
