"""``placehealth phm model``: fit writes model and plot, report reads them, errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from placehealth.cli.phm_model import fit_command, report_command
from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE
from tests.phm.test_features import KEY_TEXT, synthetic_warehouse
from tests.test_cli import run_cli

JSON_KEYS = {
    "auc",
    "brier",
    "calibration_slope",
    "calibration_intercept",
    "best_achievable_auc",
    "baseline_auc",
}


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")


@pytest.fixture(scope="module")
def model_path(paths: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("phm_cli") / "risk-model.json"
    warehouse, truth = paths
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_KEY, KEY_TEXT)
        mp.delenv(ENV_KEY_FILE, raising=False)
        result = run_cli(
            "phm",
            "model",
            "fit",
            "--warehouse",
            str(warehouse),
            "--truth",
            str(truth),
            "--model",
            str(out),
        )
    assert result.returncode == 0, result.stderr
    assert "AUC (validation)" in result.stdout and "Best achievable AUC" in result.stdout
    return out


def test_fit_writes_the_model_and_its_calibration_plot(model_path: Path) -> None:
    written = json.loads(model_path.read_text())
    # no dates given: validated at the last date with 12 months of follow-up in the data
    # (which end on 2019-03-31), fitted a year before
    assert written["validation_index_date"] == "2018-04-01"
    assert written["fit_index_date"] == "2017-04-01"
    assert (model_path.parent / "risk-model-calibration.html").is_file()


def test_report_json_has_the_agreed_keys(model_path: Path) -> None:
    result = run_cli("phm", "model", "report", "--model", str(model_path), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert set(figures) >= JSON_KEYS
    assert 0.5 < figures["auc"] < 1 and figures["brier"] < 0.25
    table = run_cli("phm", "model", "report", "--model", str(model_path))
    assert "Calibration slope" in table.stdout and "Tenth" in table.stdout


def test_a_date_outside_the_data_is_one_line(paths: tuple[Path, Path], tmp_path: Path) -> None:
    result = run_cli(
        "phm",
        "model",
        "fit",
        "--warehouse",
        str(paths[0]),
        "--fit-index",
        "2014-04-01",
        "--model",
        str(tmp_path / "m.json"),
    )
    assert result.returncode != 0
    assert "fit index date 2014-04-01 is outside the data" in result.stderr
    assert "Traceback" not in result.stderr
    late = run_cli(
        "phm",
        "model",
        "fit",
        "--warehouse",
        str(paths[0]),
        "--validate-index",
        "2018-09-01",
        "--model",
        str(tmp_path / "m.json"),
    )
    assert late.returncode != 0 and "12 of follow-up" in late.stderr
    bad = run_cli("phm", "model", "fit", "--warehouse", str(paths[0]), "--fit-index", "April")
    assert bad.returncode != 0 and "is not a date" in bad.stderr
    assert not (tmp_path / "m.json").exists()


def test_missing_and_mismatching_model_files(model_path: Path, tmp_path: Path) -> None:
    missing = run_cli("phm", "model", "report", "--model", str(tmp_path / "none.json"))
    assert missing.returncode != 0 and "model file not found" in missing.stderr
    data = json.loads(model_path.read_text())
    data["features"][0]["scale"] = 1.0
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    result = run_cli("phm", "model", "report", "--model", str(changed))
    assert result.returncode != 0
    assert f"'{data['features'][0]['name']}' differs in scale" in result.stderr


def test_every_command_has_an_example() -> None:
    for command in (fit_command, report_command):
        assert any(
            line.strip().startswith("Example: ") for line in (command.__doc__ or "").splitlines()
        )
    assert "Example: " in run_cli("phm", "model", "fit", "--help").stdout


def test_truth_without_a_key_fails_before_fitting(
    paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    warehouse, truth = paths
    out = tmp_path / "model.json"
    args = ["phm", "model", "fit", "-w", str(warehouse), "--truth", str(truth), "-o", str(out)]
    result = run_cli(*args)
    assert result.returncode == 2
    assert "no pseudonymisation key" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    key_file = tmp_path / "wrong.key"
    key_file.write_text("a-different-key-of-enough-length")
    key_file.chmod(0o600)
    wrong = run_cli(*args, "--key-file", str(key_file))
    assert wrong.returncode == 2 and "found in the truth file" in wrong.stderr
