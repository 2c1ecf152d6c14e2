"""The ingest and synth commands as a user meets them: one clear line and exit 2 on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE
from tests.data.conftest import KEY, geography_csv, write_csv
from tests.test_cli import Result, run_cli, run_process


def one_line_error(result: Result, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert KEY not in result.stdout + result.stderr


def test_no_key_in_a_real_process(extract: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    result = run_process("ingest", str(extract), "--warehouse", str(tmp_path / "w.duckdb"))
    one_line_error(result, "no pseudonymisation key", "PLACEHEALTH_PSEUDO_KEY")
    assert not (tmp_path / "w.duckdb").exists()


def test_missing_column(tmp_path: Path, key: object) -> None:
    geography_csv(tmp_path / "in")
    write_csv(tmp_path / "in", "person", "nhs_number,sex,birth_month,lsoa,practice_code",
              "9434765919,F,1950-03,E01SYN001,SYN001")  # fmt: skip
    result = run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "person.csv", "missing column 'death_date'")
    assert not (tmp_path / "w.duckdb").exists()


def test_unreadable_files(extract: Path, tmp_path: Path, key: object) -> None:
    (extract / "death.parquet").write_bytes(b"\x00\x01 not parquet at all")
    result = run_cli("ingest", str(extract), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "death.parquet", "not a readable Parquet file")
    (extract / "death.parquet").unlink()
    (extract / "death.csv").write_bytes(b"nhs_number,date_of_death\n\xff\xfe\x00bad\n")
    result = run_cli("ingest", str(extract), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "death.csv")
    (extract / "death.csv").write_bytes(b"")
    result = run_cli("ingest", str(extract), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "death.csv", "empty")


def test_malformed_csv_row_does_not_echo_the_row(tmp_path: Path, key: object) -> None:
    geography_csv(tmp_path / "in")
    write_csv(tmp_path / "in", "person", "nhs_number,sex,birth_month,death_date,lsoa,practice_code",
              "9434765919,F,1950-03,,E01SYN001,SYN001", "4010232137,M,1940-07")  # fmt: skip
    result = run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "person.csv", "malformed CSV")
    assert "4010232137" not in result.stderr


def test_unknown_file_name_and_empty_folder(tmp_path: Path, key: object) -> None:
    write_csv(tmp_path / "in", "patients", "a,b", "1,2")
    one_line_error(run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb")),
                   "patients.csv", "not named after a table")  # fmt: skip
    (tmp_path / "empty").mkdir()
    one_line_error(run_cli("ingest", str(tmp_path / "empty"), "-w", str(tmp_path / "w.duckdb")),
                   "no extract files")  # fmt: skip
    one_line_error(run_cli("ingest", str(tmp_path / "nope"), "-w", str(tmp_path / "w.duckdb")),
                   "no such folder")  # fmt: skip


def test_ingest_prints_the_load_and_the_report(tmp_path: Path, key: object) -> None:
    geography_csv(tmp_path / "in")
    write_csv(tmp_path / "in", "person", "nhs_number,sex,birth_month,death_date,lsoa,practice_code",
              "9434765919,F,1950-03,,E01SYN001,SYN001",
              "9434765918,M,1940-07,,E01SYN001,SYN001")  # fmt: skip
    result = run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb"), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    person = next(f for f in summary["files"] if f["table"] == "person")
    assert (person["rows_added"], person["rows_quarantined"]) == (1, 1)
    assert Path(summary["quarantine_report"]).exists()
    again = run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb"))
    assert again.returncode == 0 and "skipped" in again.stdout


def test_synth_refuses_bad_options(tmp_path: Path) -> None:
    one_line_error(run_cli("synth", "--persons", "10", "--out", str(tmp_path)), "--persons")
    one_line_error(run_cli("synth", "--persons", "2000", "--format", "xlsx", "--out",
                           str(tmp_path)), "unknown format")  # fmt: skip
    one_line_error(run_cli("synth", "report", str(tmp_path)), "manifest.json")


def test_synth_then_report_then_ingest(tmp_path: Path, key: object) -> None:
    out = tmp_path / "synth"
    made = run_cli(
        "synth", "--persons", "2000", "--seed", "4", "--out", str(out), "--format", "csv"
    )
    assert made.returncode == 0, made.stderr
    assert (out / "person.csv").exists() and (out / "truth" / "emergency_risk.parquet").exists()
    report = run_cli("synth", "report", str(out), "--no-noise")
    assert report.returncode == 0, report.stderr
    assert "Life expectancy at birth" in report.stdout and "targets within ±10%" in report.stdout
    rows = json.loads(run_cli("synth", "report", str(out), "--no-noise", "--json").stdout)
    assert {r["id"] for r in rows} >= {"registered", "life_expectancy", "high_risk"}
    loaded = run_cli("ingest", str(out), "-w", str(tmp_path / "w.duckdb"), "--json", "--synthetic")
    assert loaded.returncode == 0, loaded.stderr
    files = json.loads(loaded.stdout)["files"]
    assert all(f["rows_quarantined"] == 0 for f in files)
    assert "truth" not in {f["table"] for f in files}
    shutil.rmtree(out)
