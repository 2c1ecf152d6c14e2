"""``--place`` names the warehouse's own place; it never relabels another place's data.

Issue 13: "``--place Sefton`` on a Liverpool warehouse relabels the output."
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def liverpool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic Liverpool warehouse (its LSOA lookup says Liverpool)."""
    folder = tmp_path_factory.mktemp("place")
    write(simulate(1_000, seed=5), folder / "extract")
    ingest(folder / "extract", folder / "w.duckdb", PseudoKey(b"test-key-place-0001"),
           synthetic=True)  # fmt: skip
    return folder / "w.duckdb"


def _compute(warehouse: Path, out: Path, *args: str) -> tuple[int, str]:
    result = run_cli("indicators", "compute", "-w", str(warehouse), "-o", str(out), *args)
    return result.returncode, result.stderr


def test_another_place_is_refused_and_nothing_written(liverpool: Path, tmp_path: Path) -> None:
    out = tmp_path / "values.csv"
    code, said = _compute(liverpool, out, "--place", "Sefton")
    assert code == 2 and "Traceback" not in said
    assert "--place 'Sefton' is not in this warehouse, which holds Liverpool" in said
    assert not out.exists()


def test_the_warehouse_names_its_own_place(liverpool: Path, tmp_path: Path) -> None:
    out = tmp_path / "values.csv"
    code, said = _compute(liverpool, out)
    assert code == 0, said
    values = pd.read_csv(out)
    top = values[values["area_type"] == "place"]
    assert not top.empty and set(top["area_code"]) == {"Liverpool"}
    assert _compute(liverpool, tmp_path / "v2.csv", "--place", "liverpool")[0] == 0
