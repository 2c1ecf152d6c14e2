"""The README's main job: plans, a synthetic Liverpool warehouse, its indicators, board packs."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.engine.indicators import PIPELINES
from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "--out", str(out), "--persons", "3000")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_demo_writes_summary_findings_and_board_packs(demo_out: Path) -> None:
    summary = pd.read_csv(demo_out / "plan_summary.csv")
    assert set(summary["seed"].astype(str).str.zfill(3)) == {"000", "001", "002", "003", "004"}
    findings = pd.read_csv(demo_out / "plan_findings.csv")
    assert {"id", "severity", "stated", "expected", "sources"} <= set(findings.columns)
    assert len(findings) > 20
    for name in ("ccg-2014", "one-liverpool-2019"):
        pack = demo_out / f"board-pack-{name}.pdf"
        assert pack.read_bytes()[:5] == b"%PDF-"
        assert pack.stat().st_size > 20_000


@pytest.mark.slow
def test_demo_builds_a_pseudonymised_warehouse_of_the_size_asked(demo_out: Path) -> None:
    con = duckdb.connect(str(demo_out / "liverpool.duckdb"), read_only=True)
    [(registered,)] = con.execute("select count(*) from person").fetchall()
    # --persons counts people registered in 2014; births over five years add to it
    assert 3000 <= registered <= 3000 * 1.2
    lengths = con.execute("select min(length(person_key)), max(length(person_key)) from person")
    assert lengths.fetchall() == [(64, 64)]  # HMAC-SHA256 in hex, never a ten-digit number
    con.close()


@pytest.mark.slow
def test_demo_computes_every_indicator_for_the_place(demo_out: Path) -> None:
    values = pd.read_csv(demo_out / "indicators.csv")
    place = values[values["area_type"] == "place"]
    assert place["indicator_id"].nunique() >= len(PIPELINES)
    assert set(values["area_type"]) >= {"place", "neighbourhood", "pcn", "practice", "imd_decile"}
    emergency = place[place["indicator_id"] == "emergency-admissions"]
    assert set(emergency["period"]) == {"2014/15", "2015/16", "2016/17", "2017/18", "2018/19"}
    assert (emergency["numerator"] > 0).all()


@pytest.mark.slow
def test_demo_sets_one_liverpool_against_the_warehouse_values(demo_out: Path) -> None:
    status = pd.read_csv(demo_out / "status-one-liverpool-2019.csv")
    measured = status[status["status"].isin(["on track", "off track", "not yet due"])]
    # at 3,000 people some small counts are suppressed; cancer deaths under 75 are not
    assert "premature-mortality-cancer" in set(measured["indicator"])
    assert measured["actual"].notna().all()
    # every row compares like with like, names its conversion, or says why it cannot
    assert status["comparison"].notna().all() and status["comparison"].str.len().gt(0).all()
    by_id = status.set_index("ambition")
    # the sample's infant deaths are not set against the city's 117: different populations
    assert by_id.loc["infant-deaths", "status"] == "not comparable"
    assert "population of 3,000" in by_id.loc["infant-deaths", "comparison"]
    # the engine gives life expectancy by sex (suppressed in a small sample), and no England
    # series: no persons gap to judge, and the row says why
    gap = by_id.loc["life-expectancy-gap"]
    assert gap["status"] in ("not comparable", "no data")
    assert ("for female and male, not persons" in gap["comparison"]) or (
        "no actuals for 'life-expectancy-birth' in Liverpool" in gap["comparison"]
    )
    # two overlapping pooled windows are not enough for a trend
    assert (status["forecast_verdict"] != "likely to meet").all()


@pytest.mark.slow
def test_demo_segments_scores_and_audits_only_suppressed_or_gated_outputs(demo_out: Path) -> None:
    profile = pd.read_csv(demo_out / "segments.csv")
    assert {"neighbourhood", "practice", "imd_decile"} <= set(profile["area_type"])  # the site's
    shares = pd.read_csv(demo_out / "concentration-cost-shares.csv")
    assert shares["share_of_everyone"].is_monotonic_increasing
    assert (demo_out / "concentration-cost.svg").read_text().lstrip().startswith("<svg")
    shown = profile["people"].dropna()
    assert not shown.between(1, 7).any()
    model = json.loads((demo_out / "risk-model.json").read_text())
    assert 0.5 < model["metrics"]["auc"] <= 1
    at_risk = pd.read_csv(demo_out / "at-risk-by-neighbourhood.csv")
    assert not at_risk["people"].dropna().between(1, 7).any()
    cohort = pd.read_csv(demo_out / "cohort-NBSYN01.csv")
    assert "nhs_number" not in cohort.columns  # no patient list given: pseudonymised rows only
    assert (cohort["risk"] >= 0.5).all()
    audit = [json.loads(line) for line in (demo_out / "audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["rows_released"]) for e in audit] == [
        ("summary", len(at_risk)),
        ("cohort", len(cohort)),
    ]
    # under the demo's own deployment, marked development (synthetic data only)
    assert all(e["development"] is True for e in audit)
    assert {e["deployment"] for e in audit} == {str((demo_out / "deployment.yaml").resolve())}
