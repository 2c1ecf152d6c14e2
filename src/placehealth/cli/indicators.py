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
    incremental: bool = typer.Option(
        False,
        "--incremental",
        help="Recompute only the periods whose data changed since the last incremental run "
        "and reuse the rest (the same values as a full run). The unpublished values are "
        "kept beside the warehouse, so the output must go to another folder.",
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
            incremental=incremental, progress=progress,
        )  # fmt: skip
    if run.note:
        console.print(run.note)
    if run.recomputed is not None:
        which = f" ({', '.join(run.recomputed)})" if run.recomputed else ""
        console.print(f"{len(run.recomputed)} of {run.periods} periods computed{which}")
    console.print(
        f"{run.values:,} indicator values ({run.indicators} indicators) on {engine}, "
        f"{run.hidden:,} with small counts hidden → {run.path}"
    )


_FINGERTIPS = "A Fingertips download holding England's values (area E92000001)."


@indicators_app.command("inequalities")
def inequalities(
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    years: str | None = typer.Option(
        None, "--years", help="Financial years, e.g. 2014/15-2018/19 (default: all whole years)."
    ),
    place: str | None = typer.Option(None, "--place", help=PLACE_HELP),
    fingertips: Path | None = typer.Option(None, "--fingertips", help=_FINGERTIPS),
    repetitions: int = typer.Option(
        10_000, "--repetitions", help="Simulations for the SII and RII limits (PHE: 100,000)."
    ),
    seed: int = typer.Option(1, "--seed", "-s", help="Random seed of the simulated limits."),
    output: Path = typer.Option(
        Path("out/inequalities.csv"), "--output", "-o", help="CSV, Parquet or Excel file."
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Inequalities: values by deprivation decile and quintile, SII and RII, gaps to England.

    Life expectancy and condition-free life expectancy at birth (years lived without a
    recorded long-term condition, Sullivan's method) by sex for the place and each IMD
    decile and quintile; the slope and relative index of inequality, with simulated 95%
    and 99.8% limits, of every indicator that has a value in all ten deciles; and
    England's value less the place's where England's is known (ONS's SII in life
    expectancy ships with the package; --fingertips adds a download's England rows).
    Counts pass disclosure control first; the indices use only published deciles.

    Example: placehealth indicators inequalities -w out/warehouse.duckdb -o inequalities.csv
    """
    from placehealth.services.indicators import inequalities as run_inequalities

    fys = parse_years(years) if years is not None else None
    with progress_bar("inequalities") as progress:
        run = run_inequalities(
            warehouse, output, engine=engine, years=fys, place=place, fingertips=fingertips,
            repetitions=repetitions, seed=seed, bom=not plain_utf8, progress=progress,
        )  # fmt: skip
    console.print(
        f"{run.rows:,} rows on {engine}: {run.indices:,} slope and relative indices, "
        f"{run.gaps:,} gaps to England, {run.hidden:,} cells with small counts hidden → {run.path}"
    )


@indicators_app.command("benchmark")
def benchmark(
    actuals: Path = typer.Option(
        ..., "--actuals", "-a", help="Indicator values (the output of indicators compute)."
    ),
    fingertips: Path = typer.Option(..., "--fingertips", help=_FINGERTIPS),
    level: str = typer.Option(
        "both", "--level", help="Confidence level compared at: 95, 99.8 or both (default)."
    ),
    output: Path = typer.Option(
        Path("out/benchmark.csv"), "--output", "-o", help="CSV, Parquet or Excel file."
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Benchmark the place's values against England's, as Fingertips does.

    Adds "Compared to England value or percentiles" (Better/Worse/Similar, or
    Higher/Lower where the indicator has no polarity, at 95% and/or 99.8%: the area's
    interval wholly above or below England's value), "Compared to percentiles"
    (the area's fifth among areas of its type) and "Recent Trend" (the last five
    periods: chi-square test for trend on proportions, weighted regression otherwise,
    significant at 99.8%; docs/stats.md).

    Example: placehealth indicators benchmark -a values.csv --fingertips england.csv -o b.csv
    """
    from placehealth.services.indicators import benchmark as run_benchmark

    run = run_benchmark(actuals, fingertips, output, level=level, bom=not plain_utf8)
    console.print(
        f"{run.rows:,} values, {run.compared:,} compared with England, "
        f"{run.trends:,} recent trends → {run.path}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(indicators_app, name="indicators")
