"""Fixtures for the warehouse tests: a key, small synthetic extracts, extracts written by hand."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE, PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write

KEY = "test-key-0f3c9a51d2e84b7f"  # a distinctive text, so a leak is easy to find


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> PseudoKey:
    """The pseudonymisation key, set in the environment as a user would."""
    monkeypatch.setenv(ENV_KEY, KEY)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    return PseudoKey(KEY.encode())


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 synthetic persons as Parquet extracts (read-only: copy before changing)."""
    out = tmp_path_factory.mktemp("synth") / "extract"
    write(simulate(2_000, seed=3), out)
    return out


@pytest.fixture(scope="session")
def liverpool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tenth of synthetic Liverpool: 50,000 persons (for calibration at a test's scale)."""
    out = tmp_path_factory.mktemp("liverpool") / "extract"
    write(simulate(50_000, seed=1), out)
    return out


@pytest.fixture
def extract(small_extract: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the small extract that a test may edit."""
    copy = tmp_path / "extract"
    shutil.copytree(small_extract, copy)
    yield copy


def geography_csv(folder: Path) -> None:
    """Three LSOAs in two neighbourhoods and two practices, as CSV extracts."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "lsoa": ["E01SYN001", "E01SYN002", "E01SYN003"],
            "lsoa_name": ["A", "B", "C"],
            "neighbourhood": ["NBSYN01", "NBSYN01", "NBSYN02"],
            "neighbourhood_name": ["North", "North", "South"],
            "imd_decile": [1, 2, 10],
            "imd_score": [60.5, 30.1, 2.2],
            "place": ["Liverpool"] * 3,
        }
    ).to_csv(folder / "geo_lsoa.csv", index=False)
    pd.DataFrame(
        {
            "practice_code": ["SYN001", "SYN002"],
            "practice_name": ["P1", "P2"],
            "pcn": ["USYN01", "USYN01"],
            "pcn_name": ["PCN 1", "PCN 1"],
            "neighbourhood": ["NBSYN01", "NBSYN02"],
            "place": ["Liverpool"] * 2,
        }
    ).to_csv(folder / "geo_practice.csv", index=False)


def write_csv(folder: Path, table: str, header: str, *rows: str) -> Path:
    """A CSV extract written exactly as given (so bad cells stay bad)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
