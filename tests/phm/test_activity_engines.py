"""A year's hospital activity per person is the same on DuckDB and Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from placehealth.engine.backends import DuckDBBackend, SparkBackend
from placehealth.phm.profiles import activity
from tests.phm.test_features import synthetic_warehouse


@pytest.mark.spark
def test_activity_is_the_same_on_spark(tmp_path_factory: pytest.TempPathFactory) -> None:
    warehouse: Path = synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")[0]
    frames = {}
    for name, backend in (("duckdb", DuckDBBackend(warehouse)), ("spark", SparkBackend(warehouse))):
        got = backend.collect(activity(backend, dt.date(2017, 4, 1)))
        frames[name] = got.sort_values("person_key").reset_index(drop=True)
        backend.close()
    assert frames["duckdb"]["bed_days"].sum() > 0
    pd.testing.assert_frame_equal(frames["duckdb"], frames["spark"], check_dtype=False)
