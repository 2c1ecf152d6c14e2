"""The plans' workflows through the site: actuals previewed with every bad row and saved only
when confirmed, findings accepted into the file the checker reads, and the board pack."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from placehealth.cli.options import default_plans_path
from placehealth.services import plans as plan_service
from placehealth.services.reports import sample_actuals
from placehealth.services.site_plans import accepted_file, saved_actuals
from tests.web.conftest import browse, csrf_of, make_site, sign_in

PLAN = "one-liverpool-2019"
FORMULA = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture(scope="module")
def good_actuals(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Monthly actuals for the plan, as `placehealth report sample-actuals` writes them."""
    path = tmp_path_factory.mktemp("actuals") / "actuals.csv"
    sample_actuals(default_plans_path() / PLAN, path, seed=1)
    return path.read_bytes()


def with_bad_rows(good: bytes) -> bytes:
    """The good file with three bad rows: an unknown indicator (file row 3), a value that is
    not a number (row 5) and a month that does not exist (row 7)."""
    frame = pd.read_csv(io.BytesIO(good), encoding="utf-8-sig", dtype=str)
    frame.loc[1, "indicator"] = "no-such-indicator"
    frame.loc[3, "value"] = "n/a"
    frame.loc[5, "period"] = "2016-13"
    return frame.to_csv(index=False).encode("utf-8")


def plans_site(outputs: Path, url: str, files: Path, **settings: object) -> FastAPI:
    return make_site(outputs, url, files=files, plans=default_plans_path(), **settings)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def site_with_files(site_outputs: Path, database_url: str, files: Path) -> Iterator[FastAPI]:
    site = plans_site(site_outputs, database_url, files)
    yield site
    site.state.engine.dispose()


@pytest.fixture
def analyst(site_with_files: FastAPI) -> Iterator[TestClient]:
    with browse(site_with_files) as client:
        assert sign_in(client, "ana").status_code == 303
        yield client


def upload(client: TestClient, name: str, data: bytes, *, csrf: bool = True) -> object:
    page = client.get(f"/plans/{PLAN}/actuals")
    form = {"csrf_token": csrf_of(page.text)} if csrf else {}
    return client.post(f"/plans/{PLAN}/actuals", data=form, files={"file": (name, data)})


def audit_rows(site: FastAPI) -> list[tuple[str, str, str, str]]:
    with site.state.engine.connect() as connection:
        rows = connection.execute(sa.text('SELECT "user", action, target, outcome FROM audit'))
        return [tuple(r) for r in rows]


def test_every_bad_row_is_listed_and_nothing_is_saved(
    analyst: TestClient, site_with_files: FastAPI, files: Path, good_actuals: bytes
) -> None:
    response = upload(analyst, "actuals.csv", with_bad_rows(good_actuals))
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    problems = re.findall(r'aria-hidden="true">Row </span>(\d+)</td>', page)
    assert problems == ["3", "5", "7"]
    assert "unknown indicator &#39;no-such-indicator&#39;" in page
    assert "&#39;n/a&#39; is not a number" in page
    assert "unrecognised period &#39;2016-13&#39;" in page
    assert "nothing was saved" in page
    assert saved_actuals(files, PLAN) is None
    assert not list((files / "uploads").iterdir())  # the refused file is not kept
    with site_with_files.state.engine.connect() as connection:
        status = connection.execute(sa.text("SELECT status, plan FROM uploads")).all()
    assert [tuple(s) for s in status] == [("refused", PLAN)]
    assert ("ana", "upload actuals", f"{PLAN}: actuals.csv", "refused: 3 problems") in audit_rows(
        site_with_files
    )


def test_an_excel_file_names_its_bad_rows_by_the_sheet_row(
    analyst: TestClient, files: Path, good_actuals: bytes
) -> None:
    frame = pd.read_csv(io.BytesIO(with_bad_rows(good_actuals)), dtype=str)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    response = upload(analyst, "actuals.xlsx", buffer.getvalue())
    assert response.status_code == 422  # type: ignore[attr-defined]
    rows = re.findall(r'aria-hidden="true">Row </span>(\d+)</td>', response.text)  # type: ignore[attr-defined]
    assert rows == ["3", "5", "7"]
    assert saved_actuals(files, PLAN) is None


def test_a_clean_file_is_saved_only_once_confirmed(
    analyst: TestClient, site_with_files: FastAPI, files: Path, good_actuals: bytes
) -> None:
    preview = upload(analyst, "actuals.csv", good_actuals)
    assert preview.status_code == 200  # type: ignore[attr-defined]
    page = preview.text  # type: ignore[attr-defined]
    rows = len(pd.read_csv(io.BytesIO(good_actuals)))
    assert f"{rows} rows" in page
    assert saved_actuals(files, PLAN) is None  # not before confirmation
    action = re.search(r'action="(/plans/[^"]+/confirm)"', page)
    assert action is not None
    assert analyst.post(action[1], data={}).status_code == 403  # no CSRF token: refused
    assert saved_actuals(files, PLAN) is None
    confirmed = analyst.post(action[1], data={"csrf_token": csrf_of(page)})
    assert confirmed.status_code == 303
    saved = saved_actuals(files, PLAN)
    assert saved is not None and saved.read_bytes() == good_actuals
    assert analyst.post(action[1], data={"csrf_token": csrf_of(page)}).status_code == 404
    shown = analyst.get(f"/plans/{PLAN}/actuals").text
    assert f'<dd class="nhsuk-summary-list__value">{rows}</dd>' in shown
    assert ("ana", "save actuals", f"{PLAN}: actuals.csv", f"saved: {rows} rows") in audit_rows(
        site_with_files
    )


def test_only_the_latest_preview_can_be_saved(
    analyst: TestClient, files: Path, good_actuals: bytes
) -> None:
    first = upload(analyst, "first.csv", good_actuals).text  # type: ignore[attr-defined]
    second = upload(analyst, "second.csv", good_actuals).text  # type: ignore[attr-defined]
    earlier = re.search(r'action="(/plans/[^"]+/confirm)"', first)
    latest = re.search(r'action="(/plans/[^"]+/confirm)"', second)
    assert earlier is not None and latest is not None and earlier[1] != latest[1]
    assert len(list((files / "uploads").iterdir())) == 1  # the earlier file is gone
    token = {"csrf_token": csrf_of(second)}
    assert analyst.post(earlier[1], data=token).status_code == 404
    assert saved_actuals(files, PLAN) is None
    assert analyst.post(latest[1], data=token).status_code == 303
    assert saved_actuals(files, PLAN) is not None


def test_a_file_without_the_columns_is_named_as_a_whole(analyst: TestClient, files: Path) -> None:
    response = upload(analyst, "actuals.csv", b"indicator,area,value\nx,y,1\n")
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert "the whole file" in page and "missing column &#39;period&#39;" in page
    assert saved_actuals(files, PLAN) is None


def test_a_preview_changed_on_disk_is_not_saved(
    analyst: TestClient, files: Path, good_actuals: bytes
) -> None:
    page = upload(analyst, "actuals.csv", good_actuals).text  # type: ignore[attr-defined]
    action = re.search(r'action="(/plans/[^"]+/confirm)"', page)
    assert action is not None
    (staged,) = (files / "uploads").iterdir()
    staged.write_bytes(good_actuals + b"extra,row,2016-01,1\n")
    assert analyst.post(action[1], data={"csrf_token": csrf_of(page)}).status_code == 404
    assert saved_actuals(files, PLAN) is None


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(
    analyst: TestClient, files: Path
) -> None:
    response = upload(analyst, "actuals.exe", b"MZ\x90\x00")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "not a file type the site takes" in response.text  # type: ignore[attr-defined]
    fake = upload(analyst, "actuals.xlsx", b"indicator,area,period,value\n")
    assert "not an Excel workbook" in fake.text  # type: ignore[attr-defined]
    assert saved_actuals(files, PLAN) is None and not (files / "uploads").exists()


def test_an_oversized_upload_is_refused_before_it_is_read(
    site_outputs: Path, sqlite_url: str, files: Path, good_actuals: bytes
) -> None:
    site = plans_site(site_outputs, sqlite_url, files, max_body_bytes=4096)
    with browse(site) as client:
        sign_in(client, "ana")
        response = upload(client, "actuals.csv", good_actuals * 3)
        assert response.status_code == 413  # type: ignore[attr-defined]
    assert saved_actuals(files, PLAN) is None and not (files / "uploads").exists()
    site.state.engine.dispose()


def test_the_plans_forms_refuse_a_post_without_the_csrf_token(
    analyst: TestClient, files: Path, good_actuals: bytes
) -> None:
    assert upload(analyst, "actuals.csv", good_actuals, csrf=False).status_code == 403  # type: ignore[attr-defined]
    finding = first_finding(analyst)
    refused = analyst.post(
        "/plans/findings/review", data={"finding": finding, "reason": "reviewed by the team"}
    )
    assert refused.status_code == 403
    assert not (files / "uploads").exists() and not accepted_file(files).exists()


def test_a_formula_in_an_uploaded_cell_never_comes_back_raw(
    analyst: TestClient, good_actuals: bytes
) -> None:
    frame = pd.read_csv(io.BytesIO(good_actuals), encoding="utf-8-sig", dtype=str)
    frame.loc[0, "area"] = FORMULA
    frame["note"] = ["@SUM(1+1)", "+1", "-1+2", *[""] * (len(frame) - 3)]
    preview = upload(analyst, "actuals.csv", frame.to_csv(index=False).encode())
    page = preview.text  # type: ignore[attr-defined]
    assert "=HYPERLINK(&#34;http://example.invalid&#34;" in page  # escaped, as text
    action = re.search(r'action="(/plans/[^"]+/confirm)"', page)
    assert action is not None
    analyst.post(action[1], data={"csrf_token": csrf_of(page)})
    base = f"/plans/{PLAN}/actuals/download/actuals-{PLAN}"
    csv = analyst.get(f"{base}.csv").content.decode("utf-8-sig")
    assert f"'{FORMULA}".replace('"', '""') in csv
    assert f",{FORMULA}".replace('"', '""') not in csv
    for lead in ("@SUM(1+1)", "+1", "-1+2"):
        assert f",'{lead}" in csv and f",{lead}\r\n" not in csv and f",{lead}\n" not in csv
    sheet = openpyxl.load_workbook(io.BytesIO(analyst.get(f"{base}.xlsx").content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    risky = [c for c in cells if str(c.value).startswith(("=", "+", "-", "@"))]
    # a text cell, never a formula ('f'): Excel shows it and does not run it
    assert risky and all(c.data_type == "s" for c in risky)
    assert any(c.value == FORMULA for c in risky)


def first_finding(client: TestClient) -> str:
    page = client.get("/plans").text
    found = re.search(r'href="/plans/findings/review\?finding=([^"]+)"', page)
    assert found is not None
    from urllib.parse import unquote

    return unquote(found[1])


def test_an_accepted_finding_is_in_the_checkers_file_and_the_audit(
    analyst: TestClient, site_with_files: FastAPI, files: Path
) -> None:
    finding = first_finding(analyst)
    form = analyst.get("/plans/findings/review", params={"finding": finding})
    assert form.status_code == 200
    token = csrf_of(form.text)
    short = analyst.post(
        "/plans/findings/review", data={"finding": finding, "reason": " ", "csrf_token": token}
    )
    assert short.status_code == 400 and "say why the finding is accepted" in short.text
    assert not accepted_file(files).exists()
    reason = "Reviewed at the March board: the printed figure is rounded."
    done = analyst.post(
        "/plans/findings/review", data={"finding": finding, "reason": reason, "csrf_token": token}
    )
    assert done.status_code == 303
    # the command line reads the same file: the finding is accepted, no longer open
    review = plan_service.check(default_plans_path(), accepted=accepted_file(files))
    assert [f.id for f in review.accepted] == [finding]
    assert finding not in {f.id for f in review.findings}
    assert reason in accepted_file(files).read_text()
    assert ("ana", "accept finding", finding, "accepted") in audit_rows(site_with_files)
    page = analyst.get("/plans").text
    assert "accepted</strong> by ana, " in page and reason in page
    unknown = {"finding": "no/such/finding", "reason": reason, "csrf_token": token}
    assert analyst.post("/plans/findings/review", data=unknown).status_code == 404
    assert "no/such/finding" not in accepted_file(files).read_text()
    assert analyst.get("/plans/findings/review?finding=no/such").status_code == 404
    again = analyst.post(
        "/plans/findings/review", data={"finding": finding, "reason": reason, "csrf_token": token}
    )
    assert again.status_code == 400 and "already accepted" in again.text


def test_only_plan_editors_upload_or_accept(
    site_with_files: FastAPI, files: Path, good_actuals: bytes
) -> None:
    with browse(site_with_files) as client:
        sign_in(client, "ned")  # a neighbourhood team: reads the plans, changes nothing
        page = client.get("/plans")
        assert page.status_code == 200 and "/plans/findings/review" not in page.text
        assert client.get(f"/plans/{PLAN}/actuals").status_code == 403
        token = csrf_of(page.text)
        posted = client.post(
            "/plans/findings/review",
            data={"finding": "x", "reason": "a reason of some words", "csrf_token": token},
        )
        assert posted.status_code == 403
        sent = client.post(
            f"/plans/{PLAN}/actuals",
            data={"csrf_token": token},
            files={"file": ("actuals.csv", good_actuals)},
        )
        assert sent.status_code == 403
    assert not accepted_file(files).exists() and saved_actuals(files, PLAN) is None
    refused = [r for r in audit_rows(site_with_files) if r[1] == "refused"]
    assert {r[2] for r in refused} >= {"/plans/findings/review", "/plans/{plan}/actuals"}


def test_the_board_pack_is_drawn_from_the_saved_actuals_for_a_month(
    analyst: TestClient, files: Path, good_actuals: bytes
) -> None:
    assert "no-pack" in analyst.get(f"/plans/{PLAN}/board-pack").text  # no actuals yet
    files.mkdir(parents=True)
    (files / f"actuals-{PLAN}.csv").write_bytes(good_actuals)
    page = analyst.get(f"/plans/{PLAN}/board-pack").text
    months = re.findall(r'<option value="(\d{4}-\d{2})"', page)
    assert months[0] == "2017-12" and "2016-01" in months
    pack = analyst.get(f"/plans/{PLAN}/board-pack/2017-06.html")
    assert pack.status_code == 200
    assert "June 2017" in pack.text and "<svg" in pack.text
    # the pack's own policy: its inline styles, and no script at all
    policy = pack.headers.get_list("content-security-policy")
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"]  # fmt: skip
    pdf = analyst.get(f"/plans/{PLAN}/board-pack/2017-06.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert f'filename="board-pack-{PLAN}-2017-06.pdf"' in pdf.headers["content-disposition"]
    assert analyst.get(f"/plans/{PLAN}/board-pack/2030-01.html").status_code == 404
    assert analyst.get(f"/plans/{PLAN}/actuals/download/other.csv").status_code == 404
    assert analyst.get(f"/plans/{PLAN}/board-pack/..%2F2017-06.html").status_code == 404
    assert analyst.get("/plans/no-such-plan/board-pack").status_code == 404


def test_with_none_saved_the_board_pack_reads_the_actuals_the_demo_wrote(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    """The demo writes each pack's actuals beside its outputs (services.demo.pack_actuals);
    the site's board pack, with no actuals saved through it, offers their months."""
    from placehealth.services.demo import pack_actuals
    from placehealth.services.site_plans import pack_actuals as pack_actuals_of
    from tests.web.conftest import copy_outputs

    outputs = copy_outputs(site_outputs, tmp_path)
    written = pack_actuals(outputs, default_plans_path() / PLAN, outputs / "indicators.csv")
    site = plans_site(outputs, sqlite_url, tmp_path / "files")
    # the very file the demo's own pack is drawn from, not the stand-ins alone
    assert pack_actuals_of(site.state.outputs, tmp_path / "files", PLAN) == written
    with browse(site) as client:
        assert sign_in(client, "ana").status_code == 303
        page = client.get(f"/plans/{PLAN}/board-pack").text
    site.state.engine.dispose()
    months = re.findall(r'<option value="(\d{4}-\d{2})"', page)
    periods = pd.read_csv(written, dtype=str)["period"]
    assert "no-pack" not in page
    assert months == sorted(set(periods[periods.str.fullmatch(r"\d{4}-\d{2}")]), reverse=True)


def test_the_upload_plan_migration_goes_down_and_up_again(database_url: str) -> None:
    """0002 adds the plan and row count to uploads; undone, the table is 0001's again."""
    from alembic import command
    from alembic.config import Config

    from placehealth.web.db import MIGRATIONS, make_engine, migrate

    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def columns() -> set[str]:
        return {c["name"] for c in sa.inspect(engine).get_columns("uploads")}

    assert {"plan", "rows"} <= columns()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert not {"plan", "rows"} & columns() and "sha256" in columns()
    migrate(engine)
    assert {"plan", "rows"} <= columns()
    engine.dispose()
