"""An accepted-findings file silences reviewed findings by their stable ids."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT
from tests.test_cli import run_cli

PLAN = str(ROOT / "plans/ccg-2014")
# seed 000 1510-1511: '15.3%' is the yearly % column added up (a reviewed convention)
REVIEWED = "ccg-2014/emergency-admissions/headline-point-to-point/headline-1"


def findings(*extra: str) -> tuple[list[str], str]:
    result = run_cli("plan", "check", PLAN, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return [f["id"] for f in json.loads(result.stdout)], result.stderr


def test_an_accepted_finding_is_left_out_and_counted(tmp_path: Path) -> None:
    before, _ = findings()
    assert REVIEWED in before
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "accepted:\n"
        f"  - id: {REVIEWED}\n"
        "    reason: the document adds yearly changes; reviewed with the plan's authors\n"
        "  - id: ccg-2014/no-such/finding\n"
        "    reason: fixed in the next version\n"
    )
    after, notes = findings("--accepted", str(accepted))
    assert set(before) - set(after) == {REVIEWED} and len(after) == len(before) - 1
    assert "1 accepted finding(s) left out" in notes
    assert "accepted but not found: ccg-2014/no-such/finding" in notes


def test_an_accepted_finding_needs_a_reason(tmp_path: Path) -> None:
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(f"accepted:\n  - id: {REVIEWED}\n")
    result = run_cli("plan", "check", PLAN, "--accepted", str(accepted))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{accepted}:2" in result.stderr and "reason" in result.stderr
