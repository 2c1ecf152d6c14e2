"""One pipeline, two engines: DuckDB and Spark give the same indicator values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.engine.backends import DuckDBBackend, SparkBackend
from placehealth.engine.indicators import Context, compute_all

pytestmark = pytest.mark.spark


def assert_same_values(a: pd.DataFrame, b: pd.DataFrame) -> None:
    keys = ["indicator_id", "area_type", "area_code", "period", "sex", "age_band"]
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[keys], b[keys])
    for column in ["numerator", "denominator"]:
        np.testing.assert_array_equal(a[column].to_numpy(), b[column].to_numpy())
    for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]:
        np.testing.assert_allclose(
            a[column].to_numpy(float), b[column].to_numpy(float), rtol=1e-9, equal_nan=True
        )


def test_duckdb_and_spark_agree_on_the_tiny_population(tiny_warehouse: Path) -> None:
    results = []
    for backend in (DuckDBBackend(tiny_warehouse), SparkBackend(tiny_warehouse)):
        ctx = Context(backend, years=[2015, 2016], pooled=[(2015, 2017)])
        results.append(compute_all(ctx))
        backend.close()
    assert len(results[0]) > 50
    assert_same_values(*results)
