"""``placehealth phm segments | concentration | allocate`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from placehealth.phm.profiles import COUNTS
from placehealth.phm.segments import SEGMENTS
from tests.phm.test_segments import synthetic_warehouse
from tests.test_cli import run_cli


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_warehouse(tmp_path_factory)


def test_segments_prints_the_table_and_writes_a_suppressed_profile(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "profile.csv"
    result = run_cli(
        "phm", "segments", "--warehouse", str(warehouse), "--by", "neighbourhood", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Long-term" in result.stdout and "Healthy" in result.stdout
    assert "bed-days" in result.stdout
    profile = pd.read_csv(out)
    assert set(profile["area_type"]) == {"neighbourhood", "place"}
    assert set(profile["segment"]) == {*SEGMENTS, "all"}
    assert not profile[list(COUNTS)].stack().between(1, 7).any()


def test_segments_json(warehouse: Path, tmp_path: Path) -> None:
    result = run_cli(
        "phm", "segments", "-w", str(warehouse), "--index-date", "2017-04-01", "--json",
        "--period", "before", "-o", str(tmp_path / "p.parquet"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["index_date"] == "2017-04-01" and data["period"] == "before"
    assert [row["segment"] for row in data["shares"]] == list(SEGMENTS)
    shares = [row["share_of_people"] for row in data["shares"] if row["share_of_people"]]
    # shares of counts each rounded to 5 (docs/disclosure.md): off by at most 2.5 per segment
    people = sum(row["people"] for row in data["shares"] if row["people"])
    assert sum(shares) == pytest.approx(1.0, abs=2.5 * (len(SEGMENTS) + 1) / people)
    assert (tmp_path / "p.parquet").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--index-date", "2013-04-01"], "outside the data"),
        (["--index-date", "2019-04-01"], "outside the data"),
        (["--index-date", "first of April"], "is not a date"),
        (["--by", "ward"], "unknown --by"),
        (["--period", "during"], "unknown --period"),
    ],
)
def test_segments_bad_input_exits_with_a_hint(
    warehouse: Path, args: list[str], message: str
) -> None:
    result = run_cli("phm", "segments", "-w", str(warehouse), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "(" in result.stderr  # the hint
    assert "Traceback" not in result.stderr


def test_segments_missing_warehouse(tmp_path: Path) -> None:
    result = run_cli("phm", "segments", "-w", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert "warehouse not found" in result.stderr


def test_concentration_prints_top_shares_and_writes_the_lorenz_curve(
    warehouse: Path, tmp_path: Path
) -> None:
    curve, chart = tmp_path / "lorenz.csv", tmp_path / "lorenz.html"
    result = run_cli(
        "phm", "concentration", "-w", str(warehouse), "--measure", "bed_days",
        "--year", "2017/18", "-o", str(curve), "--chart", str(chart),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "11.0%" in result.stdout
    lorenz = pd.read_csv(curve)
    assert lorenz["people_share"].iloc[0] == 0 and lorenz["quantity_share"].iloc[-1] == 1
    assert lorenz["quantity_share"].is_monotonic_increasing
    assert chart.exists()


def test_concentration_json_and_bad_input(warehouse: Path) -> None:
    result = run_cli("phm", "concentration", "-w", str(warehouse), "--measure", "ae", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    top = data["top_share_people"]
    assert top["0.005"] <= top["0.11"] <= top["0.2"] <= 1
    assert data["patients"] <= data["people"]
    for args, message in (
        (["--measure", "beds"], "unknown --measure"),
        (["--year", "2013/14"], "outside the data"),
        (["--year", "2017"], "cannot read financial year"),
    ):
        bad = run_cli("phm", "concentration", "-w", str(warehouse), *args)
        assert bad.returncode == 2 and message in bad.stderr


@pytest.mark.parametrize("need", ["deprivation", "activity", "combined"])
def test_allocate_shares_out_the_whole_budget(warehouse: Path, tmp_path: Path, need: str) -> None:
    out = tmp_path / "allocation.csv"
    result = run_cli(
        "phm", "allocate", "-w", str(warehouse), "--budget", "1000000", "--need", need,
        "--universal-share", "0.5", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    assert table["allocation"].sum() == 1_000_000
    assert (table["allocation"] == table["allocation"].round()).all()
    fair = 1_000_000 * table["population"] / table["population"].sum()
    assert (table["allocation"] >= 0.5 * fair - 1).all()  # the universal floor


def test_allocate_bad_input(warehouse: Path) -> None:
    for args, message in (
        (["--budget", "1000", "--need", "wealth"], "unknown --need"),
        (["--budget", "1000", "--universal-share", "1.5"], "universal share"),
        (["--budget", "-5"], "budget"),
    ):
        result = run_cli("phm", "allocate", "-w", str(warehouse), *args)
        assert result.returncode == 2, args
        assert message in result.stderr


@pytest.mark.parametrize("command", ["segments", "concentration", "allocate"])
def test_help_has_an_example(command: str) -> None:
    result = run_cli("phm", command, "--help")
    assert result.returncode == 0
    assert "Example: placehealth phm " + command in result.stdout


def test_segments_warns_when_the_year_after_runs_past_the_data(
    warehouse: Path, tmp_path: Path
) -> None:
    late = run_cli(
        "phm", "segments", "-w", str(warehouse), "--index-date", "2018-10-01",
        "--by", "imd_decile", "-o", str(tmp_path / "late.csv"),
    )  # fmt: skip
    assert late.returncode == 0, late.stderr
    assert "less than 12 months" in " ".join(late.stdout.split())
