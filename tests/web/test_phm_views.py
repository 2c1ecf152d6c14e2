"""Population health on the site: the published tables, their suppression, and the case list
released, refused and audited as `placehealth phm cohort` does."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from placehealth.deployment import ENV_DEPLOYMENT
from placehealth.phm.access import NEIGHBOURHOOD_TEAM
from placehealth.services import phm, site_phm
from placehealth.services.site_outputs import open_outputs
from placehealth.tables import read_table
from placehealth.web.accounts import add_account
from placehealth.web.db import Account, AuditEntry
from tests.web.conftest import PASSWORD, browse, copy_outputs, make_site, sign_in
from tests.web.phm_outputs import (
    AT_RISK_THRESHOLD,
    OTHER_TEAM,
    TEAM,
    build_phm_outputs,
    write_deployment,
)

NUMERIC_CELL = re.compile(r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">(.*?)</td>')


@pytest.fixture(scope="module")
def phm_outputs(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_phm_outputs(site_outputs, tmp_path_factory.mktemp("phm") / "outputs")


@pytest.fixture
def deployment(phm_outputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own development deployment (a fresh audit log), in force for the site."""
    path = write_deployment(phm_outputs, tmp_path / "deployment")
    monkeypatch.setenv(ENV_DEPLOYMENT, str(path))
    return path


@pytest.fixture
def phm_site(phm_outputs: Path, database_url: str, deployment: Path) -> Iterator[FastAPI]:
    """The site over the run (its state on SQLite and PostgreSQL), with a second team's
    account (nia, NBSYN02) beside the others."""
    site = make_site(phm_outputs, database_url)
    with Session(site.state.engine) as db:
        if db.scalar(select(Account).where(Account.name == "nia")) is None:
            add_account(db, "nia", [NEIGHBOURHOOD_TEAM], PASSWORD, [OTHER_TEAM])
            db.commit()
    yield site
    site.state.engine.dispose()


def signed_in(site: FastAPI, name: str) -> TestClient:
    client = browse(site)
    assert sign_in(client, name).status_code == 303
    return client


def case_finding_log(deployment: Path) -> list[dict[str, object]]:
    log = deployment.parent / "audit.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def site_audit(site: FastAPI) -> list[tuple[str, str, str, str]]:
    with Session(site.state.engine) as db:
        rows = db.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.user, r.action, r.target, r.outcome) for r in rows]


def test_the_segments_view_shows_the_published_profile_for_each_kind_of_area(
    phm_site: FastAPI, phm_outputs: Path
) -> None:
    profile = pd.read_csv(phm_outputs / site_phm.SEGMENTS, encoding="utf-8-sig")
    with signed_in(phm_site, "ana") as client:
        for area in ("neighbourhood", "practice", "imd_decile"):
            page = client.get(f"/population-health?area={area}")
            assert page.status_code == 200
            rows = profile[(profile["area_type"] == area) & (profile["segment"] == "all")]
            shown = page.text.count('<th scope="row" class="nhsuk-table__cell">')
            assert shown == len(rows) > 0
            for row in rows.itertuples():
                assert f">{row.area_code}</th>" in page.text
        assert 'href="/population-health"' in page.text  # the section is in the site's menu
        api = client.get("/api/population-health/segments?area=practice").json()
        assert len(api) == (profile["area_type"] == "practice").sum()
        assert client.get("/population-health?area=lsoa").status_code == 404


def test_the_concentration_view_shows_the_shares_and_chart_the_run_wrote(
    phm_site: FastAPI, phm_outputs: Path
) -> None:
    shares = pd.read_csv(phm_outputs / site_phm.CONCENTRATION_SHARES, encoding="utf-8-sig")
    with signed_in(phm_site, "ana") as client:
        page = client.get("/population-health/concentration")
        assert page.status_code == 200
        for row in shares.itertuples():
            assert f"top {row.heaviest:.1%}" in page.text
            assert f"{row.share_of_everyone:.1%}" in page.text
        chart = client.get("/population-health/concentration.svg")
        assert chart.headers["content-type"] == "image/svg+xml"
        assert chart.content == (phm_outputs / site_phm.CONCENTRATION_CHART).read_bytes()
        api = client.get("/api/population-health/concentration").json()
        assert [r["heaviest"] for r in api] == shares["heaviest"].tolist()


def raw_at_risk(outputs: Path) -> pd.DataFrame:
    """The counts before disclosure control, worked out again from the warehouse and model."""
    from placehealth.engine import open_backend
    from placehealth.phm.cohort import at_risk
    from placehealth.phm.population import data_window, index_date_in
    from placehealth.phm.risk_model import read_model
    from placehealth.phm.scoring import score

    backend = open_backend("duckdb", outputs / f"{open_outputs(outputs).place.id}.duckdb")
    try:
        day = index_date_in(data_window(backend), None)
        risk = score(backend, read_model(outputs / site_phm.MODEL), day)
        found = at_risk(backend, risk, threshold=AT_RISK_THRESHOLD, index_date=day)
        people = backend.collect(found.select("neighbourhood", "practice_code"))
    finally:
        backend.close()
    by_nb = people.groupby("neighbourhood").size().rename("raw").reset_index()
    by_practice = people.groupby(["neighbourhood", "practice_code"]).size().rename("raw")
    return pd.concat([by_nb, by_practice.reset_index()], ignore_index=True)


def test_a_count_under_the_threshold_never_appears_raw_in_the_at_risk_page_or_download(
    phm_site: FastAPI, phm_outputs: Path
) -> None:
    raw = raw_at_risk(phm_outputs)
    small = raw[raw["raw"].between(1, 7)]
    assert len(small) >= 1  # the run has small counts to hide
    published = site_phm.at_risk(open_outputs(phm_outputs))
    with signed_in(phm_site, "ana") as client:
        page = client.get("/population-health/at-risk")
        assert page.status_code == 200
        cells = NUMERIC_CELL.findall(page.text)
        assert len(cells) == len(published)
        shown = [int(c.replace(",", "")) for c in cells if c[:1].isdigit()]
        assert not any(1 <= n <= 7 for n in shown)
        assert sum("hidden" in c for c in cells) == published["people"].isna().sum() > 0
        for row in small.itertuples():
            if pd.isna(row.practice_code):
                assert re.search(rf">{row.neighbourhood}</th>\s*<td[^>]*>.*hidden", page.text)
            else:
                assert re.search(rf">{row.practice_code}</th>\s*<td[^>]*>.*hidden", page.text)
        for kind in ("csv", "xlsx"):
            download = client.get(f"/population-health/at-risk/download/at-risk.{kind}")
            assert download.status_code == 200
            if kind == "csv":
                frame = pd.read_csv(io.BytesIO(download.content), encoding="utf-8-sig")
                people = frame["people"].dropna()
            else:
                sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
                header = [c.value for c in next(sheet.iter_rows())]
                column = header.index("people")
                values = [r[column] for r in sheet.iter_rows(min_row=2, values_only=True)]
                people = pd.Series([v for v in values if v not in (None, "")], dtype=float)
            assert not people.between(1, 7).any()
            assert len(people) == published["people"].notna().sum()
        api = pd.DataFrame(client.get("/api/population-health/at-risk").json())
        assert not api["people"].dropna().between(1, 7).any()
    assert ("ana", "download", "at-risk.csv") in [a[:3] for a in site_audit(phm_site)]


def test_the_at_risk_page_states_the_threshold_and_index_date_the_run_counted_at(
    phm_outputs: Path, sqlite_url: str, deployment: Path, tmp_path: Path
) -> None:
    recorded = json.loads((phm_outputs / site_phm.AT_RISK_RUN).read_text())
    assert recorded["threshold"] == AT_RISK_THRESHOLD
    audited = [e for e in case_finding_log(phm_outputs / "run-audit" / "deployment.yaml")]
    assert recorded["index_date"] in {str(e.get("index_date")) for e in audited}
    changed = copy_outputs(phm_outputs, tmp_path)
    (changed / site_phm.AT_RISK_RUN).write_text('{"threshold": 0.25, "index_date": "2019-03-31"}')
    unsaid = copy_outputs(phm_outputs, tmp_path / "unsaid")
    (unsaid / site_phm.AT_RISK_RUN).unlink()
    for outputs, said in [
        (phm_outputs, "50% or more</strong> (threshold 0.5)"),
        (changed, "25% or more</strong> (threshold 0.25), scored at 31 March 2019"),
        (unsaid, "The run did not record the threshold"),
    ]:
        site = make_site(outputs, sqlite_url)
        with signed_in(site, "ana") as client:
            page = client.get("/population-health/at-risk")
        site.state.engine.dispose()
        assert page.status_code == 200 and said in page.text


def test_a_user_without_the_team_role_is_refused_the_case_list_and_the_refusal_audited(
    phm_site: FastAPI,
) -> None:
    with signed_in(phm_site, "ana") as client:
        page = client.get(f"/population-health/case-list/{TEAM}")
        assert page.status_code == 403
        assert "Not allowed" in page.text and "person_key" not in page.text
        assert client.get(f"/population-health/case-list/{TEAM}/download.csv").status_code == 403
        assert client.get(f"/api/population-health/case-list/{TEAM}").status_code == 403
    refused = [a for a in site_audit(phm_site) if a[1] == "refused"]
    assert [a[0] for a in refused] == ["ana"] * 3


def test_another_neighbourhoods_team_is_refused_and_the_refusal_is_in_the_audit_log(
    phm_site: FastAPI, deployment: Path
) -> None:
    with signed_in(phm_site, "nia") as client:
        page = client.get(f"/population-health/case-list/{TEAM}/download.csv")
        assert page.status_code == 403
        assert "may not see identifiable rows" in page.text
        assert "content-disposition" not in page.headers
        # her own neighbourhood is listed in her menu; the other is not
        mine = client.get("/population-health/at-risk").text
        assert f"/case-list/{OTHER_TEAM}" in mine and f"/case-list/{TEAM}" not in mine
    [entry] = case_finding_log(deployment)
    assert entry["user"] == "nia" and entry["role"] == NEIGHBOURHOOD_TEAM
    assert (entry["action"], entry["neighbourhood"], entry["outcome"]) == ("cohort", TEAM, "denied")
    assert entry["rows_released"] == 0 and entry["development"] is True
    assert ("nia", "refused", f"case list {TEAM}", "no role for it") in site_audit(phm_site)


def test_the_site_account_must_cover_the_neighbourhood_as_well_as_the_roles_file(
    phm_site: FastAPI, deployment: Path
) -> None:
    # ned's roles-file entry covers NBSYN02, his site account only NBSYN01
    with signed_in(phm_site, "ned") as client:
        assert client.get(f"/population-health/case-list/{OTHER_TEAM}").status_code == 403
    [entry] = case_finding_log(deployment)
    assert (entry["user"], entry["neighbourhood"]) == ("ned", OTHER_TEAM)
    assert entry["outcome"] == "denied"


def test_the_team_sees_and_downloads_its_list_each_audited_as_the_command_audits(
    phm_site: FastAPI, phm_outputs: Path, deployment: Path
) -> None:
    with signed_in(phm_site, "ned") as client:
        page = client.get(f"/population-health/case-list/{TEAM}")
        assert page.status_code == 200
        download = client.get(f"/population-health/case-list/{TEAM}/download.csv")
        assert download.status_code == 200
        api = client.get(f"/api/population-health/case-list/{TEAM}").json()
        assert download.headers["content-disposition"].startswith(
            f'attachment; filename="case-list-{TEAM}-'
        )
    listed = pd.read_csv(io.BytesIO(download.content), encoding="utf-8-sig")
    assert len(listed) >= 1 and (listed["risk"] >= 0.5).all()
    for key in listed["person_key"]:
        assert f">{key}</td>" in page.text
    # the command's own service, for the same user, releases the same bytes
    warehouse = phm_outputs / f"{open_outputs(phm_outputs).place.id}.duckdb"
    command = phm.case_list(
        warehouse, neighbourhood=TEAM, model=phm_outputs / site_phm.MODEL, user="ned",
        output=deployment.parent / "cohort.csv",
    )  # fmt: skip
    assert [r["person_key"] for r in api] == listed["person_key"].tolist()
    shown, downloaded, by_api, by_command = case_finding_log(deployment)
    assert (shown["output"], downloaded["output"]) == ("site page", "site download")
    assert by_api["output"] == "site api"
    assert read_table(deployment.parent / "cohort.csv").shape == listed.shape
    for entry in (shown, downloaded, by_api, by_command):
        assert (entry["user"], entry["action"], entry["outcome"]) == ("ned", "cohort", "released")
        assert entry["identifiable"] is True and entry["rows_released"] == len(listed)
        assert entry["neighbourhood"] == TEAM and entry["threshold"] == 0.5
    assert downloaded["output_sha256"] == hashlib.sha256(download.content).hexdigest()
    assert downloaded["output_sha256"] == by_command["output_sha256"]
    same = ("role", "index_date", "model_sha256", "warehouse", "deployment", "development")
    assert [shown[f] for f in same] == [by_command[f] for f in same]
    assert command.trail.verify().ok
    site = [a for a in site_audit(phm_site) if a[1] == "case list"]
    ways = ("site page", "site download", "site api")
    assert [a[2] for a in site] == [f"case list {TEAM} ({how})" for how in ways]


def test_without_a_deployment_the_case_list_is_unavailable_and_nothing_is_released(
    phm_site: FastAPI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_DEPLOYMENT, str(tmp_path / "none.yaml"))
    with signed_in(phm_site, "ned") as client:
        page = client.get(f"/population-health/case-list/{TEAM}")
    assert page.status_code == 503
    assert "no deployment configuration" in page.text
    assert "person_key" not in page.text


def test_a_run_without_population_health_outputs_says_how_to_make_them(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    site = make_site(copy_outputs(site_outputs, tmp_path), sqlite_url)
    with signed_in(site, "ana") as client:
        for path in ("/population-health", "/population-health/concentration",
                     "/population-health/at-risk", "/api/population-health/at-risk"):  # fmt: skip
            answer = client.get(path)
            assert answer.status_code == 404
            assert "placehealth demo" in answer.text
    site.state.engine.dispose()
