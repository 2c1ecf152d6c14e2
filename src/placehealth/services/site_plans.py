"""The plans for the site: every ambition with its target and latest status, the findings and
their review, actuals uploaded for a plan, and its board pack."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from placehealth.errors import UserError, ValidationError
from placehealth.plans.check import Severity
from placehealth.services.site_outputs import PACK_ACTUALS, SiteOutputs

if TYPE_CHECKING:
    from placehealth.plans.check.accepted import Accepted

AMBITION_COLUMNS = [
    "document", "ambition", "group", "indicator", "indicator_name", "baseline",
    "baseline_period", "target", "target_period", "status", "latest_period", "actual",
    "forecast_verdict",
]  # fmt: skip
FINDING_COLUMNS = ["id", "severity", "check", "document", "subject", "message", "sources"]


def ambitions(outputs: SiteOutputs) -> pd.DataFrame:
    """Every ambition of every plan, with the status the run worked out where it did (kept
    for this version of the outputs: callers must not change it)."""
    return _ambitions(outputs, outputs.version)


@functools.lru_cache(maxsize=4)
def _ambitions(outputs: SiteOutputs, _version: object) -> pd.DataFrame:
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
    """The checker's findings, errors first (kept for this version of the outputs: callers
    must not change it)."""
    return _findings(outputs, outputs.version)


@functools.lru_cache(maxsize=4)
def _findings(outputs: SiteOutputs, _version: object) -> pd.DataFrame:
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


# -- the plans' review and actuals, written by the site into its own files folder --------

ACCEPTED_FILE = "accepted-findings.yaml"
ACTUALS_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ActualsPreview:
    """What an actuals file would give a plan: its rows, or every bad row and why.

    ``problems`` are the reader's own errors (file row, column, what, how to fix);
    ``note`` says when the rows match few or none of the plan's ambitions.
    """

    rows: int
    problems: list[UserError]
    note: str | None
    sample: pd.DataFrame


def accepted_file(files: Path) -> Path:
    """The accepted-findings file the site writes (``plan check --accepted`` reads it)."""
    return files / ACCEPTED_FILE


def plan_folders(outputs: SiteOutputs, plans_root: Path) -> dict[str, Path]:
    """The folder of each plan the outputs show (a plan's folder is named by its id)."""
    documents = outputs.plan_summary["document"].astype(str).unique()
    return {d: plans_root / d for d in sorted(documents) if (plans_root / d).is_dir()}


def preview_actuals(path: Path, plan: Path) -> ActualsPreview:
    """Read ``path`` as `placehealth plan status` reads actuals, noting every bad row (none
    saved here: the caller saves only a preview without problems)."""
    from placehealth.plans.coverage import coverage, refuse_or_warn
    from placehealth.plans.status import read_actuals
    from placehealth.services.plans import load_checked
    from placehealth.tables import every_problem

    plans, catalogue = load_checked(plan)
    with every_problem() as problems:
        try:
            frame = read_actuals(path, catalogue)
        except UserError as exc:  # the file as a whole: its type, its columns
            problems.append(exc)
    if problems:
        ordered = sorted(problems, key=lambda e: (e.row or 0, e.column or ""))
        return ActualsPreview(0, list(ordered), None, pd.DataFrame())
    note = refuse_or_warn(coverage(plans, catalogue, frame), path, strict=False)
    shown = ["indicator", "area", "period", "value"]
    return ActualsPreview(len(frame), [], note, frame[shown].head(10))


def saved_actuals(files: Path, plan: str) -> Path | None:
    """The actuals saved for ``plan`` through the site, if any."""
    found = [files / f"actuals-{plan}{s}" for s in ACTUALS_SUFFIXES]
    return next((p for p in found if p.is_file()), None)


def save_actuals(staged: Path, files: Path, plan: str) -> Path:
    """Make a previewed upload the plan's actuals (in one rename), replacing any before it."""
    target = files / f"actuals-{plan}{staged.suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    staged.replace(target)
    for suffix in ACTUALS_SUFFIXES:
        if suffix != target.suffix:
            (files / f"actuals-{plan}{suffix}").unlink(missing_ok=True)
    return target


def pack_actuals(outputs: SiteOutputs, files: Path, plan: str) -> Path | None:
    """The actuals a plan's board pack is drawn from: those saved through the site, else the
    synthetic stand-in the demo wrote beside its outputs."""
    sample = outputs.folder / PACK_ACTUALS.format(plan=plan)
    return saved_actuals(files, plan) or (sample if sample.is_file() else None)


def actuals_table(path: Path) -> pd.DataFrame:
    """A plan's saved actuals as they were uploaded, every cell as text, for download."""
    from placehealth.tables import read_table

    return read_table(path, text=True)


def report_months(actuals: Path) -> list[str]:
    """The months (YYYY-MM) of monthly actuals in ``actuals``, latest first: the board
    packs that can be drawn."""
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.status import read_actuals

    frame = read_actuals(actuals, load_catalogue())
    months = frame.loc[frame["period_kind"] == "month", "start"].dt.strftime("%Y-%m")
    return sorted(months.unique(), reverse=True)


def board_pack(plan: Path, actuals: Path, month: str, suffix: str, cache: Path) -> Path:
    """The board pack of ``plan`` for ``month`` (.html or .pdf) as `placehealth report board`
    writes it, kept in ``cache`` by the actuals' content so a pack is drawn once."""
    from placehealth.services.reports import PackSource, board

    digest = sha256_of(actuals)[:16]
    path = cache / f"board-pack-{plan.name}-{month}-{digest}{suffix}"
    if not path.is_file():
        partial = path.with_name(f"{path.stem}.{uuid.uuid4().hex}{suffix}")
        board(PackSource(plan, actuals, month=month, scale=0.8), partial)
        partial.replace(path)  # another worker drawing the same pack writes the same file
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reviewed_findings(outputs: SiteOutputs, accepted: Path) -> pd.DataFrame:
    """The findings, errors first, each with who accepted it, when and why (if accepted)."""
    from placehealth.plans.check.accepted import accepted_ids

    frame = findings(outputs).copy()
    listed = accepted_ids(accepted)
    ids = frame["id"].astype(str)
    frame["accepted_reason"] = ids.map({k: a.reason for k, a in listed.items()})
    frame["accepted_by"] = ids.map({k: a.by for k, a in listed.items()})
    frame["accepted_date"] = ids.map({k: a.date for k, a in listed.items()})
    return frame


def accept_finding(
    outputs: SiteOutputs, accepted: Path, finding: str, reason: str, by: str
) -> Accepted:
    """Record ``finding`` as accepted for ``reason`` in the accepted-findings file the
    checker reads (`placehealth plan check --accepted`)."""
    from placehealth.plans.check.accepted import Accepted, add_accepted

    if finding not in set(outputs.findings["id"].astype(str)):
        raise ValidationError(f"there is no finding '{finding}'", hint="pick one from the list")
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValidationError(
            "say why the finding is accepted", hint="a reason of a few words at least"
        )
    entry = Accepted(id=finding, reason=reason[:1000], by=by, date=dt.date.today().isoformat())
    add_accepted(accepted, entry)
    return entry
