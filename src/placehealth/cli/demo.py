"""``placehealth demo``: the main job on the embedded default."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from placehealth.cli.options import console, default_plans_path
from placehealth.plans.load import load_plans
from placehealth.tables import write_table


def demo(
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for the outputs."),
) -> None:
    """Run the main job: check every plan and write a plan summary.

    Example: placehealth demo --out out/demo
    """
    plans = load_plans(default_plans_path())
    rows = [
        {
            "document": p.document.id,
            "seed": p.seed,
            "ambition": a.id,
            "indicator": a.indicator,
            "method": a.method.kind,
        }
        for p in plans
        for a in p.ambitions
    ]
    path = write_table(pd.DataFrame(rows), out / "plan_summary.csv")
    console.print(f"{len(plans)} plans, {len(rows)} ambitions; summary written to {path}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
