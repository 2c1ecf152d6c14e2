"""``placehealth report``: board packs, exception reports and sample actuals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from placehealth.cli.options import (
    AGE_OPTION,
    HEADER_ROW,
    PLAIN_UTF8,
    SEX_OPTION,
    SHEET,
    console,
    progress_bar,
)

if TYPE_CHECKING:
    from placehealth.services.progress import Progress

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


@contextmanager
def _reporting() -> Iterator[tuple[Progress, Callable[[str], None]]]:
    """The bar a report's charts draw on, and where the actuals' coverage warning goes."""

    def warn(note: str) -> None:
        typer.echo(f"warning: {note}", err=True)

    with progress_bar("charts") as progress:
        yield progress, warn


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
    from placehealth.services.reports import PackSource
    from placehealth.services.reports import board as board_pack

    source = PackSource(
        plan, actuals, month=month, notes=notes, area=area, scale=scale, sheet=sheet,
        header_row=header_row, strict=strict, sex=sex, age=age,
    )  # fmt: skip
    with _reporting() as (progress, warn):
        pack = board_pack(source, output, title=title, progress=progress, warn=warn)
    data = pack.data
    console.print(
        f"{len(data.ambitions)} ambitions, {len(data.exceptions())} exceptions "
        f"({data.month}): {pack.path}"
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
    from placehealth.services.reports import PackSource
    from placehealth.services.reports import exceptions as exception_report

    source = PackSource(
        plan, actuals, month=month, notes=notes, area=area, scale=scale, sheet=sheet,
        header_row=header_row, strict=strict,
    )  # fmt: skip
    with _reporting() as (progress, warn):
        report = exception_report(
            source, output, title=title, bom=not plain_utf8, progress=progress, warn=warn
        )
    data = report.data
    console.print(
        f"{len(data.exceptions())} of {len(data.ambitions)} ambitions are exceptions "
        f"in {data.month}: {report.path}"
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
    from placehealth.services.reports import sample_actuals

    names = [a.strip() for a in areas.split(",") if a.strip()] if areas else None
    written = sample_actuals(
        plan, output, seed=seed, months=months, start=start, areas=names, bom=not plain_utf8
    )
    indicators = written.frame["indicator"].nunique()
    console.print(
        f"{len(written.frame)} synthetic actuals ({indicators} indicators): {written.path}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
