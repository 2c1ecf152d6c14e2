"""The plans for the site: every ambition with its target and latest status, and the findings."""

from __future__ import annotations

import pandas as pd

from placehealth.plans.check import Severity
from placehealth.services.site_outputs import SiteOutputs

AMBITION_COLUMNS = [
    "document", "ambition", "group", "indicator", "indicator_name", "baseline",
    "baseline_period", "target", "target_period", "status", "latest_period", "actual",
    "forecast_verdict",
]  # fmt: skip
FINDING_COLUMNS = ["id", "severity", "check", "document", "subject", "message", "sources"]


def ambitions(outputs: SiteOutputs) -> pd.DataFrame:
    """Every ambition of every plan, with the status the run worked out where it did."""
    summary = outputs.plan_summary
    status = outputs.plan_status
    if not status.empty:
        keep = [
            c
            for c in (
                "document",
                "ambition",
                "status",
                "latest_period",
                "actual",
                "forecast_verdict",
            )
            if c in status.columns
        ]
        status = status[keep].drop_duplicates(["document", "ambition"])
        summary = summary.merge(status, on=["document", "ambition"], how="left")
    for column in AMBITION_COLUMNS:
        if column not in summary.columns:
            summary[column] = pd.NA
    return summary[AMBITION_COLUMNS].reset_index(drop=True)


def findings(outputs: SiteOutputs) -> pd.DataFrame:
    """The checker's findings, errors first."""
    frame = outputs.findings
    frame = frame[[c for c in FINDING_COLUMNS if c in frame.columns]]
    order = {str(s.value): i for i, s in enumerate(Severity)}
    rank = frame["severity"].map(order).fillna(len(order))
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "id"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
