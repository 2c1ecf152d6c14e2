"""``placehealth spc``: Making Data Count XmR charts over a file of series."""

from __future__ import annotations

from pathlib import Path

import typer

from placehealth.cli.options import HEADER_ROW, MONTH_FIRST, PLAIN_UTF8, SHEET, console
from placehealth.errors import ValidationError


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
    from placehealth.reports.charts import check_chart_path
    from placehealth.spc import MIN_POINTS, xmr
    from placehealth.tables import check_writable, read_table, write_table

    if min_points is None:
        min_points = MIN_POINTS
    for path in (output, summary):
        if path is not None:
            check_writable(path)
    if chart is not None:
        check_chart_path(chart)
    frame = read_table(input_path, sheet=sheet, header_row=header_row)
    keys = [c.strip() for c in by.split(",")] if by else []
    goal: float | str | None = None
    if target is not None:
        try:
            goal = float(target)
        except ValueError:
            goal = target
    dates = [d.strip() for d in rebase.split(",")] if rebase else None
    try:
        result = xmr(
            frame, value, date, keys, improvement=improvement, target=goal, rebase=dates,
            fix_after=fix_after, min_points=min_points, trial_limits=trial_limits,
            rebase_exact=rebase_exact, month_first=month_first,
        )  # fmt: skip
    except ValidationError as exc:
        raise ValidationError(
            exc.message, file=input_path, row=exc.row, column=exc.column, hint=exc.hint
        ) from None
    path = write_table(result, output, bom=not plain_utf8)
    if summary is not None:
        from placehealth.spc.summary import series_summary

        table = series_summary(result, value, date, keys, target=goal)
        written = write_table(table, summary, bom=not plain_utf8)
        console.print(f"summary of {len(table)} series → {written}")
    if chart is not None:
        from placehealth.reports.charts import spc_panels, write_chart

        spec = spc_panels(result, value=value, date=date, by=keys, target=goal)
        console.print(f"chart → {write_chart(spec, chart)}")
    label = keys or [value]
    for rows, says in (
        (result[result["point_type"] == "insufficient_data"], "have no limits"),
        (result[result["trial_limits"]], "have trial limits, revised as points are added"),
    ):
        if len(rows):
            names = rows.drop_duplicates(label)[label].astype(str).agg(", ".join, axis=1)
            console.print(
                f"[yellow]warning:[/] {len(names)} series with a group of fewer than "
                f"{min_points} points {says}: {'; '.join(names.head(10))}"
            )
    from placehealth.dates import ambiguity_note

    if note := ambiguity_note(frame[date], month_first=month_first):
        console.print(f"dates: {note}", highlight=False)
    n_series = result.groupby(keys).ngroups if keys else 1
    console.print(f"{n_series} series, {len(result):,} points → {path}")


def register(app: typer.Typer) -> None:
    app.command("spc")(spc)
