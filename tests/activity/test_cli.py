"""``placehealth activity show|check|project|population``: JSON, files in every format,
the accepted-findings file shared with ``plan check``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.demand.helpers import baseline_frame, projection_frame, write
from tests.test_cli import run_cli

CCG = str(ROOT / "plans" / "ccg-2014")
SEFTON = str(ROOT / "plans" / "sefton-bcf-2014")
EXAMPLES = ROOT / "examples"


def test_show_json_has_the_tables_with_their_pods_and_recomputed_totals() -> None:
    """Seed 000, 1702: A1's 2013-14 TOTAL 11,008 is the providers' sum."""
    result = run_cli("activity", "show", CCG, "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    tables = {t["table"]: t for t in shown["tables"]}
    assert tables["A7"]["pod"] == "non-elective" and len(tables) == 10
    total = next(r for r in tables["A1"]["rows"] if r["id"] == "total")
    cell = next(c for c in total["cells"] if c["column"] == "2013-14")
    assert cell["printed"] == "11,008"
    assert [(r["check"], r["value"], r["agrees"]) for r in cell["recomputed"]] == [
        ("row-sum", 11008.0, True)
    ]


def test_show_prints_tables_schemes_and_figures() -> None:
    result = run_cli("activity", "show", str(ROOT / "plans"))
    assert result.returncode == 0, result.stderr
    for text in ("A6 Total Referrals (referral)", "Schemes and the activity", "53828",
                 "Population changes", "10,723"):  # fmt: skip
        assert text in result.stdout


def test_check_reports_the_findings_and_accepts_them(tmp_path: Path) -> None:
    result = run_cli("activity", "check", CCG, "--json")
    ids = [f["id"] for f in json.loads(result.stdout)]
    assert "ccg-2014/activity/referral-split/spire-liverpool" in ids and len(ids) == 6
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "accepted:\n  - id: ccg-2014/activity/referral-split/spire-liverpool\n"
        "    reason: \"reviewed: Spire's total is St Helens's GP referrals\"\n"
    )
    for command in (("activity", "check"), ("plan", "check")):
        result = run_cli(*command, CCG, "--json", "--accepted", str(accepted))
        left = [f["id"] for f in json.loads(result.stdout)]
        assert "ccg-2014/activity/referral-split/spire-liverpool" not in left
        assert "ccg-2014/activity/referral-split/st-helens-knowsley" in left
    strict = run_cli("activity", "check", CCG, "--strict", "--severity", "error")
    assert strict.returncode == 1 and "3 activity findings" in strict.stdout


def test_help_has_examples() -> None:
    for command in ("show", "check", "project", "population"):
        result = run_cli("activity", command, "--help")
        assert "Example: placehealth activity" in result.stdout, command


def test_population_grows_sefton_as_seed_004_prints() -> None:
    """Seed 004, 206: 2011 → 2021 all ages +1% (275,000 → 277,750), 65+ 57,366 → 66,545,
    85+ 7,633 → 10,723 (Sefton's bands are fitted to the 2011 counts)."""
    result = run_cli("activity", "population", SEFTON, "--place", "sefton", "--json")
    assert result.returncode == 0, result.stderr
    frame = pd.DataFrame(json.loads(result.stdout))
    frame["start"] = frame["age_band"].str.extract(r"^(\d+)")[0].astype(int)
    last = frame[frame.year == 2021]
    assert last.population.sum() == pytest.approx(277_750)
    assert last[last.start >= 65].population.sum() == pytest.approx(66_545)
    assert last[last.start >= 85].population.sum() == pytest.approx(10_723)
    assert frame[frame.year == 2011].population.sum() == pytest.approx(275_000)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_project_writes_each_table_in_each_format(tmp_path: Path, suffix: str) -> None:
    population = tmp_path / "population.csv"
    made = run_cli("activity", "population", SEFTON, "--place", "sefton", "-o", str(population))
    assert made.returncode == 0, made.stderr
    for table in ("projection", "waterfall"):
        out = tmp_path / f"{table}{suffix}"
        result = run_cli(
            "activity", "project", "--baseline", str(EXAMPLES / "demand-baseline.csv"),
            "--year", "2014", "--projection", str(population),
            "--steps", str(EXAMPLES / "demand-steps.yaml"), "--runs", "200", "-o", str(out),
            "--table", table,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        read = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix]
        frame = read(out)
        if table == "projection":
            assert set(frame.measure) == {"activity", "bed-days", "beds"}
            assert (frame.p10 <= frame.p50).all() and (frame.p50 <= frame.p90).all()
            assert sorted(set(frame.year)) == list(range(2014, 2022))
        else:
            ne = frame[frame.pod == "non-elective"].set_index("step")["value"]
            assert ne["activity avoidance"] < 0 < ne["demographic growth"]
            assert ne.drop("projection").sum() == pytest.approx(ne["projection"], abs=0.01)


def test_project_json_charts_and_the_plans_beside(tmp_path: Path) -> None:
    """A baseline in 2014 and a projection over 2014–2016 meet seed 000's plans
    (2014-15, 2015-16 and 2016-17 columns); the fan chart shows the first pod compared."""
    base = baseline_frame({("non-elective", "70-74"): 50_000.0, ("op-first", "40-44"): 150_000.0},
                          pods=("op-first", "non-elective"))  # fmt: skip
    write(base, tmp_path / "b.csv")
    write(projection_frame({2014: {}, 2015: {"70-74": 1.01}, 2016: {"70-74": 1.02}}),
          tmp_path / "p.csv")  # fmt: skip
    fan, steps = tmp_path / "fan.svg", tmp_path / "waterfall.html"
    result = run_cli(
        "activity", "project", "--baseline", str(tmp_path / "b.csv"), "--projection",
        str(tmp_path / "p.csv"), "--plan", CCG, "--runs", "50", "--json", "--chart", str(fan),
        "--waterfall", str(steps),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    beside = pd.DataFrame(shown["plan"])
    assert set(beside.table) == {"A7", "A8"} and set(beside.year) == {2014, 2015, 2016}
    a7 = beside[(beside.table == "A7") & (beside.year == 2014)].iloc[0]
    assert a7.plan == 50_812  # seed 000, 2463
    assert a7.plan_vs_p50_pct == pytest.approx((50_812 / a7.p50 - 1) * 100)
    assert "<svg" in fan.read_text() and "op-first" in fan.read_text()
    assert "vega" in steps.read_text().lower()


def test_a_folder_without_activity_is_refused_by_show_and_population(tmp_path: Path) -> None:
    shown = run_cli("activity", "show", str(tmp_path))
    assert shown.returncode == 2 and "no activity plans found" in shown.stderr
    made = run_cli("activity", "population", CCG)
    assert made.returncode == 2 and "no population projection found" in made.stderr
    # and plan check of a folder without activity/ is unchanged (no activity findings)
    assert run_cli("activity", "check", str(tmp_path), "--json").stdout.strip() == "[]"
