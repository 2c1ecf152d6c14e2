"""``placehealth spc``: Making Data Count XmR charts over a file of series."""

from __future__ import annotations

from pathlib import Path

import typer

from placehealth.cli.options import console
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
        None, "--rebase", help="Dates that start new limits, e.g. 2021-04-01."
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
) -> None:
    """XmR chart columns for every series: mean, limits, special causes and icons.

    Writes the input columns plus mean, lpl, upl, special_cause_flag,
    special_cause_type, point_type, variation_icon and assurance_icon.

    Example: placehealth spc ae.csv --value waits --date month --by trust
    --improvement decrease --target 4 -o ae_spc.csv

    Example: placehealth spc new_service.csv --value visits --date week --trial-limits
    --rebase 2024-04-01 --rebase-exact -o visits_spc.csv
    """
    from placehealth.spc import MIN_POINTS, xmr
    from placehealth.tables import read_table, write_table

    if min_points is None:
        min_points = MIN_POINTS
    frame = read_table(input_path)
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
            rebase_exact=rebase_exact,
        )  # fmt: skip
    except ValidationError as exc:
        raise ValidationError(
            exc.message, file=input_path, row=exc.row, column=exc.column, hint=exc.hint
        ) from None
    path = write_table(result, output)
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
    n_series = result.groupby(keys).ngroups if keys else 1
    console.print(f"{n_series} series, {len(result):,} points → {path}")


def register(app: typer.Typer) -> None:
    app.command("spc")(spc)
