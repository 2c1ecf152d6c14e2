"""Frames for scorer tests: the same hand-made records as pandas, DuckDB and (marked) Spark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import narwhals as nw
import pandas as pd
import pytest

from placehealth.engine.backends import SparkBackend

MakeFrame = Callable[[pd.DataFrame], Any]


@pytest.fixture(scope="session")
def _spark(tmp_path_factory: pytest.TempPathFactory) -> SparkBackend:
    return SparkBackend(tmp_path_factory.mktemp("phm_spark"))


@pytest.fixture(params=["pandas", "duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def make_frame(request: pytest.FixtureRequest) -> MakeFrame:
    """A function turning a pandas frame into a native frame of the engine under test."""
    return _maker(request)


@pytest.fixture(params=["pandas", "duckdb"])
def make_local_frame(request: pytest.FixtureRequest) -> MakeFrame:
    """The same without Spark, whose plan building costs seconds a query: for the finer cases."""
    return _maker(request)


def _maker(request: pytest.FixtureRequest) -> MakeFrame:
    if request.param == "pandas":
        return lambda frame: frame
    if request.param == "duckdb":
        con = duckdb.connect()
        request.addfinalizer(con.close)
        counter = iter(range(1_000_000))

        def to_duckdb(frame: pd.DataFrame) -> Any:
            name = f"t{next(counter)}"
            con.register(name, frame)
            return con.table(name)

        return to_duckdb
    spark: SparkBackend = request.getfixturevalue("_spark")
    counter_s = iter(range(1_000_000))
    return lambda frame: spark.from_pandas(frame, f"t{next(counter_s)}").to_native()


def collect(frame: nw.LazyFrame[Any], key: str = "person_key") -> pd.DataFrame:
    """A scorer's lazy result as a pandas frame indexed by person."""
    native = frame.collect(backend="pyarrow").to_native().to_pandas()
    return native.set_index(key).sort_index()
