"""DuckDB and Spark give the same values by deprivation on any small warehouse.

The random warehouses of tests/engine/random_warehouse.py (conditions, deaths and
people on the rules' edges); life expectancy and condition-free life expectancy by
decile and quintile on both engines must match row for row (counts exactly, values
and limits to 1e-9 relative, notes word for word).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend
from placehealth.engine.indicators import Context
from placehealth.engine.inequalities import by_deprivation
from tests.engine.random_warehouse import warehouses
from tests.engine.spec import PLACE, write_tables
from tests.engine.test_parity import assert_same_values
from tests.engine.test_parity_property import POOLED, YEARS, spark  # noqa: F401 (fixture)

pytestmark = [pytest.mark.spark, pytest.mark.slow]
_numbers = itertools.count()


def deprivation(backend: Backend) -> pd.DataFrame:
    try:
        return by_deprivation(Context(backend, years=YEARS, pooled=POOLED, place=PLACE))
    finally:
        backend.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random-deprivation")


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(tables=warehouses())
def test_duckdb_and_spark_agree_by_deprivation(
    tables: dict[str, pd.DataFrame],
    spark: Any,  # noqa: F811
    folder: Path,
) -> None:
    path = write_tables(folder / f"w{next(_numbers)}.duckdb", tables)
    duck = deprivation(DuckDBBackend(path))
    assert set(duck["area_type"]) >= {"place"}
    assert_same_values(duck, deprivation(SparkBackend(path, session=spark)))
