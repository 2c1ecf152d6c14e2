"""Only an empty cell is missing: "n/a", "NA", "NULL" or "#N/A" are refused by name.

pandas would read such words as blanks without a word; a count written "n/a" in an
export would then pass as missing, or as zero where the PHE methods fill gaps.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import UserError
from placehealth.plans.status import read_actuals
from placehealth.tables import read_table

WORDS = ["n/a", "NA", "N/A", "NULL", "#N/A", "nan", "-"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_words_stay_as_written_and_empty_cells_are_missing(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"area": ["A"] * (len(WORDS) + 1), "value": [*WORDS, None]})
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    read = read_table(path)
    assert read["value"].iloc[:-1].tolist() == WORDS
    assert pd.isna(read["value"].iloc[-1])


@pytest.mark.parametrize("word", WORDS)
def test_an_actual_written_as_a_word_is_refused_by_name(tmp_path: Path, word: str) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(f"indicator,area,period,value\ndementia-diagnosis,Liverpool,2014-06,{word}\n")
    with pytest.raises(UserError, match=f"row 2, column 'value': '{word}' is not a number"):
        read_actuals(path, load_catalogue())
