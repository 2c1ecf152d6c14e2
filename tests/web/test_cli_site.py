"""`placehealth serve` and `placehealth site`: refusals, accounts, migrations, the ASGI app."""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from placehealth.web.db import Account, make_engine
from tests.test_cli import run_cli
from tests.web.conftest import PASSWORD, create_accounts, postgres_url


def test_serve_without_outputs_says_to_run_the_demo_first(tmp_path: Path) -> None:
    result = run_cli("serve", "--outputs", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no outputs to show: indicators.csv" in result.stderr
    assert "run `placehealth demo` first" in result.stderr
    assert "Traceback" not in result.stderr


def _add(monkeypatch: pytest.MonkeyPatch, url: str, *args: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return run_cli("site", "user", "add", *args, "--password-stdin", "--database-url", url)


def test_site_user_add_keeps_a_hash_and_refuses_what_it_cannot_keep(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    added = _add(monkeypatch, url, "nia", "--role", "neighbourhood_team", "--role", "analyst",
                 "-n", "NBSYN02")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "user 'nia' added (neighbourhood_team, analyst)" in added.stdout
    with Session(make_engine(url)) as db:
        account = db.scalars(sa.select(Account)).one()
    assert account.roles == "neighbourhood_team+analyst" and account.neighbourhoods == "NBSYN02"
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
    refusals = {
        "already exists": ("nia", "--role", "analyst"),
        "unknown role 'boss'": ("bo", "--role", "boss"),
        "needs a neighbourhood": ("ted", "--role", "neighbourhood_team"),
        "is not allowed": ("a b", "--role", "analyst"),
    }
    for message, args in refusals.items():
        result = _add(monkeypatch, url, *args)
        assert result.returncode == 2 and message in result.stderr, (message, result.stderr)
    short = _add(monkeypatch, url, "sam", "--role", "analyst", password="short")
    assert short.returncode == 2 and "shorter than 12 characters" in short.stderr


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_site_migrate_brings_an_empty_database_to_the_newest_schema_once(
    kind: str, tmp_path: Path, postgres_schema: None
) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}" if kind == "sqlite" else postgres_url()
    for _ in range(2):  # the second run finds nothing to do
        result = run_cli("site", "migrate", "--database-url", url)
        assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    tables = set(sa.inspect(engine).get_table_names())
    assert {"accounts", "sessions", "login_attempts", "audit", "uploads",
            "accepted_findings", "site_key", "api_tokens", "alembic_version"} <= tables  # fmt: skip
    with engine.connect() as connection:
        version = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        assert version == newest_revision()
        key = connection.scalar(sa.text("SELECT secret FROM site_key"))
    assert key is not None and len(key) == 64
    engine.dispose()


def newest_revision() -> str | None:
    """The head of the migrations in the package (whatever migration is newest)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from placehealth.web.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.fixture
def postgres_schema(request: pytest.FixtureRequest) -> None:
    """For the PostgreSQL case, start from no tables at all, and leave the accounts the other
    tests expect (as the session's ``postgres_ready`` made them)."""
    if "postgresql" not in request.node.name:
        return
    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    request.addfinalizer(lambda: create_accounts(url))


def test_the_asgi_app_is_configured_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, site_outputs: Path, sqlite_url: str
) -> None:
    monkeypatch.setenv("PLACEHEALTH_OUTPUTS", str(site_outputs))
    monkeypatch.setenv("PLACEHEALTH_DATABASE_URL", sqlite_url)
    sys.modules.pop("placehealth.web.asgi", None)
    asgi = importlib.import_module("placehealth.web.asgi")
    assert asgi.app.state.settings.outputs == site_outputs
    assert asgi.app.state.settings.database_url == sqlite_url
    asgi.app.state.engine.dispose()
