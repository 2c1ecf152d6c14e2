"""A stock's expected line in the board pack is the same interpolation plan status uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.load import Plan
from placehealth.plans.status import plan_status, read_actuals
from placehealth.reports.pack import assemble
from tests.conftest import seed_quote
from tests.plans.helpers import SeedPlan

CATALOGUE = load_catalogue()


def test_stock_chart_interpolates_as_status_does_seed_000_lines_4483_4485(tmp_path: Path) -> None:
    """Seed 000 4483-4485: 200 people care-planned 'currently' (March 2014), all 4,561 by
    December 2015. The chart's expected line at each month's end is the count interpolated
    between those dates (as plan status judges it), never a twelfth of a year's count."""
    assert seed_quote("December 2015", "000", 4485)
    ccg = SeedPlan("ccg-2014").plan
    chosen = [a for a in ccg.ambitions if a.id == "high-risk-care-plans"]
    plans = [Plan(document=ccg.document, ambitions=chosen, files=ccg.files)]
    months = pd.period_range("2014-04", "2015-12", freq="M")
    path = tmp_path / "actuals.csv"
    pd.DataFrame(
        {
            "indicator": "high-risk-proactive-care-plans",
            "area": "Liverpool",
            "period": months.strftime("%Y-%m"),
            "value": 1000.0,
        }
    ).to_csv(path, index=False)
    actuals = read_actuals(path, CATALOGUE)
    data = assemble(plans, CATALOGUE, actuals, month="2015-12")
    series = data.ambitions[0].series
    start, end = dt.date(2014, 3, 31), dt.date(2015, 12, 31)
    when = dt.date(2014, 12, 31)
    december = series.loc[series["period"] == "2014-12", "expected"].iloc[0]
    assert december == pytest.approx(200 + (4561 - 200) * (when - start).days / (end - start).days)
    assert series["expected"].iloc[-1] == pytest.approx(4561)
    # one definition: the status's expected value for the month is the chart's
    status = plan_status(plans, CATALOGUE, actuals[actuals["period"] == "2014-12"])
    assert status["expected"].iloc[0] == pytest.approx(december)
