"""A synthetic warehouse of 4,000 people and its indicator values, as the command writes them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from tests.test_cli import run_cli


@pytest.fixture(scope="session")
def indicator_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The warehouse, and the indicators.csv ``placehealth indicators compute`` wrote from it."""
    folder = tmp_path_factory.mktemp("indicators")
    write(simulate(4_000, seed=7), folder / "extract")
    ingest(
        folder / "extract",
        folder / "warehouse.duckdb",
        PseudoKey(b"test-key-publish-0001"),
        synthetic=True,
    )
    out = folder / "values.csv"
    result = run_cli(
        "indicators", "compute", "-w", str(folder / "warehouse.duckdb"), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    return folder / "warehouse.duckdb", out


@pytest.fixture(scope="session")
def indicator_world(indicator_csv: tuple[Path, Path]) -> tuple[Path, pd.DataFrame]:
    warehouse, out = indicator_csv
    return warehouse, pd.read_csv(out)
