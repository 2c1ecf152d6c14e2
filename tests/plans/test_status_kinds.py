"""Status compares like with like, or converts explicitly and says so; else 'not comparable'.

Each test takes its example from a seed plan and cites the seed lines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placehealth.catalogue import load_catalogue
from placehealth.catalogue.model import Aggregation, value_range
from placehealth.periods import parse_period
from placehealth.plans.compare import LIKE
from placehealth.plans.forecast import linear_forecast
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.sample_actuals import sample_actuals
from placehealth.plans.status import plan_status, read_actuals
from placehealth.plans.trajectory import compute
from tests.conftest import ROOT, seed_figures, seed_quote
from tests.plans.helpers import SeedPlan, plans_from

CATALOGUE = load_catalogue()
CCG = SeedPlan("ccg-2014")
ONE_LIVERPOOL = SeedPlan("one-liverpool-2019")


def only(plan: Plan, ambition_id: str) -> list[Plan]:
    """The plan with just one ambition."""
    chosen = [a for a in plan.ambitions if a.id == ambition_id]
    return [Plan(document=plan.document, ambitions=chosen, files=plan.files)]


def status_of(
    tmp_path: Path, plans: list[Plan], rows: list[dict[str, object]], **kwargs: object
) -> pd.Series:
    path = tmp_path / "actuals.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    frame = read_actuals(path, CATALOGUE)
    result = plan_status(plans, CATALOGUE, frame, **kwargs)
    assert len(result) == 1
    return result.iloc[0]


def row(indicator: str, period: str, value: float, area: str = "Liverpool", **extra: object):
    return {"indicator": indicator, "area": area, "period": period, "value": value, **extra}


def test_catalogue_aggregations_default_by_unit_and_are_stated_where_not() -> None:
    kinds = {i: CATALOGUE[i].kind for i in ("reablement-91-days", "non-elective-admissions",
             "emergency-admissions", "high-risk-proactive-care-plans",
             "premature-mortality-respiratory", "delayed-transfers-of-care")}  # fmt: skip
    assert kinds == {
        "reablement-91-days": Aggregation.PROPORTION,
        "non-elective-admissions": Aggregation.FLOW_COUNT,
        "emergency-admissions": Aggregation.RATE,
        "high-risk-proactive-care-plans": Aggregation.STOCK_COUNT,
        "premature-mortality-respiratory": Aggregation.POOLED,
        "delayed-transfers-of-care": Aggregation.LEVEL,
    }


def test_part_year_rate_is_scaled_to_its_period_seed_000_lines_4737_4740(tmp_path: Path) -> None:
    """Seed 000 4737-4740: 1055.7 avoidable admissions per 100,000 in April-September 2014,
    a half-year's rate. A quarter's rate is doubled to set it beside it, and says so."""
    assert "1055.7" in seed_figures("000", 4737) and seed_quote(
        "April - September 2014", "000", 4740
    )
    plans = only(CCG.plan, "bcf-avoidable-admissions")
    quarter = row("emergency-admissions-composite", "2014/15 Q1", 520.0,
                  area="Liverpool (BCF half-years)")  # fmt: skip
    got = status_of(tmp_path, plans, [quarter])
    assert got["expected_period"] == "2014/15 H1" and got["expected"] == pytest.approx(1055.7)
    assert got["compared"] == pytest.approx(1040.0)  # 520 × 6/3
    assert "scaled × 6/3" in got["comparison"]
    assert got["status"] == "on track"  # lower is better: 1040 < 1055.7
    # the same quarter written as a yearly rate is halved instead
    annual = {**quarter, "value": 2100.0, "annualised": True}
    got = status_of(tmp_path, plans, [annual])
    assert got["compared"] == pytest.approx(1050.0) and "annualised rate" in got["comparison"]


def test_stock_target_interpolates_at_the_date_seed_000_lines_4483_4485(tmp_path: Path) -> None:
    """Seed 000 4483-4485: 200 people care-planned now, all 4,561 by December 2015: a count
    at a date, interpolated between the dates, never a share of a year."""
    assert seed_quote("December 2015", "000", 4485)
    plans = only(CCG.plan, "high-risk-care-plans")
    got = status_of(tmp_path, plans, [row("high-risk-proactive-care-plans", "2014-12", 2000.0)])
    start, end, when = dt.date(2014, 3, 31), dt.date(2015, 12, 31), dt.date(2014, 12, 31)
    expected = 200 + (4561 - 200) * (when - start).days / (end - start).days
    assert got["expected"] == pytest.approx(expected)
    assert got["comparison"].startswith("stock interpolated")
    assert got["status"] == "off track"  # 2,000 is behind ~2,074


def test_target_beyond_printed_points_is_a_point_seed_000_line_1679(tmp_path: Path) -> None:
    """Seed 000 1676-1679: IAPT recovery printed by quarter of 2014/15, target 50% in 2015/16:
    the target is a point of the trajectory, and a 2015/16 actual is set beside it."""
    assert "50%" in seed_figures("000", 1679)
    t = compute(CCG.ambition("iapt-recovery"), CATALOGUE)
    assert t.periods[-1] == "2015/16" and t.values[-1] == 50
    got = status_of(tmp_path, only(CCG.plan, "iapt-recovery"),
                    [row("iapt-recovery", "2015/16", 48.0)])  # fmt: skip
    assert (got["expected_period"], got["expected"], got["comparison"]) == ("2015/16", 50, LIKE)
    assert got["status"] == "off track"


def test_first_planned_period_is_due_seed_000_lines_1544_1545(tmp_path: Path) -> None:
    """Seed 000 1544-1545: baseline 125.2 in 2013/14, 123.1 planned for 2014/15. An actual for
    the first month of 2014/15 is due; one for the baseline year is not."""
    plans = only(CCG.plan, "inpatient-experience")
    got = status_of(tmp_path, plans, [row("inpatient-experience-negative", "2014-04", 122.0)])
    assert got["status"] == "on track" and got["expected"] == pytest.approx(123.1)
    got = status_of(tmp_path, plans, [row("inpatient-experience-negative", "2013/14", 122.0)])
    assert got["status"] == "not yet due" and "2014/15" in got["comparison"]


def test_first_planned_period_without_a_baseline_is_due_seed_002_line_846(tmp_path: Path) -> None:
    """Seed 002 844-846: maintain 66 per 100,000 from 2015-17 to 2023-25. The windows between
    are planned too (2016-18 …), each due once it has an actual."""
    assert "66" in seed_figures("002", 846)
    t = compute(ONE_LIVERPOOL.ambition("premature-respiratory"), CATALOGUE)
    assert t.periods[:3] == ["2015-17", "2016-18", "2017-19"] and t.periods[-1] == "2023-25"
    got = status_of(tmp_path, only(ONE_LIVERPOOL.plan, "premature-respiratory"),
                    [row("premature-mortality-respiratory", "2016-18", 70.0)])  # fmt: skip
    assert (got["status"], got["expected"], got["comparison"]) == ("off track", 66, LIKE)


def test_pooled_window_from_every_year_of_it_seed_002_line_846(tmp_path: Path) -> None:
    """Three yearly rates pool into the 2016-18 window (from summed numerators and
    denominators); one year alone is not comparable with a pooled window."""
    plans = only(ONE_LIVERPOOL.plan, "premature-respiratory")
    years = [
        row("premature-mortality-respiratory", str(y), 0.0, numerator=n, denominator=100_000)
        for y, n in [(2016, 60), (2017, 66), (2018, 75)]
    ]
    got = status_of(tmp_path, plans, years)
    assert got["latest_period"] == "2016-18" and got["compared"] == pytest.approx(67.0)
    assert (
        got["comparison"] == "pooled from 3 yearly values (from summed numerators and denominators)"
    )
    got = status_of(tmp_path, plans, years[-1:])
    assert got["status"] == "not comparable"
    assert "a pooled window needs every year of it" in got["comparison"]


def test_counts_from_another_population_seed_002_line_850(tmp_path: Path) -> None:
    """Seed 002 850: 117 infant deaths in 2015-17 in Liverpool. Deaths counted in a sample of
    20,000 cannot be set against them: the plan states no population."""
    assert "117" in seed_figures("002", 850)
    plans = only(ONE_LIVERPOOL.plan, "infant-deaths")
    years = [row("infant-deaths", str(y), 1.0) for y in (2015, 2016, 2017)]
    same = status_of(tmp_path, plans, years)
    assert same["latest_period"] == "2015-17" and same["actual"] == 3.0  # summed: the baseline
    assert same["status"] == "not yet due"
    other = status_of(tmp_path, plans, years, population=20_000)
    assert other["status"] == "not comparable"
    assert (
        "population of 20,000" in other["comparison"]
        and "states no population" in (other["comparison"])
    )
    assert other["forecast_verdict"] == "not comparable" and np.isnan(other["forecast_end"])


def test_counts_from_another_population_are_compared_as_rates(tmp_path: Path) -> None:
    plans = plans_from(
        tmp_path,
        """
        ambitions:
          - id: admissions
            indicator: non-elective-admissions
            baseline: {period: 2013/14, value: 1200}
            target: {period: 2015/16, value: 1000}
            denominator: {value: 400000}
            method: {kind: equal_steps}
        """,
    )
    got = status_of(tmp_path, plans, [row("non-elective-admissions", "2014/15", 60.0)],
                    population=20_000)  # fmt: skip
    assert got["compared"] == pytest.approx(1200.0)  # 60 × 400,000 / 20,000
    assert "compared as rates" in got["comparison"] and got["status"] == "off track"


def test_forecast_with_too_few_points_seed_002_lines_838_840(tmp_path: Path) -> None:
    """Seed 002 838-840: circulatory mortality to 58 by 2023-25. Two overlapping windows
    (2015-17, 2016-18) are one independent point: too few to forecast."""
    assert "58" in seed_figures("002", 840)
    plans = only(ONE_LIVERPOOL.plan, "premature-circulatory")
    rows = [row("premature-mortality-circulatory", p, v) for p, v in
            [("2015-17", 66.4), ("2016-18", 87.5)]]  # fmt: skip
    got = status_of(tmp_path, plans, rows)
    assert got["forecast_verdict"] == "too few points to forecast"
    assert np.isnan(got["forecast_end"]) and got["status"] == "not yet due"
    # four non-overlapping yearly windows: a forecast for 2023-25, with its interval
    windows = [("pooled:2011-13", 80.0), ("2014-16", 75.0), ("2017-19", 71.0), ("2020-22", 66.0)]
    rows = [row("premature-mortality-circulatory", p, v) for p, v in windows]
    got = status_of(tmp_path, plans, rows)
    assert got["forecast_period"] == "2023-25" and "4 non-overlapping" in got["forecast_method"]
    assert got["forecast_lower"] < got["forecast_end"] < got["forecast_upper"]


def test_likely_only_when_the_interval_supports_it(tmp_path: Path) -> None:
    plans = only(ONE_LIVERPOOL.plan, "premature-circulatory")
    steady = [("pooled:2011-13", 70.0), ("2014-16", 65.0), ("2017-19", 60.0), ("2020-22", 55.0)]
    got = status_of(tmp_path, plans, [row("premature-mortality-circulatory", p, v)
                                      for p, v in steady])  # fmt: skip
    assert (
        got["forecast_end"] == pytest.approx(50.0, abs=0.05)
        and got["forecast_verdict"] == "likely to meet"
    )
    noisy = [("pooled:2011-13", 70.0), ("2014-16", 50.0), ("2017-19", 75.0), ("2020-22", 55.0)]
    got = status_of(tmp_path, plans, [row("premature-mortality-circulatory", p, v)
                                      for p, v in noisy])  # fmt: skip
    assert got["forecast_end"] < 58 and got["forecast_verdict"] == "uncertain"


# --- properties ----------------------------------------------------------------------------

PLAN = """
ambitions:
  - id: reablement
    indicator: reablement-91-days
    baseline: {period: 2013/14, value: 80.0}
    target: {period: 2016/17, value: 95.0}
    method: {kind: equal_steps}
  - id: admissions
    indicator: non-elective-admissions
    baseline: {period: 2013/14, value: 1200}
    target: {period: 2016/17, value: 1080}
    method: {kind: equal_steps}
  - id: emergency
    indicator: emergency-admissions
    baseline: {period: 2013/14, value: 2500}
    target: {period: 2016/17, value: 2200}
    method: {kind: equal_steps}
"""
LABELS = ["2014-05", "2014-11", "2015-02", "2014/15 Q2", "2015 Q1", "2014/15", "2015/16",
          "2016", "2014/15 H2", "2015-04..2015-12", "2014-10..2015-09", "2016/17", "2017/18",
          "2013/14", "2015-17"]  # fmt: skip
INDICATORS = ["reablement-91-days", "non-elective-admissions", "emergency-admissions"]


@pytest.fixture(scope="module")
def property_plans(tmp_path_factory: pytest.TempPathFactory) -> list[Plan]:
    folder = tmp_path_factory.mktemp("prop")
    return plans_from(folder, PLAN)


actual_rows = st.lists(
    st.tuples(
        st.sampled_from(INDICATORS),
        st.sampled_from(["Liverpool", "North"]),
        st.sampled_from(LABELS),
        st.floats(0, 3000, allow_nan=False),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


def frame_of(rows: list[tuple[str, str, str, float, bool]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "area", "period", "value", "annualised"])
    frame = frame.drop_duplicates(["indicator", "area", "period"])
    for label in frame["period"].unique():
        p = parse_period(label)
        mask = frame["period"] == label
        frame.loc[mask, "start"] = pd.Timestamp(p.start)
        frame.loc[mask, "end"] = pd.Timestamp(p.end)
        frame.loc[mask, "period_kind"] = p.kind
        frame.loc[mask, "months"] = p.months
    frame["months"] = frame["months"].astype(int)
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2
    return frame.reset_index(drop=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=actual_rows)
def test_never_compares_two_kinds_without_a_recorded_conversion(
    property_plans: list[Plan], rows: list[tuple[str, str, str, float, bool]]
) -> None:
    result = plan_status(property_plans, CATALOGUE, frame_of(rows), all_areas=True)
    judged = result[result["status"].isin(["on track", "off track"])]
    for rec in judged.itertuples():
        actual, expected = parse_period(rec.latest_period), parse_period(rec.expected_period)
        assert rec.comparison, rec
        if actual.shape != expected.shape:
            assert rec.comparison != LIKE, rec


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=actual_rows, seed=st.integers(0, 2**16))
def test_shuffling_actuals_changes_nothing(
    property_plans: list[Plan], rows: list[tuple[str, str, str, float, bool]], seed: int
) -> None:
    frame = frame_of(rows)
    shuffled = frame.sample(frac=1.0, random_state=np.random.default_rng(seed)).reset_index(
        drop=True
    )
    a = plan_status(property_plans, CATALOGUE, frame, all_areas=True)
    b = plan_status(property_plans, CATALOGUE, shuffled, all_areas=True)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=12),
    at=st.floats(2000, 2100),
)
def test_a_percentage_forecast_never_leaves_0_to_100(values: list[float], at: float) -> None:
    points = pd.DataFrame(
        {"area": "A", "x": 2010.0 + np.arange(len(values)), "y": np.asarray(values)}
    )
    low, high = value_range(CATALOGUE["reablement-91-days"].unit)
    fitted = linear_forecast(points, at, (low, high))
    for column in ("forecast", "forecast_lower", "forecast_upper"):
        value = float(fitted[column].iloc[0])
        assert np.isnan(value) or 0.0 <= value <= 100.0


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(st.floats(0, 40, allow_nan=False), min_size=3, max_size=8))
def test_a_count_forecast_through_status_is_never_negative(
    property_plans: list[Plan], values: list[float]
) -> None:
    labels = ["2010/11", "2011/12", "2012/13", "2013/14", "2014/15", "2015/16", "2016/17",
              "2017/18"][: len(values)]  # fmt: skip
    rows = [("non-elective-admissions", "Liverpool", p, v, False) for p, v in
            zip(labels, values[::-1], strict=True)]  # fmt: skip
    result = plan_status(property_plans, CATALOGUE, frame_of(rows)).set_index("ambition")
    forecast = result.loc["admissions", ["forecast_end", "forecast_lower", "forecast_upper"]]
    assert all(np.isnan(v) or v >= 0 for v in forecast.astype(float))


def test_seed_plan_status_on_its_sample_actuals_says_how_each_row_compares() -> None:
    """Every judged row of a seed plan's status on its sample actuals names its comparison."""
    plans = load_plans(ROOT / "plans/ccg-2014")
    frame = sample_actuals(plans, CATALOGUE, seed=1, months=24)
    frame = frame.assign(**frame_of(
        list(zip(frame["indicator"], frame["area"], frame["period"], frame["value"],
                 frame["annualised"], strict=True))
    )[["start", "end", "period_kind", "months", "mid"]])  # fmt: skip
    status = plan_status(plans, CATALOGUE, frame)
    judged = status[status["status"].isin(["on track", "off track"])]
    assert len(judged) >= 20 and judged["comparison"].str.len().gt(0).all()


def test_headlines_carry_their_period_seed_001_lines_340_343() -> None:
    """Seed 001 340-343: dementia diagnosis 'from 54% in July 2013 to 70% by March 2016',
    912 more people: the headline runs from the baseline's period to the target's."""
    from placehealth.plans.show import summary_frame

    assert "912" in seed_figures("001", 342, 343)
    summary = summary_frame(load_plans(ROOT / "plans/blueprint-2015"), CATALOGUE)
    row = summary.set_index("ambition").loc["dementia-diagnosis"]
    assert row["headlines"] == "+912 from 2013-07 to 2015/16"
