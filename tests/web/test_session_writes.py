"""A page view reads the session without writing it: the last-seen time is renewed at most
once a minute, and SQLite runs in WAL mode, so readers and the one writer do not wait on
each other when many people use the site at once."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from placehealth.web.db import SiteSession
from placehealth.web.sessions import SEEN_STEP
from tests.web.conftest import sign_in


def seen(site: FastAPI) -> dt.datetime:
    with Session(site.state.engine) as db:
        return db.scalars(
            select(SiteSession.seen_at).where(SiteSession.account_id.is_not(None))
        ).one()


def test_a_session_is_renewed_at_most_once_a_minute(client: TestClient, site: FastAPI) -> None:
    assert sign_in(client, "ana").status_code == 303
    first = seen(site)
    assert client.get("/plans").status_code == 200
    assert seen(site) == first  # no write for a page seen within the minute
    with Session(site.state.engine) as db:
        session = db.scalars(select(SiteSession).where(SiteSession.account_id.is_not(None))).one()
        session.seen_at -= SEEN_STEP + dt.timedelta(seconds=1)
        db.commit()
        stale = session.seen_at
    assert client.get("/plans").status_code == 200
    assert seen(site) > stale + SEEN_STEP  # renewed: the idle limit counts from now


def test_sqlite_state_is_in_wal_mode(sqlite_url: str) -> None:
    from placehealth.web.db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
