"""Activity plans and demand as jobs: read a plan folder's activity files, check them, show
them; project demand from a baseline and a population.

``placehealth plan check`` adds :func:`findings` to the outcome plans' findings (one format,
one accepted-findings file); ``placehealth activity show|check|project`` call the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from placehealth.plans.check.findings import Finding


def findings(path: Path) -> list[Finding]:
    """Every finding for the activity files under ``path`` (none: an empty list)."""
    from placehealth.activity.check import check_activity
    from placehealth.activity.load import load_activity

    return check_activity(load_activity(path))


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every activity table under ``path`` (each cell printed and recomputed), the relations
    between tables and the figures the text prints; no activity files is an error."""
    from placehealth.activity.files import FOLDER
    from placehealth.activity.load import load_activity
    from placehealth.activity.show import records
    from placehealth.errors import InputFileError

    activity = load_activity(path)
    if not activity.tables() and not activity.figures and not activity.schemes:
        raise InputFileError(
            "no activity plans found",
            file=path,
            hint=f"give a plan folder with an {FOLDER}/ folder, e.g. plans/ccg-2014",
        )
    return records(activity)
