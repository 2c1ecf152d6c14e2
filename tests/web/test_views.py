"""The pages and the JSON API show what the service functions return, and downloads are safe."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from placehealth.catalogue import load_catalogue
from placehealth.services.overview import place_overview
from placehealth.services.site_outputs import open_outputs
from tests.web.conftest import browse, copy_outputs, make_site, sign_in

AREA_CELL = re.compile(r'<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">(.*?)</td>')
FORMULA = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def view_site(site_outputs: Path, sqlite_url: str) -> FastAPI:
    return make_site(site_outputs, sqlite_url)


@pytest.fixture
def analyst(view_site: FastAPI) -> Iterator[TestClient]:
    with browse(view_site) as client:
        assert sign_in(client, "ana").status_code == 303
        yield client


def names() -> dict[str, str]:
    return {k: v.name for k, v in load_catalogue().indicators.items()}


def test_the_overview_lists_every_indicator_with_its_latest_value(
    analyst: TestClient, site_outputs: Path
) -> None:
    page = analyst.get("/").text
    expected = place_overview(open_outputs(site_outputs), names())
    values = pd.read_csv(site_outputs / "indicators.csv")
    assert set(expected["indicator_id"]) == set(values["indicator_id"])
    for row in expected.itertuples():
        assert f'href="/indicators/{row.indicator_id}"' in page
    ae = expected[expected["indicator_id"] == "ae-attendances"].iloc[0]
    place = values[(values["indicator_id"] == "ae-attendances") & (values["area_type"] == "place")]
    assert ae["period"] == place["period"].max() == "2018/19"
    assert f"{ae['value']:,.1f}" in page
    assert "These outputs hold no values for England" in page


def test_an_indicator_shows_its_definition_and_values_by_the_chosen_areas(
    analyst: TestClient, site_outputs: Path
) -> None:
    indicator = load_catalogue()["ae-attendances"]
    page = analyst.get("/indicators/ae-attendances").text
    assert html.escape(indicator.name) in page and indicator.unit_label in page
    assert "The whole place" in page and "Values by place" in page
    neighbourhoods = analyst.get("/indicators/ae-attendances?area=neighbourhood").text
    values = pd.read_csv(site_outputs / "indicators.csv")
    rows = values[
        (values["indicator_id"] == "ae-attendances") & (values["area_type"] == "neighbourhood")
    ]
    body = neighbourhoods.split('id="values-table"')[1].split("<tbody")[1]
    assert body.count('<tr class="nhsuk-table__row">') == len(rows)
    for name in rows["area_name"].unique():
        assert name in neighbourhoods
    assert analyst.get("/indicators/ae-attendances?area=nowhere").status_code == 404
    assert analyst.get("/indicators/no-such-indicator").status_code == 404


def test_many_areas_values_come_a_page_at_a_time_and_the_download_has_them_all(
    analyst: TestClient, site_outputs: Path
) -> None:
    from placehealth.services.site_indicators import PAGE_ROWS

    values = pd.read_csv(site_outputs / "indicators.csv", dtype={"area_code": str})
    rows = values[(values["indicator_id"] == "ae-attendances") & (values["area_type"] == "lsoa")]
    pages = -(-len(rows) // PAGE_ROWS)
    assert pages >= 3  # small areas: more rows than a page holds
    address = "/indicators/ae-attendances?area=lsoa"
    seen: list[str] = []
    for number in range(1, pages + 1):
        page = analyst.get(f"{address}&page={number}").text
        body = page.split('id="values-table"')[1].split("<tbody")[1].split("</tbody>")[0]
        cells = AREA_CELL.findall(body)
        seen += cells
        assert len(cells) == (PAGE_ROWS if number < pages else len(rows) - PAGE_ROWS * (pages - 1))
        assert f'aria-label="Page {number}" aria-current="page"' in page
        assert ('rel="prev"' in page) == (number > 1) and ('rel="next"' in page) == (number < pages)
        assert f"of {len(rows):,} (page {number} of {pages})" in page
    first = analyst.get(address).text.split('id="values-table"')[1]
    assert AREA_CELL.findall(first) == seen[:PAGE_ROWS]  # no page asked for: the first
    assert sorted(html.unescape(c) for c in seen) == sorted(rows["area_name"].astype(str))
    for bad in ("0", str(pages + 1), "two", "-1"):
        assert analyst.get(f"{address}&page={bad}").status_code == 404
    download = analyst.get("/indicators/ae-attendances/download/ae-attendances.csv?area=lsoa")
    assert len(pd.read_csv(io.BytesIO(download.content), encoding="utf-8-sig")) == len(rows)
    place = analyst.get("/indicators/ae-attendances").text
    assert "nhsuk-pagination" not in place  # a page's worth of rows: no pages


def test_downloads_hold_the_values_shown(analyst: TestClient, site_outputs: Path) -> None:
    csv = analyst.get("/indicators/ae-attendances/download/ae-attendances.csv?area=neighbourhood")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="ae-attendances-neighbourhood.csv"' in csv.headers["content-disposition"]
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    values = pd.read_csv(site_outputs / "indicators.csv")
    rows = values[
        (values["indicator_id"] == "ae-attendances") & (values["area_type"] == "neighbourhood")
    ]
    assert len(frame) == len(rows)
    assert frame["value"].sum() == pytest.approx(rows["value"].sum())
    excel = analyst.get("/indicators/ae-attendances/download/ae-attendances.xlsx?area=place")
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None and sheet.max_row == 1 + len(
        values[(values["indicator_id"] == "ae-attendances") & (values["area_type"] == "place")]
    )


def test_a_formula_in_the_outputs_never_comes_back_raw(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    outputs = copy_outputs(site_outputs, tmp_path)
    values = pd.read_csv(outputs / "indicators.csv")
    values.loc[values["area_type"] == "neighbourhood", "area_name"] = FORMULA
    values.to_csv(outputs / "indicators.csv", index=False)
    site = make_site(outputs, sqlite_url)
    with browse(site) as client:
        sign_in(client, "ana")
        base = "/indicators/ae-attendances/download/ae-attendances"
        csv = client.get(f"{base}.csv?area=neighbourhood").content.decode("utf-8-sig")
        assert f"'{FORMULA}".replace('"', '""') in csv
        assert f",{FORMULA}".replace('"', '""') not in csv
        excel = client.get(f"{base}.xlsx?area=neighbourhood").content
        sheet = openpyxl.load_workbook(io.BytesIO(excel)).active
        assert sheet is not None
        names = [sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)]
        # a text cell, never a formula ('f'): Excel shows it and does not run it
        assert names and all(c.data_type == "s" and c.value == FORMULA for c in names)
        page = client.get("/indicators/ae-attendances?area=neighbourhood").text
        assert "=HYPERLINK(&#34;http://example.invalid&#34;" in page  # escaped, as text


def test_the_overview_compares_the_place_with_england_where_the_outputs_hold_it(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    outputs = copy_outputs(site_outputs, tmp_path)
    values = pd.read_csv(outputs / "indicators.csv")
    place = values[(values["area_type"] == "place") & (values["indicator_id"] == "ae-attendances")]
    england = place.assign(
        area_type="country", area_code="E92000001", area_name="England",
        value=place["upper99_8cl"] * 1.5,  # far above: the place (lower is better) is better
    )  # fmt: skip
    pd.concat([values, england]).to_csv(outputs / "indicators.csv", index=False)
    site = make_site(outputs, sqlite_url)
    with browse(site) as client:
        sign_in(client, "ana")
        page = client.get("/").text
        rows = client.get("/api/overview").json()
    assert "Compared with England" in page and "These outputs hold no values" not in page
    verdicts = {r["indicator_id"]: r["significance"] for r in rows}
    assert verdicts["ae-attendances"] == "Better (99.8%)"
    assert verdicts["emergency-admissions"] == "Not compared"
    assert page.count("Better (99.8%)") == 1


def test_the_plans_page_lists_every_ambition_and_finding(
    analyst: TestClient, site_outputs: Path
) -> None:
    page = analyst.get("/plans").text
    summary = pd.read_csv(site_outputs / "plan_summary.csv")
    findings = pd.read_csv(site_outputs / "plan_findings.csv")
    for document in summary["document"].unique():
        assert f'id="plan-{document}"' in page
    assert f"Findings ({len(findings)})" in page
    assert page.count("nhsuk-tag--red") == (findings["severity"] == "error").sum()
    status = pd.read_csv(site_outputs / "status-one-liverpool-2019.csv")
    assert set(status["status"]) <= set(pd.Series(page.split(">")).str.split("<").str[0])


def test_the_api_gives_the_same_tables_as_the_services(
    analyst: TestClient, site_outputs: Path
) -> None:
    overview = analyst.get("/api/overview").json()
    expected = place_overview(open_outputs(site_outputs), names())
    assert [r["indicator_id"] for r in overview] == list(expected["indicator_id"])
    one = analyst.get("/api/indicators/ae-attendances?area=neighbourhood").json()
    assert one["definition"]["Name"] == load_catalogue()["ae-attendances"].name
    assert {r["area_code"] for r in one["values"]} >= {"NBSYN01"}
    assert analyst.get("/api/indicators/nothing").status_code == 404
    listed = analyst.get("/api/indicators").json()
    assert {"id": "ae-attendances", "name": "A&E attendances"} in listed
    findings = analyst.get("/api/plans/findings").json()
    assert findings[0]["severity"] == "error"
    assert len(analyst.get("/api/plans/ambitions").json()) == len(
        pd.read_csv(site_outputs / "plan_summary.csv")
    )
    schema = analyst.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/overview", "/api/indicators", "/api/indicators/{indicator_id}",
        "/api/plans/ambitions", "/api/plans/findings",
        "/api/population-health/segments", "/api/population-health/concentration",
        "/api/population-health/at-risk", "/api/population-health/case-list/{neighbourhood}",
        "/api/money/position", "/api/money/bcf", "/api/money/risks", "/api/money/investments",
        "/api/activity/plans", "/api/activity/findings", "/api/activity/demand",
    }  # fmt: skip
    analyst.cookies.clear()
    assert analyst.get("/api/openapi.json").status_code == 401


def test_a_new_run_shows_without_a_restart(
    site_outputs: Path, sqlite_url: str, tmp_path: Path
) -> None:
    outputs = copy_outputs(site_outputs, tmp_path)
    site = make_site(outputs, sqlite_url)
    with browse(site) as client:
        sign_in(client, "ana")
        before = {r["indicator_id"] for r in client.get("/api/overview").json()}
        assert "ae-attendances" in before
        assert client.get("/api/overview").json() == client.get("/api/overview").json()
        values = pd.read_csv(outputs / "indicators.csv")
        values[values["indicator_id"] != "ae-attendances"].to_csv(
            outputs / "indicators.csv", index=False
        )
        after = {r["indicator_id"] for r in client.get("/api/overview").json()}
    assert after == before - {"ae-attendances"}


def test_the_indicator_page_shows_its_charts_as_images_to_view_and_download(
    analyst: TestClient,
) -> None:
    page = analyst.get("/indicators/ae-attendances?area=neighbourhood").text
    for chart in ("compare", "trend", "inequality", "map"):
        assert f'src="/indicators/ae-attendances/charts/{chart}.svg?area=neighbourhood"' in page
    svg = analyst.get("/indicators/ae-attendances/charts/trend.svg?area=neighbourhood")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    png = analyst.get("/indicators/ae-attendances/charts/trend.png?area=neighbourhood")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    for name in ("pie.svg", "trend.pdf", "..%2Ftrend.svg", "trend.svg.png"):
        assert analyst.get(f"/indicators/ae-attendances/charts/{name}").status_code == 404, name


def test_the_overview_shows_a_spine_chart_for_the_chosen_neighbourhood(
    analyst: TestClient,
) -> None:
    page = analyst.get("/?area=NBSYN02").text
    assert 'src="/charts/spine/spine.svg?area=NBSYN02"' in page
    assert '<option value="NBSYN02" selected>' in page
    first = analyst.get("/").text
    assert 'src="/charts/spine/spine.svg?area=NBSYN01"' in first
    svg = analyst.get("/charts/spine/spine.svg?area=NBSYN02")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert b"Neighbourhood 2" in svg.content
    for bad in ("spine.svg?area=NOWHERE", "spine.pdf?area=NBSYN02", "..%2Fspine.svg?area=NBSYN02"):
        assert analyst.get(f"/charts/spine/{bad}").status_code == 404, bad
