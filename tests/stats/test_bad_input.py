"""Bad input: one clear ValidationError naming group, row and column; CLI exits 2, no traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from placehealth.cli import main as cli_main
from placehealth.errors import ValidationError
from placehealth.stats import ESP2013, dsr, isr, life_expectancy, mean, proportion, rate, sii
from tests.stats.test_reference_life_expectancy import DEATHS, POPS, STARTS


def bands(area: str = "A", **changes: tuple[int, object]) -> pd.DataFrame:
    data = pd.DataFrame(
        {"area": area, "band": ESP2013.index, "x": range(10, 29), "n": [1000] * 19}
    ).astype({"x": object, "n": object})
    for column, (row, value) in changes.items():
        data.loc[row, column] = value
    return data


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (bands(x=(2, -1)), r"row 3, column 'x': group area='A': count must be at least 0"),
        (
            bands(n=(4, 0)),
            r"row 5, column 'n': group area='A': population must be greater than zero",
        ),
        (bands(n=(4, None)), r"row 5, column 'n': group area='A': population is missing"),
        (bands(x=(0, "12a")), r"row 1, column 'x': group area='A': count '12a' is not a number"),
        (bands().drop(index=7), r"column 'band': group area='A' is missing age band '35-39'"),
        (bands(band=(0, "100-104")), r"age band '100-104' is not one of the bands of esp2013"),
    ],
)
def test_dsr_bad_input(data: pd.DataFrame, pattern: str) -> None:
    with pytest.raises(ValidationError, match=pattern):
        dsr(data, "x", "n", "area", age_band="band")


def test_unknown_standard() -> None:
    with pytest.raises(ValidationError, match="unknown standard population 'esp2031'"):
        dsr(bands(), "x", "n", "area", age_band="band", standard="esp2031")


def test_missing_column_is_named() -> None:
    with pytest.raises(ValidationError, match=r"missing column 'deaths'.*columns present: area"):
        dsr(bands(), "deaths", "n", "area", age_band="band")


def test_count_above_population_where_impossible() -> None:
    data = pd.DataFrame({"area": ["A", "B"], "x": [5, 50], "n": [10, 20]})
    with pytest.raises(ValidationError, match=r"group area='B'.*numerator \(50\) is greater"):
        proportion(data, "x", "n", "area")
    assert rate(data, "x", "n", "area").value.iloc[1] == 250_000  # events may exceed people


def test_other_functions_name_group_and_column() -> None:
    data = pd.DataFrame({"area": ["A", "B"], "x": [5, -2], "n": [10, 20]})
    with pytest.raises(ValidationError, match=r"row 2, column 'x': group area='B'"):
        rate(data, "x", "n", "area")
    with pytest.raises(ValidationError, match="has one value"):
        mean(data, "x", "area")
    le = pd.DataFrame({"age": STARTS, "pop": POPS, "deaths": DEATHS, "area": "Z"})
    le.loc[5, "pop"] = 0
    with pytest.raises(
        ValidationError, match=r"column 'pop': group area='Z': population must be greater"
    ):
        life_expectancy(le, "deaths", "pop", "area", age_band="age")
    ref = bands().assign(rx=5, rn=0)
    with pytest.raises(ValidationError, match="reference population must be greater than zero"):
        isr(ref, "x", "n", "area", ref_count="rx", ref_population="rn")
    with pytest.raises(ValidationError, match="confidence level 150 is out of range"):
        rate(data.assign(x=[5, 2]), "x", "n", confidence=[150])
    with pytest.raises(ValidationError, match="unknown value type"):
        sii(data, "area", "n", value="x", se="x", value_type="odds")  # type: ignore[arg-type]


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """The installed entry point, in process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["placehealth", *args])
    monkeypatch.setenv("COLUMNS", "200")
    code = 0
    try:
        cli_main.run()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_bad_cell_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deaths.csv"
    bands(n=(4, "1,000")).to_csv(path, index=False)
    code, _, err = run_cli(
        [
            "stats",
            "dsr",
            str(path),
            "--count",
            "x",
            "--population",
            "n",
            "--age-band",
            "band",
            "--by",
            "area",
        ],
        monkeypatch,
        capsys,
    )
    assert code == 2
    assert "Traceback" not in err
    # the fifth data row is row 6 of the file, under its header
    assert (
        "deaths.csv, row 6, column 'n': group area='A': population '1,000' is not a number" in err
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--standard", "who2000"], "unknown standard population 'who2000'"),
        (["--confidence", "0.95,abc"], "confidence level 'abc' is not a number"),
        (["--age-band", "age"], "missing column 'age'"),
    ],
)
def test_cli_bad_options(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    path = tmp_path / "in.csv"
    bands().to_csv(path, index=False)
    base = ["stats", "dsr", str(path), "--count", "x", "--population", "n", "--by", "area"]
    if "--age-band" not in args:
        base += ["--age-band", "band"]
    code, _, err = run_cli([*base, *args], monkeypatch, capsys)
    assert code == 2, err
    assert "Traceback" not in err
    assert message in err


def test_cli_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        ["stats", "rate", str(tmp_path / "nope.csv"), "--count", "x", "--population", "n"],
        monkeypatch,
        capsys,
    )
    assert code == 2 and "file not found" in err and "Traceback" not in err
