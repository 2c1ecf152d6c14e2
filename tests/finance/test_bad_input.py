"""Bad finance files: one clear message with file and line, exit 2, no traceback, for both
``finance show`` and ``plan check`` (which reads the same files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.finance.helpers import TABLE, write_finance
from tests.test_cli import run_cli

GOOD = (
    TABLE
    + """      - {id: recurrent, label: Recurrent}
      - {id: total, label: Total, sum_of: [recurrent, recurrent]}
    rows:
      - {id: a, label: A, values: [10.0, 20.0], src: 1}
      - {id: all, label: All, kind: total, sum_of: [a], values: [10.0, 20.0], src: 2}
figures:
  - {key: k, value: 20, unit: £m, equals: [F90/all/total], src: 3}
"""
)

# the header is line 1, so the body's line n is the file's line n + 1
ROW_A = "[10.0, 20.0], src: 1"
CASES = {
    "unknown-unit": (GOOD.replace("unit: £m\n", "unit: pounds\n"), 6, "unit: Input should be"),
    "unknown-period": (
        GOOD.replace("unit: £m\n", "unit: £m\n    period: next year\n"),
        7,
        "unrecognised period",
    ),
    "values-for-columns": (GOOD.replace(ROW_A, "[10.0], src: 1"), 11, "has 1 values for 2 columns"),
    "not-printed-number": (
        GOOD.replace(ROW_A, "[10.0, twenty], src: 1"),
        11,
        "'twenty' is not a number as printed",
    ),
    "unknown-column-in-formula": (
        GOOD.replace("[recurrent, recurrent]", "[recurrent, other]"),
        9,
        "names other",
    ),
    "unknown-row-in-total": (GOOD.replace("sum_of: [a]", "sum_of: [b]"), 12, "sum_of names b"),
    "total-without-rows": (
        GOOD.replace("kind: total, sum_of: [a], ", "kind: total, "),
        12,
        "say which rows",
    ),
    "reference-to-no-row": (
        GOOD.replace("F90/all/total", "F90/none/total"),
        14,
        "table F90 has no row 'none'",
    ),
    "reference-to-no-table": (GOOD.replace("F90/all/total", "F99/all/total"), 14, "no table F99"),
    "bad-reference": (GOOD.replace("F90/all/total", "all of it"), 14, "is not a reference"),
    "change-of-a-row": (
        GOOD.replace("[10.0, 20.0], src: 2", "[10.0, {value: 2, pct_change_of: [F90/a, F90/all]}]"),
        12,
        "F90/a names a row; a cell needs a column",
    ),
}


@pytest.mark.parametrize("command", [("finance", "show"), ("plan", "check")])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_finance_file_is_one_line_with_file_and_line(
    tmp_path: Path, case: str, command: tuple[str, str]
) -> None:
    body, line, message = CASES[case]
    path = write_finance(tmp_path, body)
    if command[0] == "plan":  # a plan folder: the outcome plans beside the finance folder
        (tmp_path / "plan.yaml").write_text('document: {id: t, seed: "000", title: T}\n')
    before = path.read_bytes()
    result = run_cli(*command, str(tmp_path))
    assert result.returncode == 2, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert f"{path}:{line}" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert path.read_bytes() == before


def test_a_table_encoded_twice_names_both_files(tmp_path: Path) -> None:
    write_finance(tmp_path, GOOD, name="a.yaml")
    second = write_finance(tmp_path, GOOD.split("figures:")[0], name="b.yaml")
    result = run_cli("finance", "show", str(tmp_path))
    assert result.returncode == 2
    assert f"{second}:3" in result.stderr and f"also in {tmp_path / 'finance' / 'a.yaml'}" in (
        result.stderr
    )


def test_a_folder_without_tables_is_refused_by_show(tmp_path: Path) -> None:
    result = run_cli("finance", "show", str(tmp_path))
    assert result.returncode == 2
    assert "no financial tables found" in result.stderr
