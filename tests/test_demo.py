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
    # the site's charts are drawn and tested in tests/web/test_site_charts.py
    result = run_cli("demo", "--out", str(out), "--persons", "3000", "--no-site-charts")
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
    values = pd.read_csv(demo_out / "indicators.csv")
    place = values[(values["area_type"] == "place") & (values["sex"] == "persons")]
    # at 3,000 people some premature deaths are too few for a rate or are suppressed:
    # each such ambition has no data and says so; the others are judged on the value
    premature = status[status["indicator"].str.startswith("premature-mortality")]
    assert len(premature) == 3
    for row in premature.itertuples():
        shown = place[(place["indicator_id"] == row.indicator) & place["value"].notna()]
        if shown.empty:
            assert row.status == "no data"
            assert f"no actuals for '{row.indicator}'" in row.comparison
        else:
            latest = shown.sort_values("period").iloc[-1]
            assert row.status in ("on track", "off track", "not yet due")
            assert (row.latest_period, row.actual) == (latest["period"], latest["value"])
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


PLANS = Path(__file__).resolve().parents[1] / "plans"


@pytest.mark.slow
def test_demo_writes_the_money_as_its_commands_compute_it(demo_out: Path) -> None:
    from placehealth.services import bcf, finance, risks

    position = pd.read_csv(demo_out / "finance-position-ccg-2014.csv")
    model = finance.position_model(PLANS / "ccg-2014", [])
    first = model["years"][0]
    surplus = position[(position["row"] == "surplus") & (position["column"] == "total")]
    assert surplus["printed"].tolist()[0] == 14.8  # seed 000, 5189-5193
    assert surplus["derived"].tolist() == pytest.approx(
        [y["rows"][-1]["derived"][2] for y in model["years"]]
    )
    headroom = position.set_index(["period", "row"]).loc[(first["period"], "investment_headroom")]
    assert headroom["derived"] == pytest.approx(first["investment_headroom"]["derived"])

    paid = pd.read_csv(demo_out / "bcf-payment.csv")
    for plan in bcf.payment(PLANS):
        mine = paid[paid["document"] == plan["document"]]
        assert mine["at_stake"].sum() == pytest.approx(plan["at_stake"])
    assert set(paid["document"]) == {"ccg-2014", "sefton-bcf-2014"}
    assert set(pd.read_csv(demo_out / "bcf-pool.csv")["document"]) == set(paid["document"])

    register = pd.read_csv(demo_out / "risks.csv")
    expected = pd.DataFrame(risks.table(PLANS)["risks"])
    assert len(register) == len(expected)
    assert register["score"].sum() == pytest.approx(expected["score"].sum())
    assert (demo_out / "risk-heatmap.svg").read_text().lstrip().startswith("<svg")

    ranked = pd.read_csv(demo_out / "investments-blueprint-2015.csv")
    service = finance.investments(PLANS / "blueprint-2015")["proposals"]
    assert ranked["id"].tolist() == [p["id"] for p in service]
    assert ranked["bought"].tolist() == [p["bought"] for p in service]


@pytest.mark.slow
def test_demo_checks_the_activity_plans_and_projects_demand(demo_out: Path) -> None:
    from placehealth.services import activity

    findings = pd.read_csv(demo_out / "activity-findings.csv")
    assert sorted(findings["id"]) == sorted(f.id for f in activity.check(PLANS).findings)
    projection = pd.read_csv(demo_out / "demand-projection.csv")
    assert {"measure", "pod", "year", "p10", "p50", "p90"} <= set(projection.columns)
    assert (projection["p10"] <= projection["p50"]).all()
    assert (projection["p50"] <= projection["p90"]).all()
    population = pd.read_csv(demo_out / "demand-population.csv")
    assert population["year"].nunique() > 1 and (population["population"] > 0).all()
    for chart in ("demand-fan.svg", "demand-waterfall.svg"):
        assert (demo_out / chart).read_text().lstrip().startswith("<svg")
    beside = pd.read_csv(demo_out / "demand-plan.csv")
    assert {"pod", "plan", "p50", "within_p10_p90"} <= set(beside.columns) and len(beside) > 0
    actual = pd.read_csv(demo_out / "activity-actual.csv")
    assert {"provider", "pod", "month", "plan", "actual"} <= set(actual.columns)
    assert (actual["month"] == "all").any()
    # 3,000 synthetic people against plans for Liverpool's 500,000: a 0.6% share of the plan
    assert (actual["plan_share"] == 3_000 / 500_000).all()
    planned = actual["plan"].notna()
    scaled = actual.loc[planned, "place_plan"] * 3_000 / 500_000
    # both written to three decimals
    assert list(actual.loc[planned, "plan"]) == pytest.approx(list(scaled), abs=1e-3)


@pytest.mark.slow
def test_demo_board_pack_has_the_money_pages(demo_out: Path) -> None:
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(demo_out / "board-pack-ccg-2014.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for heading in ("Financial position against plan", "Investments", "Better Care Fund and risks",
                    "Activity against plan and projected demand", "Projected demand"):  # fmt: skip
        assert heading in text


def fed_from_records(plan: Path, values: pd.DataFrame, *, counts: bool) -> int:
    """Ambitions whose measure (or the one its same-measure note names) has place values,
    counted from records.yaml and the plan files directly."""
    import yaml

    from placehealth.catalogue import load_catalogue
    from placehealth.catalogue.model import Aggregation
    from placehealth.plans.load import load_plans

    given = yaml.safe_load(Path("src/placehealth/catalogue/records.yaml").read_text())
    same = {k: v["note"].split()[0].rstrip(",") for k, v in given["not_computed"].items()
            if v["reason"] == "same_measure"}  # fmt: skip
    place = values[(values["area_type"] == "place") & values["value"].notna()]
    measured = set(zip(place["indicator_id"], place["area_code"], strict=True))
    catalogue = load_catalogue()
    n = 0
    for p in load_plans(plan):
        for a in p.ambitions:
            indicator = catalogue[a.indicator]
            measure = indicator.gap_of or a.indicator
            kind = catalogue[measure].kind
            is_count = kind in (Aggregation.FLOW_COUNT, Aggregation.STOCK_COUNT)
            n += (same.get(measure, measure), a.area or p.document.area) in measured and (
                counts or not is_count
            )
    return n


@pytest.mark.slow
def test_demo_feeds_the_status_and_packs_from_records_where_they_measure(demo_out: Path) -> None:
    from placehealth.catalogue import load_catalogue

    catalogue = load_catalogue()
    values = pd.read_csv(demo_out / "indicators.csv")
    plans = Path("plans")
    for name, counts in [("one-liverpool-2019", True), ("ccg-2014", False)]:
        prefix = "record-actuals" if counts else "actuals"
        sources = pd.read_csv(demo_out / f"sources-{prefix}-{name}.csv")
        fed = sources[sources["source"] == "records"]
        assert len(fed) == fed_from_records(plans / name, values, counts=counts) > 0
        actuals = pd.read_csv(demo_out / f"{prefix}-{name}.csv")
        measures = {catalogue[i].gap_of or i for i in fed["indicator"]}
        assert measures == set(actuals.loc[actuals["source"] == "records", "indicator"])
    pack = pd.read_csv(demo_out / "actuals-ccg-2014.csv")
    assert pack["synthetic"].all() and {"records", "stand-in"} == set(pack["source"])
