"""Synthetic actuals: reproducible, centred on the trajectory, some series off track."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.errors import ValidationError
from placehealth.plans.sample_actuals import COLUMNS, sample_actuals
from placehealth.plans.status import plan_status, read_actuals
from tests.plans.helpers import plans_from

PLAN = """
ambitions:
  - id: inpatient
    indicator: inpatient-experience-negative
    baseline: {period: 2013/14, value: 125.2}
    target: {period: 2018/19, value: 114.7}
    method: {kind: equal_steps}
  - id: reablement
    indicator: reablement-91-days
    baseline: {period: 2013/14, value: 80.0}
    target: {period: 2015/16, value: 84.0}
    method: {kind: equal_steps}
  - id: cdiff
    indicator: c-diff-infections
    baseline: {period: 2013/14, value: 120}
    target: {period: 2014/15, value: 96}
    method: {kind: equal_steps}
  - id: reablement-again
    indicator: reablement-91-days
    baseline: {period: 2013/14, value: 70.0}
    target: {period: 2015/16, value: 74.0}
    method: {kind: equal_steps}
  - id: no-numbers
    indicator: life-expectancy-birth
    method: {kind: stated}
  - id: index-only
    indicator: pyll-amenable
    method: {kind: yearly_changes, changes_pct: [-3.2, -4], periods: [2014/15, 2015/16]}
"""


@pytest.fixture
def plans(tmp_path: Path):
    return plans_from(tmp_path, PLAN)


def test_same_seed_same_numbers_other_seed_other_numbers(plans) -> None:
    catalogue = load_catalogue()
    a = sample_actuals(plans, catalogue, seed=7, months=24)
    b = sample_actuals(plans, catalogue, seed=7, months=24)
    c = sample_actuals(plans, catalogue, seed=8, months=24)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["value"], c["value"])
    assert list(a.columns) == COLUMNS


def test_months_start_when_the_trajectory_is_due(plans) -> None:
    frame = sample_actuals(plans, load_catalogue(), seed=1, months=24)
    # one series per indicator and area (reablement twice in the plan, once here;
    # the stated ambition without numbers has none, nor the index without a baseline)
    assert sorted(frame["indicator"].unique()) == [
        "c-diff-infections",
        "inpatient-experience-negative",
        "reablement-91-days",
    ]
    periods = frame.loc[frame["indicator"] == "reablement-91-days", "period"].tolist()
    assert periods == list(pd.period_range("2014-04", "2016-03", freq="M").strftime("%Y-%m"))
    shifted = sample_actuals(plans, load_catalogue(), seed=1, months=3, start="2015-01")
    assert shifted["period"].unique().tolist() == ["2015-01", "2015-02", "2015-03"]


def test_without_noise_each_month_is_the_trajectory_value(plans) -> None:
    frame = sample_actuals(plans, load_catalogue(), seed=1, months=24, noise=0.0)
    values = frame.set_index(["indicator", "period"])["value"]
    # inpatient: 125.2 → 114.7 in five equal steps of 2.1 (2014/15 = 123.1, 2015/16 = 121.0)
    assert values["inpatient-experience-negative", "2014-05"] == pytest.approx(123.1)
    assert values["inpatient-experience-negative", "2015-06"] == pytest.approx(121.0)
    assert values["reablement-91-days", "2015-12"] == pytest.approx(84.0)
    # a count is the month's share of the year: 96 a year in 2014/15, 2015/16 held at 96
    counts = frame[frame["indicator"] == "c-diff-infections"]
    assert counts["value"].head(12).sum() == pytest.approx(96, abs=6)  # whole-number months
    assert values["c-diff-infections", "2014-06"] == pytest.approx(round(96 * 30 / 365))


def test_intervals_hold_the_value(plans) -> None:
    frame = sample_actuals(plans, load_catalogue(), seed=3, months=24)
    assert (frame["lower95_0cl"] <= frame["value"]).all()
    assert (frame["value"] <= frame["upper95_0cl"]).all()
    assert (frame["upper95_0cl"] > frame["lower95_0cl"]).all()
    reablement = frame[frame["indicator"] == "reablement-91-days"]
    assert reablement["upper95_0cl"].max() <= 100


def test_many_areas_some_on_some_off_track(plans, tmp_path: Path) -> None:
    catalogue = load_catalogue()
    areas = [f"Neighbourhood {i}" for i in range(1, 21)]
    frame = sample_actuals(plans, catalogue, seed=11, months=24, areas=areas)
    assert frame.groupby("indicator")["area"].nunique().eq(20).all()
    path = tmp_path / "actuals.csv"
    frame.to_csv(path, index=False)
    status = plan_status(plans, catalogue, read_actuals(path, catalogue), all_areas=True)
    inpatient = status[status["ambition"] == "inpatient"]["status"].value_counts()
    # steady series stay on track; drifting and shifted ones (most of them) fall off
    assert inpatient.get("on track", 0) >= 5
    assert inpatient.get("off track", 0) >= 3


def test_bad_arguments_are_user_errors(plans) -> None:
    catalogue = load_catalogue()
    with pytest.raises(ValidationError, match="months must be at least 1"):
        sample_actuals(plans, catalogue, seed=1, months=0)
    with pytest.raises(ValidationError, match="not a month"):
        sample_actuals(plans, catalogue, seed=1, months=3, start="2015/16")


def test_cli_writes_actuals_that_plan_status_reads(tmp_path: Path) -> None:
    from tests.plans.helpers import write_plan
    from tests.test_cli import run_cli

    plan = write_plan(tmp_path, PLAN)
    out = tmp_path / "actuals.csv"
    args = ["report", "sample-actuals", "--plan", str(plan), "--seed", "5", "-o", str(out)]
    result = run_cli(*args, "--months", "12", "--areas", "North, South")
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out)
    assert sorted(frame["area"].unique()) == ["North", "South"]
    assert len(frame) == 3 * 2 * 12  # indicators × areas × months
    again = tmp_path / "again.csv"
    run_cli("report", "sample-actuals", "--plan", str(plan), "--seed", "5", "-o", str(again),
            "--months", "12", "--areas", "North, South")  # fmt: skip
    assert again.read_text() == out.read_text()
    bad = run_cli(*args, "--months", "3", "--start", "April")
    assert bad.returncode == 2
    assert "unrecognised period 'April'" in bad.stderr
