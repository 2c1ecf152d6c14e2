"""Engines for pipeline tests: DuckDB always; Spark in the same run (marked ``spark``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend
from tests.engine.tiny import write_warehouse

ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]
_TABLES = ("PERSON", "APC_SPELL", "AE_ATTENDANCE", "DEATH", "SOCIAL_CARE", "CONDITION")


def open_engine(name: str, warehouse: Path) -> Backend:
    return DuckDBBackend(warehouse) if name == "duckdb" else SparkBackend(warehouse)


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_warehouse(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest, tiny_warehouse: Path) -> Iterator[Backend]:
    backend = open_engine(request.param, tiny_warehouse)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test module's own tables, named in capitals (``PERSON``, ``APC_SPELL``, …),
    over the tiny warehouse's others: the population that module counts by hand."""
    module = request.module
    tables = {n.lower(): getattr(module, n) for n in _TABLES if hasattr(module, n)}
    folder = tmp_path_factory.mktemp(module.__name__.rsplit(".", 1)[-1])
    return write_warehouse(folder / "warehouse.duckdb", **tables)


@pytest.fixture(scope="module", params=ENGINES)
def own_engine(request: pytest.FixtureRequest, warehouse: Path) -> Iterator[Backend]:
    """Each engine over the test module's own hand-made ``warehouse`` fixture."""
    backend = open_engine(request.param, warehouse)
    yield backend
    backend.close()


@pytest.fixture(scope="module", params=ENGINES)
def connect(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], Backend]]:
    """Opens a test's own warehouse on each engine in turn (closed after the test module)."""
    opened: list[Backend] = []

    def open_(warehouse: Path) -> Backend:
        opened.append(open_engine(request.param, warehouse))
        return opened[-1]

    yield open_
    for backend in opened:
        backend.close()
