"""Every table the product writes is safe to open in a spreadsheet and written whole."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placehealth.private import is_owner_only
from placehealth.redact import MASK, mask_identifiers
from placehealth.tables import FORMULA_LEADS, neutralise_formulas, serialise_table, write_table

HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "plain"]


def test_formula_leading_text_is_neutralised_in_csv(tmp_path: Path) -> None:
    frame = pd.DataFrame({"area": HOSTILE, "value": [-1.5, 2, 3, 4, 5, 6], "=head": list("abcdef")})
    path = write_table(frame, tmp_path / "out.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back["area"]) == ["'" + h for h in HOSTILE[:-1]] + ["plain"]
    assert back["value"].iloc[0] == "-1.5"  # numbers stay numbers
    assert "'=head" in back.columns


def test_formula_leading_text_is_text_not_a_formula_in_excel(tmp_path: Path) -> None:
    frame = pd.DataFrame({"area": HOSTILE, "value": [-1.5, 2, 3, 4, 5, 6]})
    path = write_table(frame, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    kinds = [sheet.cell(row=r, column=1).data_type for r in range(2, 8)]
    values = [sheet.cell(row=r, column=1).value for r in range(2, 8)]
    assert "f" not in kinds
    assert values == HOSTILE  # kept as typed: a text cell is never run
    assert sheet.cell(row=2, column=2).value == -1.5


@given(st.lists(st.text(max_size=8), min_size=1, max_size=20))
def test_no_neutralised_csv_cell_starts_a_formula(cells: list[str]) -> None:
    safe = neutralise_formulas(pd.DataFrame({"c": cells}))
    assert not safe["c"].astype(str).str.startswith(FORMULA_LEADS).any()
    # and nothing else changed
    for before, after in zip(cells, safe["c"], strict=True):
        assert after == before or after == "'" + before


def test_a_private_table_is_owner_only_and_replaces_atomically(tmp_path: Path) -> None:
    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "list.csv", private=True)
    assert is_owner_only(path)
    assert path.is_absolute()
    assert not list(tmp_path.glob(".*partial"))


def test_parquet_bytes_are_untouched() -> None:
    data = serialise_table(pd.DataFrame({"a": ["=1"]}), ".parquet")
    assert pd.read_parquet(io.BytesIO(data))["a"].iloc[0] == "=1"


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", "id=9434765919;"])
def test_nhs_number_shapes_are_masked(text: str) -> None:
    assert MASK in mask_identifiers(text)
    assert "5919" not in mask_identifiers(text)


@pytest.mark.parametrize("text", ["12345678901", "2018-04-01", "value 123456789", "1 234 5678"])
def test_other_numbers_are_not_masked(text: str) -> None:
    assert mask_identifiers(text) == text
