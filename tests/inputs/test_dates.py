"""Dates as UK analysts write them: one rule (day first), month labels, clear refusals.

Each "Why" example of issue 13 (inputs) has a test here: 01/04/2022 was read as
4 January, 17/01/2022 was refused, and ``Apr-21`` worked only with a library warning.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pandas as pd
import pytest

from placehealth.dates import ambiguity_note, month_label, read_date, read_dates
from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from tests.test_cli import run_cli

LOW, HIGH = [10.0, 11.0, 9.0, 10.0, 11.0, 9.0], [20.0, 21.0, 19.0, 20.0, 21.0, 19.0] * 3


def _spc(tmp_path: Path, frame: pd.DataFrame, *args: str) -> tuple[int, str, pd.DataFrame | None]:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a library warning is a failure, not a footnote
        result = run_cli("spc", str(source), "--value", "value", "--date", "date",
                         "--min-points", "6", "-o", str(out), *args)  # fmt: skip
    written = pd.read_csv(out) if result.returncode == 0 else None
    return result.returncode, result.stderr + result.stdout, written


def test_01_04_2022_is_the_first_of_april(tmp_path: Path) -> None:
    """Monthly points dated 01/MM/YYYY and a rebase at July 2022: the new limits start at
    the seventh point (July). Read month first, every 2022 point fell in January and the
    rebase after all of them, at the thirteenth."""
    dates = [f"01/{m:02d}/{y}" for y in (2022, 2023) for m in range(1, 13)]
    frame = pd.DataFrame({"date": dates, "value": LOW + HIGH})
    code, said, written = _spc(tmp_path, frame, "--rebase", "2022-07-01")
    assert code == 0, said
    assert written is not None
    means = written["mean"].round(6)
    assert means.iloc[:6].nunique() == 1 and means.iloc[6:].nunique() == 1
    assert means.iloc[0] == pytest.approx(10.0) and means.iloc[6] == pytest.approx(20.0)
    assert read_dates(pd.Series(["01/04/2022"])).iloc[0] == pd.Timestamp(2022, 4, 1)
    assert "'01/01/2022' read as" not in said  # the same either way: nothing to say
    assert "dates: '01/02/2022' read as 1 February 2022 (give --month-first" in said


def test_rebase_option_is_read_day_first(tmp_path: Path) -> None:
    dates = pd.date_range("2022-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    frame = pd.DataFrame({"date": dates, "value": LOW + HIGH})
    code, said, written = _spc(tmp_path, frame, "--rebase", "01/07/2022")  # 1 July
    assert code == 0, said
    assert written is not None
    assert written["mean"].iloc[5] != pytest.approx(written["mean"].iloc[6])
    assert read_date("01/07/2022", option="--rebase") == pd.Timestamp(2022, 7, 1)


def test_17_01_2022_is_read_not_refused(tmp_path: Path) -> None:
    """Weekly points 03/01/2022, 10/01/2022, 17/01/2022 …, given out of order, come back in
    date order (the old reader took the first as month first and refused 17/01/2022)."""
    days = pd.date_range("2022-01-03", periods=24, freq="7D")
    frame = pd.DataFrame({"date": days.strftime("%d/%m/%Y"), "value": range(24)})
    shuffled = frame.sample(frac=1.0, random_state=3)
    code, said, written = _spc(tmp_path, shuffled)
    assert code == 0, said
    assert written is not None
    assert written["value"].tolist() == list(range(24))
    assert "17/01/2022" in set(written["date"])


@pytest.mark.parametrize(
    ("label", "first_day"),
    [("Apr-21", dt.date(2021, 4, 1)), ("Mar-2016", dt.date(2016, 3, 1)),
     ("April 2021", dt.date(2021, 4, 1)), ("sept 2019", dt.date(2019, 9, 1))],
)  # fmt: skip
def test_month_labels_are_months(label: str, first_day: dt.date) -> None:
    assert month_label(label) == (first_day.year, first_day.month)
    period = parse_period(label)
    assert (period.kind, period.start, period.label) == ("month", first_day, label)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_dates(pd.Series([label])).iloc[0] == pd.Timestamp(first_day)


def test_apr_21_in_a_file_reads_without_a_warning(tmp_path: Path) -> None:
    months = pd.date_range("2021-04-01", periods=24, freq="MS")
    frame = pd.DataFrame({"date": months.strftime("%b-%y"), "value": range(24)})
    assert frame["date"].iloc[0] == "Apr-21"
    code, said, written = _spc(tmp_path, frame.iloc[::-1])
    assert code == 0, said
    assert written is not None
    assert written["date"].iloc[0] == "Apr-21" and written["value"].tolist() == list(range(24))


def test_month_first_option_reads_us_dates(tmp_path: Path) -> None:
    dates = pd.date_range("2022-01-03", periods=24, freq="7D").strftime("%m/%d/%Y")
    frame = pd.DataFrame({"date": dates, "value": range(24)}).iloc[::-1]
    code, said, _ = _spc(tmp_path, frame)
    assert code == 2
    assert "row 2" in said and "06/13/2022" in said and "--month-first" in said
    code, said, written = _spc(tmp_path, frame, "--month-first")
    assert code == 0, said
    assert written is not None and written["value"].tolist() == list(range(24))


def test_a_file_that_contradicts_the_rule_names_row_value_readings_and_fix(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame({"date": ["01/04/2022", "01/05/2022", "01/17/2022"], "value": [1, 2, 3]})
    code, said, _ = _spc(tmp_path, frame)
    assert code == 2 and "Traceback" not in said
    assert "in.csv, row 4, column 'date'" in said
    assert "'01/17/2022' cannot be read day first" in said
    assert "1 April 2022" in said and "4 January 2022" in said  # the two readings
    assert "--month-first" in said  # the fix


def test_a_file_mixing_both_orders_is_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame({"date": ["17/01/2022", "01/17/2022"], "value": [1, 2]})
    code, said, _ = _spc(tmp_path, frame)
    assert code == 2
    assert "row 3" in said and "two orders" in said and "2022-04-01" in said


@pytest.mark.parametrize("bad", ["31/02/2022", "soon", "13/13/2022"])
def test_what_is_no_date_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match=f"'{bad}' is not a date"):
        read_dates(pd.Series(["01/01/2022", bad]), column="date")


def test_iso_dates_and_excel_date_cells_are_taken_as_they_are() -> None:
    values = pd.Series([dt.datetime(2022, 4, 1), "2022-04-02", "2022-04-03 10:30"], dtype=object)
    assert read_dates(values).dt.day.tolist() == [1, 2, 3]
    stamped = pd.Series(pd.to_datetime(["2022-04-01"]))
    assert read_dates(stamped).iloc[0] == pd.Timestamp(2022, 4, 1)


def test_the_reading_of_an_ambiguous_date_can_be_told() -> None:
    note = ambiguity_note(pd.Series(["13/01/2022", "01/04/2022"]))
    assert note == "'01/04/2022' read as 1 April 2022 (give --month-first for 4 January 2022)"
    assert ambiguity_note(pd.Series(["2022-04-01"])) is None


def test_index_date_options_follow_the_rule(tmp_path: Path) -> None:
    from placehealth.cli.phm_model import _date

    assert _date("01/04/2016", "--fit-index") == dt.date(2016, 4, 1)
    with pytest.raises(ValidationError, match="--fit-index: 'April' is not a date"):
        _date("April", "--fit-index")
