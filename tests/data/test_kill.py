"""A load killed at random points, spilling to disk included, leaks nothing and half-loads nothing.

Each trial starts a real load in a child process with a low DuckDB memory
limit (so its work spills to the temporary folder) and kills it with SIGKILL
after a random delay, or just after it has started spilling. After each kill:
no file under the trial's folder (the warehouse, its WAL, the temporary and
spill folders the child used) holds a raw NHS number of the extract, and the
warehouse holds either what it held before or the complete load. The next load
removes the dead process's spill folder and completes.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import ENV_KEY, ENV_KEY_FILE, PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.data.warehouse import MEMORY_ENV
from tests.data.conftest import KEY
from tests.data.test_ingest_failures import FIRST, same, snapshot
from tests.data.test_privacy import found

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

PERSONS = 3_000  # about 140,000 rows: a few seconds of loading, spilling under the limit
LOW_MEMORY = "30MB"  # DuckDB's limit in the child: enough to finish, low enough to spill
TRIALS = 4  # random delays; one more trial is killed just after spilling starts
SPILL_PREFIX = "placehealth-"  # every folder a load makes in the temporary folder

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from placehealth.data.ingest import ingest
    from placehealth.data.pseudonymise import load_key
    key = load_key()
    print("start", flush=True)
    ingest(Path(sys.argv[1]), Path(sys.argv[2]), key, synthetic=True)
    print("done", flush=True)
    """
)


@dataclass(frozen=True)
class Loads:
    extract: Path
    before: Path  # a warehouse holding the first load
    numbers: list[str]  # every raw NHS number of the extract
    expected_before: dict[str, pd.DataFrame]
    expected_after: dict[str, pd.DataFrame]
    seconds: float  # how long the complete load took in a child


def run_child(extract: Path, warehouse: Path, tmp: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        ENV_KEY: KEY,
        "TMPDIR": str(tmp),
        MEMORY_ENV: LOW_MEMORY,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop(ENV_KEY_FILE, None)
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(extract), str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def wait_for_start(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "start", (line, child.stderr.read() if child.stderr else "")


def spill_files(tmp: Path) -> list[Path]:
    return [p for p in tmp.glob(f"{SPILL_PREFIX}*/**/*") if p.is_file()]


def contents(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every table's rows, without the moment each load was logged (it differs per run)."""
    return {
        name: rows.drop(columns=["loaded_at"], errors="ignore")
        for name, rows in snapshot(warehouse).items()
    }


def leaks(numbers: list[str], folder: Path) -> dict[str, list[str]]:
    """The raw NHS numbers in each file under ``folder`` (hidden files and folders too)."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {
        str(p.relative_to(folder)): hits for p in files if (hits := found(numbers, p.read_bytes()))
    }


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory) -> Loads:
    root = tmp_path_factory.mktemp("kill")
    extract = root / "extract"
    write(simulate(PERSONS, seed=8), extract)
    first = root / "first"
    first.mkdir()
    for name in FIRST:
        shutil.copy(extract / f"{name}.parquet", first)
    key = PseudoKey(KEY.encode())
    before = root / "before.duckdb"
    ingest(first, before, key, synthetic=True)
    numbers = pq.read_table(extract / "person.parquet").column("nhs_number").to_pylist()
    numbers = sorted(set(numbers))
    # the complete load, in a child under the same limits, for its result and its duration
    full = root / "full"
    (full / "tmp").mkdir(parents=True)
    shutil.copy(before, full / "w.duckdb")
    child = run_child(extract, full / "w.duckdb", full / "tmp")
    wait_for_start(child)
    started = time.monotonic()
    _, err = child.communicate(timeout=300)
    seconds = time.monotonic() - started
    assert child.returncode == 0, err
    return Loads(extract, before, numbers, contents(before), contents(full / "w.duckdb"), seconds)


def kill(loads: Loads, trial: Path, delay: float | None) -> bool:
    """Run one load in ``trial`` and kill it; True when spill files existed at the kill."""
    tmp = trial / "tmp"
    tmp.mkdir(parents=True)
    warehouse = trial / "w.duckdb"
    shutil.copy(loads.before, warehouse)
    child = run_child(loads.extract, warehouse, tmp)
    wait_for_start(child)
    if delay is None:  # kill while spilling: as soon as the first spill file appears
        deadline = time.monotonic() + 2 * loads.seconds + 30
        while not spill_files(tmp) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    else:
        time.sleep(delay)
    spilling = bool(spill_files(tmp))
    child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=60)
    assert child.returncode in (-signal.SIGKILL, 0), err
    return spilling


def test_a_load_killed_at_random_points_leaks_nothing_and_half_loads_nothing(
    loads: Loads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not same(loads.expected_before, loads.expected_after)
    assert len(loads.numbers) > PERSONS / 2
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    delays: list[float | None] = [None] + [rng.uniform(0, loads.seconds) for _ in range(TRIALS)]
    spilled_at_kill = 0
    leftovers: list[Path] = []
    for i, delay in enumerate(delays):
        trial = tmp_path / f"trial-{i}"
        spilled_at_kill += kill(loads, trial, delay)
        where = f"seed {seed}, trial {i}, delay {delay}"
        assert leaks(loads.numbers, trial) == {}, where
        now = contents(trial / "w.duckdb")
        assert same(now, loads.expected_before) or same(now, loads.expected_after), where
        if list((trial / "tmp").glob(f"{SPILL_PREFIX}*")):
            leftovers.append(trial)
    assert spilled_at_kill >= 1, "no kill happened while the load was spilling"
    # the next load removes what the killed one left in the temporary folder, and completes
    assert leftovers, "a killed load left nothing behind to clean up"
    trial = leftovers[0]
    monkeypatch.setattr(tempfile, "tempdir", str(trial / "tmp"))
    monkeypatch.setenv(MEMORY_ENV, LOW_MEMORY)
    ingest(loads.extract, trial / "w.duckdb", PseudoKey(KEY.encode()), synthetic=True)
    assert same(contents(trial / "w.duckdb"), loads.expected_after)
    assert list((trial / "tmp").glob(f"{SPILL_PREFIX}*")) == []


def test_a_killed_first_load_leaves_no_warehouse_and_the_next_load_completes(
    loads: Loads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before its commit, a first load must not leave a file that blocks the next one."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    warehouse = tmp_path / "w.duckdb"
    delay = random.SystemRandom().uniform(0.2, 0.8) * loads.seconds
    child = run_child(loads.extract, warehouse, tmp)
    wait_for_start(child)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"finished before the kill at {delay:.1f} s: {err}"
    assert not warehouse.exists()
    assert not warehouse.with_name(warehouse.name + ".wal").exists()
    assert leaks(loads.numbers, tmp_path) == {}
    left = [p for p in tmp_path.iterdir() if p.name.startswith(f".{warehouse.name}")]
    assert left, "the killed load's own file was not where the next load looks for it"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    key = PseudoKey(KEY.encode())
    ingest(loads.extract, warehouse, key, synthetic=True)
    assert contents(warehouse)["person"].equals(loads.expected_after["person"])
    assert [p for p in tmp_path.iterdir() if p.name.startswith(f".{warehouse.name}")] == []
