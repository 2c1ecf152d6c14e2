"""Write small activity files (and the outcome plan beside them) for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from placehealth.activity.check import check_activity
from placehealth.activity.load import load_activity
from placehealth.plans.check.findings import Finding

HEADER = 'document: {id: t, seed: "000"}\n'
# three tables: ordinary + day cases = all elective, two providers and a total, two years
TABLES = """\
tables:
  - id: A90
    title: Ordinary
    pod: elective-ordinary
    src: 1-9
    unit: count
    columns: &columns
      - {id: '2013-14', label: '2013-14'}
      - {id: '2014-15', label: '2014-15'}
      - {id: yoy, label: YoY, unit: '%', pct_change: ['2014-15', '2013-14']}
    rows:
      - {id: a, label: A, values: [10, 20, '100.00%'], src: 1}
      - {id: b, label: B, values: [5, 5, '0.00%'], src: 2}
      - {id: total, label: TOTAL, kind: total, sum_of: [a, b], values: [15, 25, '66.67%'], src: 3}
  - id: A91
    title: Day cases
    pod: elective-daycase
    src: 10-19
    unit: count
    columns: *columns
    rows:
      - {id: a, label: A, values: [30, 30, '0.00%'], src: 11}
      - {id: b, label: B, values: [10, 10, '0.00%'], src: 12}
      - {id: total, label: TOTAL, kind: total, sum_of: [a, b], values: [40, 40, '0.00%'], src: 13}
  - id: A92
    title: All elective
    pod: elective
    src: 20-29
    unit: count
    columns: *columns
    rows:
      - {id: a, label: A, values: [40, 50, '25.00%'], src: 21}
      - {id: b, label: B, values: [15, 15, '0.00%'], src: 22}
      - {id: total, label: TOTAL, kind: total, sum_of: [a, b], values: [55, 65, '18.18%'], src: 23}
identities:
  - {id: split, total: A92, parts: [A90, A91], why: all elective is ordinary and day cases}
"""
# an outcome plan with an ambition (counts by year) and scheme statements
PLAN = """\
document: {id: t, seed: "000", title: T}
ambitions:
  - id: fewer-admissions
    indicator: emergency-admissions-composite
    baseline: {period: 2013/14, value: 100.0, count: 100}
    target: {period: 2014/15, value: 90.0, count: 90}
    published:
      - {period: 2014/15, value: 90.0, count: 90}
    method: {kind: stated}
statements:
  - {key: net, value: 30, src: 40}
  - {key: scheme/x, value: 20, src: 41}
  - {key: scheme/y, value: 15, src: 42}
"""


def write_activity(folder: Path, body: str = TABLES, name: str = "plan.yaml") -> Path:
    """``body`` (dedented) as ``folder/activity/name`` after a document header, with the
    outcome plan beside it."""
    (folder / "outcomes.yaml").write_text(PLAN, encoding="utf-8")
    path = folder / "activity" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def findings_for(folder: Path, body: str = TABLES) -> dict[str, Finding]:
    write_activity(folder, body)
    return {f.id: f for f in check_activity(load_activity(folder))}
