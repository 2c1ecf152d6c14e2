"""Scoring the whole population in the database: intercept + Σ coefficient·term, logistic link.

The model's terms compile to one Narwhals expression, so DuckDB or Spark scores
every person where the data lives; no row comes back to Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw

from placehealth.engine.backends import Backend
from placehealth.phm.features import KEY, check_index, features
from placehealth.phm.population import data_window
from placehealth.phm.risk_model import Model


def linear_predictor(model: Model) -> nw.Expr:
    """intercept + Σ coefficient·term, over the feature columns."""
    total: nw.Expr = nw.lit(model.intercept)
    for term in model.terms:
        total = total + term.expr() * model.coefficients[term.name]
    return total


def risk_expr(model: Model) -> nw.Expr:
    """The predicted probability: 1 / (1 + e^(−η)), written to stay exact at both tails."""
    eta = linear_predictor(model)
    # e^(−|η|) never overflows; the two branches are the same function
    small = (-eta.abs()).exp()
    return (
        nw.when(eta >= 0).then(1.0 / (1.0 + small)).otherwise(small / (1.0 + small)).alias("risk")
    )


def score_features(frame: nw.LazyFrame[Any], model: Model) -> nw.LazyFrame[Any]:
    """[person_key, risk] for a feature frame already built."""
    return frame.select(KEY, risk_expr(model))


def score(backend: Backend, model: Model, index_date: dt.date) -> nw.LazyFrame[Any]:
    """[person_key, risk] for everyone alive and registered on ``index_date``."""
    check_index(data_window(backend), index_date, follow_up=False)
    return score_features(features(backend, index_date), model)
