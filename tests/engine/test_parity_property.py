"""DuckDB and Spark give the same value of every indicator on any small warehouse.

Hypothesis builds random warehouses that lean on the rules' edges (tests/engine/
random_warehouse.py); every pipeline runs on both engines and the two long tables
must match row for row: counts exactly, values and limits to 1e-9 relative, methods
and notes word for word.

Spark runs each of a pipeline's many small queries as a job, so the examples are few
(3 in the suite, each computing all 97 computed indicators on both engines;
``PLACEHEALTH_PARITY_EXAMPLES`` sets more for a longer search)
and the one session is kept for the module, with adaptive execution and whole-stage
code generation off while it runs: on tables of tens of rows they cost more than the
query (about half of the run time) and change no result.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend, _spark_session
from placehealth.engine.indicators import Context, compute_all
from tests.engine.random_warehouse import warehouses
from tests.engine.spec import PLACE, write_tables
from tests.engine.test_parity import assert_same_values

pytestmark = [pytest.mark.spark, pytest.mark.slow]

YEARS = [2015, 2016, 2017]
POOLED = [(2014, 2016), (2015, 2017)]
FAST_SMALL_QUERIES = {
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = _spark_session()
    before = {key: session.conf.get(key, None) for key in FAST_SMALL_QUERIES}
    for key, value in FAST_SMALL_QUERIES.items():
        session.conf.set(key, value)
    yield session
    for key, value in before.items():
        if value is None:
            session.conf.unset(key)
        else:
            session.conf.set(key, value)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random-warehouses")


def indicator_values(backend: Backend) -> pd.DataFrame:
    try:
        return compute_all(Context(backend, years=YEARS, pooled=POOLED, place=PLACE))
    finally:
        backend.close()


_numbers = itertools.count()


@settings(
    max_examples=int(os.environ.get("PLACEHEALTH_PARITY_EXAMPLES", "3")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables=warehouses())
def test_duckdb_and_spark_agree_on_any_small_warehouse(
    tables: dict[str, pd.DataFrame], spark: Any, folder: Path
) -> None:
    path = write_tables(folder / f"w{next(_numbers)}.duckdb", tables)
    duck = indicator_values(DuckDBBackend(path))
    assert len(duck) > 0
    assert_same_values(duck, indicator_values(SparkBackend(path, session=spark)))
