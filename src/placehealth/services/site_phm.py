"""Population health for the site: segments, concentration of cost, people at risk, case lists.

The aggregate views read what a run published (:func:`write_outputs`, which the demo
calls): the segment profile by area (``placehealth phm segments``), the Lorenz
curve, chart and top-x% shares of cost (``placehealth phm concentration``) and the
counts of people at risk by neighbourhood and practice (``placehealth phm cohort
--summary``), each already through the one disclosure-control step. Only a case
list is made at request time, because each one is a re-identification: it goes
through the same governed service as ``placehealth phm cohort`` (the deployment's
roles file and audit log), so the site releases, refuses and audits exactly as
the command does.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd

from placehealth.errors import AccessDenied, UserError

if TYPE_CHECKING:
    from placehealth.phm.case_list import Release
    from placehealth.services.progress import Progress
    from placehealth.services.site_outputs import SiteOutputs

SEGMENTS = "segments.csv"
CONCENTRATION_MEASURE = "cost"
CONCENTRATION = f"concentration-{CONCENTRATION_MEASURE}.csv"  # the Lorenz curve
CONCENTRATION_CHART = f"concentration-{CONCENTRATION_MEASURE}.svg"
CONCENTRATION_SHARES = f"concentration-{CONCENTRATION_MEASURE}-shares.csv"
AT_RISK = "at-risk-by-neighbourhood.csv"
AT_RISK_RUN = "at-risk-by-neighbourhood.json"  # the threshold and index date the counts are for
MODEL = "risk-model.json"
SEGMENT_AREA_TYPES = ("neighbourhood", "practice", "imd_decile")
CASE_LIST_THRESHOLD = 0.5  # the command's default (placehealth phm cohort --threshold)
NOT_WRITTEN_HINT = "run `placehealth demo`, which writes the population health outputs"


class NotPublished(UserError):
    """The run wrote no such population health output."""


def write_outputs(
    warehouse: Path, out: Path, *, bom: bool = True, progress: Progress | None = None
) -> dict[str, Path]:
    """The aggregate population health outputs the site shows, written into ``out`` by the
    commands' own services: the segment profile by every area type, and the concentration
    of cost (curve, chart and top-x% shares)."""
    from placehealth.services import phm
    from placehealth.tables import write_table

    segments = phm.segments(warehouse, output=out / SEGMENTS, bom=bom, progress=progress)
    cost = phm.concentration(
        warehouse, measure=CONCENTRATION_MEASURE, output=out / CONCENTRATION,
        chart=out / CONCENTRATION_CHART, bom=bom, progress=progress,
    )  # fmt: skip
    shares = write_table(cost.concentration.shares, out / CONCENTRATION_SHARES, bom=bom)
    written = {
        "segment profile": segments.path,
        f"concentration of {CONCENTRATION_MEASURE} ({cost.year})": cost.curve_path,
        f"top shares of {CONCENTRATION_MEASURE}": shares,
    }
    return {what: path for what, path in written.items() if path is not None}


def write_at_risk(
    warehouse: Path, out: Path, *, model: Path, user: str,
    threshold: float = CASE_LIST_THRESHOLD, bom: bool = True, progress: Progress | None = None,
) -> Path | None:  # fmt: skip
    """The counts of people at risk (``placehealth phm cohort --summary``, governed and
    audited), with the threshold and index date they were counted at beside them, so a
    reader of the counts is told what "at risk" meant for this run."""
    from placehealth.services import phm

    released = phm.at_risk_counts(
        warehouse, model=model, user=user, threshold=threshold, output=out / AT_RISK,
        bom=bom, progress=progress,
    )  # fmt: skip
    about = {"threshold": threshold, "index_date": released.index_date.isoformat()}
    (out / AT_RISK_RUN).write_text(json.dumps(about, indent=1) + "\n", encoding="utf-8")
    return released.path


@dataclass(frozen=True)
class AtRiskRun:
    """The risk threshold and index date a run counted people at risk at."""

    threshold: float
    index_date: dt.date


def at_risk_run(outputs: SiteOutputs) -> AtRiskRun | None:
    """What the run's counts of people at risk were counted at, or None where it did not
    say (outputs written before it was recorded)."""
    path = outputs.folder / AT_RISK_RUN
    try:
        about = json.loads(path.read_text(encoding="utf-8"))
        return AtRiskRun(float(about["threshold"]), dt.date.fromisoformat(about["index_date"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _published(outputs: SiteOutputs, name: str) -> pd.DataFrame:
    frame = outputs.optional(name)
    if frame is None:
        raise NotPublished(f"the outputs hold no {name}", hint=NOT_WRITTEN_HINT)
    return frame


def segment_area_types(outputs: SiteOutputs) -> list[str]:
    """The kinds of area the published segment profile covers, in the site's order."""
    present = set(_published(outputs, SEGMENTS)["area_type"].astype(str))
    return [a for a in SEGMENT_AREA_TYPES if a in present]


@dataclass(frozen=True)
class SegmentTable:
    """People by area (rows) and segment (columns), as published: hidden counts are <NA>."""

    area_type: str
    people: pd.DataFrame  # area_code, one column per segment, all
    rates: pd.DataFrame  # area_code, segment, people, share_of_people, *_per_1000, disclosure


def segments(outputs: SiteOutputs, area_type: str) -> SegmentTable:
    """The published profile for one kind of area, and its people as an area × segment grid."""
    from placehealth.phm.profiles import ALL
    from placehealth.phm.segments import SEGMENTS as ORDER

    if area_type not in segment_area_types(outputs):
        raise NotPublished(
            f"no segment profile by '{area_type}'",
            hint=f"choose one of {', '.join(segment_area_types(outputs))}",
        )
    profile = _published(outputs, SEGMENTS)
    rows = profile[profile["area_type"].astype(str) == area_type].copy()
    rows["area_code"] = rows["area_code"].astype(str)
    grid = rows.pivot(index="area_code", columns="segment", values="people")
    grid = grid.reindex(columns=[s for s in [*ORDER, ALL] if s in grid.columns])
    grid = grid.astype("Int64").reset_index()
    numbers = pd.to_numeric(grid["area_code"], errors="coerce")
    if numbers.notna().all():  # deprivation deciles: 1 to 10, not 1, 10, 2
        grid = grid.iloc[numbers.argsort(kind="stable")].reset_index(drop=True)
    grid.columns.name = None
    return SegmentTable(area_type, grid, rows.reset_index(drop=True))


@dataclass(frozen=True)
class CostConcentration:
    """The share of cost held by the heaviest users, and the chart the run drew of it."""

    shares: pd.DataFrame  # heaviest, share_of_everyone, share_of_patients
    chart: Path | None


def concentration(outputs: SiteOutputs) -> CostConcentration:
    chart = outputs.folder / CONCENTRATION_CHART
    return CostConcentration(
        _published(outputs, CONCENTRATION_SHARES), chart if chart.is_file() else None
    )


def at_risk(outputs: SiteOutputs) -> pd.DataFrame:
    """People at or above the risk threshold by neighbourhood and practice, as published
    (counts of 1-7 hidden, the rest rounded; ``people`` is <NA> where hidden)."""
    return _published(outputs, AT_RISK)


def case_list(
    outputs: SiteOutputs,
    *,
    neighbourhood: str,
    user: str,
    site_neighbourhoods: frozenset[str],
    shown_as: str,
    threshold: float = CASE_LIST_THRESHOLD,
) -> Release:
    """One neighbourhood's case list for ``user``, released (or refused) and audited by the
    service ``placehealth phm cohort`` runs, under the deployment in force.

    Both the site's account (``site_neighbourhoods``) and the deployment's roles file
    must cover the neighbourhood; a refusal by either is written to the deployment's
    audit log as the command writes its own.
    """
    from placehealth.services import phm

    warehouse, model = _case_finding_inputs(outputs)
    if neighbourhood not in site_neighbourhoods:
        _refuse(warehouse, neighbourhood=neighbourhood, user=user, threshold=threshold)
    return phm.case_list(
        warehouse, neighbourhood=neighbourhood, threshold=threshold, model=model,
        user=user, shown_as=shown_as,
    )  # fmt: skip


def _case_finding_inputs(outputs: SiteOutputs) -> tuple[Path, Path]:
    """The run's warehouse (``<place id>.duckdb``, as the demo names it) and risk model."""
    warehouse = outputs.folder / f"{outputs.place.id}.duckdb"
    model = outputs.folder / MODEL
    for path, what in ((warehouse, "warehouse"), (model, "risk model")):
        if not path.is_file():
            raise NotPublished(f"the outputs hold no {what} ({path.name})", hint=NOT_WRITTEN_HINT)
    return warehouse, model


def _refuse(warehouse: Path, *, neighbourhood: str, user: str, threshold: float) -> NoReturn:
    """Refuse a list the site's account does not cover, audited as the command's refusals are."""
    from placehealth import deployment as setup
    from placehealth.phm.case_list import admit_request

    gate = admit_request(
        setup.load_deployment(), user=user, neighbourhood=neighbourhood, threshold=threshold,
        index_date=None, warehouse=warehouse,
    )  # fmt: skip
    gate.refuse(
        AccessDenied(
            f"user '{user}' may not see identifiable rows for neighbourhood {neighbourhood} on "
            "the site; the attempt is audited",
            hint="ask for the neighbourhood to be added to your site account",
        )
    )
