"""``placehealth plan``: show, check and track plans kept as data."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from placehealth.cli.options import console, default_plans_path, print_json
from placehealth.plans.load import load_plans

plan_app = typer.Typer(
    help="Plans as code: show ambitions, check their arithmetic, track status.",
    no_args_is_help=True,
)


@plan_app.command("show")
def show(
    path: Path = typer.Argument(None, help="A plan file or folder (default: plans/)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print every ambition with its indicator, baseline, target and method.

    Example: placehealth plan show plans/ccg-2014
    """
    plans = load_plans(path or default_plans_path())
    rows = [
        {
            "document": plan.document.id,
            "ambition": a.id,
            "indicator": a.indicator,
            "baseline": a.baseline.value if a.baseline else None,
            "baseline_period": a.baseline.period if a.baseline else None,
            "target": a.target.value if a.target else None,
            "target_period": a.target.period if a.target else None,
            "method": a.method.kind,
        }
        for plan in plans
        for a in plan.ambitions
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Ambitions")
    for column in rows[0] if rows else ["document"]:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
