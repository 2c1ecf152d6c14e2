"""``placehealth stats``: PHE indicator statistics over CSV, Parquet or Excel files.

A thin layer: map the options onto a pure function in ``placehealth.stats`` and
hand it to the service (``placehealth.services.stats``), which reads, computes
and writes. Column names are given by options; errors name the file, row and
column and exit with code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from placehealth.cli.options import HEADER_ROW, PLAIN_UTF8, SHEET
from placehealth.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

stats_app = typer.Typer(
    help=(
        "Indicator statistics to the public-health (PHE/Fingertips) standard.\n\n"
        "Example: placehealth stats dsr deaths.csv --count deaths --population pop "
        "--age-band age --by area -o dsr.csv"
    ),
    no_args_is_help=True,
)
err = Console(stderr=True)

INPUT = typer.Argument(..., help="Input table (.csv, .parquet or .xlsx).")
OUTPUT = typer.Option(
    None, "--output", "-o", help="Output table (.csv, .parquet or .xlsx); CSV on stdout if omitted."
)
BY = typer.Option("", "--by", help="Grouping columns, comma-separated (e.g. area,year).")
CONFIDENCE = typer.Option(
    "0.95,0.998", "--confidence", help="Confidence levels, comma-separated (0.95 or 95)."
)
AGE_BAND = typer.Option("age_band", "--age-band", help="Age band column (e.g. 0-4 ... 90+).")
MISSING_NA = typer.Option(
    "error", "--missing", help="A gap in a group: error (refuse) or na (no value for the group)."
)


def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    """One clear message for a value outside an option's choices."""
    if value not in choices:
        raise ValidationError(
            f"{option} '{value}' is not one of {', '.join(choices)}",
            hint=f"e.g. {option} {choices[-1]}",
        )
    return value


def _columns(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _levels(text: str) -> list[float]:
    values = []
    for part in _columns(text):
        try:
            values.append(float(part))
        except ValueError:
            raise ValidationError(
                f"confidence level '{part}' is not a number", hint="e.g. --confidence 0.95,0.998"
            ) from None
    return values


def _run(
    input_path: Path,
    output: Path | None,
    compute: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    status: str | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    bom: bool = True,
) -> None:
    """Compute through the service; print the table as CSV, or say what was written."""
    from placehealth.services.stats import compute_file, csv_text

    with err.status(status) if status else nullcontext():
        run = compute_file(
            input_path, compute, output=output, sheet=sheet, header_row=header_row, bom=bom
        )
    if run.path is None:
        print(csv_text(run.frame), end="")
    else:
        err.print(f"wrote {len(run.frame)} rows to {output}", highlight=False)


@stats_app.command("proportion")
def proportion_cmd(
    input_path: Path = INPUT,
    numerator: str = typer.Option(..., "--numerator", help="Numerator column."),
    denominator: str = typer.Option(..., "--denominator", help="Denominator column."),
    by: str = BY,
    multiplier: float = typer.Option(1, "--multiplier", help="1 for a proportion, 100 for %."),
    confidence: str = CONFIDENCE,
    missing: str = MISSING_NA,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Proportions with Wilson score limits, summed per group.

    Example: placehealth stats proportion screening.csv --numerator screened
    --denominator eligible --by practice --multiplier 100 -o coverage.csv
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.proportion(
            d, numerator, denominator, _columns(by), multiplier=multiplier,
            confidence=_levels(confidence),
            missing=_choice("--missing", missing, ("error", "na")),  # type: ignore[arg-type]
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("rate")
def rate_cmd(
    input_path: Path = INPUT,
    count: str = typer.Option(..., "--count", help="Events column."),
    population: str = typer.Option(..., "--population", help="Population column."),
    by: str = BY,
    multiplier: float = typer.Option(100_000, "--multiplier", help="Rate per this many."),
    confidence: str = CONFIDENCE,
    missing: str = MISSING_NA,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Crude rates: exact Poisson limits below 10 events, Byar's otherwise.

    Example: placehealth stats rate admissions.csv --count admissions
    --population pop --by ward,year -o rates.parquet
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.rate(
            d, count, population, _columns(by), multiplier=multiplier,
            confidence=_levels(confidence),
            missing=_choice("--missing", missing, ("error", "na")),  # type: ignore[arg-type]
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("dsr")
def dsr_cmd(
    input_path: Path = INPUT,
    count: str = typer.Option(..., "--count", help="Events column."),
    population: str = typer.Option(..., "--population", help="Population column."),
    age_band: str = AGE_BAND,
    by: str = BY,
    standard: str = typer.Option("esp2013", "--standard", help="esp2013 or esp1976."),
    standard_column: str | None = typer.Option(
        None, "--standard-column", help="Column holding your own standard population."
    ),
    event_frequency: str | None = typer.Option(
        None, "--event-frequency", help="Events-per-person column (non-independent events)."
    ),
    multiplier: float = typer.Option(100_000, "--multiplier", help="Rate per this many."),
    confidence: str = CONFIDENCE,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Directly age-standardised rates with Dobson limits (ESP2013 by default).

    Example: placehealth stats dsr deaths.csv --count deaths --population pop
    --age-band age --by area,sex -o dsr.csv
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.dsr(
            d, count, population, _columns(by), age_band=age_band, standard=standard,
            standard_column=standard_column, event_frequency=event_frequency,
            multiplier=multiplier, confidence=_levels(confidence),
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("isr")
def isr_cmd(
    input_path: Path = INPUT,
    count: str = typer.Option(..., "--count", help="Observed events column."),
    population: str = typer.Option(..., "--population", help="Population column."),
    ref_count: str = typer.Option("ref_count", "--ref-count", help="Reference events column."),
    ref_population: str = typer.Option(
        "ref_population", "--ref-population", help="Reference population column."
    ),
    reference: Path | None = typer.Option(
        None, "--reference", help="Separate reference table, matched on --age-band."
    ),
    age_band: str = AGE_BAND,
    by: str = BY,
    kind: str = typer.Option("rate", "--kind", help="rate or ratio."),
    multiplier: float | None = typer.Option(
        None, "--multiplier", help="Default 100000 (rate) or 100 (ratio)."
    ),
    confidence: str = CONFIDENCE,
    missing: str = typer.Option(
        "error",
        "--missing",
        help="A missing population: error (refuse) or zero (the band adds nothing, as PHE).",
    ),
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Indirectly standardised rates or ratios (observed / expected).

    Example: placehealth stats isr deaths.csv --count deaths --population pop
    --reference england.csv --ref-count deaths --ref-population pop --by area --kind ratio
    """
    from placehealth import stats
    from placehealth.services.stats import read_reference

    ref = read_reference(reference)
    _run(
        input_path,
        output,
        lambda d: stats.isr(
            d, count, population, _columns(by), ref_count=ref_count,
            ref_population=ref_population, reference=ref,
            age_band=age_band if ref is not None else None,
            kind=kind,  # type: ignore[arg-type]
            multiplier=multiplier, confidence=_levels(confidence),
            missing=_choice("--missing", missing, ("error", "zero")),  # type: ignore[arg-type]
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("mean")
def mean_cmd(
    input_path: Path = INPUT,
    values: str = typer.Option(..., "--value", help="Column of values to average."),
    by: str = BY,
    confidence: str = CONFIDENCE,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Means with Student's t limits.

    Example: placehealth stats mean waits.csv --value days --by provider -o means.csv
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.mean(d, values, _columns(by), confidence=_levels(confidence)),
        sheet=sheet,
        header_row=header_row,
        bom=not plain_utf8,
    )


@stats_app.command("life-expectancy")
def life_expectancy_cmd(
    input_path: Path = INPUT,
    deaths: str = typer.Option(..., "--deaths", "--count", help="Deaths column."),
    population: str = typer.Option(..., "--population", help="Population column."),
    age_band: str = AGE_BAND,
    by: str = BY,
    ages: str = typer.Option("", "--ages", help="Only these ages, e.g. 0,65 (default all)."),
    suppress: bool = typer.Option(
        False, "--suppress-invalid", help="Give NaN with a note for invalid groups, not an error."
    ),
    confidence: str = CONFIDENCE,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Life expectancy (Chiang II abridged life table, 0, 1-4 ... 90+) with Silcocks limits.

    Example: placehealth stats life-expectancy le.csv --deaths deaths
    --population pop --age-band age --by area,sex --ages 0,65 -o le.csv
    """
    from placehealth import stats

    wanted = [float(a) for a in _columns(ages)] if ages else None
    _run(
        input_path,
        output,
        lambda d: stats.life_expectancy(
            d, deaths, population, _columns(by), age_band=age_band, ages=wanted,
            confidence=_levels(confidence), invalid="suppress" if suppress else "error",
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("sii")
def sii_cmd(
    input_path: Path = INPUT,
    quantile: str = typer.Option(..., "--quantile", help="Quantile column (1 = most deprived)."),
    population: str = typer.Option(..., "--population", help="Population column."),
    value: str | None = typer.Option(None, "--value", help="Indicator value column."),
    count: str | None = typer.Option(None, "--count", help="Count column (proportions only)."),
    value_type: str = typer.Option("normal", "--value-type", help="normal, rate or proportion."),
    se: str | None = typer.Option(None, "--se", help="Standard error column."),
    lower_cl: str | None = typer.Option(None, "--lower-cl", help="95% lower limit column."),
    upper_cl: str | None = typer.Option(None, "--upper-cl", help="95% upper limit column."),
    by: str = BY,
    multiplier: float = typer.Option(1, "--multiplier", help="Scale (negative flips polarity)."),
    repetitions: int = typer.Option(100_000, "--repetitions", help="Simulations per group."),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed (same seed, same limits)."),
    transform: bool = typer.Option(False, "--transform", help="Regress on log/logit scale."),
    confidence: str = typer.Option("0.95", "--confidence", help="Confidence levels."),
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Slope and relative index of inequality with simulated limits.

    Example: placehealth stats sii le_deciles.csv --quantile decile
    --population pop --value le --se se --by area,sex --repetitions 10000 -o sii.csv
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.sii(
            d, quantile, population, _columns(by), value=value, count=count,
            value_type=value_type,  # type: ignore[arg-type]
            se=se, lower_cl=lower_cl, upper_cl=upper_cl, multiplier=multiplier,
            repetitions=repetitions, seed=seed, transform=transform,
            confidence=_levels(confidence),
        ),
        status=f"simulating {repetitions:,} repetitions per group",
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


@stats_app.command("quantiles")
def quantiles_cmd(
    input_path: Path = INPUT,
    value: str = typer.Option(..., "--value", help="Value column to rank."),
    by: str = BY,
    n: int = typer.Option(10, "--quantiles", help="Number of quantiles (10 = deciles)."),
    invert: bool = typer.Option(
        True, "--invert/--no-invert", help="Quantile 1 holds the highest values (default)."
    ),
    polarity: str | None = typer.Option(
        None, "--polarity", help="Column of polarity (True/False or 'Low is good')."
    ),
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Assign areas to quantiles within each group (e.g. deciles within region).

    Example: placehealth stats quantiles lsoa.csv --value imd_score --by region --quantiles 10
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.quantiles(
            d, value, _columns(by), n=n, invert=invert, invert_column=polarity
        ),
        sheet=sheet,
        header_row=header_row,
        bom=not plain_utf8,
    )


@stats_app.command("funnel")
def funnel_cmd(
    input_path: Path = INPUT,
    numerator: str = typer.Option(..., "--numerator", "--count", help="Numerator / events."),
    denominator: str | None = typer.Option(
        None, "--denominator", "--population", help="Denominator (expected for ratios)."
    ),
    statistic: str = typer.Option("proportion", "--statistic", help="proportion, ratio or rate."),
    rate: str | None = typer.Option(None, "--rate", help="Rate column (rate funnels)."),
    rate_type: str = typer.Option("dsr", "--rate-type", help="dsr or crude."),
    ratio_type: str = typer.Option("count", "--ratio-type", help="count or isr."),
    years: float = typer.Option(1, "--years", help="Years of data (rate funnels)."),
    multiplier: float = typer.Option(100, "--multiplier", help="Scale of the values."),
    table: str = typer.Option(
        "significance", "--table", help="significance (per area), limits or points."
    ),
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Funnel plot limits (95% and 99.8%) and each area's significance.

    Example: placehealth stats funnel practices.csv --numerator screened
    --denominator eligible --statistic proportion --table limits -o funnel.csv
    """
    from placehealth.services.stats import funnel

    def compute(d: pd.DataFrame) -> pd.DataFrame:
        return funnel(
            d, numerator, denominator, table=table, statistic=statistic, rate=rate,
            rate_type=rate_type, ratio_type=ratio_type, years=years, multiplier=multiplier,
        )  # fmt: skip

    _run(input_path, output, compute, sheet=sheet, header_row=header_row, bom=not plain_utf8)


@stats_app.command("pyll")
def pyll_cmd(
    input_path: Path = INPUT,
    deaths: str = typer.Option(..., "--deaths", "--count", help="Deaths column."),
    population: str = typer.Option(..., "--population", help="Population column."),
    age_band: str = AGE_BAND,
    by: str = BY,
    kind: str = typer.Option("standardised", "--kind", help="standardised or crude."),
    standard: str = typer.Option("esp2013", "--standard", help="esp2013 or esp1976."),
    multiplier: float = typer.Option(100_000, "--multiplier", help="Rate per this many."),
    confidence: str = CONFIDENCE,
    output: Path | None = OUTPUT,
    sheet: str | None = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Potential years of life lost before 75, per 100,000 (age-standardised or crude).

    Example: placehealth stats pyll amenable_deaths.csv --deaths deaths
    --population pop --age-band age --by ccg,year --kind standardised
    """
    from placehealth import stats

    _run(
        input_path,
        output,
        lambda d: stats.pyll(
            d, deaths, population, _columns(by), age_band=age_band,
            kind=kind,  # type: ignore[arg-type]
            standard=standard, multiplier=multiplier, confidence=_levels(confidence),
        ),
        sheet=sheet, header_row=header_row,
        bom=not plain_utf8,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(stats_app, name="stats")
