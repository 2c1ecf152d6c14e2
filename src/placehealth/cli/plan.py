"""``placehealth plan``: show, check and track plans kept as data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from placehealth.cli.options import (
    AGE_OPTION,
    HEADER_ROW,
    PLAIN_UTF8,
    SEX_OPTION,
    SHEET,
    console,
    default_plans_path,
    print_json,
)
from placehealth.plans.severity import Severity

if TYPE_CHECKING:
    from placehealth.plans.check.findings import Finding

plan_app = typer.Typer(
    help="Plans as code: show ambitions, check their arithmetic, track status.\n\n"
    "Example: placehealth plan check plans/",
    no_args_is_help=True,
)

_notes = Console(stderr=True)  # counts and notes beside the findings, not mixed into --json
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.MINOR: "dim",
            Severity.NOTE: "cyan"}  # fmt: skip


@plan_app.command("check")
def check(
    path: Path = typer.Argument(None, help="A plan file or folder (default: plans/)."),
    as_json: bool = typer.Option(False, "--json", help="Print findings as JSON."),
    severity: Severity = typer.Option(
        Severity.NOTE, "--severity", help="Show findings at least this severe (default: all)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any error is found."),
    accepted: Path = typer.Option(
        None,
        "--accepted",
        help="YAML file of reviewed findings to silence: 'accepted:' items with id and reason.",
    ),
) -> None:
    """Recompute every trajectory, headline and ratio; report each disagreement.

    Each finding has a stable id, a severity, the printed and recomputed numbers,
    their difference and the source lines. A plan folder's finance/ tables are checked
    too: every total, difference, % change, per-head figure, growth rate and figure
    restated in the text (docs/finance.md). Findings listed in --accepted (by id,
    each with a reason) are left out and counted; listed ids that match nothing
    are named, so the file does not go stale.

    Example: placehealth plan check plans/ --severity warning --accepted accepted.yaml
    """
    from placehealth.services.plans import check as check_plans

    checked = check_plans(path or default_plans_path(), severity=severity, accepted=accepted)
    plans, findings = checked.plans, checked.findings
    if checked.accepted is not None:
        _notes.print(
            f"{len(checked.accepted)} accepted finding(s) left out"
            + (f"; accepted but not found: {', '.join(checked.stale)}" if checked.stale else "")
        )
    if as_json:
        print_json([f.as_dict() for f in findings])
    else:
        console.print(findings_table(findings, f"{len(findings)} findings in {len(plans)} plan(s)"))
    if strict and any(f.severity == Severity.ERROR for f in findings):
        raise typer.Exit(1)


def findings_table(findings: list[Finding], title: str) -> Table:
    """Findings as printed by ``plan check`` (and ``activity check``)."""
    from placehealth.plans.check.findings import fmt

    table = Table(title=title, show_lines=False)
    for column in ("severity", "id", "finding", "printed", "recomputed", "diff", "sources"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(
            f"[{_COLOURS[f.severity]}]{f.severity}[/]",
            f.id,
            f.message + (f" [dim](compared: {f.why})[/]" if f.why else ""),
            fmt(f.stated),
            fmt(f.expected),
            fmt(f.difference),
            "; ".join(f.sources),
        )
    return table


@plan_app.command("show")
def show(
    path: Path = typer.Argument(None, help="A plan file or folder (default: plans/)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Print every ambition with its indicator, baseline, target, method and trajectory.

    The trajectory is recomputed from the method; counts are shown where a
    denominator is known.

    Example: placehealth plan show plans/ccg-2014 --json
    """
    from placehealth.plans.check.findings import fmt
    from placehealth.services.plans import show as show_plans

    plans, rows = show_plans(path or default_plans_path())
    if as_json:
        print_json(rows)
        return
    for plan in plans:
        table = Table(title=f"{plan.document.id}: {plan.document.title}", show_lines=True)
        for column in ("ambition", "indicator", "baseline", "target", "method", "trajectory"):
            table.add_column(column, overflow="fold")
        for row in (r for r in rows if r["document"] == plan.document.id):
            traj = ", ".join(
                f"{p['period']} {fmt(p['value'])}"
                + (f" ({fmt(p['count'])})" if p["count"] is not None else "")
                for p in row["trajectory"]
            )
            table.add_row(
                row["ambition"],
                row["indicator_name"],
                f"{fmt(row['baseline'])} ({row['baseline_period'] or '—'})",
                f"{fmt(row['target'])} ({row['target_period'] or '—'})",
                row["method"],
                traj,
            )
        console.print(table)


@plan_app.command("status")
def status(
    plan: Path = typer.Argument(..., help="A plan file or folder."),
    actuals: Path = typer.Option(
        ..., "--actuals", "-a", help="Actual values: CSV/Excel (indicator, area, period, value)."
    ),
    area: str = typer.Option(None, "--area", help="Area to track (default: the plan's area)."),
    all_areas: bool = typer.Option(
        False, "--all-areas", help="Track every area in the actuals against the trajectory."
    ),
    population: float = typer.Option(
        None,
        "--population",
        min=1,
        help="Population the actuals' counts come from, when not the plan's (e.g. a "
        "synthetic sample): counts are then compared as rates through the plan's population.",
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Stop with exit 2 when no actual matches any ambition, or at the first ambition "
        "that cannot be compared (a conversion that cannot be made, a comparator missing for "
        "a gap), instead of reporting it.",
    ),
    sex: str = SEX_OPTION,
    age: str = AGE_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    output: Path = typer.Option(None, "--output", "-o", help="Also write CSV/Parquet/Excel."),
    sheet: str = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Latest actual against the trajectory, on/off track, and a forecast for the target.

    Actuals are compared like with like (same period kind) or through a conversion
    written in the 'comparison' column (a part-year rate annualised, yearly values
    pooled into a window, a month's share of a year's count); otherwise the row is
    'not comparable' with the reason. A difference inside the actual's confidence
    interval is not a miss. The forecast is a linear trend over non-overlapping points
    with a 95% prediction interval, at the target period.

    A comparator the ambition names (England, the core cities) is shown beside it, and
    a gap ambition is evaluated against it. A Fingertips download is read as it comes
    (examples/fingertips-download.csv); --sex and --age choose its rows.

    Example: placehealth plan status plans/ccg-2014 --actuals actuals.csv --population 20000
    """
    from placehealth.services.plans import status as plan_status

    def warn(note: str) -> None:
        _notes.print(f"[yellow]warning:[/] {note}", highlight=False, soft_wrap=True)

    result = plan_status(
        plan, actuals, area=area, all_areas=all_areas, population=population, strict=strict,
        sex=sex, age=age, sheet=sheet, header_row=header_row, output=output,
        bom=not plain_utf8, warn=warn,
    ).frame  # fmt: skip
    if as_json:
        print_json(result.to_dict(orient="records"))
        return
    table = Table(title="Status against trajectory")
    shown = ["document", "ambition", "area", "latest_period", "actual", "expected", "status",
             "comparison", "forecast_end", "forecast_verdict", "target"]  # fmt: skip
    if result["comparator"].notna().any():
        shown += ["comparator", "comparator_value"]
    for column in shown:
        table.add_column(column)
    colours = {"on track": "green", "off track": "red", "not yet due": "cyan", "no data": "dim",
               "not comparable": "yellow"}  # fmt: skip
    for rec in result.head(200).to_dict(orient="records"):
        cells = [_cell(rec[c]) for c in shown]
        cells[6] = f"[{colours.get(rec['status'], 'white')}]{rec['status']}[/]"
        table.add_row(*cells)
    console.print(table)
    if len(result) > 200:
        console.print(f"… {len(result) - 200} more rows; use --output to write them all")


def _cell(value: object) -> str:
    from placehealth.plans.check.findings import fmt

    if isinstance(value, float):
        return fmt(value)
    return "" if value is None else str(value)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
