"""Small hand-made plans and actuals for report tests: every number readable inline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from placehealth.catalogue import load_catalogue
from placehealth.plans.load import Plan, load_plans
from placehealth.plans.status import read_actuals

DOCUMENT = 'document: {id: t, seed: "000", title: Test plan, area: Liverpool}\n'

# trajectories in 2015/16: inpatient 121.0 (lower is better), reablement 84.0 (higher),
# c-diff 96 a year (8 a month; lower), dementia 2016/17 target 67.0 (higher)
PLAN = """
ambitions:
  - id: inpatient
    indicator: inpatient-experience-negative
    group: Experience
    baseline: {period: 2013/14, value: 125.2}
    target: {period: 2018/19, value: 114.7}
    method: {kind: equal_steps}
    headlines: [{change_pct: -10.0, src: 1}]  # wrong on purpose: -8.4% point to point
  - id: reablement
    indicator: reablement-91-days
    group: Independence
    baseline: {period: 2013/14, value: 80.0}
    target: {period: 2015/16, value: 84.0}
    method: {kind: equal_steps}
  - id: cdiff
    indicator: c-diff-infections
    group: Experience
    baseline: {period: 2014/15, value: 96}
    method: {kind: maintain}
  - id: dementia
    indicator: dementia-diagnosis
    baseline: {period: 2014/15, value: 60.0}
    target: {period: 2016/17, value: 67.0}
    method: {kind: equal_steps}
"""

MONTHS = list(pd.period_range("2014-04", "2016-03", freq="M").strftime("%Y-%m"))
WIGGLE = [0.4, -0.3, 0.1, -0.5, 0.3, 0.0, -0.2, 0.5, -0.4, 0.2, -0.1, 0.3] * 2


def write_plan(folder: Path, body: str = PLAN) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.yaml"
    path.write_text(DOCUMENT + textwrap.dedent(body), encoding="utf-8")
    return path


def actuals_rows(levels: dict[str, list[float]], area: str = "Liverpool") -> pd.DataFrame:
    """Monthly actuals from 2014-04: ``levels`` maps indicator → one value per month."""
    frames = [
        pd.DataFrame({"indicator": k, "area": area, "period": MONTHS[: len(v)], "value": v})
        for k, v in levels.items()
    ]
    return pd.concat(frames, ignore_index=True)


def steady(level: float, n: int = 24) -> list[float]:
    return [round(level + WIGGLE[i % len(WIGGLE)], 2) for i in range(n)]


def default_levels() -> dict[str, list[float]]:
    """inpatient well above its trajectory (off track, lower is better); reablement
    steadily above 84 (on track, no special cause); c-diff steady at 7 a month."""
    return {
        "inpatient-experience-negative": steady(125.0),
        "reablement-91-days": steady(86.0),
        "c-diff-infections": [7, 6, 8, 7, 7, 6, 8, 7, 6, 7, 8, 7] * 2,
    }


def write_actuals(folder: Path, levels: dict[str, list[float]] | None = None) -> Path:
    path = folder / "actuals.csv"
    actuals_rows(levels or default_levels()).to_csv(path, index=False)
    return path


def load(
    folder: Path, levels: dict[str, list[float]] | None = None
) -> tuple[list[Plan], pd.DataFrame]:
    write_plan(folder)
    catalogue = load_catalogue()
    return load_plans(folder / "plan.yaml"), read_actuals(write_actuals(folder, levels), catalogue)
