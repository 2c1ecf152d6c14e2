"""Activity and demand for the site: the provider activity plans and their findings
(``placehealth activity show|check``), and what the run wrote for the place — the demand
projection with its fan and waterfall charts, and activity against plan — read back from
the outputs folder the site serves (:mod:`placehealth.services.site_outputs`).

The site computes nothing here: a run (``placehealth demo``) wrote these files through the
disclosure step; a folder without them says so and how to make them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from placehealth.errors import UserError
from placehealth.services.site_outputs import SiteOutputs

# the files `placehealth demo` writes (services.demo.activity), by the name the site uses
TABLES = {
    "projection": "demand-projection.csv",
    "plan": "demand-plan.csv",
    "actual": "activity-actual.csv",
}
CHARTS = {"fan": "demand-fan.svg", "waterfall": "demand-waterfall.svg"}
MISSING_HINT = "run `placehealth demo` (it writes the demand projection and activity against plan)"


def activity_plans(plans_root: Path) -> list[str]:
    """The plans with provider activity tables (``placehealth activity show``)."""
    from placehealth.services import activity

    out = []
    for folder in sorted(p for p in plans_root.iterdir() if p.is_dir()):
        try:
            if activity.tables(folder)["tables"]:
                out.append(folder.name)
        except UserError:
            continue
    return out


@dataclass(frozen=True)
class RunActivity:
    """The activity tables and charts a run wrote, each None where the folder lacks it."""

    outputs: SiteOutputs

    def table(self, name: str) -> pd.DataFrame | None:
        return self.outputs.optional(TABLES[name])

    def chart(self, name: str) -> Path | None:
        path = self.outputs.folder / CHARTS[name]
        return path if path.is_file() else None
