"""The activity checker on small hand-made plans: each check finds what it should, with both
numbers, and stays silent when the plan agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from placehealth.plans.severity import Severity
from tests.activity.helpers import TABLES, findings_for

RATIO = """\
ratios:
  - {id: day-share, label: day cases per ordinary, numerator: A91, denominator: A90, high: 2.8,
     why: w}
"""
LINK = """\
links:
  - id: ordinary-for-ambition
    plan: t
    ambition: fewer-admissions
    table: A90
    base: 2013-14
    points: {2013-14: [2013/14], 2014-15: [2014/15]}
    why: w
"""
SCHEMES = """\
schemes:
  - id: set
    title: Schemes
    src: 40-42
    net: net
    schemes:
      - {id: x, statement: scheme/x, pod: non-elective}
      - {id: y, statement: scheme/y, pod: non-elective}
"""


def test_a_plan_that_adds_up_has_no_findings(tmp_path: Path) -> None:
    assert findings_for(tmp_path) == {}


def test_a_part_that_breaks_the_identity_is_found_with_both_numbers(tmp_path: Path) -> None:
    body = TABLES.replace(
        "values: [15, 15, '0.00%'], src: 22", "values: [18, 18, '0.00%'], src: 22"
    )
    found = findings_for(tmp_path, body.replace("[55, 65, '18.18%']", "[58, 68, '17.24%']"))
    f = found["t/activity/split/b"]
    assert f.severity == Severity.ERROR and (f.stated, f.expected) == (18, 15)
    assert f.sources[:3] == ["seed 000, 22", "seed 000, 2", "seed 000, 12"]
    assert "in every year (2013-14 to 2014-15)" in f.message and "A90 + A91 = 5 + 10" in f.message
    assert sorted(found) == ["t/activity/split/b", "t/activity/split/total"]  # 58 ≠ 15 + 40


def test_a_gap_of_one_is_minor(tmp_path: Path) -> None:
    body = TABLES.replace(
        "values: [15, 15, '0.00%'], src: 22", "values: [16, 15, '-6.25%'], src: 22"
    )
    found = findings_for(tmp_path, body.replace("[55, 65, '18.18%']", "[56, 65, '16.07%']"))
    f = found["t/activity/split/b"]
    assert f.severity == Severity.MINOR and f.message.endswith("(a gap of 1) in 2013-14")


def test_a_total_row_and_a_change_that_disagree_are_found(tmp_path: Path) -> None:
    body = TABLES.replace("[15, 25, '66.67%']", "[16, 25, '56.25%']")
    found = findings_for(tmp_path, body)
    assert found["t/activity/A90/total/2013-14/row-sum"].expected == 15
    assert found["t/activity/A90/total/2013-14/row-sum"].check == "activity-row-sum"
    assert "t/activity/A90/total/yoy/pct-change" not in found  # 25 / 16 − 1 is 56.25%
    found = findings_for(tmp_path, TABLES.replace("'100.00%'", "'10.00%'"))
    f = found["t/activity/A90/a/yoy/pct-change"]
    assert f.severity == Severity.ERROR and f.expected == pytest.approx(100.0)


def test_a_ratio_outside_its_range_is_one_warning_per_row(tmp_path: Path) -> None:
    found = findings_for(tmp_path, TABLES + RATIO)
    assert list(found) == [
        "t/activity/day-share/a"
    ]  # 30 / 10 = 3 > 2.8; 30 / 20 = 1.5; total 40 / 15
    f = found["t/activity/day-share/a"]
    assert f.severity == Severity.WARNING and (f.stated, f.expected) == (3.0, 2.8)
    assert "2013-14 3.00" in f.message and "2014-15" not in f.message.split("(")[0]


def test_a_row_that_falls_less_than_the_linked_ambition_is_found(tmp_path: Path) -> None:
    """The ambition needs 10 fewer (100 → 90); the ordinary total rises 15 → 25."""
    found = findings_for(tmp_path, TABLES + LINK)
    f = found["t/activity/ordinary-for-ambition"]
    assert f.severity == Severity.WARNING and (f.stated, f.expected) == (-10, 10)
    falling = TABLES.replace("[15, 25, '66.67%']", "[15, 4, '-73.33%']").replace(
        "[10, 20, '100.00%']", "[10, -1, '-110.00%']"
    )
    assert "t/activity/ordinary-for-ambition" not in findings_for(tmp_path, falling + LINK)


def test_schemes_above_the_net_are_an_overlap_note_below_it_an_error(tmp_path: Path) -> None:
    f = findings_for(tmp_path, TABLES + SCHEMES)["t/activity/set/overlap"]
    assert f.severity == Severity.NOTE and (f.stated, f.expected) == (30, 35)
    assert "5 (14.3% of the gross) counted more than once" in f.message
    more = TABLES + SCHEMES.replace("net: net", "net: scheme/x").replace(
        "- {id: x, statement: scheme/x, pod: non-elective}\n", ""
    )
    f = findings_for(tmp_path, more)["t/activity/set/overlap"]
    assert f.severity == Severity.ERROR and "5 more than every scheme together" in f.message


POPULATION = """\
populations:
  - id: p
    title: Projection
    area: A
    start_year: 2011
    end_year: 2021
    src: 50
    groups:
      - {ages: 65+, start: "57,366", end: "66,545", change: "16%", src: 50}
      - {ages: 85+, start: "7,633", end: "10,723", change: "40.5%", src: 51}
"""


def test_a_population_change_that_disagrees_with_its_counts_is_found(tmp_path: Path) -> None:
    """Seed 004's printed changes agree (57,366 → 66,545 is 16.0%, 7,633 → 10,723 40.48%);
    printing 14% for the first is an error with the recomputed 16.0%."""
    assert findings_for(tmp_path, TABLES + POPULATION) == {}
    found = findings_for(tmp_path, TABLES + POPULATION.replace('change: "16%"', 'change: "14%"'))
    f = found["t/activity/p/65+/population-change"]
    assert f.severity == Severity.ERROR and f.expected == pytest.approx(16.0009, abs=1e-3)
    assert "66,545 / 57,366 − 1 gives 16.0%" in f.message and f.sources == ["seed 000, 50"]
