"""Fingertips downloads read as they come (ids, sex, age, categories, blanks) and written back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import ValidationError
from placehealth.fingertips import (
    HEADINGS,
    fingertips_period,
    period_label,
    read_fingertips,
    write_fingertips,
)
from placehealth.plans.status import plan_status, read_actuals
from tests.conftest import ROOT
from tests.plans.helpers import plans_from
from tests.test_cli import run_cli

CATALOGUE = load_catalogue()
EXAMPLE = ROOT / "examples" / "fingertips-download.csv"


def example() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE)


def test_the_example_has_a_downloads_headings_in_order() -> None:
    assert list(example().columns) == HEADINGS


def test_reads_the_example_as_it_comes() -> None:
    raw = example()
    frame = read_fingertips(EXAMPLE, CATALOGUE)
    # matched by Fingertips id: the download says "Infant mortality rate", the catalogue
    # "Infant mortality"; no name matches, the id does
    assert CATALOGUE["infant-mortality"].name != "Infant mortality rate"
    assert set(frame["indicator"]) == {
        "life-expectancy-birth", "premature-mortality-all", "infant-mortality"}  # fmt: skip
    # the catalogue holds no 93015: left out and listed, not a refused file
    assert frame.attrs["skipped"] == ["93015 'Percentage of physically inactive adults'"]
    # persons by default: the Male and Female rows of an indicator with Persons rows go
    u75 = frame[frame["indicator"] == "premature-mortality-all"]
    assert set(u75["sex"]) == {"persons"}
    assert len(u75) == ((raw["Indicator ID"] == 108) & (raw["Sex"] == "Persons")).sum()
    # life expectancy comes by sex only: kept as male and female, no persons row invented
    le = frame[frame["indicator"] == "life-expectancy-birth"]
    assert sorted(set(le["sex"])) == ["female", "male"] and len(le) == 18
    # the deprivation-decile row is a category, not England's value
    infant = frame[(frame["indicator"] == "infant-mortality") & (frame["area"] == "England")]
    assert infant["value"].tolist() == [3.9]
    # a suppressed value is kept blank, with its reason
    blank = frame[frame["value"].isna()]
    assert blank["period"].tolist() == ["2016 - 18"]
    assert blank["value_note"].tolist() == [
        "Value suppressed for disclosure control due to small count"
    ]
    # the only age band of an indicator with no "All ages" is its own
    assert set(u75["age_band"]) == {"<75 yrs"}


@pytest.mark.parametrize(
    ("sex", "expected"),
    [("female", {"life-expectancy-birth": {"female"}, "premature-mortality-all": {"female"}}),
     ("male", {"life-expectancy-birth": {"male"}, "premature-mortality-all": {"male"}}),
     ("all", {"life-expectancy-birth": {"female", "male"},
              "premature-mortality-all": {"female", "male", "persons"},
              "infant-mortality": {"persons"}})],
)  # fmt: skip
def test_a_sex_is_chosen_never_mixed(sex: str, expected: dict[str, set[str]]) -> None:
    frame = read_fingertips(EXAMPLE, CATALOGUE, sex=sex)
    got = frame.groupby("indicator")["sex"].agg(set).to_dict()
    assert got == expected


def test_male_and_female_rows_do_not_move_a_persons_forecast(tmp_path: Path) -> None:
    """Issue 13: male and female rows were read into persons and changed the forecast. A
    download with all three gives the persons forecast of a persons-only download."""
    plans = plans_from(
        tmp_path,
        """
        ambitions:
          - id: u75
            indicator: premature-mortality-all
            baseline: {period: "2016", value: 480.0}
            target: {period: "2021", value: 430.0}
            method: {kind: equal_steps}
        """,
    )
    persons_only = tmp_path / "persons.csv"
    example()[lambda d: d["Sex"] == "Persons"].to_csv(persons_only, index=False)
    mixed = plan_status(plans, CATALOGUE, read_actuals(EXAMPLE, CATALOGUE))
    alone = plan_status(plans, CATALOGUE, read_actuals(persons_only, CATALOGUE))
    pd.testing.assert_frame_equal(mixed, alone)
    assert mixed.iloc[0]["actual"] == 455.8  # Liverpool's persons value for 2019


def test_several_age_bands_without_all_ages_ask_which(tmp_path: Path) -> None:
    raw = example()
    extra = raw[raw["Indicator ID"] == 108].assign(Age="<65 yrs", Value=300.0)
    path = tmp_path / "ages.csv"
    pd.concat([raw, extra]).to_csv(path, index=False)
    with pytest.raises(ValidationError) as caught:
        read_fingertips(path, CATALOGUE)
    message = str(caught.value)
    assert "has age bands <65 yrs, <75 yrs and no 'all ages'" in message
    assert "--age" in (caught.value.hint or "")
    chosen = read_fingertips(path, CATALOGUE, age="<65 yrs")
    u75 = chosen[chosen["indicator"] == "premature-mortality-all"]
    assert set(u75["age_band"]) == {"<65 yrs"} and (u75["value"] == 300.0).all()
    everything = read_fingertips(path, CATALOGUE, age="all")
    persons = int((extra["Sex"] == "Persons").sum())  # Liverpool's three years and England's
    assert len(everything) == len(read_fingertips(EXAMPLE, CATALOGUE)) + persons


def test_text_in_a_value_is_one_error_with_its_line(tmp_path: Path) -> None:
    raw = example()
    raw["Value"] = raw["Value"].astype(object)
    raw.loc[5, "Value"] = "x"
    path = tmp_path / "bad.csv"
    raw.to_csv(path, index=False)
    result = run_cli("plan", "status", str(ROOT / "plans/one-liverpool-2019"), "-a", str(path))
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message.count("error:") == 1 and "'x' is not a number" in message
    assert "row 7" in message and "Value" in message


def test_a_download_under_title_lines_names_the_file_row(tmp_path: Path) -> None:
    """Read with --header-row 3 (two title lines): data row 6 (0-based 5) is file row 9."""
    raw = example()
    raw["Value"] = raw["Value"].astype(object)
    raw.loc[5, "Value"] = "x"
    path = tmp_path / "titled.csv"
    path.write_text("Fingertips download (synthetic)\n\n" + raw.to_csv(index=False))
    with pytest.raises(ValidationError, match=r"row 9, column 'Value': 'x' is not a number"):
        read_actuals(path, CATALOGUE, header_row=3)


def test_a_download_with_no_catalogue_indicator_says_so(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    example()[lambda d: d["Indicator ID"] == 93015].to_csv(path, index=False)
    with pytest.raises(ValidationError, match="no indicator in this Fingertips download"):
        read_fingertips(path, CATALOGUE)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_in_the_same_layout(tmp_path: Path, suffix: str) -> None:
    """Read with every sex and age, write back: the same headings, order and rows (less the
    category row and the indicator the catalogue does not hold, which are not read)."""
    frame = read_fingertips(EXAMPLE, CATALOGUE, sex="all", age="all")
    out = write_fingertips(frame, tmp_path / f"again{suffix}")
    written = pd.read_csv(out) if suffix == ".csv" else pd.read_excel(out)
    raw = example()
    expected = raw[raw["Category Type"].isna() & (raw["Indicator ID"] != 93015)]
    assert list(written.columns) == HEADINGS
    pd.testing.assert_frame_equal(
        written.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False
    )


def test_writes_our_values_in_the_fingertips_layout(tmp_path: Path) -> None:
    """Values we computed (our columns only) get Fingertips headings, with the indicator id
    and name from the catalogue."""
    ours = pd.DataFrame(
        {"indicator": ["life-expectancy-birth"], "area_code": ["E08000012"], "area": ["Liverpool"],
         "sex": ["female"], "age_band": ["all ages"], "period": ["2017-19"], "value": [80.3]}
    )  # fmt: skip
    out = write_fingertips(ours, tmp_path / "ours.csv", CATALOGUE)
    written = pd.read_csv(out)
    assert list(written.columns) == HEADINGS
    row = written.iloc[0]
    assert (row["Indicator ID"], row["Indicator Name"]) == (90366, "Life expectancy at birth")
    assert (row["Sex"], row["Age"], row["Time period"], row["Value"]) == (
        "Female", "All ages", "2017-19", 80.3)  # fmt: skip
    again = read_fingertips(out, CATALOGUE)
    assert again[["indicator", "sex", "value"]].to_dict("records") == [
        {"indicator": "life-expectancy-birth", "sex": "female", "value": 80.3}]  # fmt: skip


@pytest.mark.parametrize(
    ("fingertips", "ours"),
    [("2010/11 - 12/13", "2010/11-2012/13"), ("1998/99 - 00/01", "1998/99-2000/01"),
     ("Apr 2020 - Mar 2021", "2020-04..2021-03"), ("2015 - 17", "2015 - 17"),
     ("2017/18 Q1", "2017/18 Q1")],
)  # fmt: skip
def test_period_labels_read_and_written_back(fingertips: str, ours: str) -> None:
    assert period_label(fingertips) == ours
    assert fingertips_period(ours) == fingertips


def test_plan_status_sex_option_from_the_example(tmp_path: Path) -> None:
    """`--sex` reaches plan status: a female ambition finds the female rows by default (life
    expectancy has no persons rows), and `--sex male` leaves it with the reason."""
    plan = tmp_path / "plan"
    plan.mkdir()
    plans_from(
        plan,
        """
        ambitions:
          - id: le-female
            indicator: life-expectancy-birth
            sex: female
            comparator: {area: North West}
            baseline: {period: 2015-17, value: 80.0}
            target: {period: 2019-21, value: 81.0}
            method: {kind: equal_steps}
        """,
    )
    result = run_cli("plan", "status", str(plan), "-a", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["latest_period"], row["actual"], row["expected"]) == ("2017 - 19", 80.3, 80.5)
    assert (row["comparator"], row["comparator_value"]) == ("North West", 81.8)
    male = run_cli("plan", "status", str(plan), "-a", str(EXAMPLE), "--json", "--sex", "male")
    (row,) = json.loads(male.stdout)
    assert row["status"] == "not comparable"
    assert "for male, not female" in row["comparison"]


def test_an_unknown_sex_option_is_one_line_for_any_actuals(tmp_path: Path) -> None:
    ours = tmp_path / "actuals.csv"
    pd.DataFrame({"indicator": ["infant-mortality"], "area": ["Liverpool"], "period": ["2019"],
                  "value": [5.0]}).to_csv(ours, index=False)  # fmt: skip
    for actuals in (EXAMPLE, ours):
        result = run_cli("plan", "status", str(ROOT / "plans/one-liverpool-2019"), "-a",
                         str(actuals), "--sex", "both")  # fmt: skip
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "unknown sex 'both'" in result.stderr and "persons, male, female, all" in (
            result.stderr
        )
