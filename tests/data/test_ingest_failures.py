"""A load that fails or is killed half-way leaves the warehouse exactly as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.data import ingest as ingest_module
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.schema import ALL
from placehealth.errors import ConfigurationError, InputFileError
from tests.data.conftest import KEY

FIRST = ("geo_lsoa", "geo_practice", "person", "condition")


def snapshot(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every table's rows in a fixed order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t.name: con.execute(f"SELECT * FROM {t.name} ORDER BY ALL").df() for t in ALL}
    finally:
        con.close()


def same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return a.keys() == b.keys() and all(a[k].equals(b[k]) for k in a)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def half_loaded(extract: Path, tmp_path: Path, key: PseudoKey) -> tuple[Path, Path]:
    """A warehouse holding a first load (geography, people, conditions) and the rest to load."""
    first = tmp_path / "first"
    first.mkdir()
    for name in FIRST:
        shutil.copy(extract / f"{name}.parquet", first)
    warehouse = tmp_path / "w.duckdb"
    ingest(first, warehouse, key, synthetic=True)
    return extract, warehouse


def test_failure_mid_load_changes_nothing(
    half_loaded: tuple[Path, Path], key: PseudoKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract, warehouse = half_loaded
    before, before_bytes = snapshot(warehouse), digest(warehouse)
    calls = {"n": 0}
    real = ingest_module._append

    def failing(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 4:  # after three event tables have been inserted
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "_append", failing)
    with pytest.raises(OSError, match="simulated"):
        ingest(extract, warehouse, key, synthetic=True)
    assert calls["n"] == 4
    assert same(snapshot(warehouse), before)
    assert digest(warehouse) == before_bytes
    monkeypatch.setattr(ingest_module, "_append", real)
    ingest(extract, warehouse, key, synthetic=True)  # and the same load then succeeds
    assert len(snapshot(warehouse)["gp_contact"]) > 0


def test_failed_first_load_leaves_no_file(
    extract: Path, tmp_path: Path, key: PseudoKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> int:
        raise RuntimeError("crash (simulated)")

    monkeypatch.setattr(ingest_module, "_append", failing)
    warehouse = tmp_path / "new.duckdb"
    with pytest.raises(RuntimeError):
        ingest(extract, warehouse, key, synthetic=True)
    assert not warehouse.exists()
    assert not warehouse.with_name("new.duckdb.wal").exists()


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from placehealth.data import ingest as m
    from placehealth.data.pseudonymise import load_key
    real, calls = m._append, []
    def killing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:  # mid-load: four event tables already inserted
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    m._append = killing
    m.ingest(Path(sys.argv[1]), Path(sys.argv[2]), load_key(), synthetic=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_load_leaves_the_warehouse_as_it_was(half_loaded: tuple[Path, Path]) -> None:
    extract, warehouse = half_loaded
    before = snapshot(warehouse)
    env = {**os.environ, "PLACEHEALTH_PSEUDO_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(extract), str(warehouse)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == -9, done.stderr
    assert "killing" in done.stdout
    assert same(snapshot(warehouse), before)


def test_a_different_key_is_refused(half_loaded: tuple[Path, Path]) -> None:
    extract, warehouse = half_loaded
    before = snapshot(warehouse)
    with pytest.raises(ConfigurationError, match="different pseudonymisation key"):
        ingest(extract, warehouse, PseudoKey(b"another-key-entirely-0000"))
    assert same(snapshot(warehouse), before)


def test_a_file_that_is_not_a_warehouse_is_refused(extract: Path, tmp_path: Path,
                                                   key: PseudoKey) -> None:  # fmt: skip
    notes = tmp_path / "notes.duckdb"
    notes.write_text("not a database")
    with pytest.raises(InputFileError, match="not a DuckDB warehouse"):
        ingest(extract, notes, key)
    assert notes.read_text() == "not a database"
    plain = tmp_path / "plain.duckdb"
    duckdb.connect(str(plain)).close()
    with pytest.raises(InputFileError, match="not a placehealth warehouse"):
        ingest(extract, plain, key)
