"""``placehealth activity``: provider activity plans kept as data, checked, and set against a
demand projection with its uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from placehealth.cli.options import PLAIN_UTF8, console, default_plans_path, print_json
from placehealth.plans.severity import Severity

activity_app = typer.Typer(
    help="Activity plans and demand: provider tables checked, demand projected with ranges.\n\n"
    "Example: placehealth activity check plans/",
    no_args_is_help=True,
)


@activity_app.command("show")
def show(
    plan: Path = typer.Argument(
        None, help="A plan folder with an activity/ folder (default: plans/)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Print every provider activity table (each total and % change recomputed beside it,
    ↻), the schemes with their avoided activity, the activity figures of the text and the
    population changes the demand projection can grow a place by.

    Example: placehealth activity show plans/ccg-2014

    Example: placehealth activity show plans/ --json
    """
    from placehealth.cli.finance import render_table
    from placehealth.services import activity

    records = activity.tables(plan or default_plans_path())
    if as_json:
        print_json(records)
        return
    for record in records["tables"]:
        record = {**record, "title": f"{record['title']} ({record['pod']})"}
        console.print(render_table(record))
    if records["schemes"]:
        columns = ["document", "scheme", "pod", "avoided"]
        console.print(
            _rows("Schemes and the activity each should avoid", records["schemes"], columns)
        )
    if records["figures"]:
        columns = ["document", "figure", "pod", "printed", "text", "source"]
        console.print(_rows("Activity figures in the text", records["figures"], columns))
    if records["populations"]:
        columns = ["document", "area", "years", "ages", "start", "end", "change", "source"]
        console.print(_rows("Population changes", records["populations"], columns))


def _rows(title: str, records: list[dict[str, Any]], columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*("" if record[c] is None else str(record[c]) for c in columns))
    return table


@activity_app.command("check")
def check(
    plan: Path = typer.Argument(
        None, help="A plan folder with an activity/ folder (default: plans/)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print findings as JSON."),
    severity: Severity = typer.Option(
        Severity.NOTE, "--severity", help="Show findings at least this severe (default: all)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any error is found."),
    accepted: Path = typer.Option(
        None, "--accepted", help="YAML file of reviewed findings to silence (id and reason)."
    ),
) -> None:
    """Check the activity plans: every total and year-on-year %, the identities between
    tables (day cases + ordinary = all elective; GP + other = all referrals), plausible
    ratios, the plan against the emergency-admission ambitions it must deliver, schemes'
    overlap. The same findings, ids and accepted-findings file as `placehealth plan check`,
    which reports them with the outcome plans' (docs/activity.md).

    Example: placehealth activity check plans/ --severity warning --accepted accepted.yaml
    """
    from placehealth.cli.plan import findings_table
    from placehealth.services import activity

    checked = activity.check(plan or default_plans_path(), severity=severity, accepted=accepted)
    if checked.accepted is not None:
        stale = f"; accepted but not found: {', '.join(checked.stale)}" if checked.stale else ""
        notes = Console(stderr=True)  # beside the findings, never mixed into --json
        notes.print(f"{len(checked.accepted)} accepted finding(s) left out{stale}", highlight=False)
    if as_json:
        print_json([f.as_dict() for f in checked.findings])
    else:
        console.print(
            findings_table(checked.findings, f"{len(checked.findings)} activity findings")
        )
    if strict and any(f.severity == Severity.ERROR for f in checked.findings):
        raise typer.Exit(1)


@activity_app.command("project")
def project(
    projection: Path = typer.Option(
        ...,
        "--projection",
        help="Population projection: CSV, Parquet or Excel (year, "
        "age_band, sex, population), all 19 bands each year; the first year is the base.",
    ),
    baseline: Path = typer.Option(
        None,
        "--baseline",
        help="Baseline activity: pod, age_band, sex, activity, population "
        "(and bed_days for admitted care).",
    ),
    warehouse: Path = typer.Option(
        None, "--warehouse", "-w", help="Derive the baseline from this warehouse instead."
    ),
    year: int = typer.Option(
        None,
        "--year",
        help="With --warehouse: the baseline's financial year (default: the last whole one).",
    ),
    steps: Path = typer.Option(
        None, "--steps", help="Avoidance and efficiency steps (YAML), each a P10–P90 range."
    ),
    runs: int = typer.Option(1000, "--runs", min=1, help="Monte Carlo runs (default 1000)."),
    seed: int = typer.Option(
        1, "--seed", "-s", help="Random seed: the same seed, the same numbers."
    ),
    resample: bool = typer.Option(
        True, "--resample/--no-resample", help="Resample the baseline counts in each run (Poisson)."
    ),
    occupancy: float = typer.Option(
        0.85, "--occupancy", help="Target bed occupancy for beds from bed-days (default 0.85)."
    ),
    plan: Path = typer.Option(
        None, "--plan", "-p", help="Plan folder whose activity tables to compare with."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="CSV, Parquet or Excel file."),
    table: str = typer.Option(
        "projection", "--table", help="What --output holds: projection, waterfall or plan."
    ),
    chart: Path = typer.Option(None, "--chart", help="Fan chart: .svg, .png or .html."),
    waterfall: Path = typer.Option(
        None, "--waterfall", help="Waterfall chart, baseline to projection: .svg, .png or .html."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Project demand by point of delivery and year, with P10 / P50 / P90 over the runs.

    Baseline rates by age band and sex are grown with the population projection, less
    the activity the steps avoid and their efficiencies (each effect drawn from its
    range in every run, all runs at once), giving activity, bed-days and beds at the
    target occupancy; the waterfall goes from baseline to the last year through
    demographic growth, avoidance and efficiency. With --plan, the provider plans'
    totals are set beside the projection where pod and year meet (docs/activity.md).

    Example: placehealth activity population plans/sefton-bcf-2014 --place sefton -o pop.csv

    Example: placehealth activity project --baseline baseline.csv --projection pop.csv
    --steps steps.yaml --runs 1000 --seed 7 -o projection.csv --chart fan.svg
    --waterfall waterfall.svg

    Example: placehealth activity project -w warehouse.duckdb --projection pop.csv
    --plan plans/ccg-2014 --table plan -o beside-plan.xlsx
    """
    from placehealth.services import activity

    run = activity.project(
        projection=projection, baseline=baseline, warehouse=warehouse, year=year, steps=steps,
        runs=runs, seed=seed, resample=resample, occupancy=occupancy, plan=plan, output=output,
        table=table, chart=chart, waterfall_chart=waterfall, bom=not plain_utf8,
    )  # fmt: skip
    if as_json:
        print_json({
            "runs": run.runs, "seed": run.seed,
            "projection": run.projection.to_dict("records"),
            "waterfall": run.waterfall.to_dict("records"),
            "plan": run.plan.to_dict("records"),
        })  # fmt: skip
        return
    last = run.projection[run.projection["year"] == run.projection["year"].max()]
    summary = Table(title=f"Projection, {run.runs:,} runs (seed {run.seed})", title_justify="left")
    for column in ("measure", "pod", "year", "p10", "p50", "p90"):
        summary.add_column(column, justify="right" if column[0] == "p" else "left")
    for r in last.to_dict("records"):
        summary.add_row(str(r["measure"]), str(r["pod"]), str(r["year"]),
                        *(f"{r[q]:,.0f}" for q in ("p10", "p50", "p90")))  # fmt: skip
    console.print(summary)
    for path in run.written:
        console.print(f"→ {path}", highlight=False)


@activity_app.command("population")
def population(
    plan: Path = typer.Argument(
        ..., help="A plan folder whose activity/ folder has a population projection."
    ),
    place: str = typer.Option(
        None, "--place", help="The place whose age bands are grown (id or place file)."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="CSV, Parquet or Excel file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Build a population projection (year, age_band, sex, population) from the age groups'
    changes a plan prints, on the place's age bands: the input `activity project` takes.

    Example: placehealth activity population plans/sefton-bcf-2014 --place sefton -o pop.csv
    """
    from placehealth.services import activity

    frame, written = activity.population(plan, place=place, output=output, bom=not plain_utf8)
    if as_json:
        print_json(frame.to_dict("records"))
        return
    totals = frame.groupby("year")["population"].sum()
    span = f"{totals.index.min()}–{totals.index.max()}"
    people = f"{totals.iloc[0]:,.0f} → {totals.iloc[-1]:,.0f} people"
    console.print(f"{len(frame):,} rows, {span}: {people}", highlight=False)
    for path in written:
        console.print(f"→ {path}", highlight=False)


@activity_app.command("actual")
def actual(
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    plan: Path = typer.Option(
        None, "--plan", "-p", help="The plan folder (default: the place's, under plans/)."
    ),
    place: str = typer.Option(None, "--place", help="The place (id or place file)."),
    output: Path = typer.Option(None, "--output", "-o", help="CSV, Parquet or Excel file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    population: float = typer.Option(
        None,
        "--population",
        help="People the warehouse holds, when part of the place (e.g. a synthetic sample): "
        "the plan is scaled to their share of the place file's population.",
    ),
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Set the provider activity plan, phased in equal twelfths, against the activity the
    warehouse records, by provider, point of delivery and month: plan, actual, difference,
    % difference (small counts hidden), and an SPC chart of each monthly series. The
    place file's providers map the records' provider codes to the plan's (docs/activity.md).
    The plans count the whole place; --population scales them to a warehouse of part of it.

    Example: placehealth activity actual -w out/warehouse.duckdb -o plan-v-actual.xlsx

    Example: placehealth activity actual -w out/sample.duckdb --population 20000

    Example: placehealth activity actual -w out/warehouse.duckdb --engine spark --json
    """
    from placehealth.services import activity

    run = activity.plan_against_actual(
        warehouse, engine=engine, plan=plan, plans=default_plans_path(), place=place,
        output=output, bom=not plain_utf8, population=population,
    )  # fmt: skip
    if as_json:
        print_json({"variance": run.variance.to_dict("records"), "spc": run.spc.to_dict("records")})
        return
    totals = run.variance[run.variance["month"] == "all"]
    icons = run.spc.set_index(["provider", "pod"])["variation"]
    table = Table(title="Plan against actual, all months", title_justify="left")
    for column in ("provider", "pod", "plan", "actual", "difference", "SPC"):
        table.add_column(column, justify="right" if column in ("plan", "actual") else "left")
    for r in totals.to_dict("records"):
        cells = [_count(r["plan"]), _count(r["actual"]), _count(r["difference"], "{:+,.0f}")]
        table.add_row(r["provider"], r["pod"], *cells,
                      str(icons.get((r["provider"], r["pod"]), "")))  # fmt: skip
    console.print(table)
    for path in run.written:
        console.print(f"→ {path}", highlight=False)


def _count(value: Any, form: str = "{:,.0f}") -> str:
    """A number, or a dash where none is published (no plan, or a hidden small count)."""
    return "–" if value is None or value != value else form.format(value)


def register(app: typer.Typer) -> None:
    app.add_typer(activity_app, name="activity")
