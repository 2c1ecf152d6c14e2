"""The spc command, and the chart definitions rendered to SVG and PNG."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.reports import charts
from placehealth.spc import xmr
from tests.spc.test_xmr import STABLE, series
from tests.test_cli import run_cli


def test_spc_command_writes_the_chart_columns(tmp_path: Path) -> None:
    data = pd.concat(
        [series(STABLE).assign(area="A"), series([*STABLE[:-1], 40.0]).assign(area="B")]
    )
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    data.to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date", "--by", "area",
                     "--improvement", "increase", "--target", "5", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(out)
    for column in ("mean", "lpl", "upl", "special_cause_flag", "special_cause_type",
                   "point_type", "variation_icon", "assurance_icon"):  # fmt: skip
        assert column in written.columns
    icons = written.groupby("area")["variation_icon"].first().to_dict()
    assert icons == {"A": "common_cause", "B": "improvement_high"}


def test_spc_command_warns_about_short_series(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    series([10.0, 12.0, 11.0]).to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date", "-o", str(out))
    assert result.returncode == 0
    assert "fewer than 12 points" in result.stdout
    assert pd.read_csv(out)["lpl"].isna().all()


def test_spc_command_bad_input_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    series(STABLE).assign(value=["x", *STABLE[1:]]).to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date", "-o", "o.csv")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{source}, row 2, column 'value'" in result.stderr
    series(STABLE).to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date",
                     "--improvement", "up", "-o", "o.csv")  # fmt: skip
    assert result.returncode == 2
    assert "unknown improvement direction" in result.stderr


def test_charts_render_to_svg_and_png() -> None:
    result = xmr(series([*STABLE, 40.0]), "value", "date", improvement="increase")
    spec = charts.spc_chart(result, title="Emergency admissions", target=15.0)
    svg = charts.to_svg(spec)
    assert svg.startswith("<svg") and "Emergency admissions" in svg
    assert "Improvement" in svg  # the legend names the special cause
    png = charts.to_png(spec, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    trajectory = series(STABLE).rename(columns={"date": "start"}).assign(expected=11.0)
    assert "<svg" in charts.to_svg(charts.trajectory_chart(trajectory, title="Trajectory"))
    areas = pd.DataFrame(
        {"area_code": ["N1", "N2"], "value": [5.0, 7.0], "lower95_0cl": [4.0, 6.0],
         "upper95_0cl": [6.0, 8.0]}
    )  # fmt: skip
    svg = charts.to_svg(charts.comparison_chart(areas, benchmark=6.0, title="Areas"))
    assert "N1" in svg and "N2" in svg
    assert charts.spc_chart(result)["config"]["font"] == "Liberation Sans"


def test_spc_command_trial_limits_and_exact_rebase(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    series([10.0, 12.0, 11.0, 13.0, 9.0]).to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date",
                     "--trial-limits", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "trial limits" in result.stdout
    written = pd.read_csv(out)
    assert written["trial_limits"].all() and written["upl"].notna().all()
    series(STABLE + [v + 10 for v in STABLE]).to_csv(source, index=False)
    args = ["spc", str(source), "--value", "value", "--date", "date", "--rebase", "2021-08-15"]
    assert run_cli(*args, "-o", str(out)).returncode == 0
    assert pd.read_csv(out)["mean"].nunique() == 2
    assert run_cli(*args, "--rebase-exact", "-o", str(out)).returncode == 0
    assert pd.read_csv(out)["mean"].nunique() == 1


def test_spc_command_fix_after_below_12_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    series(STABLE).to_csv(source, index=False)
    result = run_cli("spc", str(source), "--value", "value", "--date", "date",
                     "--fix-after", "5", "-o", str(tmp_path / "o.csv"))  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "limits can be fixed after at least 12 points (got 5)" in result.stderr
