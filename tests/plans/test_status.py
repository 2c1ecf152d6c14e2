"""Status against actuals: polarity, confidence intervals, due dates, trend forecasts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.status import plan_status, read_actuals
from tests.plans.helpers import plans_from
from tests.test_cli import run_cli

PLAN = """
ambitions:
  - id: inpatient
    indicator: inpatient-experience-negative
    baseline: {period: 2013/14, value: 125.2}
    target: {period: 2018/19, value: 114.7}
    method: {kind: equal_steps}
  - id: admissions
    indicator: non-elective-admissions
    baseline: {period: 2013/14, value: 1200}
    target: {period: 2015/16, value: 1080}
    method: {kind: equal_steps}
  - id: reablement
    indicator: reablement-91-days
    baseline: {period: 2013/14, value: 80.0}
    target: {period: 2015/16, value: 84.0}
    method: {kind: equal_steps}
"""


def status(tmp_path: Path, rows: list[dict[str, object]], **kwargs: object) -> pd.DataFrame:
    path = tmp_path / "actuals.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    catalogue = load_catalogue()
    frame = read_actuals(path, catalogue)
    return plan_status(plans_from(tmp_path, PLAN), catalogue, frame, **kwargs).set_index("ambition")


def row(indicator: str, period: str, value: float, **extra: object) -> dict[str, object]:
    return {"indicator": indicator, "area": "Liverpool", "period": period, "value": value, **extra}


def test_lower_is_better_on_and_off_track(tmp_path: Path) -> None:
    # trajectory 2015/16 = 121.0; lower is better
    on = status(tmp_path, [row("inpatient-experience-negative", "2015/16", 120.5)])
    assert on.loc["inpatient", "status"] == "on track"
    off = status(tmp_path, [row("inpatient-experience-negative", "2015/16", 122.0)])
    assert off.loc["inpatient", "status"] == "off track"
    assert off.loc["inpatient", "expected"] == pytest.approx(121.0)
    assert off.loc["inpatient", "difference"] == pytest.approx(1.0)


def test_higher_is_better_and_a_miss_inside_the_interval(tmp_path: Path) -> None:
    # trajectory 2014/15 = 82.0; higher is better
    miss = status(tmp_path, [row("reablement-91-days", "2014/15", 81.0)])
    assert miss.loc["reablement", "status"] == "off track"
    within = status(
        tmp_path, [row("reablement-91-days", "2014/15", 81.0, lower95_0cl=79.5, upper95_0cl=82.5)]
    )
    assert within.loc["reablement", "status"] == "on track"


def test_not_yet_due_and_no_data(tmp_path: Path) -> None:
    result = status(tmp_path, [row("reablement-91-days", "2013/14", 70.0)])
    assert result.loc["reablement", "status"] == "not yet due"
    assert result.loc["inpatient", "status"] == "no data"


def test_monthly_actuals_against_a_yearly_trajectory_and_trend(tmp_path: Path) -> None:
    months = pd.period_range("2014-04", "2016-03", freq="M").strftime("%Y-%m")
    rows = [row("reablement-91-days", m, 80.0 + 0.2 * i) for i, m in enumerate(months)]
    result = status(tmp_path, rows)
    latest = result.loc["reablement"]
    assert latest["latest_period"] == "2016-03"
    assert latest["expected"] == pytest.approx(84.0)  # the 2015/16 trajectory value
    assert latest["actual"] == pytest.approx(84.6)
    assert latest["status"] == "on track"
    assert latest["comparison"].startswith("proportion for 2016-03 set beside the financial year")
    # a straight line of 0.2 a month averages 83.5 over 2015/16 (its value at 1 October
    # 2015): the target period's value, short of the target 84 whatever the noise (none)
    assert latest["forecast_period"] == "2015/16"
    assert latest["forecast_end"] == pytest.approx(83.5, abs=0.01)
    assert latest["forecast_upper"] == pytest.approx(83.5, abs=0.01)
    assert latest["forecast_verdict"] == "unlikely to meet"
    assert latest["forecast_meets_target"] is False or latest["forecast_meets_target"] == False  # noqa: E712
    assert "24 non-overlapping monthly points" in latest["forecast_method"]


def test_all_areas_tracks_each_series(tmp_path: Path) -> None:
    rows = [
        {**row("reablement-91-days", "2015/16", v), "area": a}
        for a, v in [("Liverpool", 85.0), ("North", 80.0), ("South", 90.0)]
    ]
    result = status(tmp_path, rows, all_areas=True).reset_index()
    by_area = result[result["ambition"] == "reablement"].set_index("area")["status"].to_dict()
    assert by_area == {"Liverpool": "on track", "North": "off track", "South": "on track"}


def test_row_order_does_not_matter(tmp_path: Path) -> None:
    rows = [row("inpatient-experience-negative", p, v) for p, v in
            [("2014/15", 124.0), ("2015/16", 121.5), ("2016/17", 118.0)]]  # fmt: skip
    forward = status(tmp_path, rows)
    backward = status(tmp_path, rows[::-1])
    pd.testing.assert_frame_equal(forward, backward)


def test_fingertips_download_is_accepted(tmp_path: Path) -> None:
    rows = [
        {
            "Indicator ID": 1,
            "Indicator Name": "Older people still at home 91 days after discharge into reablement",
            "Area Code": "E08000012",
            "Area Name": "Liverpool",
            "Time period": "2014/15",
            "Value": 83.0,
            "Lower CI 95.0 limit": 80.0,
            "Upper CI 95.0 limit": 86.0,
        }
    ]
    result = status(tmp_path, rows)
    assert result.loc["reablement", "status"] == "on track"
    assert result.loc["reablement", "lower"] == 80.0


def test_status_command_prints_and_writes(tmp_path: Path) -> None:
    plans_from(tmp_path, PLAN)
    actuals = tmp_path / "actuals.csv"
    pd.DataFrame([row("reablement-91-days", "2014/15", 83.0)]).to_csv(actuals, index=False)
    out = tmp_path / "status.xlsx"
    result = run_cli(
        "plan", "status", str(tmp_path / "plan.yaml"), "-a", str(actuals), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "on track" in result.stdout
    written = pd.read_excel(out).set_index("ambition")["status"].to_dict()
    assert written == {"inpatient": "no data", "admissions": "no data", "reablement": "on track"}


def test_an_index_only_trajectory_is_not_compared_with_actuals(tmp_path: Path) -> None:
    body = (
        PLAN
        + """
  - id: pyll
    indicator: pyll-amenable
    method:
      kind: yearly_changes
      changes_pct: [-3.2, -4]
      periods: [2014/15, 2015/16]
"""
    )
    path = tmp_path / "actuals.csv"
    pd.DataFrame([row("pyll-amenable", "2014/15", 2900.0)]).to_csv(path, index=False)
    catalogue = load_catalogue()
    result = plan_status(plans_from(tmp_path, body), catalogue, read_actuals(path, catalogue))
    pyll = result.set_index("ambition").loc["pyll"]
    assert pyll["status"] == "not comparable" and "an index" in pyll["comparison"]


def test_a_monthly_count_is_forecast_as_the_target_years_count(tmp_path: Path) -> None:
    # 85 admissions a month, falling by 0.5: about 960 in 2015/16 against a target of 1,080
    months = pd.period_range("2014-04", "2015-09", freq="M").strftime("%Y-%m")
    rows = [row("non-elective-admissions", m, 85.0 - 0.5 * i) for i, m in enumerate(months)]
    latest = status(tmp_path, rows).loc["admissions"]
    # the year's count of a straight monthly line is 12 × its value mid-year (1 October
    # 2015, 17.5 months after mid-April 2014): 12 × (85 - 0.5 × 17.5) = 915
    assert latest["forecast_end"] == pytest.approx(12 * (85 - 0.5 * 17.5), abs=1)
    assert latest["forecast_verdict"] == "likely to meet"
    assert bool(latest["forecast_meets_target"])
    rising = [row("non-elective-admissions", m, 95.0 + 0.5 * i) for i, m in enumerate(months)]
    assert not bool(status(tmp_path, rising).loc["admissions", "forecast_meets_target"])


def test_indicator_values_from_the_engine_are_read_as_actuals(tmp_path: Path) -> None:
    # the long format of DESIGN §4: every sex and age is kept (F is read as female), status
    # takes the ambition's (persons by default); suppressed values are skipped
    engine_rows = pd.DataFrame(
        {
            "indicator_id": ["reablement-91-days"] * 4,
            "area_type": ["place", "place", "place", "neighbourhood"],
            "area_code": ["Liverpool", "Liverpool", "Liverpool", "NB01"],
            "period": ["2014/15", "2014/15", "2015/16", "2014/15"],
            "sex": ["persons", "F", "persons", "persons"],
            "age_band": ["all ages"] * 4,
            "value": [83.0, 60.0, None, 70.0],
            "lower95_0cl": [82.0, 59.0, None, 65.0],
            "upper95_0cl": [84.0, 61.0, None, 75.0],
        }
    )
    path = tmp_path / "values.parquet"
    engine_rows.to_parquet(path)
    catalogue = load_catalogue()
    actuals = read_actuals(path, catalogue)
    assert len(actuals) == 3 and sorted(actuals["sex"]) == ["female", "persons", "persons"]
    result = plan_status(plans_from(tmp_path, PLAN), catalogue, actuals).set_index("ambition")
    assert result.loc["reablement", "actual"] == 83.0
    assert result.loc["reablement", "status"] == "on track"
