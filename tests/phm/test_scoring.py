"""In-database scoring equals scikit-learn's predict_proba, on DuckDB and on Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend
from placehealth.errors import ValidationError
from placehealth.phm.features import features
from placehealth.phm.risk_fitting import training_frame
from placehealth.phm.risk_model import TERMS, Model
from placehealth.phm.scoring import risk_expr, score
from tests.phm.test_features import synthetic_warehouse

INDEX = dt.date(2016, 4, 1)
NAMES = [t.name for t in TERMS]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")[0]


@pytest.fixture(scope="module")
def sklearn_model(warehouse: Path) -> tuple[LogisticRegression, pd.DataFrame]:
    """A model fitted directly with scikit-learn, and the design matrix it is checked on."""
    backend = DuckDBBackend(warehouse)
    train = training_frame(backend, INDEX).set_index("person_key").sort_index()
    backend.close()
    lr = LogisticRegression(C=10.0, solver="newton-cholesky", max_iter=100)
    lr.fit(train[NAMES].to_numpy(float), train["emergency_admission"])
    return lr, train


def _as_model(lr: LogisticRegression) -> Model:
    coefficients = dict(zip(NAMES, (float(c) for c in lr.coef_[0]), strict=True))
    return Model(coefficients, float(lr.intercept_[0]), INDEX, dt.date(2017, 4, 1))


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest, warehouse: Path) -> Backend:
    made: Backend = (
        DuckDBBackend(warehouse) if request.param == "duckdb" else SparkBackend(warehouse)
    )
    request.addfinalizer(made.close)
    return made


def test_in_database_risk_equals_predict_proba(
    backend: Backend, sklearn_model: tuple[LogisticRegression, pd.DataFrame]
) -> None:
    lr, train = sklearn_model
    scored = backend.collect(score(backend, _as_model(lr), INDEX)).set_index("person_key")
    scored = scored.sort_index()
    assert list(scored.columns) == ["risk"]
    assert list(scored.index) == list(train.index)
    expected = lr.predict_proba(train[NAMES].to_numpy(float))[:, 1]
    np.testing.assert_allclose(scored["risk"].to_numpy(), expected, rtol=1e-9, atol=1e-9)


def test_the_logistic_link_is_exact_in_both_tails() -> None:
    import duckdb
    import narwhals as nw

    model = Model(
        {t.name: (1.0 if t.name == "age_decades" else 0.0) for t in TERMS},
        0.0,
        INDEX,
        dt.date(2017, 4, 1),
    )
    frame = pd.DataFrame({"age": [-400.0, -10.0, 0.0, 10.0, 400.0]})
    con = duckdb.connect()
    con.register("f", frame)
    named = {t.column: 0.0 for t in TERMS if t.column != "age"}
    lazy = nw.from_native(con.table("f")).with_columns(**{k: nw.lit(v) for k, v in named.items()})
    risk = lazy.select(risk_expr(model)).collect().to_native().to_pandas()["risk"].to_numpy()
    eta = frame["age"].to_numpy() / 10
    expected = 1 / (1 + np.exp(-eta))
    np.testing.assert_allclose(risk, expected, rtol=1e-12, atol=0)
    assert risk[0] > 0  # e^-40 is not rounded to nothing


def test_scoring_refuses_a_date_without_history(warehouse: Path) -> None:
    backend = DuckDBBackend(warehouse)
    with pytest.raises(ValidationError, match="24 months of history"):
        score(backend, Model({}, 0.0, INDEX, INDEX), dt.date(2015, 1, 1))
    assert backend.collect(features(backend, dt.date(2019, 4, 1))).shape[0] > 0
