"""``placehealth report``: board packs, exception reports and sample actuals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import Progress

from placehealth.cli.options import AGE_OPTION, HEADER_ROW, PLAIN_UTF8, SEX_OPTION, SHEET, console
from placehealth.errors import InputFileError

if TYPE_CHECKING:
    from placehealth.plans.load import Plan
    from placehealth.reports.pack import PackData

report_app = typer.Typer(
    help="Board packs and exception reports (HTML, PDF, CSV) from plans and actuals.\n\n"
    "Example: placehealth report board -p plans/ccg-2014 -a examples/actuals.csv -o pack.html",
    no_args_is_help=True,
)

_PLAN = typer.Option(..., "--plan", "-p", help="A plan file or folder.")
_ACTUALS = typer.Option(
    ..., "--actuals", "-a", help="Actuals: CSV/Parquet/Excel (indicator, area, period, value)."
)
_MONTH = typer.Option(
    None, "--month", "-m", help="Report month, YYYY-MM (default: the latest in the actuals)."
)
_NOTES = typer.Option(
    None, "--notes", help="YAML: ambition id → {lead, narrative} for exception pages."
)
_AREA = typer.Option(None, "--area", help="Area to report (default: each plan's area).")
_TITLE = typer.Option(None, "--title", help="Title (default: the plan's title).")
_STRICT = typer.Option(
    False,
    "--strict",
    help="Exit 2 instead of writing a report when no actual matches any ambition.",
)
_SCALE = typer.Option(
    1.0, "--scale", min=0.2, max=4.0, help="Chart size factor (smaller renders faster)."
)


def _prepare(
    plan: Path,
    actuals: Path,
    month: str | None,
    notes: Path | None,
    area: str | None,
    scale: float,
    output: Path,
    sheet: str | None = None,
    header_row: int = 1,
    strict: bool = False,
    *,
    sex: str = "persons",
    age: str | None = None,
) -> tuple[list[Plan], PackData]:
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import validate_references
    from placehealth.plans.load import load_plans
    from placehealth.plans.status import read_actuals
    from placehealth.reports.figures import attach_charts, attach_spc
    from placehealth.reports.notes import load_notes
    from placehealth.reports.pack import assemble
    from placehealth.reports.render import warm_up_pdf

    catalogue = load_catalogue()
    plans = load_plans(plan)
    validate_references(plans, catalogue)
    narrative = load_notes(notes, plans) if notes is not None else None
    frame = read_actuals(actuals, catalogue, sex=sex, age=age, sheet=sheet, header_row=header_row)
    from placehealth.plans.coverage import coverage, refuse_or_warn

    found = coverage(plans, catalogue, frame, area=area)
    if note := refuse_or_warn(found, actuals, strict=strict):
        typer.echo(f"warning: {note}", err=True)
    data = assemble(plans, catalogue, frame, month=month, area=area, notes=narrative)
    attach_spc(data)
    pdf = output.suffix.lower() == ".pdf"  # PNG charts lay out faster in a PDF
    if pdf:
        warm_up_pdf()
    if scale > 0:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("charts", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            attach_charts(data, scale=scale, image="png" if pdf else "svg", progress=progress)
    return plans, data


def _check_suffix(output: Path, allowed: set[str]) -> None:
    if output.suffix.lower() not in allowed:
        raise InputFileError(
            f"unsupported output type '{output.suffix}'",
            file=output,
            hint="use " + ", ".join(sorted(allowed)),
        )


@report_app.command("board")
def board(
    plan: Path = _PLAN,
    actuals: Path = _ACTUALS,
    output: Path = typer.Option(..., "--output", "-o", help="pack.html or pack.pdf"),
    month: str = _MONTH,
    notes: Path = _NOTES,
    area: str = _AREA,
    title: str = _TITLE,
    scale: float = _SCALE,
    sheet: str = SHEET,
    header_row: int = HEADER_ROW,
    strict: bool = _STRICT,
    sex: str = SEX_OPTION,
    age: str = AGE_OPTION,
) -> None:
    """Board pack: cover, summary of every ambition (unit and basis on each row), cards by
    objective, the ambitions without data in one list, exception pages, methods and
    data-quality notes (the plan checker's findings).

    Actuals marked synthetic=true (as sample-actuals writes them) watermark every page;
    a month given in an optional rebase column starts new SPC limits there.

    Example: placehealth report board -p plans/my-plan -a actuals.csv -o pack.pdf
    """
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import check_plans
    from placehealth.reports.board import write_board

    _check_suffix(output, {".html", ".htm", ".pdf"})
    plans, data = _prepare(
        plan, actuals, month, notes, area, scale, output, sheet, header_row, strict,
        sex=sex, age=age,
    )  # fmt: skip
    findings = check_plans(plans, load_catalogue())
    with console.status(f"writing {output}"):
        path = write_board(data, findings, output, title=title, source=actuals.name)
    console.print(
        f"{len(data.ambitions)} ambitions, {len(data.exceptions())} exceptions "
        f"({data.month}): {path}"
    )


@report_app.command("exceptions")
def exceptions(
    plan: Path = _PLAN,
    actuals: Path = _ACTUALS,
    output: Path = typer.Option(..., "--output", "-o", help="report.html, .pdf or .csv"),
    month: str = _MONTH,
    notes: Path = _NOTES,
    area: str = _AREA,
    title: str = _TITLE,
    scale: float = _SCALE,
    sheet: str = SHEET,
    header_row: int = HEADER_ROW,
    strict: bool = _STRICT,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Exception report: every ambition off trajectory or showing special cause of concern
    in the month, with its chart, numbers and the lead's narrative.

    Example: placehealth report exceptions -p plans/ccg-2014 -a actuals.csv -m 2016-03 -o exc.pdf
    """
    from placehealth.reports.exceptions import write_exceptions
    from placehealth.tables import WRITABLE

    _check_suffix(output, {".html", ".htm", ".pdf", *WRITABLE})
    charts = output.suffix.lower() in {".html", ".htm", ".pdf"}
    _, data = _prepare(
        plan, actuals, month, notes, area, scale if charts else 0.0, output, sheet, header_row,
        strict,
    )  # fmt: skip
    path = write_exceptions(data, output, title=title, source=actuals.name, bom=not plain_utf8)
    console.print(
        f"{len(data.exceptions())} of {len(data.ambitions)} ambitions are exceptions "
        f"in {data.month}: {path}"
    )


@report_app.command("sample-actuals")
def sample(
    plan: Path = _PLAN,
    output: Path = typer.Option(..., "--output", "-o", help="actuals.csv, .parquet or .xlsx"),
    seed: int = typer.Option(
        ..., "--seed", "-s", help="Random seed: the same seed, the same numbers."
    ),
    months: int = typer.Option(24, "--months", help="Number of months."),
    start: str = typer.Option(None, "--start", help="First month, YYYY-MM (default: when due)."),
    areas: str = typer.Option(
        None, "--areas", help="Comma-separated areas (default: each ambition's area)."
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Synthetic monthly actuals around each ambition's trajectory, some drifting off track.

    A stand-in until the warehouse computes real indicator values: never publish them.
    Every row is marked synthetic=true, so packs made from them are watermarked.

    Example: placehealth report sample-actuals -p plans/ccg-2014 --seed 1 -o actuals.csv
    """
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import validate_references
    from placehealth.plans.load import load_plans
    from placehealth.plans.sample_actuals import sample_actuals
    from placehealth.tables import write_table

    catalogue = load_catalogue()
    plans = load_plans(plan)
    validate_references(plans, catalogue)
    names = [a.strip() for a in areas.split(",") if a.strip()] if areas else None
    from placehealth.reports.pack import SYNTHETIC

    frame = sample_actuals(plans, catalogue, seed=seed, months=months, areas=names, start=start)
    # marked, so every report made from them carries the synthetic watermark
    path = write_table(frame.assign(**{SYNTHETIC: True}), output, bom=not plain_utf8)
    indicators = frame["indicator"].nunique()
    console.print(f"{len(frame)} synthetic actuals ({indicators} indicators): {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
