"""``placehealth demo``: the main job on the embedded default."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from placehealth.cli.options import (
    DEFAULT_PERSONS,
    PERSONS_HELP,
    PLAIN_UTF8,
    console,
    default_plans_path,
)

if TYPE_CHECKING:
    from placehealth.places import PlaceFile

DEMO_PERSONS = DEFAULT_PERSONS


def demo(
    out: Path = typer.Option(Path("out/demo"), "--output", "-o", help="Folder for the outputs."),
    persons: int = typer.Option(DEMO_PERSONS, "--persons", help=PERSONS_HELP),
    seed: int = typer.Option(1, "--seed", "-s", help="Random seed of the synthetic population."),
    place: str | None = typer.Option(
        None, "--place", help="Place id (e.g. sefton) or place file (default: the default place)."
    ),
    plain_utf8: bool = PLAIN_UTF8,
    old_out: Path = typer.Option(None, "--out", hidden=True, help="Old spelling of --output."),
) -> None:
    """Run the main job: plans, a synthetic place's warehouse, its indicators, board packs.

    Checks every plan and writes the plan summary and findings; generates the
    synthetic place (small by default, --persons to scale) from its place file
    (docs/places.md), loads it into a DuckDB warehouse under a demo key, computes
    every indicator for every area and year, and sets the place's plan against
    them; segments the population, fits and validates the emergency-admission
    risk model and counts the people at risk in each neighbourhood; writes a
    board pack for each of the place's plans.

    Example: placehealth demo --place sefton --output out/sefton --persons 20000
    """
    from placehealth.catalogue import load_catalogue
    from placehealth.places import load_place
    from placehealth.plans.check import Severity, check_plans
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import findings_frame, summary_frame
    from placehealth.tables import write_table

    out = old_out or out
    where = load_place(place)
    catalogue = load_catalogue()
    plans = load_plans(default_plans_path())
    findings = check_plans(plans, catalogue)
    bom = not plain_utf8
    summary_path = write_table(summary_frame(plans, catalogue), out / "plan_summary.csv", bom=bom)
    findings_path = write_table(findings_frame(findings), out / "plan_findings.csv", bom=bom)
    csv = ("--plain-utf8",) if plain_utf8 else ()  # the same choice for every CSV written
    n_ambitions = sum(len(p.ambitions) for p in plans)
    counts = {s: sum(f.severity == s for f in findings) for s in Severity}
    console.print(
        f"[bold]{len(plans)} plans, {n_ambitions} ambitions[/]; findings: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
    )
    console.print(f"plan summary: {summary_path}\nfindings: {findings_path}")
    outputs = _warehouse(out, persons, seed, where, place or where.id, csv)
    packs = _board_packs(out, where.defaults.plans, csv)
    if not packs:
        console.print(f"board packs: no plans for {where.name} (defaults.plans in its place file)")
    for pack in packs:
        console.print(f"board pack: {pack}")
    for what, path in outputs.items():
        console.print(f"{what}: {path}")


def _run(*args: str) -> None:
    """One ``placehealth`` command, exactly as a user would type it."""
    from placehealth.cli.main import app

    app(list(args), standalone_mode=False)


def _warehouse(
    out: Path, persons: int, seed: int, place: PlaceFile, place_arg: str, csv: tuple[str, ...]
) -> dict[str, Path]:
    """Synthetic place → extracts → pseudonymised warehouse → indicator values.

    The demo makes its own random key (``demo.key``, kept beside the warehouse
    so a re-run can read it); a real place keeps its key away from the data.
    The warehouse is rebuilt on each run so a different --persons never mixes
    with an earlier population.
    """
    extract = out / "synth"
    warehouse = out / f"{place.id}.duckdb"
    key_file = out / "demo.key"
    if not key_file.exists():
        out.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    warehouse.unlink(missing_ok=True)
    values = out / "indicators.csv"
    _run("synth", "--place", place_arg, "--persons", str(persons), "--seed", str(seed),
         "--output", str(extract))  # fmt: skip
    _run(
        "ingest", str(extract), "--warehouse", str(warehouse), "--key-file", str(key_file),
        "--synthetic", *csv,
    )  # fmt: skip
    _run("indicators", "compute", "--warehouse", str(warehouse), "-o", str(values), *csv)
    outputs = {"warehouse": warehouse, "indicator values": values}
    name = place.defaults.status_plan
    if name is None:
        console.print(f"plan status: no plans for {place.name} (defaults.status_plan)")
    else:
        status = out / f"status-{name}.csv"
        # the synthetic place has `persons` people: its counts are compared as rates
        _run("plan", "status", str(default_plans_path() / name), "--actuals", str(values),
             "--population", str(persons), "-o", str(status), *csv)  # fmt: skip
        outputs["plan status"] = status
    return outputs | _population_health(out, warehouse, extract, key_file, place, csv)


def _population_health(
    out: Path, warehouse: Path, extract: Path, key: Path, place: PlaceFile, csv: tuple[str, ...]
) -> dict[str, Path]:
    """Segments and their profiles, the risk model, and the at-risk counts per neighbourhood.

    The case list runs under the demo's own deployment, marked ``development:
    true``: its roles file and audit log are the demo's (in ``out``), which a real
    deployment never allows, so it releases synthetic data only.
    """
    from placehealth.data.synth.geography import neighbourhood_codes
    from placehealth.deployment import ENV_DEPLOYMENT

    team = neighbourhood_codes(place)[0]  # the first neighbourhood's team
    segments = out / "segments.csv"
    model = out / "risk-model.json"
    at_risk = out / "at-risk-by-neighbourhood.csv"
    cohort = out / f"cohort-{team}.csv"
    truth = extract / "truth" / "emergency_risk.parquet"
    wh = str(warehouse)
    gate = ["--model", str(model)]
    _run("phm", "segments", "-w", wh, "--by", "neighbourhood", "-o", str(segments), *csv)
    _run("phm", "model", "fit", "-w", wh, "--truth", str(truth), "--key-file", str(key),
         "--model", str(model))  # fmt: skip
    deployment = _demo_deployment(out, team)
    with _environment(ENV_DEPLOYMENT, str(deployment)):
        _run("phm", "cohort", "-w", wh, "--summary", *gate, *csv, "--user", "analyst",
             "-o", str(at_risk))  # fmt: skip
        _run("phm", "cohort", "-w", wh, "-n", team, "--threshold", "0.5", *gate, *csv,
             "--user", "team", "-o", str(cohort))  # fmt: skip
    return {
        "segment profile": segments,
        "risk model": model,
        "people at risk by neighbourhood": at_risk,
        f"case list for {team} (pseudonymised, audited)": cohort,
        "demo deployment (development: synthetic data only)": deployment,
    }


def _demo_deployment(out: Path, neighbourhood: str) -> Path:
    """The demo's deployment and roles file; the audit log is rebuilt with the warehouse."""
    (out / "roles.yaml").write_text(DEMO_ROLES.format(neighbourhood=neighbourhood))
    path = out / "deployment.yaml"
    path.write_text(DEMO_DEPLOYMENT)
    (out / "audit.jsonl").unlink(missing_ok=True)
    (out / "audit-head" / "audit.jsonl.head").unlink(missing_ok=True)
    return path


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """Set one environment variable for the block, as the service running a command would."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


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


def _board_packs(out: Path, names: list[str], csv: tuple[str, ...]) -> list[Path]:
    """A board pack for each of the place's plans against synthetic monthly actuals.

    The actuals are a stand-in (``placehealth.plans.sample_actuals``) until the
    warehouse's indicator values feed the pack.
    """
    packs = []
    for name in names:
        folder = str(default_plans_path() / name)
        actuals = str(out / f"sample-actuals-{name}.csv")
        pack = out / f"board-pack-{name}.pdf"
        _run("report", "sample-actuals", "-p", folder, "--seed", "1", "-o", actuals, *csv)
        _run("report", "board", "-p", folder, "-a", actuals, "-o", str(pack), "--scale", "0.8")
        packs.append(pack)
    return packs


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
