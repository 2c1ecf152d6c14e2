"""The financial position to Excel and back (finance.excel_position): the round trip
loses nothing; a malformed workbook is one line with its row, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from placehealth.finance.excel_position import HEADERS
from placehealth.finance.load import load_book
from tests.conftest import ROOT
from tests.test_cli import run_cli

CCG = ROOT / "plans" / "ccg-2014"


def _export(tmp_path: Path) -> Path:
    workbook = tmp_path / "position.xlsx"
    result = run_cli("finance", "export", str(CCG), "-o", str(workbook))
    assert result.returncode == 0, result.stderr
    return workbook


def test_round_trip_keeps_every_table_as_it_was(tmp_path: Path) -> None:
    """Seed 000's F04 and F06 (5125–5374): exported, imported into a finance file, and
    read back, every row, printed value (16.0 keeps its decimal), line and reference is
    what plans/ccg-2014/finance/position.yaml holds."""
    workbook = _export(tmp_path)
    output = tmp_path / "plan" / "finance" / "position.yaml"
    result = run_cli("finance", "import", str(workbook), "-o", str(output))
    assert result.returncode == 0, result.stderr
    original, again = load_book(CCG), load_book(output)
    assert sorted(again.tables) == ["F04", "F06"]
    for table_id in ("F04", "F06"):
        assert again.tables[table_id] == original.tables[table_id]
    growth = next(r for r in again.tables["F04"].rows if r.id == "growth")
    assert growth.values[0] is not None and growth.values[0].value.text == "16.0"
    assert str(growth.values[0].src) == "5155"
    baseline = next(r for r in again.tables["F06"].rows if r.id == "baseline")
    assert str(baseline.same_as) == "F04/allocation"
    # and the sheet is a plain table: a header row, then one line per row of each table
    sheet = openpyxl.load_workbook(workbook).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1 + len(original.tables["F04"].rows) + len(original.tables["F06"].rows)


def _edit(workbook: Path, column: str, row: int, value: object) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book.active
    sheet.cell(row=row, column=HEADERS.index(column) + 1, value=value)
    book.save(workbook)


@pytest.mark.parametrize(
    ("column", "row", "value", "message"),
    [
        ("recurrent", 3, "sixteen", "row 3"),
        ("kind", 5, "grand-total", "row 5"),
        ("kind", 2, "total", "row 2"),  # a total without the rows it sums
        ("seed", 4, "001", "one document's position"),
        ("table_src", 2, "5216-5125", "runs backwards"),
    ],
)
def test_malformed_workbook_is_one_line_and_writes_nothing(
    tmp_path: Path, column: str, row: int, value: object, message: str
) -> None:
    workbook = _export(tmp_path)
    _edit(workbook, column, row, value)
    output = tmp_path / "finance" / "position.yaml"
    output.parent.mkdir()
    output.write_text("kept\n", encoding="utf-8")
    result = run_cli("finance", "import", str(workbook), "-o", str(output))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and str(workbook) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert output.read_text(encoding="utf-8") == "kept\n"


def test_missing_column_and_wrong_output(tmp_path: Path) -> None:
    workbook = _export(tmp_path)
    book = openpyxl.load_workbook(workbook)
    book.active.delete_cols(HEADERS.index("row_src") + 1)
    book.save(workbook)
    result = run_cli("finance", "import", str(workbook), "-o", str(tmp_path / "p.yaml"))
    assert result.returncode == 2 and "missing column 'row_src'" in result.stderr
    assert not (tmp_path / "p.yaml").exists()
    result = run_cli("finance", "import", str(_export(tmp_path)), "-o", str(tmp_path / "p.csv"))
    assert result.returncode == 2 and "finance file (.yaml)" in result.stderr


def test_export_needs_position_tables(tmp_path: Path) -> None:
    result = run_cli("finance", "export", str(ROOT / "plans" / "blueprint-2015"), "-o",
                     str(tmp_path / "x.xlsx"))  # fmt: skip
    assert result.returncode == 2 and "no financial position tables" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_empty_workbook_and_bad_document(tmp_path: Path) -> None:
    workbook = _export(tmp_path)
    book = openpyxl.load_workbook(workbook)
    sheet = book.active
    for n in range(2, sheet.max_row + 1):
        sheet.cell(row=n, column=HEADERS.index("document") + 1, value="Not An Id")
    book.save(workbook)
    result = run_cli("finance", "import", str(workbook), "-o", str(tmp_path / "p.yaml"))
    assert result.returncode == 2 and "row 2" in result.stderr and "id" in result.stderr
    sheet.delete_rows(2, sheet.max_row)
    book.save(workbook)
    result = run_cli("finance", "import", str(workbook), "-o", str(tmp_path / "p.yaml"))
    assert result.returncode == 2 and "no rows" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_export_refuses_a_position_with_other_columns(tmp_path: Path) -> None:
    """Only the three standard columns round-trip; anything else is refused by name."""
    text = (CCG / "finance" / "position.yaml").read_text(encoding="utf-8")
    source = text.split("\nfigures:")[0] + "\n"  # the tables alone (figures cite F03)
    folder = tmp_path / "plan" / "finance"
    folder.mkdir(parents=True)
    (folder / "position.yaml").write_text(
        source.replace("{id: total, label: TOTAL, sum_of", "{id: total, label: ALL, sum_of"),
        encoding="utf-8",
    )
    result = run_cli("finance", "export", str(tmp_path / "plan"), "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and "table F04" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
