"""Board packs, exception reports and the synthetic stand-in actuals they can be drawn from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.errors import InputFileError
from placehealth.services.plans import load_checked
from placehealth.services.progress import Progress, quiet

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.plans.load import Plan
    from placehealth.reports.pack import PackData

Warn = Callable[[str], None]
DOCUMENTS = {".html", ".htm", ".pdf"}


@dataclass(frozen=True)
class Report:
    """A report written: its file and the pack it was drawn from (ambitions, month, exceptions)."""

    path: Path
    data: PackData


@dataclass(frozen=True)
class SampleActuals:
    """Synthetic monthly actuals written, marked so every pack drawn from them is watermarked."""

    path: Path
    frame: pd.DataFrame


def check_suffix(output: Path, allowed: set[str]) -> None:
    """Refuse an output type the report cannot be written as, before any work."""
    if output.suffix.lower() not in allowed:
        raise InputFileError(
            f"unsupported output type '{output.suffix}'",
            file=output,
            hint="use " + ", ".join(sorted(allowed)),
        )


@dataclass(frozen=True)
class PackSource:
    """What a report is drawn from: the plans, their actuals and how to read and chart them.

    ``month`` is the report month (default: the latest in the actuals), ``notes`` the
    leads' narrative (YAML), ``area`` the area reported (default: each plan's),
    ``scale`` the charts' size (0: no charts); ``sheet``, ``header_row``, ``sex`` and
    ``age`` say how to read the actuals. Under ``strict`` actuals matching no
    ambition are an error.
    """

    plan: Path
    actuals: Path
    month: str | None = None
    notes: Path | None = None
    area: str | None = None
    scale: float = 1.0
    sheet: str | None = None
    header_row: int = 1
    strict: bool = False
    sex: str = "persons"
    age: str | None = None


def board(
    source: PackSource,
    output: Path,
    *,
    title: str | None = None,
    activity: dict[str, Any] | None = None,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> Report:
    """The board pack (.html or .pdf) of ``source``'s plans against its actuals.

    ``activity`` is the activity page's context (:mod:`placehealth.services.activity_pack`),
    drawn from a warehouse. Progress reports each chart drawn, then the writing of the pack.
    """
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import check_plans
    from placehealth.reports.board import write_board

    check_suffix(output, DOCUMENTS)
    plans, data = prepare(source, output, progress=progress, warn=warn)
    from placehealth.services.money_pack import board_section

    findings = check_plans(plans, load_catalogue())
    image = "png" if output.suffix.lower() == ".pdf" else "svg"
    money, images = board_section(source.plan, image=image)
    data.images.update(images)
    (progress or quiet)(f"writing {output}", 0, None)
    path = write_board(
        data, findings, output, title=title, source=source.actuals.name, money=money,
        activity=activity,
    )  # fmt: skip
    return Report(path, data)


def exceptions(
    source: PackSource,
    output: Path,
    *,
    title: str | None = None,
    bom: bool = True,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> Report:
    """Every ambition off trajectory or showing special cause of concern in the month.

    As a document (.html, .pdf) with charts, or as a table (.csv, .parquet, .xlsx).
    """
    from placehealth.reports.exceptions import write_exceptions
    from placehealth.tables import WRITABLE

    check_suffix(output, DOCUMENTS | WRITABLE)
    if output.suffix.lower() not in DOCUMENTS:
        source = replace(source, scale=0.0)  # a table has no charts
    _, data = prepare(source, output, progress=progress, warn=warn)
    path = write_exceptions(data, output, title=title, source=source.actuals.name, bom=bom)
    return Report(path, data)


def prepare(
    source: PackSource,
    output: Path,
    *,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> tuple[list[Plan], PackData]:
    """The plans and the pack's data: status, SPC and (scale > 0) charts for ``output``."""
    from placehealth.plans.coverage import coverage, refuse_or_warn
    from placehealth.plans.status import read_actuals
    from placehealth.reports.figures import attach_charts, attach_spc
    from placehealth.reports.notes import load_notes
    from placehealth.reports.pack import assemble
    from placehealth.reports.render import warm_up_pdf

    s = source
    plans, catalogue = load_checked(s.plan)
    narrative = load_notes(s.notes, plans) if s.notes is not None else None
    frame = read_actuals(
        s.actuals, catalogue, sex=s.sex, age=s.age, sheet=s.sheet, header_row=s.header_row
    )
    found = coverage(plans, catalogue, frame, area=s.area)
    if (note := refuse_or_warn(found, s.actuals, strict=s.strict)) and warn is not None:
        warn(note)
    data = assemble(plans, catalogue, frame, month=s.month, area=s.area, notes=narrative)
    attach_spc(data)
    pdf = output.suffix.lower() == ".pdf"  # PNG charts lay out faster in a PDF
    if pdf:
        warm_up_pdf()
    if s.scale > 0:
        report = progress or quiet
        attach_charts(
            data, scale=s.scale, image="png" if pdf else "svg",
            progress=lambda done, total: report("charts", done, total),
        )  # fmt: skip
    return plans, data


def sample_actuals(
    plan: Path,
    output: Path,
    *,
    seed: int,
    months: int = 24,
    start: str | None = None,
    areas: list[str] | None = None,
    bom: bool = True,
) -> SampleActuals:
    """Synthetic monthly actuals around each ambition's trajectory, some drifting off track.

    A stand-in until the warehouse's values feed the pack: every row is marked
    synthetic, so each report made from them carries the watermark.
    """
    from placehealth.plans.sample_actuals import sample_actuals as sample
    from placehealth.reports.pack import SYNTHETIC
    from placehealth.tables import write_table

    plans, catalogue = load_checked(plan)
    frame = sample(plans, catalogue, seed=seed, months=months, areas=areas, start=start)
    path = write_table(frame.assign(**{SYNTHETIC: True}), output, bom=bom)
    return SampleActuals(path, frame)
