"""Bad demand inputs: one clear line naming the file and the row (or line), exit 2, no
traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demand.helpers import baseline_frame, projection_frame, write
from tests.test_cli import run_cli

NE = "non-elective"
STEPS = """\
steps:
  - {id: avoid, kind: avoidance, pods: [non-elective], low_pct: 2, high_pct: 5}
"""


def _inputs(tmp_path: Path) -> dict[str, Path]:
    base = baseline_frame({(NE, "70-74"): 40, ("ae", "20-24"): 90}, pods=("ae", NE))
    pop = projection_frame({2020: {}, 2021: {"70-74": 1.1}}, sexes=("M", "F"))
    steps = tmp_path / "steps.yaml"
    steps.write_text(STEPS)
    return {"baseline": write(base, tmp_path / "baseline.csv"),
            "projection": write(pop, tmp_path / "population.csv"), "steps": steps}  # fmt: skip


def _project(files: dict[str, Path], out: Path) -> tuple[int, str]:
    result = run_cli(
        "activity", "project", "--baseline", str(files["baseline"]), "--projection",
        str(files["projection"]), "--steps", str(files["steps"]), "--runs", "10", "-o", str(out),
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) <= 2, stderr  # one message (rich may wrap it once)
    return " ".join(line.strip() for line in lines)


def test_good_inputs_run(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    code, stderr = _project(files, tmp_path / "out.csv")
    assert code == 0, stderr and (tmp_path / "out.csv").exists()


def test_a_projection_missing_an_age_band_names_file_and_row(tmp_path: Path) -> None:
    """The 2021 female 85-89 row is left out: the message names the year, sex and band and
    the first row of that year and sex (file row = index + 2 under the header)."""
    files = _inputs(tmp_path)
    pop = projection_frame({2020: {}, 2021: {"70-74": 1.1}}, sexes=("M", "F"))
    gone = pop[(pop.year == 2021) & (pop.sex == "F") & (pop.age_band == "85-89")].index
    first = pop[(pop.year == 2021) & (pop.sex == "F")].index[0]
    write(pop.drop(gone), files["projection"])
    code, stderr = _project(files, tmp_path / "out.csv")
    message = _one_line(stderr)
    assert code == 2
    assert f"{files['projection']}, row {first + 2}, column 'age_band'" in message
    assert "year 2021, sex F has no age band 85-89" in message
    assert not (tmp_path / "out.csv").exists()


def test_a_step_with_a_negative_range_names_its_line(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    files["steps"].write_text(STEPS.replace("low_pct: 2", "low_pct: -2"))
    code, stderr = _project(files, tmp_path / "out.csv")
    message = _one_line(stderr)
    assert code == 2 and f"{files['steps']}:2" in message
    assert "a negative range (-2.0% to 5.0%)" in message


def test_an_unknown_pod_in_the_baseline_names_its_row(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    frame = baseline_frame({(NE, "70-74"): 40}, pods=("ae", NE))
    frame.loc[25, "pod"] = "day-surgery"
    write(frame, files["baseline"])
    code, stderr = _project(files, tmp_path / "out.csv")
    message = _one_line(stderr)
    assert code == 2 and f"{files['baseline']}, row 27, column 'pod'" in message
    assert "'day-surgery' is not a point of delivery" in message


@pytest.mark.parametrize(
    ("steps", "says"),
    [
        (STEPS.replace("[non-elective]", "[day-surgery]"), "Input should be"),
        (STEPS.replace("[non-elective]", "[op-first]"), "acts on 'op-first', which the baseline"),
    ],
)
def test_a_step_on_an_unknown_pod_names_its_line(tmp_path: Path, steps: str, says: str) -> None:
    files = _inputs(tmp_path)
    files["steps"].write_text(steps)
    code, stderr = _project(files, tmp_path / "out.csv")
    message = _one_line(stderr)
    assert code == 2 and f"{files['steps']}:2" in message and says in message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda f: f.assign(activity=f.activity.where(f.index != 3, -1)), "-1.0 is negative"),
        (lambda f: f.assign(sex=f.sex.where(f.index != 3, "X")), "sex 'X' is not M, F or P"),
        (lambda f: f.assign(age_band=f.age_band.where(f.index != 3, "3-7")), "'3-7' is not a five"),
        (lambda f: f.drop(columns="population"), "missing column 'population'"),
    ],
)
def test_other_bad_baselines_are_one_line(tmp_path: Path, change, says: str) -> None:  # type: ignore[no-untyped-def]
    files = _inputs(tmp_path)
    frame = baseline_frame({(NE, "70-74"): 40}, pods=("ae", NE))
    write(change(frame), files["baseline"])
    code, stderr = _project(files, tmp_path / "out.csv")
    assert code == 2 and says in _one_line(stderr) and str(files["baseline"]) in stderr


def test_activity_without_people_is_refused_and_people_without_activity_are_not(
    tmp_path: Path,
) -> None:
    files = _inputs(tmp_path)
    frame = baseline_frame({(NE, "70-74"): 40}, pods=("ae", NE))
    frame.loc[frame.age_band == "90+", "population"] = 0  # no activity there: fine
    write(frame, files["baseline"])
    assert _project(files, tmp_path / "out.csv")[0] == 0
    frame.loc[frame.age_band == "70-74", "population"] = 0
    write(frame, files["baseline"])
    code, stderr = _project(files, tmp_path / "out.csv")
    assert code == 2 and "activity without people" in _one_line(stderr)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--table", "beds"], "unknown table 'beds'"),
        (["--warehouse", "w.duckdb"], "give a baseline file or a warehouse (one of them)"),
        (["--chart", "fan.pdf"], "unsupported chart type '.pdf'"),
    ],
)
def test_bad_options_are_one_line(tmp_path: Path, extra: list[str], says: str) -> None:
    files = _inputs(tmp_path)
    result = run_cli(
        "activity", "project", "--baseline", str(files["baseline"]), "--projection",
        str(files["projection"]), "-o", str(tmp_path / "out.csv"), *extra,
    )  # fmt: skip
    assert result.returncode == 2 and says in _one_line(result.stderr)
    assert not (tmp_path / "out.csv").exists()
