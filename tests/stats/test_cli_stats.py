"""``placehealth stats``: every method from a file, help with examples, formats in and out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from placehealth.stats import dsr
from tests.stats.helpers import assert_close, ref
from tests.stats.test_bad_input import run_cli
from tests.stats.test_reference_life_expectancy import DEATHS, POPS, STARTS, VALUE

METHODS = [
    "proportion",
    "rate",
    "dsr",
    "isr",
    "mean",
    "life-expectancy",
    "sii",
    "quantiles",
    "funnel",
    "pyll",
]


@pytest.mark.parametrize("method", METHODS)
def test_help_has_an_example(
    method: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["stats", method, "--help"], monkeypatch, capsys)
    assert code == 0
    assert "Example:" in out and f"placehealth stats {method}" in out


def test_dsr_parquet_to_excel_matches_the_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea.csv")
    source, target = tmp_path / "in.parquet", tmp_path / "out.xlsx"
    data.to_parquet(source)
    code, _, err = run_cli(
        [
            "stats",
            "dsr",
            str(source),
            "--count",
            "count",
            "--population",
            "pop",
            "--age-band",
            "ageband",
            "--by",
            "area",
            "--multiplier",
            "10000",
            "-o",
            str(target),
        ],
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    got = pd.read_excel(target)
    expected = dsr(data, "count", "pop", "area", age_band="ageband", multiplier=10_000)
    assert list(got.columns) == list(expected.columns)
    assert_close(got.upper99_8cl, expected.upper99_8cl)


def write(frame: pd.DataFrame, tmp_path: Path) -> str:
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return str(path)


def test_each_method_runs_from_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    le = pd.DataFrame({"age": STARTS, "pop": POPS, "deaths": DEATHS})
    sii_data = ref("testdata_SII__testdata_SII.csv").query("RecordNo <= 20")
    isr_data = ref("testdata_DSR_ISR__testdata_multiarea_isr.csv").query("area == 'testdata_big'")
    runs = {
        "proportion": (
            ref("testdata_Proportion__testdata_Prop.csv").head(8),
            ["--numerator", "Numerator", "--denominator", "Denominator", "--by", "Area"],
        ),
        "rate": (
            ref("testdata_Rate__testdata_Rate.csv").head(8),
            ["--count", "Numerator", "--population", "Denominator", "--by", "Area"],
        ),
        "isr": (
            isr_data,
            [
                "--count",
                "count",
                "--population",
                "pop",
                "--ref-count",
                "refcount",
                "--ref-population",
                "refpop",
                "--by",
                "area",
                "--kind",
                "ratio",
            ],
        ),
        "mean": (ref("testdata_Mean__testdata_Mean.csv"), ["--value", "values", "--by", "area"]),
        "life-expectancy": (
            le,
            [
                "--deaths",
                "deaths",
                "--population",
                "pop",
                "--age-band",
                "age",
                "--ages",
                "0",
                "--confidence",
                "95",
            ],
        ),
        "sii": (
            sii_data,
            [
                "--quantile",
                "Quantile",
                "--population",
                "Population",
                "--value",
                "Value",
                "--se",
                "StandardError",
                "--by",
                "Area",
                "--repetitions",
                "1000",
            ],
        ),
        "quantiles": (
            ref("testdata_Quantiles__testdata_Quantiles.csv").query(
                "GroupSet == 'IndSex' and Test == 'Gooddata'"
            ),
            ["--value", "Value", "--polarity", "Polarity", "--quantiles", "7"],
        ),
        "funnel": (
            ref("testdata_funnel_prop_inputs.csv").drop(columns="significance"),
            ["--numerator", "numerator", "--denominator", "denominator", "--table", "limits"],
        ),
        "pyll": (
            pd.DataFrame({"age_band": ESP_BANDS, "d": 3, "p": 10_000}),
            ["--deaths", "d", "--population", "p"],
        ),
    }
    for method, (frame, args) in runs.items():
        code, out, err = run_cli(
            ["stats", method, write(frame, tmp_path), *args], monkeypatch, capsys
        )
        assert code == 0, (method, err)
        assert "value" in out.splitlines()[0] or method in {"quantiles", "funnel"}, method
    # life expectancy at birth from the CLI equals the worked example
    code, out, _ = run_cli(
        [
            "stats",
            "life-expectancy",
            write(le, tmp_path),
            "--deaths",
            "deaths",
            "--population",
            "pop",
            "--age-band",
            "age",
            "--ages",
            "0",
        ],
        monkeypatch,
        capsys,
    )
    from io import StringIO

    assert_close(pd.read_csv(StringIO(out)).value, VALUE[:1])


ESP_BANDS = [*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+"]


def test_entry_point_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame({"area": ["A"], "x": [-1], "n": [10]}).to_csv(path, index=False)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "placehealth",
            "stats",
            "proportion",
            str(path),
            "--numerator",
            "x",
            "--denominator",
            "n",
            "--by",
            "area",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "column 'x': group area='A': numerator must be at least 0" in result.stderr


def test_isr_cli_missing_option_processes_what_the_reference_handles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """testdata_tiny has a band with no population: refused by default with a hint,
    and with ``--missing zero`` the result is the reference's."""
    path = tmp_path / "isr.csv"
    ref("testdata_DSR_ISR__testdata_multiarea_isr.csv").to_csv(path, index=False)
    args = ["stats", "isr", str(path), "--count", "count", "--population", "pop"]
    args += ["--ref-count", "refcount", "--ref-population", "refpop", "--by", "area"]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err
    # the 41st data row is row 42 of the file, under its header
    assert "row 42, column 'pop': group area='testdata_tiny': population is missing" in err
    assert "--missing zero" in err
    out = tmp_path / "out.csv"
    code, _, err = run_cli([*args, "--missing", "zero", "-o", str(out)], monkeypatch, capsys)
    assert code == 0, err
    expected = ref("testdata_DSR_ISR__testresults_ISR.csv").iloc[:3]
    got = pd.read_csv(out)
    assert_close(got.value, expected.value)
    assert_close(got.upper99_8cl, expected.upper99_8cl)


@pytest.mark.parametrize("method", ["rate", "proportion"])
def test_rate_and_proportion_cli_missing_na_gives_the_group_no_value(
    method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "Rate" if method == "rate" else "Proportion"
    path = tmp_path / "in.csv"
    ref(f"testdata_{name}__testdata_{name[:4]}.csv").to_csv(path, index=False)
    columns = ["--count", "Numerator", "--population", "Denominator"]
    if method == "proportion":
        columns = ["--numerator", "Numerator", "--denominator", "Denominator"]
    args = ["stats", method, str(path), *columns, "--by", "Area"]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "is missing" in err
    out = tmp_path / "out.csv"
    code, _, err = run_cli([*args, "--missing", "na", "-o", str(out)], monkeypatch, capsys)
    assert code == 0, err
    got = pd.read_csv(out)
    assert got.value.isna().any() and got.value.notna().any()


def test_missing_option_outside_its_choices_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "isr.csv"
    ref("testdata_DSR_ISR__testdata_multiarea_isr.csv").to_csv(path, index=False)
    args = ["stats", "isr", str(path), "--count", "count", "--population", "pop"]
    args += ["--ref-count", "refcount", "--ref-population", "refpop", "--missing", "na"]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err
    assert "--missing 'na' is not one of error, zero" in err
