"""Plans as rows: every ambition with its recomputed trajectory, for display and export."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from placehealth.catalogue.model import Catalogue
from placehealth.plans.check import Finding, compute_in_file
from placehealth.plans.load import Plan
from placehealth.plans.model import headline_periods


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def trajectory_rows(plans: list[Plan], catalogue: Catalogue) -> list[dict[str, Any]]:
    """One dict per ambition: what was set, and the trajectory its method implies."""
    rows = []
    for plan in plans:
        for a in plan.ambitions:
            t = compute_in_file(plan, a, catalogue)
            indicator = catalogue[a.indicator]
            rows.append(
                {
                    "document": plan.document.id,
                    "seed": plan.seed,
                    "ambition": a.id,
                    "group": a.group,
                    "indicator": a.indicator,
                    "indicator_name": a.name or indicator.name,
                    "unit": str(indicator.unit),
                    "polarity": str(a.polarity or indicator.polarity),
                    "baseline": a.baseline.value if a.baseline else None,
                    "baseline_period": a.baseline.period if a.baseline else None,
                    "target": a.target.value if a.target else None,
                    "target_period": a.target.period if a.target else None,
                    "method": a.method.kind,
                    "recomputed_target": _num(t.target),
                    "denominator": _num(t.denominator),
                    "trajectory": [
                        {"period": p, "value": _num(float(v)), "count": _num(float(c))}
                        for p, v, c in zip(t.periods, t.values, t.frame()["count"], strict=True)
                    ],
                    "headlines": [
                        {
                            "change_pct": h.change_pct,
                            "change_count": h.change_count,
                            "value": h.value,
                            "from": first,
                            "to": last,
                        }
                        for h in a.headlines
                        for first, last in [headline_periods(a, h)]
                    ],
                }
            )
    return rows


def summary_frame(plans: list[Plan], catalogue: Catalogue) -> pd.DataFrame:
    """One row per ambition, the trajectory flattened to 'period=value; …' for spreadsheets."""
    rows = trajectory_rows(plans, catalogue)
    for row in rows:
        row["trajectory"] = "; ".join(
            f"{p['period']}={p['value']:.6g}" for p in row["trajectory"] if p["value"] is not None
        )
        row["headlines"] = "; ".join(_headline_text(h) for h in row["headlines"])
    return pd.DataFrame(rows)


def _headline_text(head: dict[str, Any]) -> str:
    """'-24.2% (-87) from 2013/14 to 2018/19': a headline always with its period."""
    parts = []
    if head["change_pct"] is not None:
        parts.append(f"{head['change_pct']:+g}%")
    if head["change_count"] is not None:
        parts.append(f"({head['change_count']:+g})" if parts else f"{head['change_count']:+g}")
    if head["value"] is not None:
        parts.append(f"to {head['value']:g}")
    span = f"from {head['from']} to {head['to']}" if head["from"] else f"by {head['to']}"
    return " ".join(parts) + (f" {span}" if head["to"] else "")


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table (sources joined), with the same columns when there are none."""
    columns = ["id", "severity", "check", "document", "subject", "message", "stated",
               "expected", "difference", "sources"]  # fmt: skip
    records = [{**f.as_dict(), "sources": "; ".join(f.sources)} for f in findings]
    return pd.DataFrame(records, columns=columns)
