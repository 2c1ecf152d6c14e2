"""The issue's bad input, end to end through the command line on a copy of the plans: a
total edited to disagree is a finding, not a crash; an unknown unit, a negative
likelihood, a score outside the matrix or a malformed workbook is one line naming the file
and line (or row), exit 2 — and no file, in the plans or beside them, changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import run_cli


def _copy(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    return plans


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_total_edited_to_disagree_is_a_finding_with_both_numbers(tmp_path: Path) -> None:
    plans = _copy(tmp_path)
    position = plans / "ccg-2014" / "finance" / "position.yaml"
    _edit(position, "values: [730.8, 19.8, 750.6]", "values: [730.8, 19.8, 760.6]")  # F04
    before = _bytes(tmp_path)
    result = run_cli("plan", "check", str(plans / "ccg-2014"), "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    found = {f["id"]: f for f in json.loads(result.stdout)}
    total = found["ccg-2014/finance/F04/allocation/total/total-column"]
    assert (total["stated"], total["expected"]) == (760.6, 750.6)  # 730.8 + 19.8
    assert _bytes(tmp_path) == before


CASES = {
    "unknown unit in a finance table": (
        "ccg-2014/finance/position.yaml", "    unit: £m\n", "    unit: pounds\n",
        ("plan", "check"), "unit",
    ),
    "negative likelihood": (
        "ccg-2014/risks/bcf-risks.yaml", "likelihood: 4\n", "likelihood: -1\n",
        ("risks", "show"), "likelihood",
    ),
    "likelihood outside the matrix": (
        "ccg-2014/risks/bcf-risks.yaml", "likelihood: 4\n", "likelihood: 6\n",
        ("risks", "show"), "likelihood 6 is outside the matrix",
    ),
    "score outside the matrix": (
        "ccg-2014/risks/bcf-risks.yaml", "score: 12\n", "score: 13\n",
        ("plan", "check"), "score 13 is outside the matrix",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_plan_input_is_one_line_exit_2_and_changes_nothing(tmp_path: Path, case: str) -> None:
    file, old, new, command, says = CASES[case]
    plans = _copy(tmp_path)
    path = plans / file
    _edit(path, old, new)
    line = 1 + path.read_text(encoding="utf-8").split(new, 1)[0].count("\n") + new.count("\n") - 1
    before = _bytes(tmp_path)
    result = run_cli(*command, str(plans / "ccg-2014"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert f"{path}:{line}" in first and says in first, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the message and its hint
    assert _bytes(tmp_path) == before


@pytest.mark.parametrize(
    "command",
    [("bcf", "import"), ("finance", "import")],
)
def test_a_malformed_workbook_is_one_line_exit_2_and_changes_nothing(
    tmp_path: Path, command: tuple[str, str]
) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"PK\x03\x04 cut short")
    out = tmp_path / "plan.yaml"
    out.write_text("kept\n", encoding="utf-8")
    before = _bytes(tmp_path)
    result = run_cli(*command, str(book), "-o", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert str(book) in first or "book.xlsx" in first
    assert len(result.stderr.strip().splitlines()) <= 2
    assert _bytes(tmp_path) == before


def test_a_workbook_cell_edited_to_nonsense_names_its_row_and_changes_nothing(
    tmp_path: Path,
) -> None:
    import openpyxl

    book = tmp_path / "position.xlsx"
    assert (
        run_cli("finance", "export", str(ROOT / "plans" / "ccg-2014"), "-o", str(book)).returncode
        == 0
    )
    wb = openpyxl.load_workbook(book)
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = next(n for n, h in enumerate(header, start=1) if h and "total" in str(h).lower())
    sheet.cell(row=5, column=column, value="lots")
    wb.save(book)
    out = tmp_path / "position.yaml"
    before = _bytes(tmp_path)
    result = run_cli("finance", "import", str(book), "-o", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first = result.stderr.strip().splitlines()[0]
    assert "position.xlsx" in first and "row 5" in first, result.stderr
    assert _bytes(tmp_path) == before and not out.exists()
