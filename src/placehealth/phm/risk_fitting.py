"""Fitting the emergency-admission risk model at one index date, validated at a later one.

The coefficients come from scikit-learn on the design matrix the model's own terms
build (:func:`placehealth.phm.risk_model.design`); the validation figures from
:mod:`placehealth.phm.risk_validation`, on risks scored in the database, beside a
baseline model of prior admissions and age fitted and validated the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from placehealth.data.pseudonymise import PseudoKey, load_key
from placehealth.engine.backends import Backend
from placehealth.errors import InputFileError, ValidationError
from placehealth.periods import add_months
from placehealth.phm.features import KEY, check_index, features, index_range, outcome
from placehealth.phm.population import data_window
from placehealth.phm.risk_model import AGE_KNOTS, TERMS, Model, design
from placehealth.phm.risk_validation import validate

FIT_STEPS = 4  # the steps :func:`fit` reports: features, fitted, baseline, validated


def training_frame(
    backend: Backend, index_date: dt.date, columns: list[str] | None = None
) -> pd.DataFrame:
    """Design matrix (all terms, or ``columns``) and outcome at ``index_date``, collected
    for scikit-learn. Naming fewer columns lets the engine skip the features they ignore."""
    matrix = design(features(backend, index_date))
    if columns is not None:
        matrix = matrix.select(KEY, *columns)
    frame = matrix.join(outcome(backend, index_date), on=KEY, how="left")
    return backend.collect(frame)


def default_indexes(
    backend: Backend, fit_index: dt.date | None, validate_index: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The dates asked for, or: validate at the latest date the data allow, fit a year before."""
    if validate_index is None:
        validate_index = index_range(data_window(backend))[1]
    if fit_index is None:
        fit_index = add_months(validate_index, -12)
    return fit_index, validate_index


def fit(
    backend: Backend,
    fit_index: dt.date | None = None,
    validate_index: dt.date | None = None,
    *,
    truth: Path | None = None,
    key: PseudoKey | None = None,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Fit at ``fit_index``, validate at ``validate_index`` (scored in the database).

    Unset, they are the last two 1 Aprils-apart dates the data allow: validation at
    the latest date with 12 months of follow-up, fitting a year before it.

    ``key`` hashes the truth file's NHS numbers (default: the key ingestion
    uses). ``progress`` is told the name of each of its ``FIT_STEPS`` steps as it
    finishes.
    """
    step = progress or (lambda _: None)
    from sklearn.linear_model import LogisticRegression

    fit_index, validate_index = default_indexes(backend, fit_index, validate_index)
    window = data_window(backend)
    check_index(window, fit_index, what="fit index date")
    check_index(window, validate_index, what="validation index date")
    if validate_index <= fit_index:
        raise ValidationError(
            "the validation index date must come after the fit index date",
            hint="temporal validation: e.g. --fit-index 2016-04-01 --validate-index 2017-04-01",
        )
    if truth is not None and not truth.is_file():
        raise InputFileError("truth file not found", file=truth)
    if truth is not None and key is None:
        key = load_key()  # before the slow part: a missing key fails at once
    train = training_frame(backend, fit_index)
    step(f"features at {fit_index.isoformat()}")
    names = [t.name for t in TERMS]
    x, y = train[names].to_numpy(dtype=float), train["emergency_admission"].to_numpy()
    lr = LogisticRegression(C=100.0, solver="newton-cholesky", max_iter=200, tol=1e-10)
    lr.fit(x, y)
    model = Model(
        coefficients=dict(zip(names, (float(c) for c in lr.coef_[0]), strict=True)),
        intercept=float(lr.intercept_[0]),
        fit_index=fit_index,
        validate_index=validate_index,
    )
    step("fitted")
    baseline = _baseline_auc(train, backend, validate_index)
    step("baseline model (prior admissions and age)")
    model.metrics = validate(backend, model, truth=truth, key=key)
    step(f"validated at {validate_index.isoformat()}")
    model.metrics["baseline_auc"] = baseline
    model.metrics["fit_people"] = len(train)
    model.metrics["fit_outcome_rate"] = float(y.mean())
    return model


def _baseline_auc(train: pd.DataFrame, backend: Backend, validate_index: dt.date) -> float:
    """Prior emergency admissions in 12 months and age only, fitted and validated the same way."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    columns = ["log_emergency_12m", "age_decades", *[f"age_over_{k}" for k in AGE_KNOTS]]
    lr = LogisticRegression(solver="newton-cholesky", max_iter=200).fit(
        train[columns].to_numpy(dtype=float), train["emergency_admission"].to_numpy()
    )
    valid = training_frame(backend, validate_index, columns)
    p = lr.predict_proba(valid[columns].to_numpy(dtype=float))[:, 1]
    return float(roc_auc_score(valid["emergency_admission"], p))
