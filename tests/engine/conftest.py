"""Engines for pipeline tests: DuckDB always; Spark in the same run (marked ``spark``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend
from tests.engine.tiny import write_warehouse


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_warehouse(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture(scope="session", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request: pytest.FixtureRequest, tiny_warehouse: Path) -> Iterator[Backend]:
    backend: Backend = (
        DuckDBBackend(tiny_warehouse) if request.param == "duckdb" else SparkBackend(tiny_warehouse)
    )
    yield backend
    backend.close()
