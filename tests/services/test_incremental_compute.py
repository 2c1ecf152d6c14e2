"""``indicators compute --incremental``: the published file a full run writes, a second
run on unchanged data that computes nothing, and no unpublished state beside outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.tiny import write_warehouse
from tests.test_cli import run_cli

YEARS = "2014/15-2017/18"  # four whole years: the pooled window 2015-17 inside them


@pytest.mark.slow
def test_incremental_runs_publish_what_a_full_run_does(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    warehouse = write_warehouse(tmp_path / "data" / "tiny.duckdb")
    published = tmp_path / "published"
    common = ["indicators", "compute", "-w", str(warehouse), "--years", YEARS, "--plain-utf8"]
    first = run_cli(*common, "-o", str(published / "first.csv"), "--incremental")
    assert first.returncode == 0, first.stderr
    assert "no saved state" in first.stdout
    assert (
        "9 of 9 periods computed (2014/15, 2015/16, 2016/17, 2017/18, 2015-17, 2014-08..2017-07"
        in first.stdout
    )
    second = run_cli(*common, "-o", str(published / "second.csv"), "--incremental")
    assert second.returncode == 0, second.stderr
    assert "0 of 9 periods computed" in second.stdout
    full = run_cli(*common, "-o", str(published / "full.csv"))
    assert full.returncode == 0, full.stderr
    assert "periods computed" not in full.stdout
    written = (published / "full.csv").read_bytes()
    assert (published / "first.csv").read_bytes() == written
    assert (published / "second.csv").read_bytes() == written
    # the unpublished values are beside the warehouse, owner-only, and not with the outputs
    state = warehouse.parent / ".tiny.indicators-state"
    assert (state / "state.json").exists() and state.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in published.iterdir()) == ["first.csv", "full.csv", "second.csv"]


def test_an_output_beside_the_warehouse_is_refused(tmp_path: Path) -> None:
    warehouse = write_warehouse(tmp_path / "tiny.duckdb")
    result = run_cli("indicators", "compute", "-w", str(warehouse), "--years", YEARS,
                     "-o", str(tmp_path / "values.csv"), "--incremental")  # fmt: skip
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "cannot be written in the same folder" in text and "Traceback" not in text
    assert not (tmp_path / "values.csv").exists()
    assert not (tmp_path / ".tiny.indicators-state").exists()
