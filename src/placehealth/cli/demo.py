"""``placehealth demo``: the main job on the embedded default."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from placehealth.cli.options import console, default_plans_path

DEMO_PERSONS = 20_000


def demo(
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for the outputs."),
    persons: int = typer.Option(
        DEMO_PERSONS, "--persons", "-n", help="Size of the synthetic Liverpool (500000 = full)."
    ),
    seed: int = typer.Option(1, "--seed", "-s", help="Random seed of the synthetic population."),
) -> None:
    """Run the main job: plans, a synthetic Liverpool warehouse, its indicators, board packs.

    Checks every plan and writes the plan summary and findings; generates a
    synthetic Liverpool (small by default, --persons to scale), loads it into a
    DuckDB warehouse under a demo key, computes every indicator for every area
    and year, and sets One Liverpool's ambitions against them; segments the
    population, fits and validates the emergency-admission risk model and counts
    the people at risk in each neighbourhood; writes a board pack for each
    Liverpool plan.

    Example: placehealth demo --out out/demo --persons 500000
    """
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.check import Severity, check_plans
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import findings_frame, summary_frame
    from placehealth.tables import write_table

    catalogue = load_catalogue()
    plans = load_plans(default_plans_path())
    findings = check_plans(plans, catalogue)
    summary_path = write_table(summary_frame(plans, catalogue), out / "plan_summary.csv")
    findings_path = write_table(findings_frame(findings), out / "plan_findings.csv")
    n_ambitions = sum(len(p.ambitions) for p in plans)
    counts = {s: sum(f.severity == s for f in findings) for s in Severity}
    console.print(
        f"[bold]{len(plans)} plans, {n_ambitions} ambitions[/]; findings: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
    )
    console.print(f"plan summary: {summary_path}\nfindings: {findings_path}")
    outputs = _warehouse(out, persons, seed)
    for pack in _board_packs(out):
        console.print(f"board pack: {pack}")
    for what, path in outputs.items():
        console.print(f"{what}: {path}")


LIVERPOOL_PLANS = ("ccg-2014", "one-liverpool-2019")


def _run(*args: str) -> None:
    """One ``placehealth`` command, exactly as a user would type it."""
    from placehealth.cli.main import app

    app(list(args), standalone_mode=False)


def _warehouse(out: Path, persons: int, seed: int) -> dict[str, Path]:
    """Synthetic Liverpool → extracts → pseudonymised warehouse → indicator values.

    The demo makes its own random key (``demo.key``, kept beside the warehouse
    so a re-run can read it); a real place keeps its key away from the data.
    The warehouse is rebuilt on each run so a different --persons never mixes
    with an earlier population.
    """
    extract = out / "synth"
    warehouse = out / "liverpool.duckdb"
    key_file = out / "demo.key"
    if not key_file.exists():
        out.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    warehouse.unlink(missing_ok=True)
    values = out / "indicators.csv"
    _run("synth", "--persons", str(persons), "--seed", str(seed), "--out", str(extract))
    _run(
        "ingest", str(extract), "--warehouse", str(warehouse), "--key-file", str(key_file),
        "--synthetic",
    )  # fmt: skip
    _run("indicators", "compute", "--warehouse", str(warehouse), "-o", str(values))
    status = out / "status-one-liverpool-2019.csv"
    plan = str(default_plans_path() / "one-liverpool-2019")
    # the synthetic Liverpool has `persons` people: its counts are compared as rates
    _run("plan", "status", plan, "--actuals", str(values), "--population", str(persons),
         "-o", str(status))  # fmt: skip
    outputs = {"warehouse": warehouse, "indicator values": values, "plan status": status}
    return outputs | _population_health(out, warehouse, extract, key_file)


def _population_health(out: Path, warehouse: Path, extract: Path, key: Path) -> dict[str, Path]:
    """Segments and their profiles, the risk model, and the at-risk counts per neighbourhood.

    The case list runs under the demo's own deployment, marked ``development:
    true``: its roles file and audit log are the demo's (in ``out``), which a real
    deployment never allows, so it releases synthetic data only.
    """
    from placehealth.deployment import ENV_DEPLOYMENT

    segments = out / "segments.csv"
    model = out / "risk-model.json"
    at_risk = out / "at-risk-by-neighbourhood.csv"
    cohort = out / f"cohort-{DEMO_NEIGHBOURHOOD}.csv"
    truth = extract / "truth" / "emergency_risk.parquet"
    wh = str(warehouse)
    gate = ["--model", str(model)]
    _run("phm", "segments", "-w", wh, "--by", "neighbourhood", "-o", str(segments))
    _run("phm", "model", "fit", "-w", wh, "--truth", str(truth), "--key-file", str(key),
         "--model", str(model))  # fmt: skip
    deployment = _demo_deployment(out)
    with _environment(ENV_DEPLOYMENT, str(deployment)):
        _run("phm", "cohort", "-w", wh, "--summary", *gate, "--user", "analyst",
             "-o", str(at_risk))  # fmt: skip
        _run("phm", "cohort", "-w", wh, "-n", DEMO_NEIGHBOURHOOD, "--threshold", "0.5", *gate,
             "--user", "team", "-o", str(cohort))  # fmt: skip
    return {
        "segment profile": segments,
        "risk model": model,
        "people at risk by neighbourhood": at_risk,
        f"case list for {DEMO_NEIGHBOURHOOD} (pseudonymised, audited)": cohort,
        "demo deployment (development: synthetic data only)": deployment,
    }


def _demo_deployment(out: Path) -> Path:
    """The demo's deployment and roles file; the audit log is rebuilt with the warehouse."""
    (out / "roles.yaml").write_text(DEMO_ROLES)
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


DEMO_NEIGHBOURHOOD = "NBSYN01"
DEMO_ROLES = f"""\
# Demo users: an analyst (suppressed counts) and one neighbourhood's team.
users:
  analyst:
    role: analyst
  team:
    role: neighbourhood_team
    neighbourhoods: [{DEMO_NEIGHBOURHOOD}]
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


def _board_packs(out: Path) -> list[Path]:
    """A board pack for each Liverpool plan against synthetic monthly actuals.

    The actuals are a stand-in (``placehealth.plans.sample_actuals``) until the
    warehouse's indicator values feed the pack.
    """
    packs = []
    for name in LIVERPOOL_PLANS:
        folder = str(default_plans_path() / name)
        actuals = str(out / f"sample-actuals-{name}.csv")
        pack = out / f"board-pack-{name}.pdf"
        _run("report", "sample-actuals", "-p", folder, "--seed", "1", "-o", actuals)
        _run("report", "board", "-p", folder, "-a", actuals, "-o", str(pack), "--scale", "0.8")
        packs.append(pack)
    return packs


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
