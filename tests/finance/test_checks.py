"""The finance checker on small hand-made tables: each kind of claim, agreement at the
printed precision, rounding of inputs, unit conversion, and unit slips."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.finance.printed import parse_printed
from placehealth.plans.severity import Severity
from tests.finance.helpers import TABLE, findings_for

POSITION = (
    TABLE
    + """      - {id: recurrent, label: Recurrent}
      - {id: non-recurrent, label: Non Recurrent}
      - {id: total, label: Total, sum_of: [recurrent, non-recurrent]}
    rows:
      - {id: a, label: A, values: [10.0, 1.0, 11.0], src: 1}
      - {id: b, label: B, values: [5.0, null, 5.0], src: 2}
      - {id: all, label: All, kind: total, sum_of: [a, b], values: [15.0, 1.0, TOTAL], src: 3}
"""
)


@pytest.mark.parametrize(
    ("printed", "value", "places"),
    [("(2.75)", -2.75, 2), ("-£21,806", -21806, 0), ("7.27%", 7.27, 2), ("1,318", 1318, 0),
     ("-1.50%", -1.5, 2), (16.0, 16.0, 1), (0, 0, 0)],
)  # fmt: skip
def test_a_printed_number_keeps_its_value_and_precision(
    printed: object, value: float, places: int
) -> None:
    parsed = parse_printed(printed)
    assert (parsed.value, parsed.places) == (value, places)


@pytest.mark.parametrize("bad", ["12a", "(3", "£", "1.2.3", True])
def test_what_is_not_a_printed_number_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match=r"not a number|unmatched"):
        parse_printed(bad)


def test_a_total_that_adds_up_has_no_finding(tmp_path: Path) -> None:
    assert findings_for(tmp_path, POSITION.replace("TOTAL", "16.0")) == {}


def test_a_total_one_unit_off_is_minor_and_more_is_an_error(tmp_path: Path) -> None:
    minor = findings_for(tmp_path / "a", POSITION.replace("TOTAL", "16.1"))
    assert {f.severity for f in minor.values()} == {Severity.MINOR}
    assert set(minor) == {"t/finance/F90/all/total/total-column", "t/finance/F90/all/total/row-sum"}
    error = findings_for(tmp_path / "b", POSITION.replace("TOTAL", "21.0"))
    f = error["t/finance/F90/all/total/total-column"]
    assert (f.severity, f.stated, f.expected) == (Severity.ERROR, 21.0, 16.0)
    assert f.sources == ["seed 000, 3"]
    assert "the gap (5.0) is the 'B' row" in f.message


RATIOS = """
tables:
  - id: F91
    title: Allocations
    src: 1-9
    unit: £000
    columns:
      - {id: allocation, label: Allocation}
      - {id: growth, label: Growth, unit: "%", growth_of: allocation}
      - {id: population, label: Population, unit: count}
      - {id: per-head, label: Per head, unit: £/head, per_head: [allocation, population]}
      - {id: target, label: Target, unit: £/head}
      - {id: distance, label: Distance, unit: "%", pct_change: [per-head, target]}
    rows:
      - {id: y1, label: Y1, values: ["704,044", null, "498,111", "1,413", "1,318", "7.27%"], src: 1}
      - id: y2
        label: Y2
        values: ["719,111", GROWTH, "497,356", PER_HEAD, "1,351", "7.02%"]
        src: 2
"""


def test_per_head_growth_and_distance_agree_within_the_inputs_rounding(tmp_path: Path) -> None:
    """704,044 × 1,000 / 498,111 = 1,413.4; (1,413 − 1,318) / 1,318 = 7.21%, but 7.27% is
    within the rounding of the two per-head figures (seed 000, 4975–4981)."""
    body = RATIOS.replace("GROWTH", '"2.14%"').replace("PER_HEAD", '"1,446"')
    assert findings_for(tmp_path, body) == {}


def test_wrong_per_head_and_growth_are_found(tmp_path: Path) -> None:
    body = RATIOS.replace("GROWTH", '"2.40%"').replace("PER_HEAD", '"1,436"')
    found = findings_for(tmp_path, body)
    growth = found["t/finance/F91/y2/growth/growth"]
    assert growth.severity == Severity.ERROR and growth.expected == pytest.approx(2.140, abs=1e-3)
    head = found["t/finance/F91/y2/per-head/per-head"]
    assert head.severity == Severity.ERROR
    assert head.expected == pytest.approx(719111 * 1000 / 497356, abs=1e-3)


def test_a_row_restated_in_another_unit_and_sign(tmp_path: Path) -> None:
    """A £m row that is minus a £000 table's total (seed 003's savings, 1320 and 1357)."""
    body = """
    tables:
      - id: F92
        title: Savings
        src: 1-3
        unit: £000
        columns: [{id: total, label: Total}]
        rows: [{id: total, label: Total, values: ["27,704"], src: 1}]
      - id: F93
        title: Use
        src: 4-6
        unit: £m
        columns: [{id: total, label: Total}]
        rows: [{id: savings, label: less Savings, same_as: -F92/total, values: [VALUE], src: 4}]
    """
    assert findings_for(tmp_path / "a", body.replace("VALUE", '"(27.7)"')) == {}
    found = findings_for(tmp_path / "b", body.replace("VALUE", '"(2.8)"'))
    f = found["t/finance/F93/savings/total/same-as"]
    assert (f.stated, f.expected) == (-2.8, pytest.approx(-27.704))
    assert "1/10" in f.message and f.sources == ["seed 000, 4", "seed 000, 1"]


def test_a_value_a_thousand_times_its_column_is_a_unit_slip(tmp_path: Path) -> None:
    body = """
    tables:
      - id: F94
        title: Contracts
        src: 1-5
        unit: £m
        columns: [{id: plan, label: Plan}]
        rows:
          - {id: a, label: A, values: [185.2], src: 1}
          - {id: b, label: B, values: [70.4], src: 2}
          - {id: c, label: C, values: ["68,398"], src: 3}
          - {id: d, label: D, values: [57.3], src: 4}
    """
    found = findings_for(tmp_path, body)
    assert list(found) == ["t/finance/F94/c/plan/unit-slip"]
    f = found["t/finance/F94/c/plan/unit-slip"]
    assert f.severity == Severity.WARNING and f.sources == ["seed 000, 3"]


def test_a_text_figure_that_sums_cells(tmp_path: Path) -> None:
    """£16.4m = £63.0m − £46.6m (seed 003, 1295): a figure may be a signed sum of cells."""
    body = (
        POSITION.replace("TOTAL", "16.0")
        + """
figures:
  - {key: k, value: VALUE, unit: £m, equals: [F90/all/total, -F90/b/total], src: 9}
"""
    )
    assert findings_for(tmp_path / "a", body.replace("VALUE", "11.0")) == {}
    found = findings_for(tmp_path / "b", body.replace("VALUE", "12.0"))
    assert found["t/finance/text/k/figure"].expected == 11.0


def test_large_whole_pounds_add_up_exactly(tmp_path: Path) -> None:
    """Seed 001, 4014–4026: six sectors in whole pounds make £1,249,862,000 — no rounding
    tolerance may swallow (or invent) a pound at that size."""
    body = """
    tables:
      - id: F95
        title: Spend
        src: 1-3
        unit: £
        columns: [{id: spend, label: Spend}]
        rows:
          - {id: a, label: A, values: ["£749,604,000"], src: 1}
          - {id: b, label: B, values: ["£500,258,000"], src: 2}
          - {id: all, label: All, kind: total, sum_of: [a, b], values: [TOTAL], src: 3}
    """
    assert findings_for(tmp_path / "a", body.replace("TOTAL", '"£1,249,862,000"')) == {}
    off = findings_for(tmp_path / "b", body.replace("TOTAL", '"£1,249,862,002"'))
    assert off["t/finance/F95/all/spend/row-sum"].severity == Severity.ERROR


def test_a_stated_change_against_two_other_tables(tmp_path: Path) -> None:
    """An assumed % change (seed 000's −10.89%, 4908) against the change between two
    tables' cells, in different units, within the rounding of the cells."""
    body = """
    tables:
      - id: F96
        title: Year 1
        src: 1
        unit: £000
        columns: [{id: v, label: V}]
        rows: [{id: rca, label: RCA, values: ["10,100"], src: 1}]
      - id: F97
        title: Year 2
        src: 2
        unit: £m
        columns: [{id: v, label: V}]
        rows: [{id: rca, label: RCA, values: [NEW], src: 2}]
      - id: F98
        title: Assumptions
        src: 3
        unit: "%"
        columns: [{id: v, label: V}]
        rows:
          - id: cut
            label: Cut
            values: [{value: "-10.89%", pct_change_of: [F97/rca/v, F96/rca/v]}]
            src: 3
    """
    assert findings_for(tmp_path / "a", body.replace("NEW", "9.0")) == {}
    found = findings_for(tmp_path / "b", body.replace("NEW", "10.1"))
    f = found["t/finance/F98/cut/v/change-across"]
    assert (f.severity, f.expected) == (Severity.ERROR, 0.0)
    assert f.sources == ["seed 000, 3", "seed 000, 2", "seed 000, 1"]


def test_a_total_may_name_a_heading_row(tmp_path: Path) -> None:
    """A heading (seed 003's "Lodgements and RAB Brokerage", 1302) has no values: a total
    naming it adds the rest."""
    body = (
        POSITION.replace("TOTAL", "16.0")
        .replace(
            "      - {id: all,", "      - {id: h, label: Heading, kind: heading}\n      - {id: all,"
        )
        .replace("sum_of: [a, b]", "sum_of: [a, h, b]")
    )
    assert findings_for(tmp_path, body) == {}
