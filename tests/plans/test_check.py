"""The checker on hand-made plans: each kind of disagreement, and silence when all agree."""

from __future__ import annotations

from pathlib import Path

from placehealth.plans.check import Severity
from tests.plans.helpers import by_check, findings_for

EMERGENCY = """
ambitions:
  - id: ea
    indicator: emergency-admissions-composite
    baseline: {period: 2012/13, value: 2630.3, count: 12102, src: 10}
    target: {period: 2014/15, value: 2593.4, count: 11932, src: 12}
    denominator: {value: null}
    published:
      - {period: 2013/14, value: 2620.1, count: 12055, change_count: -47,
         change_pct: -1.8, src: 11}
      - {period: 2014/15, value: 2593.4, count: 11932, change_count: -123,
         change_pct: -1.0, src: 12}
    headlines:
      - {change_pct: -2.8, of: count, src: 5}
"""


def test_a_consistent_plan_has_no_findings(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: inpatient
        indicator: inpatient-experience-negative
        baseline: {period: 2013/14, value: 125.2, src: 1}
        target: {period: 2018/19, value: 114.7, src: 2}
        method: {kind: equal_steps, step: 2.1}
        published:
          - {period: 2014/15, value: 123.1}
          - {period: 2015/16, value: 121.0}
          - {period: 2016/17, value: 118.9}
          - {period: 2017/18, value: 116.8}
          - {period: 2018/19, value: 114.7}
    """
    assert findings_for(tmp_path, body) == []


def test_published_value_off_its_method(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: inpatient
        indicator: inpatient-experience-negative
        baseline: {period: 2013/14, value: 125.2, src: 1}
        target: {period: 2015/16, value: 121.0, src: 2}
        method: {kind: equal_steps}
        published:
          - {period: 2014/15, value: 123.9, src: 3}
          - {period: 2015/16, value: 121.0, src: 4}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "trajectory")
    assert finding.stated == 123.9
    assert finding.expected == 123.1
    assert finding.difference is not None and round(finding.difference, 6) == 0.8
    assert finding.sources == ["seed 000, 3"]
    assert finding.severity == Severity.ERROR
    assert finding.id == "t/inpatient/trajectory/2014/15"


def test_row_percentage_against_counts_and_headline_conventions(tmp_path: Path) -> None:
    findings = findings_for(tmp_path, EMERGENCY)
    (row,) = by_check(findings, "row-change-pct")
    assert (row.stated, round(float(row.expected), 2)) == (1.8, 0.39)
    assert "47 / 12,102" in row.message
    # the sum of the printed % column is 2.8, so the headline agrees under 'sum' ...
    assert not by_check(findings, "headline-sum")
    # ... but the true change is 170 / 12,102 = 1.4%: a warning, not an error
    (p2p,) = by_check(findings, "headline-point-to-point")
    assert p2p.severity == Severity.WARNING
    assert round(float(p2p.expected), 2) == -1.40


def test_counts_through_an_implied_denominator(tmp_path: Path) -> None:
    body = EMERGENCY.replace("count: 11932, change_count: -123", "count: 11990, change_count: -65")
    findings = findings_for(tmp_path, body)
    counts = by_check(findings, "count")
    assert [f.id for f in counts] == ["t/ea/count/2014/15"]
    assert abs(float(counts[0].expected) - 11932) <= 1


def test_ratio_against_numerator_and_denominator(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: care-homes
        indicator: care-home-admissions-65
        baseline: {period: 2012/13, value: 771.7, numerator: 520, denominator: 67380, src: 1}
        published:
          - {period: 2013/14, value: 760.0, numerator: 520, denominator: 67380, src: 2}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "ratio")
    assert finding.id == "t/care-homes/ratio/2013/14"
    assert round(float(finding.expected), 1) == 771.7


def test_headline_count_and_pct_against_each_other(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: af
        indicator: c-diff-infections
        baseline: {period: 2013/14, value: 671, count: 671, src: 1}
        target: {period: 2014/15, value: 504, count: 504, src: 2}
        headlines:
          - {change_count: -168, src: 3}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "headline-count")
    assert (finding.stated, finding.expected) == (-168, -167)
    assert finding.severity == Severity.MINOR  # one unit of the last printed digit


def test_restated_baseline(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: reablement
        indicator: reablement-91-days
        baseline: {period: 2012/13, value: 79.9, src: 10}
        restated:
          - {what: baseline, value: 79.7, src: 20}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "restated-baseline")
    assert (finding.stated, finding.expected) == (79.7, 79.9)
    assert finding.sources == ["seed 000, 10", "seed 000, 20"]


def test_conflicting_targets_between_ambitions(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: dementia-a
        indicator: dementia-diagnosis
        target: {period: 2015/16, value: 70.0, src: 1}
      - id: dementia-b
        indicator: dementia-diagnosis
        target: {period: 2015/16, value: 57.8, src: 2}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "conflicting-target")
    assert {finding.stated, finding.expected} == {70.0, 57.8}
    assert finding.severity == Severity.ERROR


def test_statements_with_the_same_key(tmp_path: Path) -> None:
    body = """
    statements:
      - {key: hba1c-threshold, value: 7, src: 1, text: HbA1c 7 or less}
      - {key: hba1c-threshold, value: 7.5, src: 2, text: HbA1c 7.5 or less}
      - {key: screening-ages, value: "50-70", src: 3}
      - {key: screening-ages, value: "50-70", src: 4}
    """
    (finding,) = by_check(findings_for(tmp_path, body), "conflicting-statement")
    assert finding.subject == "hba1c-threshold"
    assert finding.sources == ["seed 000, 1", "seed 000, 2"]


def test_unknown_and_misused_codes(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: cdiff
        indicator: c-diff-infections
        name: C. difficile infections
        codes: [XQ99]
      - id: homes
        indicator: care-home-admissions-65
        name: Permanent admissions to care homes
        codes: ["2B(i)"]
    """
    findings = findings_for(tmp_path, body)
    (unknown,) = by_check(findings, "unknown-code")
    assert unknown.stated == "XQ99"
    (misused,) = by_check(findings, "misused-code")
    assert misused.stated == "2B(i)"
    assert misused.expected == "2A(ii)"


def test_projected_gap_and_forecast(tmp_path: Path) -> None:
    body = """
    ambitions:
      - id: gap
        indicator: life-expectancy-gap-england
        method:
          kind: projected_gap
          history: [{period: "2010", value: 2.9}, {period: "2017", value: 3.2}]
          projection_period: "2024"
          fraction: 0.5
          stated_target: 1.7
          stated_src: 7
      - id: cancer
        indicator: premature-mortality-cancer
        target: {period: 2023-25, value: 127, src: 8}
        method:
          kind: linear_forecast
          history: [{period: "2013", value: 164}, {period: "2017", value: 160}]
          forecast_period: 2023-25
          better_by_pct: 17
          stated_forecast: 153.0
    """
    findings = findings_for(tmp_path, body)
    (gap,) = by_check(findings, "projected-target")
    assert gap.stated == 1.7
    assert round(float(gap.expected), 3) == 1.75
    assert not by_check(findings, "forecast")  # 164 → 160 over 4 years reaches 153 by mid-2024
    assert not by_check(findings, "target")  # 153 less 17% = 127


def test_map_coverage(tmp_path: Path) -> None:
    body = """
    map:
      goals: [{id: G1, title: Healthier lives}, {id: G2, title: Unused goal}]
      sections:
        - {id: "4.1", title: Cancer, goals: [G1], metrics: [premature-mortality-cancer]}
        - {id: "4.2", title: Nothing measured, goals: [G1]}
      schedules:
        - {id: S1, title: Schedule one, sections: ["4.1", "9.9"]}
    """
    findings = findings_for(tmp_path, body)
    assert {f.check for f in findings} == {
        "section-without-metric",
        "goal-without-section",
        "unknown-section",
    }


def test_findings_are_stable_and_ordered(tmp_path: Path) -> None:
    first = [f.id for f in findings_for(tmp_path, EMERGENCY)]
    second = [f.id for f in findings_for(tmp_path, EMERGENCY)]
    assert first == second
    severities = [f.severity for f in findings_for(tmp_path, EMERGENCY)]
    assert severities == sorted(severities, key=list(Severity).index)
