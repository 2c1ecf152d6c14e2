"""``placehealth demo --place sefton``: the whole job on a small synthetic Sefton.

Its warehouse, indicator values, plan status, segments, case list and board pack are
Sefton's: the place-level rows are named Sefton, the neighbourhoods are its localities
with its own synthetic codes, and the plan set against the values is Sefton's Better
Care Fund plan (seed 004), not a Liverpool one.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.places import packaged_places
from tests.test_cli import run_cli

PERSONS = 1_500


@pytest.fixture(scope="module")
def sefton(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sefton")
    result = run_cli(
        "demo", "--place", "sefton", "--output", str(out), "--persons", str(PERSONS),
        "--no-site-charts",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_the_warehouse_is_sefton_with_its_localities(sefton: Path) -> None:
    assert not list(sefton.glob("*liverpool*"))
    con = duckdb.connect(str(sefton / "sefton.duckdb"), read_only=True)
    places = con.execute("SELECT DISTINCT place FROM geo_lsoa").fetchall()
    rows = con.execute("SELECT DISTINCT neighbourhood_name FROM geo_lsoa").fetchall()
    lsoa = con.execute("SELECT min(lsoa_name) FROM geo_lsoa").fetchall()
    [(practices,)] = con.execute("SELECT count(*) FROM geo_practice").fetchall()
    [(registered,)] = con.execute("SELECT count(*) FROM person").fetchall()
    con.close()
    assert places == [("Sefton",)]
    names = {r[0] for r in rows}
    assert len(names) == 8
    assert {"Bootle (synthetic)", "Formby (synthetic)", "Central Southport (synthetic)"} <= names
    assert lsoa == [("Sefton 001 (synthetic)",)]
    assert practices == 54  # seed 004, 202
    assert PERSONS <= registered <= PERSONS * 1.2


def test_indicators_and_segments_name_sefton_areas(sefton: Path) -> None:
    values = pd.read_csv(sefton / "indicators.csv")
    assert set(values.loc[values["area_type"] == "place", "area_code"]) == {"Sefton"}
    neighbourhoods = set(values.loc[values["area_type"] == "neighbourhood", "area_code"])
    assert neighbourhoods == {f"NBSYNSF{i:02d}" for i in range(1, 9)}
    profile = pd.read_csv(sefton / "segments.csv")
    assert set(profile.loc[profile["area_type"] == "place", "area_code"]) == {"Sefton"}
    assert set(profile.loc[profile["area_type"] == "neighbourhood", "area_code"]) <= neighbourhoods


def test_sefton_plan_status_and_board_pack(sefton: Path) -> None:
    status = pd.read_csv(sefton / "status-sefton-bcf-2014.csv")
    assert set(status["document"]) == {"sefton-bcf-2014"}
    assert set(status["area"]) <= {"Sefton", "South Sefton CCG", "Southport and Formby CCG"}
    assert "Sefton" in set(status["area"])
    pack = sefton / "board-pack-sefton-bcf-2014.pdf"
    assert pack.read_bytes()[:5] == b"%PDF-"
    assert [p.name for p in sefton.glob("board-pack-*.pdf")] == [pack.name]


def test_the_case_list_is_for_a_sefton_neighbourhood(sefton: Path) -> None:
    cohort = pd.read_csv(sefton / "cohort-NBSYNSF01.csv")
    assert (cohort["risk"] >= 0.5).all()
    assert cohort["practice_code"].str.startswith("SYNSF").all()
    audit = [json.loads(line) for line in (sefton / "audit.jsonl").read_text().splitlines()]
    assert [e["neighbourhood"] for e in audit] == [None, "NBSYNSF01"]


@pytest.mark.slow
def test_a_place_without_plans_says_so(tmp_path: Path) -> None:
    text = packaged_places()["sefton"].read_text(encoding="utf-8")
    text = text.replace("id: sefton", "id: elsewhere").replace("name: Sefton", "name: Elsewhere")
    text = text.replace(
        "  plans: [sefton-bcf-2014]\n  status_plan: sefton-bcf-2014\n", "  plans: []\n"
    )
    place = tmp_path / "elsewhere.yaml"
    place.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "demo", "--place", str(place), "--output", str(out), "--persons", "1000",
        "--no-site-charts",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no plans for Elsewhere" in result.stdout
    assert not list(out.glob("board-pack-*")) and not list(out.glob("status-*"))
    values = pd.read_csv(out / "indicators.csv")
    assert set(values.loc[values["area_type"] == "place", "area_code"]) == {"Elsewhere"}


def test_without_site_charts_the_run_leaves_them_to_the_site(sefton: Path) -> None:
    """--no-site-charts: no charts folder; the site draws each chart when first asked."""
    from placehealth.services.site_outputs import open_outputs
    from placehealth.web.charts import chart_image

    assert not (sefton / "charts").exists()
    outputs = open_outputs(sefton)
    indicator = str(outputs.indicators["indicator_id"].iloc[0])
    image = chart_image(outputs, indicator, "neighbourhood", "trend", "svg")
    assert image is not None and image.lstrip().startswith(b"<svg")
