"""``placehealth phm``: the segments, concentration and allocation commands."""

from __future__ import annotations

import datetime as dt
import re
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

    from placehealth.engine.backends import Backend
    from placehealth.phm.population import DataWindow

TOP = (0.005, 0.01, 0.05, 0.10, 0.11, 0.20)
MEASURES = {"bed_days": "bed_days", "emergency_admissions": "emergency_admissions",
            "ae": "ae_attendances", "cost": "cost"}  # fmt: skip
NEEDS = ("deprivation", "activity", "combined")
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")

WAREHOUSE = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file.")
ENGINE = typer.Option("duckdb", "--engine", help="duckdb (default) or spark.")


def parse_date(text: str, option: str = "--index-date") -> dt.date:
    """'2018-04-01' (or 01/04/2018, day first) → a date, or an error saying what to write."""
    from placehealth.dates import read_date

    return read_date(text, option=option).date()


def index_date_in(window: DataWindow, text: str | None, option: str = "--index-date") -> dt.date:
    """The date asked for, inside the data; none asked: the last 1 April with a year after it."""
    if text is None:
        return window.latest_full_year()
    day = parse_date(text, option)
    window.check(day, option)
    return day


def parse_year(text: str) -> dt.date:
    """'2017/18' → 1 April 2017."""
    m = _YEAR.match(text.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValidationError(
            f"cannot read financial year '{text}'", column="--year", hint="write e.g. 2017/18"
        )
    return dt.date(int(m.group(1)), 4, 1)


def year_in(window: DataWindow, text: str | None) -> tuple[dt.date, str]:
    """The financial year asked for (its 1 April and label), beginning inside the data; none
    asked: the last whole year in the data."""
    from placehealth.periods import financial_year_label

    if text is None:
        start = window.latest_full_year()
        return start, financial_year_label(start.year)
    start = parse_year(text)
    window.check_year(start, text.strip())
    return start, text.strip()


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
    from placehealth.engine import open_backend
    from placehealth.engine.geography import warehouse_place
    from placehealth.phm.population import data_window
    from placehealth.phm.profiles import AREA_TYPES, profiles, window
    from placehealth.phm.segments import SEGMENT_NAMES
    from placehealth.publish import Published, write

    if index_date is not None:
        parse_date(index_date)
    areas = [_choice(by, AREA_TYPES, "--by")] if by is not None else list(AREA_TYPES)
    _choice(period, ("after", "before"), "--period")
    backend = open_backend(engine, warehouse)
    started = time.perf_counter()
    try:
        data = data_window(backend)
        day = index_date_in(data, index_date)
        place = warehouse_place(backend, place)
        with console.status("segmenting and profiling"):
            result = profiles(backend, day, period=period, area_types=areas, place=place)  # type: ignore[arg-type]
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    path = write(Published(result.profile), output, bom=not plain_utf8)
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
    end = window(day, period)[1]  # type: ignore[arg-type]
    if end > data.end + dt.timedelta(days=1):
        console.print(
            f"[yellow]Note: the data end on {data.end.isoformat()}, so activity after "
            f"{day.isoformat()} covers less than 12 months.[/yellow]"
        )
    console.print(f"Profile ({len(result.profile):,} rows, {seconds:.1f} s) → {path}")


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return list(clean.to_dict(orient="records"))  # type: ignore[arg-type]


def person_amounts(backend: Backend, start: dt.date, measure: str) -> pd.DataFrame:
    """Everyone alive on ``start`` with their amount of ``measure`` in the following year."""
    import narwhals as nw

    from placehealth.phm.costs import person_costs
    from placehealth.phm.profiles import SPELLS, activity, window
    from placehealth.phm.segments import alive

    people = alive(backend, start).select("person_key")
    if measure == "cost":
        end = window(start, "after")[1]
        priced = person_costs(backend, start, end)
        joined = people.join(priced, on="person_key", how="left")
        return backend.collect(joined.with_columns(nw.col("cost").fill_null(0.0)))
    amounts = activity(backend, start, "after").select("person_key", measure, SPELLS)
    joined = people.join(amounts, on="person_key", how="left").with_columns(
        nw.col(measure, SPELLS).fill_null(0)
    )
    return backend.collect(joined)


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
    from placehealth.engine import open_backend
    from placehealth.phm.concentration import lorenz, top_share
    from placehealth.phm.population import data_window
    from placehealth.phm.profiles import PATIENTS
    from placehealth.tables import write_table

    column = MEASURES[_choice(measure, tuple(MEASURES), "--measure")]
    if year is not None:
        parse_year(year)
    backend = open_backend(engine, warehouse)
    try:
        start, year = year_in(data_window(backend), year)
        frame = person_amounts(backend, start, column)
    finally:
        backend.close()
    values = frame[column].to_numpy(dtype=float)
    if values.sum() <= 0:
        raise ValidationError(f"no {measure} in {year}", hint="choose another year or measure")
    everyone = top_share(values, TOP)
    base = frame[PATIENTS.get(column, column)].to_numpy(dtype=float) > 0
    patients = top_share(values[base], TOP)
    curve = lorenz(values, points=1001)
    if output is not None:
        write_table(curve, output, bom=not plain_utf8)
    if chart is not None:
        _chart(curve, chart, f"{measure} {year}")
    if as_json:
        print_json(
            {
                "measure": measure,
                "year": year,
                "people": len(values),
                "patients": int(base.sum()),
                "total": float(values.sum()),
                "top_share_people": {f"{f:g}": float(v) for f, v in everyone.items()},
                "top_share_patients": {f"{f:g}": float(v) for f, v in patients.items()},
            }
        )
        return
    table = Table(title=f"Concentration of {measure} in {year}")
    for name in ("Heaviest", "Share (all people)", "Share (patients)"):
        table.add_column(name, justify="right")
    for f in TOP:
        table.add_row(f"{f:.1%}", _pct(everyone[f]), _pct(patients[f]))
    console.print(table)
    kind = "any hospital spell" if column in PATIENTS else f"any {measure}"
    console.print(
        f"{len(values):,} people alive on {start.isoformat()}, "
        f"{int(base.sum()):,} patients ({kind}), "
        f"{values.sum():,.0f} {measure} in all."
    )
    if output is not None:
        console.print(f"Lorenz curve → {output}")


def _chart(curve: pd.DataFrame, path: Path, title: str) -> None:
    """The Lorenz curve against the line of equality, with altair, written by the one
    chart writer (placehealth.reports.charts.write_chart)."""
    import altair as alt
    import pandas as pd

    from placehealth.reports.charts import check_chart_path, write_chart

    check_chart_path(path)
    base = alt.Chart(curve).encode(
        x=alt.X(
            "people_share:Q", title="Share of people (lightest first)", axis=alt.Axis(format="%")
        ),
        y=alt.Y("quantity_share:Q", title="Share of the total", axis=alt.Axis(format="%")),
    )
    equality = (
        alt.Chart(pd.DataFrame({"people_share": [0.0, 1.0], "quantity_share": [0.0, 1.0]}))
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="people_share:Q", y="quantity_share:Q")
    )
    layered = (equality + base.mark_line()).properties(
        title=f"Lorenz curve: {title}", width=400, height=400
    )
    write_chart(layered.to_dict(), path)


def neighbourhood_need(backend: Backend, day: dt.date) -> pd.DataFrame:
    """Per LSOA: people alive at ``day``, emergency admissions in the 12 months before, and
    the LSOA's neighbourhood and IMD decile."""
    import narwhals as nw

    from placehealth.engine import tables as t
    from placehealth.phm.profiles import activity
    from placehealth.phm.segments import alive

    people = alive(backend, day).group_by("lsoa").agg(nw.len().alias("population"))
    admissions = (
        activity(backend, day, "before")
        .join(backend.table(t.PERSON).select("person_key", "lsoa"), on="person_key", how="inner")
        .group_by("lsoa")
        .agg(nw.col("emergency_admissions").sum())
    )
    geo = backend.table(t.LSOA).select("lsoa", "neighbourhood", "imd_decile")
    joined = (
        people.join(geo, on="lsoa", how="inner")
        .join(admissions, on="lsoa", how="left")
        .with_columns(nw.col("emergency_admissions").fill_null(0))
    )
    return backend.collect(joined).sort_values("lsoa").reset_index(drop=True)


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
    from placehealth.engine import open_backend
    from placehealth.phm.allocation import activity_need, allocate, combine_need, deprivation_need
    from placehealth.phm.population import data_window
    from placehealth.tables import write_table

    _choice(need, NEEDS, "--need")
    if index_date is not None:
        parse_date(index_date)
    backend = open_backend(engine, warehouse)
    try:
        day = index_date_in(data_window(backend), index_date)
        lsoa = neighbourhood_need(backend, day)
    finally:
        backend.close()
    deprivation = deprivation_need(lsoa["imd_decile"])
    use = activity_need(lsoa["emergency_admissions"], lsoa["population"])
    lsoa["need_index"] = {
        "deprivation": deprivation,
        "activity": use,
        "combined": combine_need(lsoa["population"], {"deprivation": deprivation, "activity": use}),
    }[need]
    whole = float(budget).is_integer()
    table = allocate(
        lsoa,
        budget,
        by="neighbourhood",
        universal_share=universal_share,
        unit=1.0 if whole else None,
    ).reset_index()
    if output is not None:
        write_table(table, output, bom=not plain_utf8)
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
    if output is not None:
        console.print(f"Allocation → {output}")


def register(app: typer.Typer) -> None:
    """Adds this module's commands to ``placehealth phm``."""
    app.command("segments")(segments_command)
    app.command("concentration")(concentration_command)
    app.command("allocate")(allocate_command)
