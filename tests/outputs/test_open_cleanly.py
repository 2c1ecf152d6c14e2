"""Written tables open cleanly in Excel: CSV with a byte-order mark, real dates in .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from placehealth.tables import BOM, serialise_table, write_table

SYMBOLS = "£1.2m – 3 × 4"  # pound, en dash, multiplication sign: what Excel garbled


def test_csv_starts_with_the_byte_order_mark_and_round_trips_symbols(tmp_path: Path) -> None:
    """issue 13, "Why": CSVs were UTF-8 without a byte-order mark, so Excel garbled £ – ×."""
    path = write_table(pd.DataFrame({"note": [SYMBOLS], "value": [1.5]}), tmp_path / "out.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and BOM == b"\xef\xbb\xbf"
    assert data.count(b"\xef\xbb\xbf") == 1  # one mark, at the start only
    back = pd.read_csv(path)  # pandas, like Excel, reads the mark as an encoding marker
    assert list(back.columns) == ["note", "value"]
    assert back["note"].iloc[0] == SYMBOLS
    assert data.decode("utf-8-sig").splitlines()[0] == "note,value"


def test_plain_utf8_csv_has_no_byte_order_mark(tmp_path: Path) -> None:
    frame = pd.DataFrame({"note": [SYMBOLS]})
    path = write_table(frame, tmp_path / "out.csv", bom=False)
    data = path.read_bytes()
    assert data.startswith(b"note\n")
    assert data.decode("utf-8").splitlines()[1] == SYMBOLS
    assert serialise_table(frame, ".csv", bom=False) == data


def test_the_byte_order_mark_is_for_csv_only() -> None:
    frame = pd.DataFrame({"a": [1]})
    assert not serialise_table(frame, ".parquet").startswith(BOM)
    assert serialise_table(frame, ".xlsx")[:2] == b"PK"  # a zip, as .xlsx must be


def _sheet(path: Path) -> object:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return sheet


def test_excel_dates_are_date_cells_with_a_date_format(tmp_path: Path) -> None:
    """issue 13, "Why": `.xlsx` dates were text."""
    frame = pd.DataFrame(
        {
            "start": ["2021-04-01", "2021-05-01", None],  # ISO text, as read from a CSV
            "month": pd.to_datetime(["2021-04-01", "2021-05-01", "2021-06-01"]),
            "day": [dt.date(2021, 4, 1), dt.date(2021, 5, 1), dt.date(2021, 6, 1)],
            "stamp": pd.to_datetime(["2021-04-01 09:30", "2021-05-01 00:00", "2021-06-01 00:00"]),
            "period": ["2014/15", "2015/16", "2016/17"],  # a financial year is not a date
            "code": ["2021", "2022", "2023"],
            "value": [1.5, 2.0, 3.0],
        }
    )
    sheet = _sheet(write_table(frame, tmp_path / "out.xlsx"))
    header = [c.value for c in sheet[1]]  # type: ignore[index]
    col = {name: i + 1 for i, name in enumerate(header)}
    for name in ("start", "month", "day"):
        cell = sheet.cell(row=2, column=col[name])  # type: ignore[attr-defined]
        assert cell.is_date, name
        assert cell.value == dt.datetime(2021, 4, 1), name
        assert cell.number_format.lower() == "yyyy-mm-dd", name  # codes ignore case
    assert sheet.cell(row=4, column=col["start"]).value is None  # type: ignore[attr-defined]
    stamp = sheet.cell(row=2, column=col["stamp"])  # type: ignore[attr-defined]
    assert stamp.is_date and stamp.value == dt.datetime(2021, 4, 1, 9, 30)
    assert stamp.number_format.lower() == "yyyy-mm-dd hh:mm:ss"  # a time is kept where there is one
    for name in ("period", "code"):
        cell = sheet.cell(row=2, column=col[name])  # type: ignore[attr-defined]
        assert cell.data_type == "s" and not cell.is_date, name
    assert sheet.cell(row=2, column=col["value"]).value == 1.5  # type: ignore[attr-defined]


def test_excel_header_is_frozen_and_columns_fit(tmp_path: Path) -> None:
    long_name = "a rather long indicator name that needs a wide column"
    frame = pd.DataFrame({"indicator": [long_name, "x"], "v": [1, 2], "note": ["n" * 500, "short"]})
    sheet = _sheet(write_table(frame, tmp_path / "out.xlsx"))
    assert sheet.freeze_panes == "A2"  # type: ignore[attr-defined]
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}  # type: ignore[attr-defined]
    assert widths["A"] >= len(long_name)
    assert 6 <= widths["B"] < 12  # a narrow column stays narrow, header still readable
    assert widths["C"] < 61  # a very long cell does not make a page-wide column (60 + padding)
    assert sheet.auto_filter.ref == "A1:C3"  # type: ignore[attr-defined]


def test_excel_writes_a_timezone_aware_column_as_local_dates(tmp_path: Path) -> None:
    stamps = pd.to_datetime(["2021-04-01", "2021-05-01"]).tz_localize("Europe/London")
    sheet = _sheet(write_table(pd.DataFrame({"start": stamps}), tmp_path / "out.xlsx"))
    assert sheet.cell(row=2, column=1).value == dt.datetime(2021, 4, 1)  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_writing_leaves_the_frame_unchanged(suffix: str) -> None:
    frame = pd.DataFrame({"start": ["2021-04-01"], "text": ["=1"]})
    before = frame.copy()
    serialise_table(frame, suffix)
    pd.testing.assert_frame_equal(frame, before)
