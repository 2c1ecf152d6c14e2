"""Never silently empty: a file that matches nothing is described, and --strict refuses it.

Issue 13, "Silent success": an area code instead of a name, or ``--area Sefton``,
gave a status table and a pack of "no data" with exit 0; ``--strict`` on
``plan check`` and ``synth report`` exited 0 with errors present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from tests.test_cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
ACTUALS = ROOT / "examples" / "actuals.csv"  # synthetic actuals for plans/ccg-2014


def _by_code(tmp_path: Path) -> Path:
    """The example actuals with the area written as its ONS code, as many exports do."""
    path = tmp_path / "by_code.csv"
    frame = pd.read_csv(ACTUALS)
    frame.assign(area=frame["area"].str.replace("Liverpool", "E08000012")).to_csv(path, index=False)
    return path


def test_area_sefton_on_liverpool_actuals_says_what_the_file_holds() -> None:
    result = run_cli("plan", "status", "plans/ccg-2014", "-a", str(ACTUALS), "--area", "Sefton",
                     "--json")  # fmt: skip
    assert result.returncode == 0
    assert json.loads(result.stdout)  # the JSON stays clean: the warning is on stderr
    said = result.stderr
    assert "no actual matches any ambition" in said
    assert "areas Liverpool" in said and "periods 2014-04 to 2016-03" in said
    assert "the plans expect areas Sefton (--area Sefton)" in said


def test_area_sefton_under_strict_is_an_error() -> None:
    result = run_cli("plan", "status", "plans/ccg-2014", "-a", str(ACTUALS), "--area", "Sefton",
                     "--strict")  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{ACTUALS}: no actual matches any ambition" in result.stderr
    assert "give --area with one of the file's areas" in result.stderr
    assert result.stdout == ""


def test_an_area_code_instead_of_a_name_is_described(tmp_path: Path) -> None:
    actuals = _by_code(tmp_path)
    result = run_cli("plan", "status", "plans/ccg-2014", "-a", str(actuals))
    assert result.returncode == 0
    assert "areas E08000012" in result.stderr and "expect areas Liverpool" in result.stderr
    strict = run_cli("plan", "status", "plans/ccg-2014", "-a", str(actuals), "--strict")
    assert strict.returncode == 2 and "no actual matches any ambition" in strict.stderr


def test_report_board_strict_refuses_and_writes_nothing(tmp_path: Path) -> None:
    pack = tmp_path / "pack.html"
    result = run_cli("report", "board", "-p", "plans/ccg-2014", "-a", str(_by_code(tmp_path)),
                     "-o", str(pack), "--strict")  # fmt: skip
    assert result.returncode == 2 and "no actual matches any ambition" in result.stderr
    assert not pack.exists()


def test_report_without_strict_warns_then_writes(tmp_path: Path) -> None:
    out = tmp_path / "exceptions.csv"
    result = run_cli("report", "exceptions", "-p", "plans/ccg-2014", "-a",
                     str(_by_code(tmp_path)), "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "warning: no actual matches any ambition" in result.stderr and out.exists()


def test_far_fewer_rows_used_than_given_are_described(tmp_path: Path) -> None:
    frame = pd.read_csv(ACTUALS)
    other = frame.assign(area="Sefton")
    path = tmp_path / "two_areas.csv"
    pd.concat([frame.head(10), other, other.assign(area="Knowsley")]).to_csv(path, index=False)
    result = run_cli("plan", "status", "plans/ccg-2014", "-a", str(path))
    assert result.returncode == 0
    assert f"{2 * len(frame):,} of {2 * len(frame) + 10:,} actuals match no ambition" in (
        result.stderr
    )
    assert "areas not asked for: Knowsley, Sefton" in result.stderr


def test_the_example_actuals_match_without_a_warning() -> None:
    result = run_cli("plan", "status", "plans/ccg-2014", "-a", str(ACTUALS), "--json")
    assert result.returncode == 0 and "warning" not in result.stderr


def test_plan_check_strict_exits_1_when_errors_are_found() -> None:
    """The seed plans hold contradictions the checker reports as errors."""
    found = json.loads(run_cli("plan", "check", "plans/", "--json", "--severity", "error").stdout)
    assert found, "the seed plans have error findings"
    assert run_cli("plan", "check", "plans/", "--severity", "error").returncode == 0
    assert run_cli("plan", "check", "plans/", "--severity", "error", "--strict").returncode == 1


@pytest.mark.slow
def test_synth_report_strict_exits_1_when_a_target_is_missed(tmp_path: Path) -> None:
    """1,000 people are too few to meet every calibration target within ±10%."""
    write(simulate(1_000, seed=2), tmp_path / "synth")
    rows = json.loads(run_cli("synth", "report", str(tmp_path / "synth"), "--no-noise",
                              "--json").stdout)  # fmt: skip
    assert any(not r["within_10pct"] for r in rows)
    assert run_cli("synth", "report", str(tmp_path / "synth"), "--no-noise").returncode == 0
    strict = run_cli("synth", "report", str(tmp_path / "synth"), "--no-noise", "--strict")
    assert strict.returncode == 1
