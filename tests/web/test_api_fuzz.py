"""API fuzzing: schemathesis generates requests from the site's own OpenAPI schema and sends
them to the app in-process, signed in and not; no request may end in a server error.

Example counts are bounded so the whole file runs in well under a minute.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.web.conftest import browse, cookie_of, make_site, sign_in

API_PATHS = {
    "/api/overview",
    "/api/indicators",
    "/api/indicators/{indicator_id}",
    "/api/plans/ambitions",
    "/api/plans/findings",
}
EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzz_site(
    site_outputs: Path, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """One site for the whole file (fuzzing changes no state but sessions and the audit)."""
    database = tmp_path_factory.mktemp("fuzz") / "site.db"
    shutil.copyfile(sqlite_template, database)
    files = tmp_path_factory.mktemp("fuzz-files")  # what the site writes (the projection)
    site = make_site(site_outputs, f"sqlite:///{database}", files=files)
    yield site
    site.state.engine.dispose()


@pytest.fixture(scope="module")
def session_cookie(fuzz_site: FastAPI) -> dict[str, str]:
    """An analyst's session cookie, got by signing in through the form."""
    with browse(fuzz_site) as client:
        assert sign_in(client, "ana").status_code == 303
        return cookie_of(client, fuzz_site)


@pytest.fixture(scope="module")
def api_schema(fuzz_site: FastAPI, session_cookie: dict[str, str]) -> OpenApiSchema:
    """The schema as a signed-in analyst gets it from /api/openapi.json."""
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_site, cookies=session_cookie)


def operations(api_schema: OpenApiSchema) -> list[APIOperation]:
    return [result.ok() for result in api_schema.get_all_operations()]


def known_values(site: FastAPI) -> dict[str, list[str]]:
    """Real indicator ids and kinds of area, mixed into the generated requests so the fuzzing
    reaches past "no such indicator" into the code that reads values."""
    values = site.state.outputs.indicators
    return {
        "indicator_id": sorted(set(values["indicator_id"].astype(str))),
        "area": sorted(set(values["area_type"].astype(str))),
    }


def fuzz(api_schema: OpenApiSchema, site: FastAPI, send: Callable[[Case], None]) -> int:
    """Send ``EXAMPLES`` generated requests to each operation; the number of operations."""
    known = known_values(site)
    found = operations(api_schema)
    for operation in found:

        @FUZZ
        @given(case=operation.as_strategy(), data=st.data())
        def each(case: Case, data: st.DataObject) -> None:
            for where in (case.path_parameters, case.query):
                for name in set(where or {}) & set(known):
                    if data.draw(st.booleans(), label=f"real {name}"):
                        where[name] = data.draw(st.sampled_from(known[name]), label=name)
            send(case)

        each()
    return len(found)


def test_the_schema_covers_every_api_route(api_schema: OpenApiSchema) -> None:
    assert set(api_schema.raw_schema["paths"]) >= API_PATHS


def test_the_schema_is_refused_to_nobody_signed_in(fuzz_site: FastAPI) -> None:
    with browse(fuzz_site) as client:
        assert client.get("/api/openapi.json").status_code == 401


def test_signed_in_no_server_error(
    api_schema: OpenApiSchema, fuzz_site: FastAPI, session_cookie: dict[str, str]
) -> None:
    """Whatever the path and query, a signed-in analyst never gets a 500."""

    def send(case: Case) -> None:
        response = case.call(cookies=session_cookie)
        case.validate_response(response, checks=[not_a_server_error])
        # 403: a route the analyst's role does not open (a neighbourhood's case list)
        assert response.status_code in {200, 403, 404}, (case.formatted_path, response.text)

    assert fuzz(api_schema, fuzz_site, send) == len(api_schema.raw_schema["paths"])


def test_signed_out_always_401(api_schema: OpenApiSchema, fuzz_site: FastAPI) -> None:
    """Nobody signed in is told to sign in, whatever they send: never data, never a 500."""

    def send(case: Case) -> None:
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code == 401, (case.formatted_path, response.text)

    assert fuzz(api_schema, fuzz_site, send) == len(api_schema.raw_schema["paths"])
