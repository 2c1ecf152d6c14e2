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
    """Run the main job: check every plan, write a plan summary, the findings and board packs.

    Example: placehealth demo --out out/demo
    """
    catalogue = load_catalogue()
    plans = load_plans(default_plans_path())
    findings = check_plans(plans, catalogue)
    summary_path = write_table(summary_frame(plans, catalogue), out / "plan_summary.csv")
    findings_path = write_table(findings_frame(findings), out / "plan_findings.csv")
    n_ambitions = sum(len(p.ambitions) for p in plans)
    packs = _board_packs(out)
    counts = {s: sum(f.severity == s for f in findings) for s in Severity}
    console.print(
        f"[bold]{len(plans)} plans, {n_ambitions} ambitions[/]; findings: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
    )
    console.print(f"plan summary: {summary_path}\nfindings: {findings_path}")
    for pack in packs:
        console.print(f"board pack: {pack}")


LIVERPOOL_PLANS = ("ccg-2014", "one-liverpool-2019")


def _board_packs(out: Path) -> list[Path]:
    """A board pack for each Liverpool plan against synthetic monthly actuals.

    The actuals are a stand-in (``placehealth.plans.sample_actuals``) until the
    warehouse's indicator values feed the pack.
    """
    from placehealth.cli.main import app  # the same commands a user runs

    packs = []
    for name in LIVERPOOL_PLANS:
        folder = str(default_plans_path() / name)
        actuals = str(out / f"sample-actuals-{name}.csv")
        pack = out / f"board-pack-{name}.pdf"
        app(["report", "sample-actuals", "-p", folder, "--seed", "1", "-o", actuals],
            standalone_mode=False)  # fmt: skip
        app(["report", "board", "-p", folder, "-a", actuals, "-o", str(pack), "--scale", "0.8"],
            standalone_mode=False)  # fmt: skip
        packs.append(pack)
    return packs


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
