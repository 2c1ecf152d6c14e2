"""Case finding's governance sequence (phm.case_list, phm.governance) on a backend.

The order is the governance model (docs/phm-case-finding.md): who is asking is
settled, and a refusal audited, before the warehouse is opened; the list is audited
before it is written; nothing leaves that the log does not hold. The same sequence
runs on DuckDB and on Spark and releases the same list.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from placehealth import deployment as setup
from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import AccessDenied, InputFileError, ValidationError
from placehealth.phm import audit
from placehealth.phm import case_list as governed
from placehealth.phm.access import ENV_USER
from placehealth.services import phm as service
from tests.phm.test_cli_cohort import Site, deploy, expected_keys
from tests.phm.test_cohort import World, world
from tests.test_cli import run_cli

LATEST_WHOLE_YEAR = dt.date(2018, 4, 1)  # the synthetic data run 2014-04-01 to 2019-03-31


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world(tmp_path_factory)


@pytest.fixture
def site(built: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.delenv(ENV_USER, raising=False)
    placed = deploy(tmp_path / "site", built.roles)
    monkeypatch.setenv(setup.ENV_DEPLOYMENT, str(placed.path))
    return placed


def _gate(built: World, user: str, neighbourhood: str | None) -> governed.Gate:
    return governed.admit_request(
        setup.load_deployment(),
        user=user,
        neighbourhood=neighbourhood,
        threshold=0.5,
        index_date=None,
        warehouse=built.warehouse,
    )


def test_the_list_is_audited_then_written_at_the_data_s_latest_whole_year(
    built: World, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.csv"
    gate = _gate(built, "alice", "NBSYN01")
    assert not site.log.exists()  # admitted: nothing is recorded until something leaves
    backend = DuckDBBackend(built.warehouse)
    try:
        released = governed.release_case_list(
            gate, backend, neighbourhood="NBSYN01", threshold=0.5, model=built.model, output=out
        )
    finally:
        backend.close()
    assert released.index_date == LATEST_WHOLE_YEAR
    assert set(released.frame["person_key"]) == expected_keys(built, "NBSYN01")
    assert released.path == out.resolve() and released.trail.log == site.log
    [entry] = audit.read(site.log)
    assert (entry["user"], entry["role"], entry["outcome"]) == (
        "alice",
        "neighbourhood_team",
        "released",
    )
    assert entry["index_date"] == "2018-04-01"  # the default, resolved from the data
    assert entry["output_sha256"] == audit.sha256_file(out)
    assert entry["rows_released"] == len(released.frame)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_refusal_before_the_warehouse_opens_records_the_date_asked_for(
    built: World, site: Site
) -> None:
    with pytest.raises(AccessDenied, match="'mallory' is not in the roles file"):
        _gate(built, "mallory", "NBSYN01")
    [entry] = audit.read(site.log)
    assert (entry["user"], entry["role"], entry["outcome"]) == ("mallory", None, "denied")
    assert entry["index_date"] is None  # none was asked for; the data were not read


def test_a_role_that_does_not_cover_the_neighbourhood_is_refused_and_audited(
    built: World, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.csv"
    backend = DuckDBBackend(built.warehouse)
    try:
        for user, neighbourhood in (("alice", "NBSYN02"), ("bob", "NBSYN01")):
            gate = _gate(built, user, neighbourhood)
            with pytest.raises(AccessDenied, match="may not see identifiable rows"):
                governed.release_case_list(
                    gate, backend, neighbourhood=neighbourhood, threshold=0.5,
                    model=built.model, output=out,
                )  # fmt: skip
    finally:
        backend.close()
    assert not out.exists()
    entries = audit.read(site.log)
    assert [(e["user"], e["role"], e["outcome"], e["index_date"]) for e in entries] == [
        ("alice", "neighbourhood_team", "denied", "2018-04-01"),
        ("bob", "analyst", "denied", "2018-04-01"),
    ]


def test_a_list_that_cannot_be_written_is_audited_as_failed(
    built: World, site: Site, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    out = blocked / "cohort.csv"  # its folder is a file
    with pytest.raises(InputFileError, match="cannot write"):
        service.case_list(
            built.warehouse, neighbourhood="NBSYN01", model=built.model, user="alice", output=out
        )
    released, failed = audit.read(site.log)
    assert (released["outcome"], failed["outcome"]) == ("released", "failed")
    assert failed["rows_released"] == 0 and failed["reason"]
    assert audit.verify(site.log, site.head).ok


def test_an_index_date_outside_the_data_is_refused_before_anything_is_audited(
    built: World, site: Site
) -> None:
    for day in (dt.date(2013, 4, 1), dt.date(2019, 4, 1)):
        with pytest.raises(ValidationError, match="outside the data"):
            service.case_list(
                built.warehouse, neighbourhood="NBSYN01", model=built.model, user="alice",
                index_date=day,
            )  # fmt: skip
    with pytest.raises(ValidationError, match="no neighbourhood given"):
        service.case_list(built.warehouse, neighbourhood="", model=built.model, user="alice")
    assert not site.log.exists()


def test_the_counts_need_no_neighbourhood_role_and_hide_small_numbers(
    built: World, site: Site
) -> None:
    counts = service.at_risk_counts(
        built.warehouse, threshold=0.3, model=built.model, user="bob", shown_as="web"
    )
    assert counts.path is None and counts.index_date == LATEST_WHOLE_YEAR
    shown = counts.frame["people"].dropna().astype(int)
    assert len(shown) > 0 and not shown.between(1, 7).any()
    [entry] = audit.read(site.log)
    assert (entry["action"], entry["identifiable"], entry["output"]) == ("summary", False, "web")


@pytest.mark.spark
def test_case_finding_runs_on_spark_and_releases_what_duckdb_releases(
    built: World, site: Site, tmp_path: Path
) -> None:
    """The same governance sequence, the warehouse read by Spark (--engine spark)."""
    on = {}
    for engine in ("duckdb", "spark"):
        on[engine] = service.case_list(
            built.warehouse, neighbourhood="NBSYN01", threshold=0.3, model=built.model,
            user="alice", output=tmp_path / f"{engine}.csv", engine=engine,
        )  # fmt: skip
    assert on["spark"].index_date == on["duckdb"].index_date == LATEST_WHOLE_YEAR
    duck, spark = (pd.read_csv(tmp_path / f"{e}.csv") for e in ("duckdb", "spark"))
    assert set(spark["person_key"]) == expected_keys(built, "NBSYN01", 0.3)
    pd.testing.assert_frame_equal(spark, duck, check_exact=False, rtol=1e-9)
    counts = run_cli(
        "phm", "cohort", "-w", str(built.warehouse), "--model", str(built.model),
        "--engine", "spark", "--user", "bob", "--summary", "--threshold", "0.3", "--json",
    )  # fmt: skip
    assert counts.returncode == 0, counts.stderr
    entries = audit.read(site.log)
    assert [(e["user"], e["action"], e["outcome"]) for e in entries] == [
        ("alice", "cohort", "released"),
        ("alice", "cohort", "released"),
        ("bob", "summary", "released"),
    ]
    assert entries[0]["output_sha256"] == audit.sha256_file(tmp_path / "duckdb.csv")
    assert entries[1]["output_sha256"] == audit.sha256_file(tmp_path / "spark.csv")
    assert entries[2]["index_date"] == "2018-04-01" and entries[2]["output"] == "stdout"
    rows = json.loads(counts.stdout)
    assert not any(r["people"] is not None and 1 <= r["people"] <= 7 for r in rows)
