"""``placehealth phm``: the segments, concentration and allocation commands."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from placehealth.cli.options import PLAIN_UTF8, console, print_json
from placehealth.cli.place import PLACE_HELP
from placehealth.errors import ValidationError

if TYPE_CHECKING:  # the data libraries load when a command runs, not for its help
    import pandas as pd

WAREHOUSE = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file.")
ENGINE = typer.Option("duckdb", "--engine", help="duckdb (default) or spark.")


def parse_date(text: str | None, option: str = "--index-date") -> dt.date | None:
    """'2018-04-01' (or 01/04/2018, day first) → a date, or an error saying what to write."""
    from placehealth.dates import read_date

    return None if text is None else read_date(text, option=option).date()


def parse_year(text: str | None) -> dt.date | None:
    """'2017/18' → 1 April 2017, by the shared period rule."""
    from placehealth.periods import financial_year_start

    return None if text is None else financial_year_start(text.strip(), option="--year")


def _choice(value: str, allowed: tuple[str, ...] | list[str], option: str) -> str:
    if value not in allowed:
        raise ValidationError(
            f"unknown {option} '{value}'", column=option, hint=f"use one of {', '.join(allowed)}"
        )
    return value


def _pct(value: Any) -> str:
    import pandas as pd

    return "—" if pd.isna(value) else f"{float(value):.1%}"


def _count(value: Any) -> str:
    import pandas as pd

    return "—" if pd.isna(value) else f"{int(value):,}"


def segments_command(
    warehouse: Path = WAREHOUSE,
    index_date: str | None = typer.Option(
        None,
        "--index-date",
        help="Date people are segmented at (default: the last 1 April with a year of data "
        "after it).",
    ),
    by: str | None = typer.Option(
        None, "--by", help="Profile one area type: neighbourhood, pcn, practice or imd_decile."
    ),
    period: str = typer.Option(
        "after", "--period", help="Activity in the 12 months after (default) or before the date."
    ),
    place: str | None = typer.Option(None, "--place", help=PLACE_HELP),
    output: Path = typer.Option(
        Path("out/phm-segments.csv"), "--output", "-o", help="Profile file: CSV, Parquet or Excel."
    ),
    engine: str = ENGINE,
    as_json: bool = typer.Option(False, "--json", help="Print the place-level tables as JSON."),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Segment everyone alive at the index date and profile the segments by area.

    Seven segments, first match wins: end of life, frailty and dementia, complex
    lives, disability, mental health, long-term conditions, healthy (rules in
    docs/phm-segments.md). The profile (people, emergency admissions, A&E
    attendances, bed-days and deaths in the 12 months, by area and segment) has
    counts of 1-7 hidden, with every count that would give one back (practices
    within PCNs within the place, segments within all), and the rest rounded to
    5; the disclosure column says why a cell is blank (docs/disclosure.md).

    Example: placehealth phm segments -w out/warehouse.duckdb --by neighbourhood -o segments.csv
    """
    from placehealth.phm.profiles import AREA_TYPES
    from placehealth.phm.segments import SEGMENT_NAMES
    from placehealth.services import phm as service

    day = parse_date(index_date)
    areas = [_choice(by, AREA_TYPES, "--by")] if by is not None else list(AREA_TYPES)
    _choice(period, ("after", "before"), "--period")
    started = time.perf_counter()
    with console.status("segmenting and profiling") as status:
        run = service.segments(
            warehouse,
            index_date=day,
            area_types=areas,
            period=period,  # type: ignore[arg-type]
            place=place,
            output=output,
            engine=engine,
            bom=not plain_utf8,
            progress=lambda step, _done, _total: status.update(step),
        )
    seconds = time.perf_counter() - started
    result, day, path = run.profiles, run.profiles.index_date, run.path
    if as_json:
        print_json(
            {
                "index_date": day.isoformat(),
                "period": period,
                "shares": _records(result.shares),
                "multimorbidity": _records(result.multimorbidity),
                "concentration": _records(result.concentration),
                "profile": str(path),
            }
        )
        return
    table = Table(title=f"Population segments at {day.isoformat()} (activity {period})")
    for column in ("Segment", "People", "Share", "Emergency adm.", "A&E", "Bed-days", "Deaths"):
        table.add_column(column, justify="left" if column == "Segment" else "right")
    for row in result.shares.itertuples():
        table.add_row(
            SEGMENT_NAMES[str(row.segment)],
            _count(row.people),
            _pct(row.share_of_people),
            _pct(row.share_of_emergency_admissions),
            _pct(row.share_of_ae_attendances),
            _pct(row.share_of_bed_days),
            _pct(row.share_of_deaths),
        )
    console.print(table)
    bed = result.concentration.set_index(["measure", "base"])
    for base, who in (("population", "people"), ("patients", "people with a hospital stay")):
        if ("bed_days", base) in bed.index:
            top = bed.at[("bed_days", base), "top_11%"]
            holding = bed.at[("bed_days", base), "people_holding_74%"]
            console.print(
                f"Top 11% of {who} hold {_pct(top)} of bed-days; "
                f"74% of bed-days are held by {_pct(holding)} of {who}."
            )
    if run.short_follow_up:
        console.print(
            f"[yellow]Note: the data end on {run.window.end.isoformat()}, so activity after "
            f"{day.isoformat()} covers less than 12 months.[/yellow]"
        )
    console.print(f"Profile ({len(result.profile):,} rows, {seconds:.1f} s) → {path}")


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return list(clean.to_dict(orient="records"))  # type: ignore[arg-type]


def concentration_command(
    warehouse: Path = WAREHOUSE,
    measure: str = typer.Option(
        "bed_days",
        "--measure",
        help="bed_days, emergency_admissions, ae, or cost (hospital use priced by the "
        "unit costs in phm/codelists/unit-costs.yaml).",
    ),
    year: str | None = typer.Option(
        None, "--year", help="Financial year, e.g. 2017/18 (default: the last whole year)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Lorenz curve: CSV, Parquet or Excel."
    ),
    chart: Path | None = typer.Option(None, "--chart", help="Lorenz chart: .svg, .png or .html."),
    engine: str = ENGINE,
    as_json: bool = typer.Option(False, "--json", help="Print the shares as JSON."),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """How concentrated hospital use is: the share held by the heaviest x% of people.

    Cost prices spells, bed-days, A&E and outpatient attendances with illustrative
    national unit costs (replace them with local ones before quoting money).

    People are everyone alive on 1 April of the year; "patients" are those with
    any of the measure in the year (for bed-days, any hospital spell). Seed 002
    (line 184): about 11% of patients account for 74% of bed-days.

    Example: placehealth phm concentration -w out/warehouse.duckdb --year 2017/18 -o lorenz.csv
    """
    from placehealth.phm.hospital_use import patients_are
    from placehealth.services import phm as service

    run = service.concentration(
        warehouse,
        measure=measure,
        year=parse_year(year),
        output=output,
        chart=chart,
        engine=engine,
        bom=not plain_utf8,
    )
    found, year, column = run.concentration, run.year, run.column
    everyone, patients = found.top_share_people, found.top_share_patients
    if as_json:
        print_json(
            {
                "measure": measure,
                "year": year,
                "people": found.people,
                "patients": found.patients,
                "total": found.total,
                "top_share_people": {f"{f:g}": float(v) for f, v in everyone.items()},
                "top_share_patients": {f"{f:g}": float(v) for f, v in patients.items()},
            }
        )
        return
    table = Table(title=f"Concentration of {measure} in {year}")
    for name in ("Heaviest", "Share (all people)", "Share (patients)"):
        table.add_column(name, justify="right")
    for row in found.shares.itertuples():  # the table the site shows too
        table.add_row(
            f"{row.heaviest:.1%}", _pct(row.share_of_everyone), _pct(row.share_of_patients)
        )
    console.print(table)
    console.print(
        f"{found.people:,} people alive on {run.start.isoformat()}, "
        f"{found.patients:,} patients ({patients_are(column, measure)}), "
        f"{found.total:,.0f} {measure} in all."
    )
    if run.curve_path is not None:
        console.print(f"Lorenz curve → {run.curve_path}")


def allocate_command(
    warehouse: Path = WAREHOUSE,
    budget: float = typer.Option(..., "--budget", help="Amount to share out, e.g. 1000000."),
    need: str = typer.Option(
        "combined", "--need", help="deprivation, activity or combined (both, equal weight)."
    ),
    universal_share: float = typer.Option(
        0.5, "--universal-share", help="Share given out per head regardless of need (0-1)."
    ),
    index_date: str | None = typer.Option(
        None, "--index-date", help="Date population is counted (default: the last 1 April)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Allocation table: CSV, Parquet or Excel."
    ),
    engine: str = ENGINE,
    as_json: bool = typer.Option(False, "--json", help="Print the allocation as JSON."),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Share a budget across neighbourhoods by proportionate universalism.

    Each neighbourhood gets the universal share per head; the rest follows
    population weighted by need: deprivation (IMD decile), activity (emergency
    admissions per head in the 12 months before the date) or both. Whole pounds,
    adding up to the budget.

    Example: placehealth phm allocate -w out/warehouse.duckdb --budget 1000000 --need combined
    """
    from placehealth.phm.need import NEEDS
    from placehealth.services import phm as service

    _choice(need, NEEDS, "--need")
    run = service.allocation(
        warehouse,
        budget=budget,
        need=need,
        universal_share=universal_share,
        index_date=parse_date(index_date),
        output=output,
        engine=engine,
        bom=not plain_utf8,
    )
    table = run.table
    if as_json:
        print_json(_records(table))
        return
    out = Table(
        title=f"Allocation of {budget:,.0f} by {need} need (universal share {universal_share:g})"
    )
    for name in ("Neighbourhood", "Population", "Need index", "Allocation", "Per head", "Share"):
        out.add_column(name, justify="left" if name == "Neighbourhood" else "right")
    for row in table.itertuples():
        out.add_row(
            str(row.neighbourhood),
            _count(row.population),
            f"{row.need_index:.2f}",
            f"{row.allocation:,.0f}",
            f"{row.per_head:,.2f}",
            _pct(row.share),
        )
    console.print(out)
    if run.path is not None:
        console.print(f"Allocation → {run.path}")


def register(app: typer.Typer) -> None:
    """Adds this module's commands to ``placehealth phm``."""
    app.command("segments")(segments_command)
    app.command("concentration")(concentration_command)
    app.command("allocate")(allocate_command)
