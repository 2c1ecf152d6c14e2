"""``placehealth indicators``: compute indicator values from the warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from placehealth.cli.options import PLAIN_UTF8, console, progress_bar
from placehealth.cli.place import PLACE_HELP
from placehealth.errors import ValidationError

indicators_app = typer.Typer(
    help="Indicators computed from the warehouse.\n\n"
    "Example: placehealth indicators compute -w out/warehouse.duckdb -o values.csv",
    no_args_is_help=True,
)

_YEARS = re.compile(r"^(\d{4})/\d{2}-(\d{4})/\d{2}$")


def parse_years(text: str) -> list[int]:
    """'2014/15-2018/19' → [2014, …, 2018]."""
    m = _YEARS.match(text.strip())
    if not m or int(m.group(2)) < int(m.group(1)):
        raise ValidationError(
            f"cannot read years '{text}'", column="--years", hint="write e.g. 2014/15-2018/19"
        )
    return list(range(int(m.group(1)), int(m.group(2)) + 1))


@indicators_app.command("compute")
def compute(
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    years: str | None = typer.Option(
        None,
        "--years",
        help="Financial years to compute, e.g. 2014/15-2018/19 (default: every whole year "
        "in the data).",
    ),
    place: str | None = typer.Option(None, "--place", help=PLACE_HELP),
    output: Path = typer.Option(
        Path("out/indicators.parquet"), "--output", "-o", help="CSV, Parquet or Excel file."
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Compute every indicator for every area and period, in the long format.

    Three-year pooled windows (mortality, life expectancy) are the calendar years
    fully inside the financial years asked for. Numerators and denominators of 1-7
    are hidden, with the counts that would give them back, and the values derived
    from them blanked; the disclosure column says why (docs/disclosure.md). Each row
    carries the area's name, the indicator's unit and polarity, and a value note
    saying why a blank value is blank (disclosure control, too few events, no
    denominator).

    Example: placehealth indicators compute --warehouse out/warehouse.duckdb -o values.csv
    """
    from placehealth.services.indicators import compute as compute_indicators

    fys = parse_years(years) if years is not None else None
    with progress_bar("indicators") as progress:
        run = compute_indicators(
            warehouse, output, engine=engine, years=fys, place=place, bom=not plain_utf8,
            progress=progress,
        )  # fmt: skip
    console.print(
        f"{run.values:,} indicator values ({run.indicators} indicators) on {engine}, "
        f"{run.hidden:,} with small counts hidden → {run.path}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(indicators_app, name="indicators")
