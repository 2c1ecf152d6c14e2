"""`placehealth spc` draws the chart and, on request, a summary row per series.

issue 13, "Why": `spc` wrote no chart and no summary table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from placehealth.reports import charts
from placehealth.reports.icons import ASSURANCE, VARIATION
from placehealth.spc import xmr
from placehealth.spc.summary import NO_LIMITS, limit_groups, series_summary
from tests.spc.test_xmr import STABLE, series
from tests.test_cli import run_cli

DROP = [*STABLE[:-1], 40.0]  # a last point far above the limits


def _input(tmp_path: Path) -> Path:
    data = pd.concat(
        [
            series(STABLE).assign(area="A"),
            series(DROP).assign(area="B"),
            series([10.0, 12.0, 11.0]).assign(area="C"),  # too short for limits
        ]
    )
    path = tmp_path / "in.csv"
    data.to_csv(path, index=False)
    return path


def _spc(tmp_path: Path, *extra: str) -> tuple[int, str]:
    args = ["spc", str(_input(tmp_path)), "--value", "value", "--date", "date", "--by", "area",
            "--improvement", "increase", "-o", str(tmp_path / "out.csv"), *extra]  # fmt: skip
    result = run_cli(*args)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("suffix", "starts"),
    [(".svg", b"<svg"), (".png", b"\x89PNG\r\n\x1a\n"), (".html", b"<!DOCTYPE html>")],
)
def test_spc_writes_the_chart_by_the_files_suffix(
    tmp_path: Path, suffix: str, starts: bytes
) -> None:
    chart = tmp_path / f"chart{suffix}"
    code, said = _spc(tmp_path, "--chart", str(chart))
    assert code == 0, said
    data = chart.read_bytes()
    assert data.lstrip()[: len(starts)].lower() == starts.lower()
    if suffix == ".svg":
        text = data.decode()
        for title in ("area = A", "area = B", "area = C"):  # a panel a series
            assert title in text
        assert "Improvement" in text  # B's last point is special cause, named in the legend
    if suffix == ".html":
        assert b"https://cdn" not in data  # the page carries its libraries: opens offline


def test_a_chart_type_we_cannot_draw_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    code, said = _spc(tmp_path, "--chart", str(tmp_path / "chart.pdf"))
    assert code == 2
    assert "unsupported chart type '.pdf'" in said and "use .svg, .png or .html" in said
    assert "Traceback" not in said
    assert not (tmp_path / "out.csv").exists()


def test_spc_summary_is_a_row_a_series_with_the_icons_in_words(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    code, said = _spc(tmp_path, "--summary-table", str(path), "--target", "5")
    assert code == 0, said
    table = pd.read_csv(path)
    assert list(table["area"]) == ["A", "B", "C"]
    a, b, c = (table.iloc[i] for i in range(3))
    assert (a["points"], a["latest_value"], a["mean"]) == (20, 12.0, 11.0)
    assert a["lpl"] == pytest.approx(11 - 2.66 * 2) and a["upl"] == pytest.approx(11 + 2.66 * 2)
    assert a["latest_date"] == "2021-08-01" and a["limits_from"] == "2020-01-01"
    assert a["common_cause"] == 20 and a["special_cause_improvement"] == 0
    assert a["variation"] == VARIATION["common_cause"][3]
    assert a["assurance_type"] == "consistent_pass"  # target 5 is below the lower limit
    assert a["assurance"] == ASSURANCE["pass"][2]
    assert b["variation_type"] == "special_cause_improvement"
    assert b["variation"] == VARIATION["improvement_high"][3]
    assert b["special_cause_improvement"] >= 1
    assert c["variation_type"] == "insufficient_data" and np.isnan(c["lpl"])
    assert c["assurance"] == NO_LIMITS
    assert set(table["target"]) == {5.0}


def test_spc_summary_in_excel_has_real_dates(tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    code, said = _spc(tmp_path, "--summary-table", str(path))
    assert code == 0, said
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("latest_date") + 1)
    assert cell.is_date and cell.value == dt.datetime(2021, 8, 1)


def test_summary_counts_points_and_gives_the_limits_in_force_after_a_rebase() -> None:
    data = series(STABLE + [v + 10 for v in STABLE])
    result = xmr(data, "value", "date", rebase=["2021-09-01"], improvement="decrease", target=30.0)
    table = series_summary(result, "value", "date", target=30.0)
    row = table.iloc[0]
    assert row["points"] == 40
    assert row["mean"] == 21.0  # the second group's mean, not the first's
    assert row["limits_from"] == pd.Timestamp("2021-09-01")
    assert row["assurance_type"] == "consistent_pass"  # lower is better: 30 above the upl
    kinds = ["common_cause", "special_cause_improvement", "special_cause_concern",
             "special_cause_neutral"]  # fmt: skip
    assert row[kinds].sum() == 40  # every point counted once


def test_limit_groups_follow_the_rebase_in_each_series() -> None:
    stepped = STABLE + [v + 10 for v in STABLE]
    frame = pd.concat([series(stepped).assign(area="A"), series(stepped).assign(area="B")])
    result = xmr(frame, "value", "date", by="area", rebase=["2021-09-01"])
    groups = limit_groups(result, ["area"])
    assert list(np.unique(groups)) == [1, 2, 3, 4]  # two groups in each series, never shared
    assert (np.bincount(groups)[1:] == 20).all()
    # adjacent groups under identical limits are one run: drawn and read the same
    same = xmr(series(STABLE * 2), "value", "date", rebase=["2021-09-01"])
    assert set(limit_groups(same)) == {1}


def test_the_chart_draws_mean_and_limits_as_steps_at_a_rebase() -> None:
    result = xmr(series(STABLE + [v + 10 for v in STABLE]), "value", "date", rebase=["2021-09-01"])
    spec = charts.spc_panels(result, value="value", date="date")
    layers = spec["layer"]
    steps = [layer for layer in layers if layer["encoding"].get("detail")]
    assert len(steps) == 3  # mean, lower and upper limit
    assert {row[charts.GROUP] for row in spec["data"]["values"]} == {1, 2}
    assert spec["title"]["subtitle"] == charts.SPC_KEY
