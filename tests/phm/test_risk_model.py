"""The risk model: fitted and validated on a synthetic population, its file checked on reading."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE
from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import InputFileError, ValidationError
from placehealth.phm.risk_chart import calibration_chart
from placehealth.phm.risk_fitting import fit
from placehealth.phm.risk_model import TERMS, Model, read_model, spec_hash, write_model
from placehealth.phm.risk_validation import (
    calibration_in_the_large,
    calibration_slope,
    calibration_table,
    discrimination_and_calibration,
)
from placehealth.services import risk
from placehealth.services.risk import FittedModel
from tests.phm.test_features import KEY_TEXT, synthetic_warehouse


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> tuple[FittedModel, list[tuple[Any, ...]]]:
    """The fit job on a synthetic warehouse, and the progress it reported."""
    warehouse, truth = synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")
    output = tmp_path_factory.mktemp("risk_job") / "risk-model.json"
    heard: list[tuple[Any, ...]] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_KEY, KEY_TEXT)
        mp.delenv(ENV_KEY_FILE, raising=False)
        run = risk.fit(warehouse, output, truth=truth, progress=lambda *a: heard.append(a))
    return run, heard


@pytest.fixture(scope="module")
def fitted(job: tuple[FittedModel, list[tuple[Any, ...]]]) -> Model:
    return job[0].model


def test_the_fit_job_writes_the_model_and_its_plot_and_reports_each_step(
    job: tuple[FittedModel, list[tuple[Any, ...]]],
) -> None:
    run, heard = job
    assert risk.read(run.path).coefficients == run.model.coefficients
    assert run.path.with_name("risk-model-calibration.html") in run.charts
    assert [(done, total) for _, done, total in heard] == [(k, 6) for k in range(1, 7)]
    assert heard[0][0] == "features at 2017-04-01" and heard[3][0] == "validated at 2018-04-01"
    assert heard[-1][0] == "calibration plot"
    figures = risk.figures(run.model)
    assert figures["validation_index_date"] == "2018-04-01"
    assert figures["auc"] == run.model.metrics["auc"]


@pytest.fixture
def model_file(fitted: Model, tmp_path: Path) -> Path:
    path = tmp_path / "model.json"
    write_model(fitted, path)
    return path


def test_model_discriminates_and_is_calibrated(fitted: Model) -> None:
    m = fitted.metrics
    assert 0.65 < m["auc"] <= m["best_achievable_auc"] + 0.03
    assert m["baseline_auc"] < m["auc"]
    assert 0.5 < m["calibration_slope"] < 1.5
    assert abs(m["mean_predicted"] - m["observed_rate"]) < 0.03
    assert m["ppv_top_1pc"] > m["observed_rate"]
    assert m["sensitivity_top_0_5pc"] <= m["sensitivity_top_1pc"] <= m["sensitivity_top_5pc"]
    assert sum(row["people"] for row in m["calibration_table"]) == m["validation_people"]
    assert {r["group"] for r in m["by_group"]} == {"sex", "imd_decile"}


def test_model_file_round_trip(fitted: Model, model_file: Path) -> None:
    data = json.loads(model_file.read_text())
    assert data["feature_spec_sha256"] == spec_hash()
    assert [f["name"] for f in data["features"]] == [t.name for t in TERMS]
    # no dates given: validated at the last date with a year of follow-up, fitted a year before
    assert (data["fit_index_date"], data["validation_index_date"]) == ("2017-04-01", "2018-04-01")
    back = read_model(model_file)
    assert back.coefficients == fitted.coefficients
    assert back.intercept == fitted.intercept
    assert back.metrics["auc"] == fitted.metrics["auc"]


def _edit(path: Path, change: Any) -> Path:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    return path


def test_a_feature_with_another_transform_is_named(model_file: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["features"][3]["transform"] = "log1p"

    with pytest.raises(ValidationError, match=f"'{TERMS[3].name}' differs in transform"):
        read_model(_edit(model_file, change))


def test_an_unknown_or_missing_feature_is_named(model_file: Path, tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["features"][0]["name"] = "smoking"

    with pytest.raises(ValidationError, match="'smoking' is not one this version builds"):
        read_model(_edit(model_file, rename))

    def drop(data: dict[str, Any]) -> None:
        del data["features"][-1]

    write_model(read_model_unchecked(model_file), model_file)
    with pytest.raises(ValidationError, match=f"lacks feature '{TERMS[-1].name}'"):
        read_model(_edit(model_file, drop))


def read_model_unchecked(path: Path) -> Model:
    """Back to a valid file after an edit (the coefficients do not matter here)."""
    return Model({t.name: 0.0 for t in TERMS}, 0.0, dt.date(2016, 4, 1), dt.date(2017, 4, 1))


def test_a_changed_spec_hash_is_refused(model_file: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["feature_spec_sha256"] = "0" * 64

    with pytest.raises(ValidationError, match="feature_spec_sha256"):
        read_model(_edit(model_file, change))


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="model file not found"):
        read_model(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValidationError, match="not JSON"):
        read_model(bad)
    bad.write_text('{"version": 1}')
    with pytest.raises(ValidationError, match="lacks features"):
        read_model(bad)


def test_fit_refuses_dates_outside_the_data(tmp_path_factory: pytest.TempPathFactory) -> None:
    warehouse, _ = synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")
    backend = DuckDBBackend(warehouse)
    with pytest.raises(ValidationError, match="fit index date 2015-04-01"):
        fit(backend, dt.date(2015, 4, 1))
    with pytest.raises(ValidationError, match="validation index date 2018-06-01"):
        fit(backend, dt.date(2016, 4, 1), dt.date(2018, 6, 1))
    with pytest.raises(ValidationError, match="after the fit"):
        fit(backend, dt.date(2017, 4, 1), dt.date(2016, 4, 1))


def test_calibration_slope_recovers_a_known_miscalibration() -> None:
    rng = np.random.default_rng(5)
    eta = rng.normal(-2.5, 1.2, 200_000)
    y = (rng.random(eta.size) < 1 / (1 + np.exp(-eta))).astype(float)
    true = 1 / (1 + np.exp(-eta))
    slope, intercept = calibration_slope(y, true)
    assert slope == pytest.approx(1.0, abs=0.03) and intercept == pytest.approx(0.0, abs=0.08)
    overconfident = 1 / (1 + np.exp(-(2 * eta + 2.5)))  # logit doubled about -2.5
    assert calibration_slope(y, overconfident)[0] == pytest.approx(0.5, abs=0.02)
    too_high = 1 / (1 + np.exp(-(eta + 0.4)))
    assert calibration_in_the_large(y, too_high) == pytest.approx(-0.4, abs=0.03)


def test_top_shares_and_the_calibration_table() -> None:
    y = np.array([1.0] * 10 + [0.0] * 990)
    p = np.linspace(0.99, 0.001, 1000)  # the ten events ranked first
    m = discrimination_and_calibration(y, p)
    assert m["auc"] == 1.0
    assert m["ppv_top_1pc"] == 1.0 and m["sensitivity_top_1pc"] == 1.0
    assert m["ppv_top_0_5pc"] == 1.0 and m["sensitivity_top_0_5pc"] == 0.5
    assert m["sensitivity_top_5pc"] == 1.0 and m["ppv_top_5pc"] == pytest.approx(0.2)
    assert m["share_above_50pc"] == pytest.approx(0.495, abs=0.002)
    table = calibration_table(y, p)
    assert list(table["people"]) == [100] * 10
    assert table["events"].iloc[-1] == 10 and table["events"].iloc[:-1].sum() == 0


def test_calibration_plot_written_next_to_the_model(fitted: Model, tmp_path: Path) -> None:
    written = calibration_chart(fitted, tmp_path / "risk-model-calibration")
    assert tmp_path / "risk-model-calibration.html" in written
    assert all(p.stat().st_size > 500 for p in written)
