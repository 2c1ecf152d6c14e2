"""The main job end to end on a synthetic place: plans, warehouse, indicators, status, packs.

Every step calls the service that its own command calls, so the demo shows what
each command does and cannot drift from it. The population health steps
(segments, risk model, case list) run under the demo's own deployment, written
by :func:`demo_deployment`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.services.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.data.ingest import LoadResult
    from placehealth.places import PlaceFile
    from placehealth.plans.severity import Severity
    from placehealth.services.indicators import IndicatorRun
    from placehealth.services.synth import SynthRun

Warn = Callable[[str], None]


@dataclass(frozen=True)
class PlanReview:
    """Every plan checked: how many plans, ambitions and findings of each severity, and the
    two tables written."""

    plans: int
    ambitions: int
    findings: dict[Severity, int]
    summary: Path
    findings_table: Path


@dataclass
class DemoRun:
    """What the demo did and wrote; ``outputs`` names each file a reader would open."""

    place: PlaceFile
    review: PlanReview
    synth: SynthRun
    load: LoadResult
    indicators: IndicatorRun
    extract: Path
    warehouse: Path
    key_file: Path
    packs: list[Path] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)


def run(
    out: Path,
    *,
    plans: Path,
    persons: int,
    seed: int = 1,
    place: str | None = None,
    bom: bool = True,
    progress: Progress | None = None,
    warn: Warn | None = None,
    site_charts: bool = True,
) -> DemoRun:
    """Check every plan under ``plans``, build the place's warehouse, measure it, report.

    The place file ``place`` (default: the default place) gives the synthetic
    population, the plan set against the warehouse's values (``defaults.status_plan``)
    and the plans with a board pack (``defaults.plans``). The warehouse is rebuilt on
    each run, so a different ``persons`` never mixes with an earlier population.
    ``site_charts`` draws the site's charts now (the site draws any it lacks on demand).
    """
    from placehealth.places import load_place
    from placehealth.services import indicators, ingest, synth
    from placehealth.services.site_charts import draw_charts

    where = load_place(place)
    review = review_plans(out, plans, bom=bom)
    _record_place(out, place, where)
    extract = out / "synth"
    warehouse = out / f"{where.id}.duckdb"
    key_file = demo_key(out)
    warehouse.unlink(missing_ok=True)
    values = out / "indicators.csv"
    made = synth.generate(
        extract, persons=persons, seed=seed, place=place or where.id, progress=progress
    )
    loaded = ingest.load(
        extract, warehouse, key_file=key_file, synthetic=True, bom=bom, progress=progress
    )
    measured = indicators.compute(warehouse, values, bom=bom, progress=progress)
    result = DemoRun(
        place=where, review=review, synth=made, load=loaded, indicators=measured,
        extract=extract, warehouse=warehouse, key_file=key_file,
        outputs={"warehouse": warehouse, "indicator values": measured.path},
    )  # fmt: skip
    name = where.defaults.status_plan
    if name is not None:
        status = out / f"status-{name}.csv"
        result.outputs["plan status"] = plan_status(
            plans / name, values, status, persons, bom=bom, warn=warn
        )
    # the site's charts, drawn once here so its pages only read files (else on first view)
    if site_charts:
        result.outputs["the site's charts"] = draw_charts(out, progress=progress)
    written, page = activity(out, plans, warehouse, place=place, persons=persons, bom=bom)
    result.packs = board_packs(
        out, plans, where.defaults.plans, values, bom=bom, activity=page, progress=progress
    )
    result.outputs |= population_health(out, result, bom=bom, progress=progress)
    result.outputs |= money(out, plans, bom=bom)
    result.outputs |= written
    return result


def money(out: Path, plans: Path, *, bom: bool = True) -> dict[str, Path]:
    """Every plan's money, as its own command shows it: the financial position beside the
    one its assumptions derive, the Better Care Fund pool and payment, the risk registers
    and their heat map, and each plan's investment proposals ranked."""
    import pandas as pd

    from placehealth.finance.bcf_load import bcf_files
    from placehealth.finance.risks_register import register_files
    from placehealth.services import bcf, finance, risks
    from placehealth.services.money_pack import investment_sections, position_section
    from placehealth.tables import write_table

    written: dict[str, Path] = {}
    folders = sorted(p for p in plans.iterdir() if p.is_dir())
    for folder in folders:
        if position_section(folder):
            written[f"financial position of {folder.name} (printed and derived)"] = write_table(
                position_frame(finance.position_model(folder, [])),
                out / f"finance-position-{folder.name}.csv", bom=bom,
            )  # fmt: skip
    for ranked in investment_sections(plans):  # each plan's own proposals
        frame = pd.DataFrame(ranked["proposals"]).drop(columns=["measures", "rank_5_95"])
        written[f"investments of {ranked['plan']} ranked"] = write_table(
            frame, out / f"investments-{ranked['plan']}.csv", bom=bom
        )
    if bcf_files(plans):
        paid = bcf.payment(plans)
        releases = [pd.DataFrame(r["releases"]).assign(document=r["document"]) for r in paid]
        pools = [pd.DataFrame(p["pool"]).assign(document=p["document"]) for p in bcf.show(plans)]
        written["Better Care Fund payment by release"] = write_table(
            pd.concat(releases, ignore_index=True), out / "bcf-payment.csv", bom=bom
        )
        written["Better Care Fund pool"] = write_table(
            pd.concat(pools, ignore_index=True), out / "bcf-pool.csv", bom=bom
        )
    if register_files(plans):
        table = pd.DataFrame(risks.table(plans)["risks"])
        written["risk registers"] = write_table(table, out / "risks.csv", bom=bom)
        (written["risk heat map"],) = risks.heatmap(plans, out / "risk-heatmap.svg")
    return written


def position_frame(record: dict[str, Any]) -> pd.DataFrame:
    """A position model's record as a table: a line per year, row and column, printed
    beside derived, then the year's headroom lines (derived only)."""
    import pandas as pd

    from placehealth.finance.position_model import COLUMNS

    lines = [
        {
            "period": y["period"],
            "table": y["table"],
            "row": r["id"],
            "label": r["label"],
            "column": column,
            "printed": r["printed"][n],
            "derived": r["derived"][n],
        }
        for y in record["years"]
        for r in y["rows"]
        for n, column in enumerate(COLUMNS)
    ]
    lines += [
        {
            "period": y["period"],
            "table": y["table"],
            "row": key,
            "label": key.replace("_", " "),
            "column": "total",
            "printed": None,
            "derived": y[key]["derived"],
        }
        for y in record["years"]
        for key in ("headroom", "required_surplus", "investment_headroom")
    ]
    return pd.DataFrame(lines)


def activity(
    out: Path, plans: Path, warehouse: Path, *, place: str | None, persons: int | None = None,
    bom: bool = True,
) -> tuple[dict[str, Path], dict[str, Any] | None]:  # fmt: skip
    """The activity plans' findings, the warehouse's activity against the place's provider
    plans (if it names providers), and its activity projected with the first plan's
    population changes grown on the place's age bands, beside the provider plans; and the
    board pack's activity page drawn from them.

    ``persons``: the synthetic place's people. The provider plans count the whole place's
    activity, so they are scaled to the warehouse's share of the place's population
    before the actual is set against them, and the table and page say so
    (:func:`placehealth.services.activity.plan_share`)."""
    from placehealth.activity.load import load_activity
    from placehealth.places import load_place
    from placehealth.plans.show import findings_frame
    from placehealth.publish import write
    from placehealth.services import activity as service
    from placehealth.services.activity_pack import board_section
    from placehealth.tables import write_table

    checked = service.check(plans)
    written = {
        "activity findings": write_table(
            findings_frame(checked.findings), out / "activity-findings.csv", bom=bom
        )
    }
    actual = None
    if load_place(place).providers is not None:
        actual = service.plan_against_actual(
            warehouse, plans=plans, place=place, population=persons,
            output=out / "activity-actual.csv", bom=bom,
        )  # fmt: skip
        written["activity against plan"] = actual.written[0]
    folders = sorted(p for p in plans.iterdir() if p.is_dir())
    grown = next((p for p in folders if load_activity(p).populations), None)
    if grown is None:
        return written, board_section(actual, None)
    population = out / "demand-population.csv"
    service.population(grown, place=place, output=population, bom=bom)
    run = service.project(
        projection=population, warehouse=warehouse, runs=DEMAND_RUNS, seed=1, plan=plans,
        output=out / "demand-projection.csv", chart=out / "demand-fan.svg",
        waterfall_chart=out / "demand-waterfall.svg", bom=bom,
    )  # fmt: skip
    names = ("demand projection", "demand fan chart", "demand waterfall chart")
    written[f"population grown as {grown.name} prints"] = population
    written |= dict(zip(names, run.written, strict=True))
    assert run.base is not None
    beside = service.published_demand(run.plan, run.base)
    written["demand beside the provider plans"] = write(beside, out / "demand-plan.csv", bom=bom)
    return written, board_section(actual, run)


DEMAND_RUNS = 500  # enough for stable 10th-90th centiles; the command's default is 1,000


def population_health(
    out: Path, done: DemoRun, *, bom: bool = True, progress: Progress | None = None
) -> dict[str, Path]:
    """Segments by neighbourhood, the risk model, the at-risk counts and one team's case list.

    The case-finding steps run under the demo's own deployment (:func:`demo_deployment`),
    set for the two calls only, as the service running a command would set it: the
    deployment is never an argument a caller can swap.
    """
    from placehealth.deployment import ENV_DEPLOYMENT
    from placehealth.services import phm, risk, site_phm

    team = first_team(done.place)
    wh = done.warehouse
    model = out / site_phm.MODEL
    aggregates = site_phm.write_outputs(wh, out, bom=bom, progress=progress)
    truth = done.extract / "truth" / "emergency_risk.parquet"
    risk.fit(wh, model, truth=truth, key_file=done.key_file, progress=progress)
    deployment = demo_deployment(out, team)
    with _environment(ENV_DEPLOYMENT, str(deployment)):
        at_risk = site_phm.write_at_risk(
            wh, out, model=model, user="analyst", threshold=site_phm.CASE_LIST_THRESHOLD,
            bom=bom, progress=progress,
        )  # fmt: skip
        cohort = phm.case_list(
            wh, neighbourhood=team, threshold=site_phm.CASE_LIST_THRESHOLD, model=model,
            user="team", output=out / f"cohort-{team}.csv", bom=bom, progress=progress,
        )  # fmt: skip
    written = {
        **aggregates,
        "risk model": model,
        "people at risk by neighbourhood": at_risk,
        f"case list for {team} (pseudonymised, audited)": cohort.path,
        "demo deployment (development: synthetic data only)": deployment,
    }
    return {what: path for what, path in written.items() if path is not None}


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """Set one environment variable for the block, then put back what was there."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _record_place(out: Path, asked: str | None, where: PlaceFile) -> None:
    """Say in the outputs which place they are for, so the site draws the right maps."""
    from placehealth.services.site_outputs import PLACE

    text = where.id
    if asked is not None and (asked.endswith((".yaml", ".yml")) or os.sep in asked):
        text = str(Path(asked).resolve())  # a place file of the user's own
    (out / PLACE).write_text(text, encoding="utf-8")


def review_plans(out: Path, plans: Path, *, bom: bool = True) -> PlanReview:
    """Check every plan under ``plans`` and its financial tables; write the plan summary
    and the findings as tables."""
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import Severity
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import findings_frame, summary_frame
    from placehealth.services.plans import every_finding
    from placehealth.tables import write_table

    catalogue = load_catalogue()
    loaded = load_plans(plans)
    findings = every_finding(loaded, catalogue, plans)
    return PlanReview(
        plans=len(loaded),
        ambitions=sum(len(p.ambitions) for p in loaded),
        findings={s: sum(f.severity == s for f in findings) for s in Severity},
        summary=write_table(summary_frame(loaded, catalogue), out / "plan_summary.csv", bom=bom),
        findings_table=write_table(findings_frame(findings), out / "plan_findings.csv", bom=bom),
    )


def demo_key(out: Path) -> Path:
    """The demo's own random pseudonymisation key, made once and kept beside its warehouse.

    A real place keeps its key away from the data; the demo's synthetic data have
    nothing to protect, and a re-run reads the same key.
    """
    from placehealth.tables import write_bytes

    key_file = out / "demo.key"
    if not key_file.exists():
        write_bytes(secrets.token_hex(32).encode(), key_file, private=True)
    return key_file


def plan_status(
    plan: Path, values: Path, output: Path, persons: int, *, bom: bool = True,
    warn: Warn | None = None,
) -> Path:  # fmt: skip
    """The plan set against the warehouse's values, written to ``output``.

    Each ambition the records measure (directly or as the same measure under another
    id) is fed from ``values`` in its own units (``record-actuals-<plan>.csv``; what fed
    each ambition in ``sources-record-actuals-<plan>.csv``). The synthetic place has
    ``persons`` people, not the plan's population: its counts are compared as rates.
    """
    from placehealth.services.plans import status
    from placehealth.services.status_records import write_record_actuals

    actuals = write_record_actuals(
        plan, values, output.with_name(f"record-actuals-{plan.name}.csv"), bom=bom
    )
    written = status(plan, actuals.actuals, population=persons, output=output, bom=bom, warn=warn)
    return written.path or output


def board_packs(
    out: Path,
    plans: Path,
    names: list[str],
    values: Path,
    *,
    bom: bool = True,
    activity: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """A board pack for each named plan, on the warehouse's ``values`` where they measure an
    ambition and synthetic monthly stand-ins elsewhere, with the warehouse's activity page
    (``activity``) if given.

    The stand-ins (``placehealth.plans.sample_actuals``, ``sample-actuals-<plan>.csv``)
    fill every ambition the records cannot: not defined by records, for another area,
    or a count (of the synthetic population, not the plan's). ``actuals-<plan>.csv``
    holds both, ``sources-actuals-<plan>.csv`` what fed each ambition.
    """
    from placehealth.services.reports import PackSource, board

    packs = []
    for name in names:
        folder = plans / name
        actuals = pack_actuals(out, folder, values, bom=bom)
        source = PackSource(folder, actuals, scale=0.8)
        pack = board(source, out / f"board-pack-{name}.pdf", activity=activity, progress=progress)
        packs.append(pack.path)
    return packs


def pack_actuals(out: Path, plan: Path, values: Path, *, bom: bool = True) -> Path:
    """The actuals the plan's board pack is drawn from, written to ``out`` where the site
    finds them (:data:`placehealth.services.site_outputs.PACK_ACTUALS`): the warehouse's
    ``values`` where they measure an ambition, monthly synthetic stand-ins elsewhere."""
    from placehealth.services.reports import sample_actuals
    from placehealth.services.site_outputs import PACK_ACTUALS
    from placehealth.services.status_records import write_record_actuals

    name = plan.name
    stand_in = sample_actuals(plan, out / f"sample-actuals-{name}.csv", seed=1, bom=bom)
    written = write_record_actuals(
        plan, values, out / PACK_ACTUALS.format(plan=name), stand_in=stand_in.frame,
        counts=False, synthetic=True, bom=bom,
    )  # fmt: skip
    return written.actuals


def demo_deployment(out: Path, neighbourhood: str) -> Path:
    """The demo's deployment and roles file; the audit log is rebuilt with the warehouse.

    Marked ``development: true``: its roles file and audit log sit in ``out``,
    writable by whoever runs the demo, which a real deployment never allows, so it
    releases synthetic data only.
    """
    (out / "roles.yaml").write_text(DEMO_ROLES.format(neighbourhood=neighbourhood))
    path = out / "deployment.yaml"
    path.write_text(DEMO_DEPLOYMENT)
    (out / "audit.jsonl").unlink(missing_ok=True)
    (out / "audit-head" / "audit.jsonl.head").unlink(missing_ok=True)
    return path


def first_team(place: PlaceFile) -> str:
    """The code of the place's first neighbourhood, whose team the demo's case list is for."""
    from placehealth.data.synth.geography import neighbourhood_codes

    return neighbourhood_codes(place)[0]


DEMO_ROLES = """\
# Demo users: an analyst (suppressed counts) and one neighbourhood's team.
users:
  analyst:
    role: analyst
  team:
    role: neighbourhood_team
    neighbourhoods: [{neighbourhood}]
"""
DEMO_DEPLOYMENT = """\
# The demo's deployment: development only. Its roles file and audit log sit in the demo's
# folder, writable by whoever runs it, so it releases synthetic data alone. A real place
# installs a protected deployment (examples/deployment.yaml, docs/security.md).
roles: roles.yaml
audit_log: audit.jsonl
audit_head: audit-head/audit.jsonl.head
identity: option
development: true
"""
