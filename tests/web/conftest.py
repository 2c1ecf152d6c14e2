"""Fixtures for the site: a small run's outputs, a database (SQLite, and PostgreSQL where one
is reachable: CI starts it), and a site with one account of each role."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url
from sqlalchemy.orm import Session

from placehealth.phm.access import ADMIN, ANALYST, CALDICOTT_GUARDIAN, NEIGHBOURHOOD_TEAM
from placehealth.web.accounts import add_account
from placehealth.web.app import cookie_name, create_app
from placehealth.web.db import Base, make_engine, migrate
from placehealth.web.settings import SiteSettings
from tests.conftest import missing_outside_ci
from tests.web.outputs import build_outputs

ENV_TEST_DATABASE = "PLACEHEALTH_TEST_DATABASE_URL"
ENV_SCREENSHOTS = "PLACEHEALTH_SCREENSHOTS"
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PNG = b"\x89PNG\r\n\x1a\n"
PASSWORD = "a long enough password"
ACCOUNTS = {
    "ana": [ANALYST],
    "ada": [ADMIN],
    "cal": [CALDICOTT_GUARDIAN, ANALYST],
    "ned": [NEIGHBOURHOOD_TEAM],
}


@pytest.fixture(scope="session")
def site_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's outputs, built once per test run: parallel workers (pytest-xdist) share one
    build in the run's own temporary folder, the first to arrive building it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_outputs(tmp_path_factory.mktemp("outputs"))
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's
    outputs = shared / "web-outputs"
    with (shared / "web-outputs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (outputs / "done").exists():
            shutil.rmtree(outputs, ignore_errors=True)
            outputs.mkdir()
            build_outputs(outputs)
            (outputs / "done").touch()
    return outputs


@functools.cache
def postgres_url() -> str:
    """This test process's own PostgreSQL database, made afresh from the test server's URL
    (parallel workers never share one); without a server, a failure in CI and a loud skip
    elsewhere."""
    url = os.environ.get(ENV_TEST_DATABASE, "")
    if not url:
        missing_outside_ci(
            f"no PostgreSQL for the site's tests: {ENV_TEST_DATABASE} is not set "
            '(eval "$(bash scripts/test-postgres.sh)" starts one; .ci/run does)'
        )
    base = make_url(url)
    name = f"{base.database}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def create_accounts(url: str) -> None:
    """Migrate the database at ``url`` and add the test accounts."""
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as db:
        for name, roles in ACCOUNTS.items():
            team = ["NBSYN01"] if NEIGHBOURHOOD_TEAM in roles else []
            add_account(db, name, roles, PASSWORD, team)
        db.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the accounts, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "site.db"
    create_accounts(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> str:
    """The test PostgreSQL emptied, migrated from nothing and given the accounts, once."""
    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()
    create_accounts(url)
    return url


STATE = ("sessions", "login_attempts", "audit", "uploads", "accepted_findings", "api_tokens")


def fresh_database(kind: str, folder: Path, request: pytest.FixtureRequest) -> str:
    """A database at the newest schema holding the accounts and nothing else."""
    if kind == "sqlite":
        path = folder / "site.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_ready")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {', '.join(STATE)}")
        connection.exec_driver_sql("UPDATE accounts SET active = true")
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that takes this runs on SQLite and on PostgreSQL."""
    return fresh_database(request.param, tmp_path, request)


@pytest.fixture
def sqlite_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    return fresh_database("sqlite", tmp_path, request)


def make_site(outputs: Path, url: str, **settings: Any) -> FastAPI:
    return create_app(SiteSettings(outputs=outputs, database_url=url, **settings))


@pytest.fixture
def site(site_outputs: Path, database_url: str) -> FastAPI:
    return make_site(site_outputs, database_url)


def browse(site: FastAPI) -> TestClient:
    """A client for ``site`` over HTTPS (the session cookie is Secure), redirects not followed."""
    return TestClient(site, base_url="https://testserver", follow_redirects=False)


def copy_outputs(site_outputs: Path, folder: Path) -> Path:
    """A copy of the run's outputs that a test may change (without the warehouse)."""
    outputs = folder / "outputs"
    shutil.copytree(site_outputs, outputs, ignore=shutil.ignore_patterns("synth", "*.duckdb"))
    return outputs


@pytest.fixture
def client(site: FastAPI) -> Iterator[TestClient]:
    with browse(site) as test_client:
        yield test_client
    site.state.engine.dispose()


def csrf_of(page: str) -> str:
    """The CSRF token a page's form carries."""
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Sign in through the form, as a browser would: the page, then the post with its token."""
    page = client.get("/login")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
    )


def cookie_of(client: TestClient, site: FastAPI) -> dict[str, str]:
    """The site's session cookie that ``client`` holds, to send from another client."""
    name = cookie_name(site.state.settings)
    return {name: client.cookies[name]}


def screenshots_wanted() -> bool:
    """``PLACEHEALTH_SCREENSHOTS=1``: the browser tests refresh docs/images."""
    return os.environ.get(ENV_SCREENSHOTS) == "1"


def screenshot(page: Any, view: str, *, full_page: bool = True) -> bytes:
    """A screenshot of the page, always taken (and checked to be a PNG); written to
    ``docs/images/web-{view}.png`` only when ``PLACEHEALTH_SCREENSHOTS=1``, so an ordinary
    test run leaves the documentation's images alone."""
    image: bytes = page.screenshot(full_page=full_page)
    assert image.startswith(PNG), f"{view}: the screenshot is not a PNG"
    if screenshots_wanted():
        IMAGES.mkdir(parents=True, exist_ok=True)
        (IMAGES / f"web-{view}.png").write_bytes(image)
    return image
