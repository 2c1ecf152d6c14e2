"""The site's database and accounts, as ``placehealth serve`` and ``placehealth site`` run them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from placehealth.web.accounts import add_account
from placehealth.web.db import make_engine, migrate


def migrate_database(url: str) -> None:
    """Bring the site's database at ``url`` to the newest schema (Alembic ``upgrade head``)."""
    engine = make_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


@contextmanager
def _changing(url: str) -> Iterator[Session]:
    """The site's database at ``url``, migrated first; what the block did is committed
    only if it finished."""
    engine = make_engine(url)
    try:
        migrate(engine)
        with Session(engine) as db:
            yield db
            db.commit()
    finally:
        engine.dispose()


def add_user(
    url: str, name: str, roles: list[str], password: str, neighbourhoods: list[str]
) -> None:
    """Add an account to the site's database (migrated first), or refuse it with the reason."""
    with _changing(url) as db:
        add_account(db, name, roles, password, neighbourhoods)


def add_token(url: str, name: str) -> tuple[int, str]:
    """A new API token for the user ``name``: its id and the token, which is shown once."""
    from placehealth.web.tokens import issue_token

    with _changing(url) as db:
        made = issue_token(db, name)
    return made


def revoke_token(url: str, token_id: int) -> str:
    """Revoke the API token ``token_id``; the name of its user."""
    from placehealth.web.tokens import revoke_token as revoke

    with _changing(url) as db:
        name = revoke(db, token_id)
    return name
