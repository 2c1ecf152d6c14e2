"""``placehealth risks``: risk registers scored, banded, flagged, sorted and filtered, and
their likelihood × consequence heat map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from placehealth.cli.options import console, print_json

risks_app = typer.Typer(
    help="Risk registers: scores, rating bands, flags and a likelihood × consequence heat map."
    "\n\nExample: placehealth risks show plans/ --sort score --category finance",
    no_args_is_help=True,
)
PATH = typer.Argument(..., help="A plan folder with a risks/ folder, a folder of plans, or a file.")
MATRIX = typer.Option(
    None, "--matrix", help="A risk matrix YAML (levels and rating bands); default: the NHS 5×5."
)


@risks_app.command("show")
def show(
    path: Path = PATH,
    sort: str = typer.Option(
        "score",
        "--sort",
        help="Sort by a column: score (highest first), "
        "category, owner, register, review, residual_score.",
    ),
    category: str = typer.Option(None, "--category", help="Only risks whose category has this."),
    owner: str = typer.Option(None, "--owner", help="Only risks whose owner has this."),
    min_score: int = typer.Option(None, "--min-score", help="Only risks scored at least this."),
    matrix: Path = MATRIX,
    as_of: dt.datetime = typer.Option(
        None,
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Judge review dates on this day (default: today).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print every risk with its likelihood, consequence, score, band and flags (no owner,
    no mitigation, no review date or past it, not scored).

    Example: placehealth risks show plans/ccg-2014 --sort score --json
    """
    from placehealth.services import risks

    shown = risks.table(
        path, sort=sort, category=category, owner=owner, min_score=min_score, matrix=matrix,
        as_of=as_of.date() if as_of else None,
    )  # fmt: skip
    if as_json:
        print_json(shown)
        return
    table = Table(title="Risks", title_justify="left")
    for column in ("register", "risk", "category", "L", "C", "score", "band", "rating", "owner",
                   "flags"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for r in shown["risks"]:
        table.add_row(r["register"], r["risk"], r["category"] or "—",
                      *("—" if r[k] is None else str(r[k]) for k in
                        ("likelihood", "consequence", "score")),
                      r["band"] or "—", r["rating"] or "—", r["owner"] or "—",
                      f"[yellow]{r['flags']}[/]")  # fmt: skip
    console.print(table)
    for reg in shown["registers"]:
        if not reg["risks"]:
            console.print(f"{reg['register']} {reg['title']}: no risk printed")


@risks_app.command("heatmap")
def heatmap(
    path: Path = PATH,
    output: Path = typer.Option(..., "--output", "-o", help="The chart file (.png or .svg)."),
    matrix: Path = MATRIX,
) -> None:
    """Draw the likelihood × consequence heat map: each cell in its band's colour with its
    number of risks (risks without a score are left out and counted in the subtitle).

    Example: placehealth risks heatmap plans/ccg-2014 -o risks.png
    """
    from placehealth.services import risks

    for written in risks.heatmap(path, output, matrix=matrix):
        console.print(f"wrote {written}")


def register(app: typer.Typer) -> None:
    app.add_typer(risks_app, name="risks")
