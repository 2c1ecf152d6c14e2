"""Excel exports as they come: the table on another sheet, under a title and notes.

Issue 13 (inputs): "Excel input reads the first sheet with headers in row 1 only."
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from placehealth.errors import InputFileError, UserError
from placehealth.tables import read_table
from tests.test_cli import run_cli

ROWS = pd.DataFrame({"area": ["A", "A", "B"], "count": [3, 4, 5], "pop": [100, 200, 300]})


def _workbook(path: Path, *, title_rows: int = 2) -> Path:
    """A cover sheet first, then the data under a title and a blank line."""
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        pd.DataFrame({"About": ["Crude rates, synthetic numbers"]}).to_excel(
            book, sheet_name="Cover", index=False
        )
        ROWS.to_excel(book, sheet_name="Data", index=False, startrow=title_rows)
        book.sheets["Data"]["A1"] = "Admissions by area (synthetic)"
    return path


def test_sheet_and_header_row_pick_the_table(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "export.xlsx")
    frame = read_table(book, sheet="Data", header_row=3)
    pd.testing.assert_frame_equal(frame, ROWS)
    assert frame.attrs["first_row"] == 4
    assert read_table(book, sheet="2", header_row=3)["count"].tolist() == [3, 4, 5]
    assert list(read_table(book).columns) == ["About"]  # the first sheet by default


def test_header_row_in_a_csv_skips_the_lines_above(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Admissions by area\nsource: synthetic\narea,count,pop\nA,3,100\n")
    assert read_table(path, header_row=3).to_dict("records") == [
        {"area": "A", "count": 3, "pop": 100}
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sheet": "Sheet9"}, "no sheet 'Sheet9' (sheets: Cover, Data"),
        ({"sheet": "3"}, "no sheet '3'"),
    ],
)
def test_a_missing_sheet_names_the_sheets(tmp_path: Path, kwargs: dict, message: str) -> None:
    book = _workbook(tmp_path / "export.xlsx")
    with pytest.raises(InputFileError, match=message.replace("(", r"\(")):
        read_table(book, **kwargs)


def test_sheet_on_a_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    ROWS.to_csv(path, index=False)
    with pytest.raises(InputFileError, match="--sheet applies to Excel files only"):
        read_table(path, sheet="Data")


def test_stats_reads_the_chosen_sheet(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "export.xlsx")
    out = tmp_path / "rates.csv"
    result = run_cli(
        "stats", "rate", str(book), "--count", "count", "--population", "pop", "--by", "area",
        "--sheet", "Data", "--header-row", "3", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rates = pd.read_csv(out).set_index("area")["value"]
    assert rates["A"] == pytest.approx(7 / 300 * 100_000)
    assert rates["B"] == pytest.approx(5 / 300 * 100_000)


def test_spc_error_rows_count_from_the_header_row(tmp_path: Path) -> None:
    book = tmp_path / "spc.xlsx"
    frame = pd.DataFrame({"date": ["01/04/2022", "x"], "value": [1, 2]})
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Series", index=False, startrow=4)
    result = run_cli("spc", str(book), "--value", "value", "--date", "date", "--sheet", "Series",
                     "--header-row", "5", "-o", str(tmp_path / "o.csv"))  # fmt: skip
    assert result.returncode == 2
    assert "spc.xlsx, row 7, column 'date': 'x' is not a date" in result.stderr


def test_plan_status_reads_actuals_from_a_sheet(tmp_path: Path) -> None:
    actuals = pd.DataFrame(
        {"indicator": ["dementia-diagnosis"], "area": ["Liverpool"], "period": ["2014-06"],
         "value": [55.0]}
    )  # fmt: skip
    book = tmp_path / "actuals.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
        actuals.to_excel(writer, sheet_name="Actuals", index=False, startrow=1)
    plain = run_cli("plan", "status", "plans/ccg-2014", "-a", str(book), "--json")
    assert plain.returncode == 2 and "missing column 'indicator'" in plain.stderr
    chosen = run_cli("plan", "status", "plans/ccg-2014", "-a", str(book), "--json",
                     "--sheet", "Actuals", "--header-row", "2")  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    rows = json.loads(chosen.stdout)
    dementia = [r for r in rows if r["indicator"] == "dementia-diagnosis"]
    assert dementia and dementia[0]["latest_period"] == "2014-06"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"value": "n/k"}, "row 5, column 'value': 'n/k' is not a number"),
        ({"indicator": "no-such"}, "row 5, column 'indicator': unknown indicator 'no-such'"),
        ({"period": "sometime"}, "row 5, column 'period'"),
    ],
)
def test_actuals_errors_name_the_file_row_under_a_header_row(
    tmp_path: Path, row: dict[str, str], message: str
) -> None:
    """Two title lines, the header on row 3: the second data row is row 5 of the file."""
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.status import read_actuals

    good = {"indicator": "dementia-diagnosis", "area": "Liverpool", "period": "2014-06",
            "value": "55"}  # fmt: skip
    path = tmp_path / "actuals.csv"
    body = pd.DataFrame([good, {**good, **row}]).to_csv(index=False)
    path.write_text("Actuals (synthetic)\n\n" + body)
    with pytest.raises(UserError) as caught:
        read_actuals(path, load_catalogue(), header_row=3)
    assert message in str(caught.value)
