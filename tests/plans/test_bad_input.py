"""Bad plans and actuals: one clear message with file and line or row, exit 2, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plans.helpers import DOCUMENT, write_plan
from tests.test_cli import run_cli

GOOD_AMBITION = """
ambitions:
  - id: inpatient
    indicator: inpatient-experience-negative
    baseline: {period: 2013/14, value: 125.2}
    target: {period: 2018/19, value: 114.7}
    method: {kind: equal_steps}
"""

CASES = {
    "malformed-yaml": ("ambitions:\n  - id: x\n   indicator: [unclosed\n", 4, "malformed YAML"),
    "unknown-method": (
        GOOD_AMBITION.replace("equal_steps", "magic_steps"),
        8,
        "does not match any of the expected tags",
    ),
    "missing-baseline": (
        GOOD_AMBITION.replace("    baseline: {period: 2013/14, value: 125.2}\n", ""),
        4,
        "needs a baseline",
    ),
    "non-numeric-value": (
        GOOD_AMBITION.replace("114.7", "lots"),
        7,
        "'lots' is not a valid number",
    ),
    "periods-out-of-order": (
        GOOD_AMBITION
        + "    published:\n      - {period: 2015/16, value: 121}\n"
        + "      - {period: 2014/15, value: 123}\n",
        11,
        "out of order",
    ),
    "unknown-indicator": (
        GOOD_AMBITION.replace("inpatient-experience-negative", "no-such-indicator"),
        5,
        "not in the catalogue",
    ),
    "unknown-period": (GOOD_AMBITION.replace("2018/19", "next year"), 7, "unrecognised period"),
    "ambiguous-period": (GOOD_AMBITION.replace("2018/19", "2009-11"), 7, "ambiguous period"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_plan_is_one_line_with_file_and_line(tmp_path: Path, case: str) -> None:
    body, line, message = CASES[case]
    path = write_plan(tmp_path, body)
    result = run_cli("plan", "check", str(path))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}:{line}" in result.stderr, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # one message (wrapped at most once)


def test_actuals_with_a_wrong_column(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, GOOD_AMBITION)
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(
        "indicator,area,when,value\ninpatient-experience-negative,Liverpool,2014/15,120\n"
    )
    result = run_cli("plan", "status", str(plan), "--actuals", str(actuals))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "missing column 'period'" in result.stderr
    assert str(actuals) in result.stderr


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("inpatient-experience-negative,Liverpool,2014/15,high", r"row 2, column 'value'"),
        ("no-such,Liverpool,2014/15,120", r"row 2, column 'indicator'"),
        ("inpatient-experience-negative,Liverpool,someday,120", r"row 2, column 'period'"),
        ("inpatient-experience-negative,Liverpool,2010-11,120", r"row 2, column 'period'.*ambig"),
    ],
)
def test_actuals_with_bad_cells(tmp_path: Path, row: str, expected: str) -> None:
    plan = write_plan(tmp_path, GOOD_AMBITION)
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(f"indicator,area,period,value\n{row}\n")
    result = run_cli("plan", "status", str(plan), "--actuals", str(actuals))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(expected, result.stderr), result.stderr


def test_document_block_must_agree_across_files(tmp_path: Path) -> None:
    write_plan(tmp_path, GOOD_AMBITION, name="a.yaml")
    other = DOCUMENT.replace("Test plan", "Another title")
    write_plan(tmp_path, "ambitions: []\n", name="b.yaml", document=other)
    result = run_cli("plan", "check", str(tmp_path))
    assert result.returncode == 2
    assert "described differently" in result.stderr


def test_a_conversion_that_cannot_be_made_is_one_line_under_strict(tmp_path: Path) -> None:
    """Seed 002 850: the city's 117 infant deaths; a sample's deaths from 20,000 people cannot
    be converted (the plan states no population), so --strict stops with exit 2."""
    from tests.conftest import ROOT

    actuals = tmp_path / "actuals.csv"
    actuals.write_text(
        "indicator,area,period,value\n"
        + "".join(f"infant-deaths,Liverpool,{y},1\n" for y in (2016, 2017, 2018))
    )
    plan = str(ROOT / "plans/one-liverpool-2019/ambitions.yaml")
    result = run_cli("plan", "status", plan, "-a", str(actuals), "--population", "20000",
                     "--strict")  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert message.count("error:") == 1 and "ambitions.yaml" in message
    assert "'infant-deaths'" in message and "population of 20,000" in message
    relaxed = run_cli("plan", "status", plan, "-a", str(actuals), "--population", "20000")
    assert relaxed.returncode == 0
