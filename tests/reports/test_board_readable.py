"""Board packs a board can read: synthetic marking, units and one basis per row,
incomparable pairs without a status, outcomes after a plan's end, flowing cards,
distinct titles, the plan's caveats, rebased limits, greyscale-readable charts."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import check_plans
from placehealth.plans.load import load_plans
from placehealth.plans.status import read_actuals
from placehealth.reports import charts
from placehealth.reports.board import board_html
from placehealth.reports.figures import attach_charts, attach_spc, chart_specs
from placehealth.reports.pack import PackData, assemble
from tests.reports.helpers import actuals_rows, default_levels, steady, write_plan

# cdiff: a yearly count (96 → 84) against monthly actuals; old-reablement ended in 2014/15
# (82.0, met by 86); old-inpatient ended in 2014/15 (121.0, lower is better, missed by
# 125); expired: its only dates are before the actuals (not comparable); two ambitions on
# one indicator with no name of their own; dementia: no actuals.
PLAN = """
ambitions:
  - id: cdiff
    indicator: c-diff-infections
    group: Experience
    baseline: {period: 2014/15, value: 96}
    target: {period: 2016/17, value: 84}
    method: {kind: equal_steps}
    notes: Counts exclude community-onset cases until April 2015.
  - id: old-reablement
    indicator: reablement-91-days
    group: Independence
    baseline: {period: 2013/14, value: 80.0}
    target: {period: 2014/15, value: 82.0}
    method: {kind: equal_steps}
  - id: old-inpatient
    indicator: inpatient-experience-negative
    group: Independence
    baseline: {period: 2013/14, value: 125.2}
    target: {period: 2014/15, value: 121.0}
    method: {kind: equal_steps}
  - id: expired
    indicator: reablement-91-days
    group: Independence
    baseline: {period: 2011/12, value: 80.0}
    target: {period: 2012/13, value: 81.0}
    method: {kind: equal_steps}
  - id: dementia
    indicator: dementia-diagnosis
    baseline: {period: 2014/15, value: 60.0}
    target: {period: 2016/17, value: 67.0}
    method: {kind: equal_steps}
"""


def _pack(
    tmp_path: Path, actuals: pd.DataFrame, charts_too: bool = False, plan: str = PLAN
) -> tuple[PackData, str]:
    catalogue = load_catalogue()
    plans = load_plans(write_plan(tmp_path, plan))
    path = tmp_path / "actuals.csv"
    actuals.to_csv(path, index=False)
    data = assemble(plans, catalogue, read_actuals(path, catalogue))
    attach_spc(data)
    if charts_too:
        attach_charts(data, scale=0.4)
    return data, board_html(data, check_plans(plans, catalogue))


def _actuals() -> pd.DataFrame:
    return actuals_rows(default_levels())


def _rows(html: str, ambition: str) -> list[str]:
    rows = re.findall(rf"<tr[^>]*data-ambition=\"{ambition}\"[^>]*>.*?</tr>", html, re.S)
    return [unescape(r) for r in rows]


def test_synthetic_actuals_are_marked_and_real_ones_are_not(tmp_path: Path) -> None:
    data, html = _pack(tmp_path / "real", _actuals())
    assert not data.synthetic and 'class="watermark"' not in html
    data, html = _pack(tmp_path / "sample", _actuals().assign(synthetic=True))
    assert data.synthetic
    assert 'class="watermark"' in html and "SYNTHETIC DATA" in html


def test_each_row_has_a_unit_and_one_basis(tmp_path: Path) -> None:
    data, html = _pack(tmp_path, _actuals())
    assert "<th>Unit</th>" in html and "<th>Basis</th>" in html
    plan_row, month_row = _rows(html, "cdiff")  # a yearly plan, monthly actuals: two rows
    assert "count" in plan_row and "financial year" in plan_row
    assert ">96<" in plan_row and ">84<" in plan_row
    assert "month" in month_row and "2016-03" in month_row
    assert ">96<" not in month_row and ">84<" not in month_row and ">90<" not in month_row
    cdiff = next(v for v in data.ambitions if v.id == "cdiff")
    assert cdiff.trajectory_now is not None and cdiff.trajectory_now < 10  # a month's share
    # a percentage compared like with like keeps one row
    (row,) = _rows(html, "old-reablement")
    assert "%" in row


def test_an_incomparable_pair_shows_its_reason_and_no_status(tmp_path: Path) -> None:
    data, html = _pack(tmp_path, _actuals())
    expired = next(v for v in data.ambitions if v.id == "expired")
    assert expired.status == "not comparable" and expired.comparison
    # the plan's yearly figures, then the monthly actual on a row of its own with the reason
    plan_row, row = _rows(html, "expired")
    assert "financial year" in plan_row and "month" in row and "86.3" in row
    assert expired.comparison in row
    assert not re.search(r"on track|off track|class=\"status", row)
    assert expired.assurance is None


def test_after_the_plans_end_the_outcome_replaces_the_forecast(tmp_path: Path) -> None:
    data, html = _pack(tmp_path, _actuals())
    views = {v.id: v for v in data.ambitions}
    assert views["old-reablement"].outcome == "achieved"
    assert views["old-inpatient"].outcome == "not achieved"
    assert views["dementia"].outcome is None  # ends 2016/17, after the report month
    for ambition in ("old-reablement", "old-inpatient"):
        (row,) = _rows(html, ambition)
        assert views[ambition].outcome in row


def test_cards_flow_and_no_data_ambitions_are_listed_once(tmp_path: Path) -> None:
    data, html = _pack(tmp_path, _actuals(), charts_too=True)
    assert next(v for v in data.ambitions if v.id == "dementia").status == "no data"
    cards = html.split('<section class="cards-section">', 1)[1].split("</section>", 1)[0]
    assert "dementia" not in cards and "Dementia" not in cards
    listed = html.split('id="no-data"', 1)[1].split("</section>", 1)[0]
    assert "dementia" in listed
    css = (Path(charts.__file__).parent / "templates" / "pack.css").read_text()
    assert "section.objective { break-before: page; }" not in css


def test_two_ambitions_never_share_a_title(tmp_path: Path) -> None:
    data, _ = _pack(tmp_path, _actuals())
    titles = [v.title for v in data.ambitions]
    assert len(set(titles)) == len(titles)
    old, expired = (
        next(v for v in data.ambitions if v.id == i) for i in ("old-reablement", "expired")
    )
    assert old.name == expired.name and old.title != expired.title


def test_the_plans_caveats_are_beside_the_numbers(tmp_path: Path) -> None:
    _, html = _pack(tmp_path, _actuals(), charts_too=True)
    card = html.split('id="card-t-cdiff"', 1)[1].split('class="card', 1)[0]
    assert "Counts exclude community-onset cases until April 2015." in card


def test_limits_are_rebased_at_a_rebase_in_the_actuals(tmp_path: Path) -> None:
    # reablement steps from 80 to 90 in 2015-04, marked as a rebase in the actuals
    levels = {"reablement-91-days": steady(80.0, 12) + steady(90.0, 12)}
    frame = actuals_rows(levels).assign(rebase="")
    frame.loc[frame["period"] == "2015-04", "rebase"] = "new service model"
    data, html = _pack(tmp_path, frame)
    view = next(v for v in data.ambitions if v.id == "old-reablement")
    assert view.spc is not None
    means = view.spc.groupby(view.spc["date"] >= pd.Timestamp("2015-04-01"))["mean"].first()
    assert abs(means[False] - 80.0) < 0.5 and abs(means[True] - 90.0) < 0.5
    assert view.rebased == ["2015-04"]
    # without the mark the step is offered for review, and the limits span it
    data, html = _pack(tmp_path / "unmarked", actuals_rows(levels))
    view = next(v for v in data.ambitions if v.id == "old-reablement")
    assert view.spc is not None and view.spc["mean"].nunique() == 1
    assert view.step_changes == ["2015-04"]
    assert "possible step change" in html and "2015-04" in html


def test_limits_are_rebased_at_a_change_the_plan_states(tmp_path: Path) -> None:
    # the same step, unmarked in the actuals, but stated in the plan with its reason
    stated = PLAN.replace(
        "    target: {period: 2014/15, value: 82.0}\n",
        "    target: {period: 2014/15, value: 82.0}\n"
        "    rebase: [{period: 2015-04, reason: new service model from April 2015}]\n",
        1,
    )
    assert stated != PLAN
    levels = {"reablement-91-days": steady(80.0, 12) + steady(90.0, 12)}
    data, html = _pack(tmp_path, actuals_rows(levels), plan=stated)
    view = next(v for v in data.ambitions if v.id == "old-reablement")
    assert view.spc is not None
    means = view.spc.groupby(view.spc["date"] >= pd.Timestamp("2015-04-01"))["mean"].first()
    assert abs(means[False] - 80.0) < 0.5 and abs(means[True] - 90.0) < 0.5
    assert view.rebased == ["2015-04"] and view.step_changes == []
    assert "new service model from April 2015" in unescape(html)


def test_trajectory_is_drawn_unlike_the_limits_and_points_differ_by_shape(tmp_path: Path) -> None:
    data, _ = _pack(tmp_path, _actuals())
    view = next(v for v in data.ambitions if v.id == "cdiff")
    spec = chart_specs(view)["spc"]
    marks = [layer["mark"] for layer in spec["layer"]]
    limits = [
        m for m in marks if m.get("type") == "line" and m.get("strokeDash") and m is not marks[-1]
    ]
    trajectory = marks[-1]
    assert trajectory.get("strokeDash") not in [m.get("strokeDash") for m in limits[:2]]
    assert trajectory["strokeWidth"] > max(m["strokeWidth"] for m in limits[:2])
    points = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "point")
    assert "shape" in points["encoding"]


def test_the_exception_report_is_watermarked_too(tmp_path: Path) -> None:
    from placehealth.reports.exceptions import exceptions_html

    data, _ = _pack(tmp_path, _actuals().assign(synthetic="TRUE"))
    html = exceptions_html(data)
    assert 'class="watermark"' in html and '<span class="synthetic-label">' in html
    data, _ = _pack(tmp_path / "real", _actuals().assign(synthetic="false"))
    assert not data.synthetic and 'class="watermark"' not in exceptions_html(data)
