"""Activity plans and demand as jobs: read a plan folder's activity files, check them, show
them; project demand from a baseline and a population.

``placehealth plan check`` adds :func:`findings` to the outcome plans' findings (one format,
one accepted-findings file); ``placehealth activity show|check|project`` call the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.demand.inputs import Baseline
    from placehealth.plans.check.findings import Finding
    from placehealth.plans.severity import Severity
    from placehealth.publish import Published


def findings(path: Path) -> list[Finding]:
    """Every finding for the activity files under ``path`` (none: an empty list)."""
    from placehealth.activity.check import check_activity
    from placehealth.activity.load import load_activity

    return check_activity(load_activity(path))


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every activity table under ``path`` (each cell printed and recomputed), the relations
    between tables and the figures the text prints; no activity files is an error."""
    from placehealth.activity.files import FOLDER
    from placehealth.activity.load import load_activity
    from placehealth.activity.show import records
    from placehealth.errors import InputFileError

    activity = load_activity(path)
    if not (activity.tables() or activity.figures or activity.schemes or activity.populations):
        raise InputFileError(
            "no activity plans found",
            file=path,
            hint=f"give a plan folder with an {FOLDER}/ folder, e.g. plans/ccg-2014",
        )
    return records(activity)


def check(
    path: Path, *, severity: Severity | None = None, accepted: Path | None = None
) -> ActivityCheck:
    """The activity findings at ``severity`` or worse, less those accepted (by id)."""
    from placehealth.plans.check.accepted import apply_accepted
    from placehealth.plans.severity import Severity

    order = list(Severity)
    least = order.index(severity or Severity.NOTE)
    found = [f for f in findings(path) if order.index(f.severity) <= least]
    if accepted is None:
        return ActivityCheck(found)
    review = apply_accepted(found, accepted)
    return ActivityCheck(review.open, review.accepted, list(review.stale))


@dataclass
class ActivityCheck:
    findings: list[Finding]
    accepted: list[Finding] | None = None
    stale: list[str] = field(default_factory=list)


@dataclass
class DemandRun:
    """A projection and everything written for it."""

    projection: pd.DataFrame  # measure, pod, year, p10, p50, p90, mean
    waterfall: pd.DataFrame  # pod, year, step, value
    plan: pd.DataFrame  # the provider plans' totals beside the projection
    runs: int
    seed: int
    written: list[Path] = field(default_factory=list)
    base: Baseline | None = None  # what the projection rests on (for disclosure control)


TABLES = ("projection", "waterfall", "plan")


def project(
    *,
    projection: Path,
    baseline: Path | None = None,
    warehouse: Path | None = None,
    year: int | None = None,
    steps: Path | None = None,
    runs: int = 1000,
    seed: int = 1,
    resample: bool = True,
    occupancy: float = 0.85,
    plan: Path | None = None,
    output: Path | None = None,
    table: str = "projection",
    chart: Path | None = None,
    waterfall_chart: Path | None = None,
    bom: bool = True,
) -> DemandRun:
    """Read the inputs (refusing the first problem, nothing written), run the model, set it
    beside the provider plans, and write what was asked: a table, a fan chart (the first
    pod with a plan to compare, else the first), a waterfall chart."""
    from placehealth.demand.inputs import read_baseline, read_projection, read_steps
    from placehealth.demand.model import build, draw, quantiles, simulate, waterfall
    from placehealth.errors import ValidationError
    from placehealth.tables import check_writable

    if table not in TABLES:
        raise ValidationError(
            f"unknown table '{table}'", column="--table", hint=f"one of: {', '.join(TABLES)}"
        )
    if runs < 1 or not 0 < occupancy <= 1:
        raise ValidationError(
            "runs must be at least 1 and occupancy in (0, 1]",
            hint="e.g. --runs 1000 --occupancy 0.85",
        )
    if output is not None:
        check_writable(output)
    for path in (chart, waterfall_chart):
        if path is not None:
            from placehealth.reports.charts import check_chart_path

            check_chart_path(path)
    if (baseline is None) == (warehouse is None):
        raise ValidationError(
            "give a baseline file or a warehouse (one of them)",
            hint="--baseline baseline.csv, or --warehouse place.duckdb",
        )
    population = read_projection(projection)
    if baseline is not None:
        base = read_baseline(baseline)
    else:
        from placehealth.demand.warehouse import warehouse_baseline

        assert warehouse is not None
        base, year = warehouse_baseline(warehouse, year=year)
    chosen = read_steps(steps, base.pods) if steps is not None else []
    model = build(base, population, chosen, year=year)
    runs_done = simulate(model, draw(model, runs, seed, resample=resample))
    fan = quantiles(model, runs_done, occupancy=occupancy)
    steps_frame = waterfall(model)
    beside = _beside_plans(fan, plan)
    run = DemandRun(fan, steps_frame, beside, runs, seed, base=base)
    if output is not None:
        from placehealth.publish import write

        frame = {"projection": fan, "waterfall": steps_frame, "plan": beside}[table]
        run.written.append(write(published_demand(frame, base), output, bom=bom))
    acted = [p for p in model.pods if any(p in s.pods for s in chosen)]
    _charts(run, model.pods, acted, chart, waterfall_chart)
    return run


# the columns that name a cell of a demand table (the rest are modelled figures)
_DEMAND_KEYS = ("measure", "pod", "table", "document", "year", "step")


def published_demand(frame: pd.DataFrame, base: Baseline) -> Published:
    """A demand table through the one disclosure step. Its figures are modelled, but a
    projection of a tiny count gives the count back (the base year's P50 is the baseline),
    so a point of delivery whose baseline counts fewer than the threshold has every figure
    blanked, on every row; each row carries the baseline count it rests on."""
    from placehealth.publish import Published, suppress_long

    counts = dict(zip(base.pods, base.activity.sum(axis=(1, 2)).round(), strict=True))
    out = frame.round(3).assign(baseline_activity=frame["pod"].map(counts))
    keys = [c for c in _DEMAND_KEYS if c in out.columns]
    figures = [
        c for c in out.columns if c not in (*keys, "baseline_activity") and out[c].dtype.kind == "f"
    ]
    safe = suppress_long(
        out, ["baseline_activity"], keys=keys, hierarchies=(), derived=figures, flag=None
    )
    return Published(safe)


def _beside_plans(fan: pd.DataFrame, plan: Path | None) -> pd.DataFrame:
    import pandas as pd

    from placehealth.activity.load import load_activity
    from placehealth.demand.compare import COLUMNS, compare

    if plan is None:
        return pd.DataFrame(columns=COLUMNS)
    return compare(fan, load_activity(plan))


def _charts(
    run: DemandRun, pods: list[str], acted: list[str], fan: Path | None, steps: Path | None
) -> None:
    """The charts of one pod: the first set beside a plan, else the first a step acts on."""
    from placehealth.charts.demand import fan_chart, waterfall_chart
    from placehealth.reports.charts import write_chart

    compared = [p for p in pods if p in set(run.plan["pod"])]
    pod = (compared or acted or pods)[0]
    if fan is not None:
        spec = fan_chart(run.projection, pod=pod, plan=run.plan)
        run.written.append(write_chart(spec, fan))
    if steps is not None:
        run.written.append(write_chart(waterfall_chart(run.waterfall, pod=pod), steps))


def population(
    plan: Path, *, place: str | None = None, output: Path | None = None, bom: bool = True
) -> tuple[pd.DataFrame, list[Path]]:
    """The population projection a plan prints as age groups' changes (its activity
    folder's ``populations``), grown on the place's age bands: ``year, age_band, sex,
    population``; written to ``output`` if given."""
    from placehealth.activity.load import load_activity
    from placehealth.demand.growth import projection_from_change
    from placehealth.errors import InputFileError
    from placehealth.places import load_place
    from placehealth.tables import check_writable, write_table

    if output is not None:
        check_writable(output)
    changes = load_activity(plan).populations
    if not changes:
        raise InputFileError(
            "no population projection found",
            file=plan,
            hint="give a plan folder whose activity/ folder has populations, "
            "e.g. plans/sefton-bcf-2014",
        )
    change, _ = changes[0]
    where = load_place(place)
    frame = projection_from_change(change, where.population.age_bands, where.population.persons)
    written = [write_table(frame.round(1), output, bom=bom)] if output is not None else []
    return frame, written


@dataclass
class ActualRun:
    """Plan against actual: the variance by provider, pod and month (through disclosure
    control), the SPC summary of each monthly series, and the file written.

    ``plan_share``: the share of the plan set against the records (1 when they are the
    whole place's), and ``note`` what it says, for every output that shows the plan."""

    variance: pd.DataFrame
    spc: pd.DataFrame
    written: list[Path] = field(default_factory=list)
    plan_share: float = 1.0
    note: str = ""


def plan_share(population: float | None, place_population: float, place: str) -> tuple[float, str]:
    """The share of the place's plan that ``population`` people should account for, and
    the sentence that says so (none given: the whole plan, no sentence).

    The provider plans count the activity of the place's whole population; records of part
    of it (a synthetic sample, one neighbourhood) are set against the plan scaled by their
    share of the people, so the difference reads as more or less activity per head than
    planned, not as the part being smaller than the whole."""
    from placehealth.errors import ValidationError

    if population is None:
        return 1.0, ""
    if not 0 < population <= place_population:
        raise ValidationError(
            f"population {population:,.0f} is not part of {place}'s {place_population:,.0f}",
            column="--population",
            hint="give the number of people the warehouse holds (more than 0, at most the "
            "place file's population.persons)",
        )
    share = population / place_population
    return share, (
        f"Plan scaled to the warehouse's {population:,.0f} people, {share:.1%} of "
        f"{place}'s {place_population:,.0f} (the place file's population): the plans count "
        "the whole place's activity"
    )


def plan_against_actual(
    warehouse: Path,
    *,
    engine: str = "duckdb",
    plan: Path | None = None,
    plans: Path | None = None,
    place: str | None = None,
    population: float | None = None,
    output: Path | None = None,
    bom: bool = True,
) -> ActualRun:
    """Count the warehouse's activity by provider, point of delivery and month (DuckDB or
    Spark), set the place's activity plan phased by month against it, chart each series,
    and write the variance table (small counts hidden) to ``output`` if given.

    ``plan`` is the plan folder (default: the one the place's ``providers`` name, in the
    ``plans`` folder). ``population``: the people the warehouse holds when they are part
    of the place (:func:`plan_share`); the table's ``plan`` is then the scaled plan, beside
    ``place_plan`` (the place's own) and ``plan_share``."""
    from placehealth.activity.actual import (
        actual_by_month,
        monthly_spc,
        plan_by_month,
        published,
        variance,
    )
    from placehealth.activity.load import load_activity
    from placehealth.engine import open_backend
    from placehealth.engine.activity import PODS, activity_by_month
    from placehealth.errors import ConfigurationError
    from placehealth.places import load_place
    from placehealth.publish import Published, write
    from placehealth.tables import check_writable

    if output is not None:
        check_writable(output)
    chosen = load_place(place)
    if chosen.providers is None:
        raise ConfigurationError(
            f"the place '{chosen.id}' names no providers",
            hint="add a providers block to its place file (docs/activity.md)",
        )
    share, note = plan_share(population, chosen.population.persons, chosen.name)
    if plan is None:
        plan = (plans or Path("plans")) / chosen.providers.plan
    tables = load_activity(plan).tables()
    backend = open_backend(engine, warehouse)
    try:
        counted = activity_by_month(backend)
    finally:
        backend.close()
    planned = plan_by_month(tables, PODS)
    planned["plan"] *= share
    table = variance(planned, actual_by_month(counted, chosen.providers.codes()))
    spc = monthly_spc(table).drop(columns="latest_value")  # a count: the table hides small ones
    safe = published(table)
    if population is not None:
        safe = safe.assign(place_plan=safe["plan"] / share, plan_share=share)
    run = ActualRun(safe, spc, plan_share=share, note=note)
    if output is not None:
        run.written.append(write(Published(safe.round(3)), output, bom=bom))
    return run
