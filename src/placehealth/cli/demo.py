"""``placehealth demo``: the main job on the embedded default."""

from __future__ import annotations

from pathlib import Path

import typer

from placehealth.catalogue import load_catalogue
from placehealth.cli.options import console, default_plans_path
from placehealth.plans.check import Severity, check_plans
from placehealth.plans.load import load_plans
from placehealth.plans.show import findings_frame, summary_frame
from placehealth.tables import write_table


def demo(
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for the outputs."),
) -> None:
    """Run the main job: check every plan and write a plan summary and the findings.

    Example: placehealth demo --out out/demo
    """
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


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
