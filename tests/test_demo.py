"""The README's main job: check every plan, write the summary, findings and board packs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_cli import run_cli


@pytest.mark.slow
def test_demo_writes_summary_findings_and_board_packs(tmp_path: Path) -> None:
    result = run_cli("demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    summary = pd.read_csv(tmp_path / "plan_summary.csv")
    assert set(summary["seed"].astype(str).str.zfill(3)) == {"000", "001", "002", "003", "004"}
    findings = pd.read_csv(tmp_path / "plan_findings.csv")
    assert {"id", "severity", "stated", "expected", "sources"} <= set(findings.columns)
    assert len(findings) > 20
    for name in ("ccg-2014", "one-liverpool-2019"):
        pack = tmp_path / f"board-pack-{name}.pdf"
        assert pack.read_bytes()[:5] == b"%PDF-"
        assert pack.stat().st_size > 20_000
