"""Actuals fed from the engine's values: same-measure mapping, units, periods, stand-ins."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.model import Unit, unit_factor
from placehealth.plans.status import plan_status, read_actuals
from placehealth.services.status_records import engine_indicator, record_actuals
from tests.plans.helpers import plans_from

PLAN = """
ambitions:
  - id: hip
    indicator: bp-hip-fractures-65
    baseline: {period: 2014/15, value: 600}
    target: {period: 2016/17, value: 560}
    method: {kind: equal_steps}
  - id: emergency
    indicator: emergency-admissions
    multiplier: 1000
    baseline: {period: 2014/15, value: 95}
    target: {period: 2016/17, value: 85}
    method: {kind: equal_steps}
  - id: cancer
    indicator: premature-mortality-cancer
    baseline: {period: 2014/15, value: 150}
    target: {period: 2016/17, value: 140}
    method: {kind: equal_steps}
  - id: inpatient
    indicator: inpatient-experience-negative
    baseline: {period: 2014/15, value: 125.2}
    target: {period: 2016/17, value: 114.7}
    method: {kind: equal_steps}
  - id: infants
    indicator: infant-deaths
    baseline: {period: 2014/15, value: 40}
    target: {period: 2016/17, value: 36}
    method: {kind: equal_steps}
"""

ENGINE = ["indicator_id", "area_type", "area_code", "period", "sex", "age_band", "numerator",
          "denominator", "value", "lower95_0cl", "upper95_0cl"]  # fmt: skip
VALUES = pd.DataFrame(
    [
        ["hip-fractures-65", "place", "Liverpool", "2015/16", "persons", "65+", 60, 10000,
         590.0, 450.0, 760.0],
        ["hip-fractures-65", "neighbourhood", "NB01", "2015/16", "persons", "65+", 6, 1000,
         600.0, 220.0, 1300.0],
        ["emergency-admissions", "place", "Liverpool", "2015/16", "persons", "all ages", 900,
         10000, 9000.0, 8400.0, 9600.0],
        ["premature-mortality-cancer", "place", "Liverpool", "2015-17", "persons", "all ages",
         45, 30000, 145.0, 105.0, 195.0],
        ["premature-mortality-cancer", "place", "Liverpool", "2010-12", "persons", "all ages",
         50, 30000, 160.0, 120.0, 210.0],
        ["infant-deaths", "place", "Liverpool", "2015/16", "persons", "all ages", 3, None,
         3.0, 0.6, 8.8],
    ],
    columns=ENGINE,
)  # fmt: skip
STAND_IN = pd.DataFrame(
    {
        "indicator": ["bp-hip-fractures-65", "inpatient-experience-negative", "infant-deaths"],
        "area": "Liverpool",
        "period": "2015-06",
        "value": [580.0, 120.0, 3.0],
        "lower95_0cl": np.nan,
        "upper95_0cl": np.nan,
        "annualised": [True, False, False],
    }
)


def test_engine_values_become_the_ambitions_actuals_in_their_units(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    plans = plans_from(tmp_path, PLAN)
    fed = record_actuals(VALUES, plans, catalogue, STAND_IN, counts=False)
    rows = fed.frame.set_index(["indicator", "period"])
    # same measure under another id: the place's row only, renamed, per 100,000 as both are
    hip = rows.loc[("bp-hip-fractures-65", "2015/16")]
    assert (hip["value"], hip["lower95_0cl"], hip["upper95_0cl"]) == (590.0, 450.0, 760.0)
    assert (hip["area"], hip["source"], hip["age_band"]) == ("Liverpool", "records", "65+")
    # per 100,000 in the engine, per 1,000 in the ambition: × 0.01
    emergency = rows.loc[("emergency-admissions", "2015/16")]
    assert np.allclose(emergency[["value", "lower95_0cl", "upper95_0cl"]].astype(float),
                       [90.0, 84.0, 96.0])  # fmt: skip
    # the engine writes no months: "2010-12" is a pooled window, as its file is read
    assert rows.loc[("premature-mortality-cancer", "2010-12"), "period_kind"] == "pooled"
    assert rows.loc[("premature-mortality-cancer", "2015-17"), "value"] == 145.0
    # the stand-in's hip rows give way to the records'; the survey and the count keep theirs
    assert ("bp-hip-fractures-65", "2015-06") not in rows.index
    kept = fed.frame[fed.frame["source"] == "stand-in"]
    assert sorted(kept["indicator"]) == ["infant-deaths", "inpatient-experience-negative"]
    sources = fed.sources.set_index("ambition")
    assert sources["source"].to_dict() == {
        "hip": "records", "emergency": "records", "cancer": "records",
        "inpatient": "stand-in", "infants": "stand-in",
    }  # fmt: skip
    assert sources.loc["hip", "engine_indicator"] == "hip-fractures-65"
    assert sources.loc["emergency", "factor"] == 0.01
    assert "records do not define it" in sources.loc["inpatient", "reason"]
    assert "own population" in sources.loc["infants", "reason"]


def test_status_reads_the_fed_actuals_by_its_own_period_rules(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    plans = plans_from(tmp_path, PLAN)
    fed = record_actuals(VALUES, plans, catalogue, STAND_IN, counts=False)
    path = tmp_path / "actuals.csv"
    fed.frame.to_csv(path, index=False)
    status = plan_status(plans, catalogue, read_actuals(path, catalogue)).set_index("ambition")
    # 90 per 1,000 against 2015/16's 90 (95 to 85 in equal steps): like with like
    assert status.loc["emergency", "compared"] == 90.0
    assert status.loc["emergency", "expected"] == 90.0
    assert status.loc["emergency", "comparison"] == "like with like"
    assert status.loc["hip", "actual"] == 590.0
    assert status.loc["hip", "status"] == "on track"  # 580 lies inside 450-760
    # the survey runs on its stand-in: June 2015's 120 set beside 2015/16's value
    assert status.loc["inpatient", "actual"] == 120.0
    assert status.loc["inpatient", "latest_period"] == "2015-06"


def test_counts_are_fed_when_the_status_knows_their_population(tmp_path: Path) -> None:
    fed = record_actuals(VALUES, plans_from(tmp_path, PLAN), load_catalogue())
    assert fed.sources.set_index("ambition").loc["infants", "source"] == "records"
    assert fed.frame["source"].eq("records").all()  # no stand-in given


def test_same_measure_notes_name_computed_indicators() -> None:
    assert engine_indicator("hip-fractures-65") == "hip-fractures-65"
    assert engine_indicator("bp-hip-fractures-65") == "hip-fractures-65"
    assert engine_indicator("independence-after-rehabilitation") == "reablement-91-days"
    assert engine_indicator("inpatient-experience-negative") is None


def test_unit_factor_converts_rates_and_shares_only() -> None:
    assert unit_factor(Unit.RATE, 100_000, Unit.RATE, 1_000) == 0.01
    assert unit_factor(Unit.PROPORTION, None, Unit.PERCENT, 100) == 100.0
    assert unit_factor(Unit.PERCENT, 100, Unit.PROPORTION, None) == 0.01
    assert unit_factor(Unit.COUNT, None, Unit.RATE, 100_000) is None


def test_actuals_with_no_pooled_window_read_back(tmp_path: Path) -> None:
    """An all-empty period_kind column comes back from CSV as numbers, not labels."""
    catalogue = load_catalogue()
    plans = plans_from(tmp_path, PLAN)
    yearly = VALUES[VALUES["indicator_id"] == "emergency-admissions"]
    path = tmp_path / "actuals.csv"
    record_actuals(yearly, plans, catalogue).frame.to_csv(path, index=False)
    assert read_actuals(path, catalogue)["period"].tolist() == ["2015/16"]
