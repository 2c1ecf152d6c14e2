"""The emergency-admission risk model as jobs: fit it on a warehouse, read a model file back.

Fitting opens the warehouse on the engine asked for, fits and validates the model
(:mod:`placehealth.phm.risk_fitting`), and writes the model file with its calibration
plot beside it (``<model>-calibration.html``, and ``.png`` and ``.svg`` where they can
be drawn). The truth file's key is read before the warehouse is opened, so a missing
key fails at once rather than after the slow part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.services.progress import Progress, counted

if TYPE_CHECKING:
    from placehealth.phm.risk_model import Model

DEFAULT_ENGINE = "duckdb"


@dataclass(frozen=True)
class FittedModel:
    """A fitted and validated model, the model file written and its calibration plots."""

    model: Model
    path: Path
    charts: list[Path]


def fit(
    warehouse: Path,
    output: Path,
    *,
    fit_index: dt.date | None = None,
    validate_index: dt.date | None = None,
    truth: Path | None = None,
    key_file: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: Progress | None = None,
) -> FittedModel:
    """Fit at ``fit_index``, validate at the later ``validate_index`` (default: the latest
    date the data allow, and a year before it), write the model to ``output``.

    With ``truth`` (the synthetic population's true probabilities) the validation adds
    the best achievable AUC; its NHS numbers are hashed with the key in ``key_file``
    (default: the key ingestion uses).
    """
    from placehealth.data.pseudonymise import load_key
    from placehealth.engine import open_backend
    from placehealth.phm import risk_fitting
    from placehealth.phm.risk_chart import calibration_chart
    from placehealth.phm.risk_model import write_model

    key = load_key(key_file) if truth is not None else None
    step = counted(progress, risk_fitting.FIT_STEPS + 2)
    backend = open_backend(engine, warehouse)
    try:
        model = risk_fitting.fit(
            backend, fit_index, validate_index, truth=truth, key=key, progress=step
        )
    finally:
        backend.close()
    write_model(model, output)
    step("model written")
    charts = calibration_chart(model, output.with_name(output.stem + "-calibration"))
    step("calibration plot")
    return FittedModel(model, output, charts)


def read(path: Path) -> Model:
    """A model file, checked against the features this version builds."""
    from placehealth.phm.risk_model import read_model

    return read_model(path)


def figures(model: Model) -> dict[str, Any]:
    """The model's two index dates and its validation figures, as one flat record."""
    return {
        "fit_index_date": model.fit_index.isoformat(),
        "validation_index_date": model.validate_index.isoformat(),
        **model.metrics,
    }
