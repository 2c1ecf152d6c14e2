"""One pipeline, two engines: DuckDB and Spark give the same indicator values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.engine.backends import DuckDBBackend, SparkBackend
from placehealth.engine.indicators import Context, compute_all
from placehealth.engine.indicators.context import VALUE_COLUMNS

pytestmark = pytest.mark.spark


KEYS = ["indicator_id", "area_type", "area_code", "period", "sex", "age_band"]
COUNTS = ["numerator", "denominator"]
LIMITS = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
WORDS = ["method", "value_note", "suppressed"]


def assert_same_values(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """The same rows: counts exactly, values and limits to 1e-9, methods and notes alike."""
    assert list(a.columns) == list(b.columns) == VALUE_COLUMNS
    a = a.sort_values(KEYS).reset_index(drop=True)
    b = b.sort_values(KEYS).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[KEYS], b[KEYS])
    for column in COUNTS:
        np.testing.assert_array_equal(
            a[column].to_numpy(float), b[column].to_numpy(float), err_msg=column
        )
    for column in LIMITS:
        np.testing.assert_allclose(
            a[column].to_numpy(float),
            b[column].to_numpy(float),
            rtol=1e-9,
            equal_nan=True,
            err_msg=column,
        )
    pd.testing.assert_frame_equal(a[WORDS], b[WORDS])


def test_duckdb_and_spark_agree_on_the_tiny_population(tiny_warehouse: Path) -> None:
    results = []
    for backend in (DuckDBBackend(tiny_warehouse), SparkBackend(tiny_warehouse)):
        ctx = Context(backend, years=[2015, 2016], pooled=[(2015, 2017)])
        results.append(compute_all(ctx))
        backend.close()
    assert len(results[0]) > 50
    assert_same_values(*results)
