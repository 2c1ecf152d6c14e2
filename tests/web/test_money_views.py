"""Money and activity on the site: each page and API route shows the numbers the command's
own service gives, the BCF what-if refuses a bad value with the command's message, the
tables download through the product's table writer, and other roles are refused."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi import FastAPI

from placehealth.cli.options import default_plans_path
from placehealth.services import activity, bcf, finance, risks, site_activity, site_money
from tests.web.conftest import browse, make_site
from tests.web.outputs import with_activity
from tests.web.test_phm_views import signed_in

PLANS = default_plans_path()
PAGES = ["/money", "/money/bcf", "/money/risks", "/money/investments", "/activity",
         "/activity/demand", "/activity/actual"]  # fmt: skip
API = ["/api/money/position", "/api/money/bcf", "/api/money/risks", "/api/money/investments",
       "/api/activity/plans", "/api/activity/findings", "/api/activity/demand"]  # fmt: skip


@pytest.fixture(scope="module")
def site_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's files folder, kept for the module: the projection is made once."""
    return tmp_path_factory.mktemp("money-files")


@pytest.fixture(scope="module")
def run_outputs(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's outputs with the activity files the demo writes (services.demo.activity)."""
    return with_activity(site_outputs, tmp_path_factory.mktemp("run") / "outputs")


@pytest.fixture
def run_site(run_outputs: Path, sqlite_url: str, site_files: Path) -> Iterator[FastAPI]:
    site = make_site(run_outputs, sqlite_url, plans=PLANS, files=site_files)
    yield site
    site.state.engine.dispose()


@pytest.fixture
def money_site(site_outputs: Path, sqlite_url: str, site_files: Path) -> Iterator[FastAPI]:
    site = make_site(site_outputs, sqlite_url, plans=PLANS, files=site_files)
    yield site
    site.state.engine.dispose()


def target_of(plan: Path, metric: str) -> float:
    """The metric's first payment target in the plan (meeting it releases money)."""
    return float(next(m["target"] for m in bcf.show(plan)[0]["metrics"] if m["metric"] == metric))


def money(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def test_the_position_page_shows_printed_and_derived_lines_and_the_models_findings(
    money_site: FastAPI,
) -> None:
    plan = site_money.position_plans(PLANS)[0]
    record = finance.position_model(PLANS / plan, [])
    assert record["findings"]  # the plan's position does not all derive as it says
    with signed_in(money_site, "ana") as client:
        page = client.get(f"/money?plan={plan}")
        assert page.status_code == 200
        assert 'href="/activity"' in page.text  # the sections are in the site's menu
        for year in record["years"]:
            for row in year["rows"]:
                assert money(row["derived"][2]) in page.text
        for found in record["findings"]:
            assert found["message"].replace("'", "&#39;") in page.text
        tables = finance.tables(PLANS / plan)["tables"]
        wrong = [c for t in tables for r in t["rows"] for cell in r["cells"]
                 for c in cell["recomputed"] if not c["agrees"]]  # fmt: skip
        assert page.text.count('nhsuk-tag--red">↻ ') == len(wrong) > 0
        api = client.get(f"/api/money/position?plan={plan}").json()
        assert api["years"][0]["rows"][0]["derived"] == record["years"][0]["rows"][0]["derived"]
        csv = pd.read_csv(
            io.BytesIO(client.get(f"/money/download/position.csv?plan={plan}").content)
        )
        expected = site_money.position_table(record)
        assert csv["derived_total"].round(3).tolist() == expected["derived_total"].round(3).tolist()
        assert client.get("/money?plan=no-such-plan").status_code == 404


def test_the_schema_declares_the_bcf_what_ifs_query_parameters(money_site: FastAPI) -> None:
    """Each metric a BCF plan's payment counts is an optional number on /api/money/bcf, so the
    API's documentation and generated clients (schemathesis) know them."""
    metrics = {
        m["metric"] for p in site_money.bcf_plans(PLANS) for m in bcf.show(PLANS / p)[0]["metrics"]
    }
    assert metrics
    with signed_in(money_site, "ana") as client:
        schema = client.get("/api/openapi.json").json()
    parameters = schema["paths"]["/api/money/bcf"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"plan"} | metrics
    for declared in (p for p in parameters if p["name"] in metrics):
        assert declared["in"] == "query" and not declared["required"]
        assert declared["schema"]["type"] == "number"


def test_the_bcf_page_works_out_the_payment_again_for_the_what_if(money_site: FastAPI) -> None:
    plan = site_money.bcf_plans(PLANS)[0]
    metric = site_money.bcf_metrics(PLANS / plan)[0]
    target = target_of(PLANS / plan, metric)
    at_target = bcf.payment(PLANS / plan, [f"{metric}={target}"])[0]
    before = bcf.payment(PLANS / plan)[0]
    assert at_target["released"] > before["released"]  # meeting a target releases money
    with signed_in(money_site, "ana") as client:
        page = client.get(f"/money/bcf?plan={plan}")
        assert page.status_code == 200
        assert f"£{money(before['at_stake'], 0)}" in page.text
        for row in bcf.show(PLANS / plan)[0]["pool_by_partner"]:
            assert row["partner"] in page.text
        what_if = client.get(f"/money/bcf?plan={plan}&{metric}={target}")
        assert what_if.status_code == 200
        assert f"released on these actuals: £{money(at_target['released'], 0)}" in what_if.text
        api = client.get(f"/api/money/bcf?plan={plan}&{metric}={target}").json()
        assert api["released"] == pytest.approx(at_target["released"])
        bad = client.get(f"/money/bcf?plan={plan}&{metric}=lots")
        assert bad.status_code == 400
        assert "write metric=value" in bad.text and "There is a problem" in bad.text
        bad_api = client.get(f"/api/money/bcf?plan={plan}&{metric}=lots")
        assert bad_api.status_code == 400 and "write metric=value" in bad_api.json()["detail"]
        assert (
            client.get(f"/money/download/bcf-payment.csv?plan={plan}&{metric}=x").status_code == 400
        )
        paid = pd.read_csv(io.BytesIO(
            client.get(f"/money/download/bcf-payment.csv?plan={plan}&{metric}={target}").content
        ))  # fmt: skip
        assert paid["released"].sum() == pytest.approx(at_target["released"])


def test_the_risk_register_sorts_filters_and_draws_the_heat_map(money_site: FastAPI) -> None:
    everything = risks.table(PLANS)["risks"]
    finance_risks = risks.table(PLANS, category="finance", min_score=6)["risks"]
    assert 0 < len(finance_risks) < len(everything)
    with signed_in(money_site, "ana") as client:
        page = client.get("/money/risks")
        assert page.status_code == 200
        assert f"Risks shown: {len(everything)}<" in page.text
        some = client.get("/money/risks?category=finance&min_score=6&sort=score")
        assert f"Risks shown: {len(finance_risks)}<" in some.text
        api = client.get("/api/money/risks?category=finance&min_score=6").json()
        assert [r["risk"] for r in api["risks"]] == [r["risk"] for r in finance_risks]
        for bad in ("min_score=high", "sort=colour"):
            refused = client.get(f"/money/risks?{bad}")
            assert refused.status_code == 400 and "There is a problem" in refused.text
            assert client.get(f"/api/money/risks?{bad}").status_code == 400
        chart = client.get("/money/risks/heatmap.svg")
        assert chart.headers["content-type"] == "image/svg+xml"
        assert chart.content.lstrip().startswith(b"<svg")
        sheet = openpyxl.load_workbook(
            io.BytesIO(
                client.get("/money/download/risks.xlsx?category=finance&min_score=6").content
            )
        ).active
        assert sheet.max_row == len(finance_risks) + 1


def test_the_investment_page_ranks_the_proposals_and_says_what_the_reserve_buys(
    money_site: FastAPI,
) -> None:
    plan = site_money.investment_plans(PLANS)[0]
    record = finance.investments(PLANS / plan)
    with signed_in(money_site, "ana") as client:
        page = client.get(f"/money/investments?plan={plan}")
        assert page.status_code == 200
        places = [page.text.index(p["label"].replace("'", "&#39;")) for p in record["proposals"]]
        assert places == sorted(places)
        assert f"left £{money(record['left'])}m" in page.text
        api = client.get(f"/api/money/investments?plan={plan}").json()
        assert [p["id"] for p in api["proposals"]] == [p["id"] for p in record["proposals"]]


def test_the_activity_page_shows_the_plans_tables_and_every_activity_finding(
    money_site: FastAPI,
) -> None:
    plan = site_activity.activity_plans(PLANS)[0]
    tables = activity.tables(PLANS / plan)["tables"]
    found = activity.check(PLANS).findings
    with signed_in(money_site, "ana") as client:
        page = client.get(f"/activity?plan={plan}")
        assert page.status_code == 200
        for t in tables:
            assert f'id="{t["document"]}-{t["table"]}"' in page.text
        assert f"{len(found)} findings" in page.text
        api = client.get("/api/activity/findings").json()
        assert sorted(f["id"] for f in api) == sorted(f.id for f in found)
        csv = pd.read_csv(io.BytesIO(client.get("/activity/download/findings.csv").content))
        assert len(csv) == len(found)


def test_the_demand_page_shows_the_projection_the_run_wrote(
    run_site: FastAPI, run_outputs: Path
) -> None:
    projection = pd.read_csv(run_outputs / "demand-projection.csv", encoding="utf-8-sig")
    shown = projection[(projection["measure"] == "activity") & projection["p50"].notna()]
    assert len(shown) > 5
    plan = pd.read_csv(run_outputs / "demand-plan.csv", encoding="utf-8-sig")
    with signed_in(run_site, "ana") as client:
        page = client.get("/activity/demand")
        assert page.status_code == 200
        for row in shown.itertuples():
            assert f"{row.p50:,.0f}" in page.text and f"{row.p90:,.0f}" in page.text
        assert "Beside the provider plans" in page.text
        for row in plan.dropna(subset=["plan"]).head(5).itertuples():
            assert f"{row.plan:,.0f}" in page.text
        for chart in ("fan", "waterfall"):
            svg = client.get(f"/activity/demand/{chart}.svg")
            assert svg.headers["content-type"] == "image/svg+xml"
            assert svg.content == (run_outputs / f"demand-{chart}.svg").read_bytes()
        api = client.get("/api/activity/demand").json()
        assert len(api) == len(projection)
        assert api[0]["p50"] == pytest.approx(projection["p50"].iloc[0])
        csv = pd.read_csv(io.BytesIO(client.get("/activity/download/plan.csv").content))
        assert len(csv) == len(plan)


def test_the_actual_page_shows_activity_against_plan_the_run_wrote(
    run_site: FastAPI, run_outputs: Path
) -> None:
    from placehealth.services import activity as service

    written = pd.read_csv(run_outputs / "activity-actual.csv", encoding="utf-8-sig")
    direct = service.plan_against_actual(run_outputs / "place.duckdb", plans=PLANS).variance
    assert len(written) == len(direct)  # the run's file is the service's table
    totals = written[(written["month"] == "all") & written["actual"].notna()]
    assert len(totals) > 5
    with signed_in(run_site, "ana") as client:
        page = client.get("/activity/actual")
        assert page.status_code == 200
        for row in totals.itertuples():
            assert f"{row.actual:,.0f}" in page.text
            assert pd.isna(row.plan) or f"{row.plan:,.0f}" in page.text
        xlsx = client.get("/activity/download/actual.xlsx")
        assert xlsx.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None and sheet.max_row == len(written) + 1


def test_without_the_runs_activity_files_the_pages_say_to_run_the_demo(
    money_site: FastAPI,
) -> None:
    with signed_in(money_site, "ana") as client:
        for path in ("/activity/demand", "/activity/actual"):
            page = client.get(path)
            assert page.status_code == 200
            assert "run `placehealth demo`" in page.text
            assert "<table" not in page.text
        for path in ("/activity/demand/fan.svg", "/activity/download/projection.csv",
                     "/api/activity/demand"):  # fmt: skip
            missing = client.get(path)
            assert missing.status_code == 404, path


@pytest.mark.parametrize("name", ["ned"])
def test_other_roles_are_refused_money_and_activity(money_site: FastAPI, name: str) -> None:
    with signed_in(money_site, name) as client:
        assert 'href="/money"' not in client.get("/").text  # not in their menu
        for path in [*PAGES, *API, "/money/risks/heatmap.svg", "/money/download/risks.csv"]:
            assert client.get(path).status_code == 403, path
    with browse(money_site) as nobody:
        assert nobody.get("/money").status_code == 303
        assert nobody.get("/api/money/bcf").status_code == 401


def test_an_answer_is_remembered_until_a_plan_file_changes(tmp_path: Path) -> None:
    plan = tmp_path / "plans" / "a-plan"
    plan.mkdir(parents=True)
    (plan / "risks.yaml").write_text("first\n")
    calls: list[int] = []

    def job() -> int:
        calls.append(1)
        return len(calls)

    root = plan.parent
    assert site_money.remembered(root, ("job",), job) == 1
    assert site_money.remembered(root, ("job",), job) == 1  # remembered
    (plan / "risks.yaml").write_text("second, longer\n")
    assert site_money.remembered(root, ("job",), job) == 2  # the plan changed


def test_a_formula_in_a_plan_never_comes_back_raw_in_a_money_download(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    """A register's category written as a spreadsheet formula downloads as text."""

    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    register = plans / "ccg-2014" / "risks" / "bcf-risks.yaml"
    formula = '=HYPERLINK("http://example.invalid","x")'
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("category: Finance", f"category: '{formula}'", 1), "utf-8")
    site = make_site(site_outputs, sqlite_url, plans=plans, files=tmp_path / "files")
    with signed_in(site, "ana") as client:
        csv = client.get("/money/download/risks.csv?category=hyperlink")
        assert csv.status_code == 200
        assert f"'{formula}".replace('"', '""') in csv.content.decode("utf-8-sig")
        sheet = openpyxl.load_workbook(
            io.BytesIO(client.get("/money/download/risks.xlsx?category=hyperlink").content)
        ).active
        cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" for c in cells)
    site.state.engine.dispose()
