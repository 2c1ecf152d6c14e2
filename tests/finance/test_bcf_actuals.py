"""``placehealth bcf payment --actuals FILE``: the metrics' actuals from a CSV or Excel
table (the one table reader), the payment as a hand calculation says, and a bad row as
one line naming the file and row, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from placehealth.services import bcf
from placehealth.tables import write_table
from tests.conftest import ROOT
from tests.test_cli import run_cli

CCG = ROOT / "plans" / "ccg-2014"
# seed 004, 111-156: £1bn nationally, £250m of April's £500m on metrics (3 metrics) and all
# of October's £500m (6 metrics); ccg-2014's share 44.970 / 3,800 of the fund: each metric
# in each release weighs 250m x share / 3 = 500m x share / 6
SHARE = 44.970 / 3800
WEIGHT = 250e6 * SHARE / 3
ROWS = [
    # delayed transfers 220 meets both targets (230 in April, 225 in October: lower is better)
    {"metric": "delayed-transfers", "release": None, "value": 220},
    {"metric": "dementia", "release": "april-2015", "value": 58},  # target 57.7: met
    {"metric": "reablement", "release": None, "value": 80},  # target 82: not met
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_actuals_from_a_file_pay_as_a_hand_calculation_says(tmp_path: Path, suffix: str) -> None:
    file = write_table(pd.DataFrame(ROWS), tmp_path / f"actuals{suffix}")
    result = run_cli("bcf", "payment", str(CCG), "--actuals", str(file), "--json")
    assert result.returncode == 0, result.stderr
    (paid,) = json.loads(result.stdout)
    status = {(m["metric"], m["release"]): m["status"] for m in paid["metrics"]}
    assert status[("delayed-transfers", "april-2015")] == "met"
    assert status[("delayed-transfers", "october-2015")] == "met"
    assert status[("dementia", "april-2015")] == "met"
    assert status[("dementia", "october-2015")] == "no actual"
    assert status[("reablement", "october-2015")] == "not met"
    assert paid["released"] == pytest.approx(3 * WEIGHT)


def test_set_wins_over_the_file(tmp_path: Path) -> None:
    file = write_table(pd.DataFrame(ROWS), tmp_path / "actuals.csv")
    (paid,) = bcf.payment(CCG, ["reablement=83"], [], file)
    assert paid["released"] == pytest.approx(4 * WEIGHT)  # reablement 83 >= 82 now pays


@pytest.mark.parametrize(
    ("rows", "row", "says"),
    [
        ([{"metric": "dementia", "value": 58}, {"metric": "nosuch", "value": 1}], 3,
         "no BCF plan here has a metric 'nosuch'"),
        ([{"metric": "dementia", "value": "n/a"}], 2, "'n/a' is not a number"),
        ([{"metric": "dementia", "release": "june-2015", "value": 58}], 2,
         "does not count in a release 'june-2015'"),
        ([{"metric": "dementia", "value": 58}, {"metric": "dementia", "release": "april-2015",
          "value": 59}], 3, "a second actual"),
    ],
)  # fmt: skip
def test_a_bad_row_is_one_line_with_file_and_row(
    tmp_path: Path, rows: list[dict[str, object]], row: int, says: str
) -> None:
    file = write_table(pd.DataFrame(rows), tmp_path / "actuals.csv")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli("bcf", "payment", str(CCG), "--actuals", str(file))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and says in lines[0]
    assert "actuals.csv" in lines[0] and f"row {row}" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_missing_column_or_a_malformed_workbook_is_exit_2(tmp_path: Path) -> None:
    no_value = write_table(pd.DataFrame([{"metric": "dementia"}]), tmp_path / "a.csv")
    result = run_cli("bcf", "payment", str(CCG), "--actuals", str(no_value))
    assert result.returncode == 2 and "missing column 'value'" in result.stderr
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_cli("bcf", "payment", str(CCG), "--actuals", str(broken))
    assert result.returncode == 2 and "b.xlsx" in result.stderr
    assert "Traceback" not in result.stderr
