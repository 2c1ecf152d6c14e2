"""``placehealth spc``: Making Data Count XmR charts over a file of series."""

from __future__ import annotations

from pathlib import Path

import typer

from placehealth.cli.options import HEADER_ROW, MONTH_FIRST, PLAIN_UTF8, SHEET, console


def spc(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="CSV, Parquet or Excel file."),
    value: str = typer.Option(..., "--value", help="Column of values."),
    date: str = typer.Option(..., "--date", help="Column of dates."),
    by: str = typer.Option(None, "--by", help="Columns that identify a series, comma-separated."),
    target: str = typer.Option(None, "--target", help="A target value, or a column of targets."),
    improvement: str = typer.Option(
        "neutral", "--improvement", help="increase, decrease or neutral (or a column name)."
    ),
    rebase: str = typer.Option(
        None,
        "--rebase",
        help="Dates that start new limits, comma-separated, e.g. 2021-04-01 or 01/04/2021.",
    ),
    fix_after: int = typer.Option(None, "--fix-after", help="Fix the limits after N points."),
    min_points: int | None = typer.Option(
        None, "--min-points", help="Fewest points for limits (default: 12, Making Data Count)."
    ),
    trial_limits: bool = typer.Option(
        False,
        "--trial-limits",
        help="Give shorter groups trial limits (marked in trial_limits and note).",
    ),
    rebase_exact: bool = typer.Option(
        False,
        "--rebase-exact",
        help="Rebase only at points dated on a rebase date (the reference); by default a date "
        "between points rebases from the next point.",
    ),
    output: Path = typer.Option(..., "--output", "-o", help="CSV, Parquet or Excel file."),
    month_first: bool = MONTH_FIRST,
    sheet: str = SHEET,
    header_row: int = HEADER_ROW,
    chart: Path = typer.Option(
        None, "--chart", help="Also draw the charts, one panel a series: .svg, .png or .html."
    ),
    summary: Path = typer.Option(
        None,
        "--summary-table",
        help="Also write one row a series (latest point, mean, limits, variation and "
        "assurance, in words): CSV, Parquet or Excel.",
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """XmR chart columns for every series: mean, limits, special causes and icons.

    Writes the input columns plus mean, lpl, upl, special_cause_flag,
    special_cause_type, point_type, variation_icon and assurance_icon; with
    --chart, the charts (the file's suffix picks SVG, PNG or a page that opens
    offline); with --summary-table, a row a series saying where it is and what its
    icons mean (docs/spc.md). Dates are read day first (01/04/2022 is 1 April)
    unless --month-first; ISO dates (2022-04-01) and month labels (Apr-22, April
    2022) are read as written.

    Example: placehealth spc ae.csv --value waits --date month --by trust
    --improvement decrease --target 4 -o ae_spc.csv

    Example: placehealth spc new_service.csv --value visits --date week --trial-limits
    --rebase 2024-04-01 --rebase-exact -o visits_spc.csv

    Example: placehealth spc ae.csv --value waits --date month --by trust
    --improvement decrease --target 4 -o ae_spc.csv --chart ae_spc.svg
    --summary-table ae_summary.xlsx
    """
    from placehealth.services.spc import chart as xmr_chart

    goal: float | str | None = None
    if target is not None:
        try:
            goal = float(target)
        except ValueError:
            goal = target
    run = xmr_chart(
        input_path, output, value=value, date=date,
        by=[c.strip() for c in by.split(",")] if by else [], target=goal,
        improvement=improvement, rebase=[d.strip() for d in rebase.split(",")] if rebase else None,
        fix_after=fix_after, min_points=min_points, trial_limits=trial_limits,
        rebase_exact=rebase_exact, month_first=month_first, sheet=sheet, header_row=header_row,
        chart_path=chart, summary=summary, bom=not plain_utf8,
    )  # fmt: skip
    if run.summary is not None:
        console.print(f"summary of {run.summary_series} series → {run.summary}")
    if run.chart is not None:
        console.print(f"chart → {run.chart}")
    for short in run.short:
        console.print(
            f"[yellow]warning:[/] {len(short.names)} series with a group of fewer than "
            f"{run.min_points} points {short.says}: {'; '.join(short.names[:10])}"
        )
    if run.dates_note:
        console.print(f"dates: {run.dates_note}", highlight=False)
    console.print(f"{run.series} series, {len(run.frame):,} points → {run.path}")


def register(app: typer.Typer) -> None:
    app.command("spc")(spc)
