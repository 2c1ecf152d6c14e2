"""``placehealth demo``: the main job on the embedded default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from placehealth.cli.options import (
    DEFAULT_PERSONS,
    PERSONS_HELP,
    PLAIN_UTF8,
    console,
    default_plans_path,
    progress_bar,
)

if TYPE_CHECKING:
    from placehealth.services.demo import DemoRun

DEMO_PERSONS = DEFAULT_PERSONS


def demo(
    out: Path = typer.Option(Path("out/demo"), "--output", "-o", help="Folder for the outputs."),
    persons: int = typer.Option(DEMO_PERSONS, "--persons", help=PERSONS_HELP),
    seed: int = typer.Option(1, "--seed", "-s", help="Random seed of the synthetic population."),
    place: str | None = typer.Option(
        None, "--place", help="Place id (e.g. sefton) or place file (default: the default place)."
    ),
    plain_utf8: bool = PLAIN_UTF8,
    site_charts: bool = typer.Option(
        True,
        "--site-charts/--no-site-charts",
        help="Draw the site's charts now (a few seconds per indicator), so its pages only "
        "read files; without, the site draws each chart when first asked for it.",
    ),
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
    from placehealth.services.demo import run

    out = old_out or out

    def warn(note: str) -> None:
        typer.echo(f"warning: {note}", err=True)

    with progress_bar("demo") as progress:
        done = run(
            out, plans=default_plans_path(), persons=persons, seed=seed, place=place,
            bom=not plain_utf8, progress=progress, warn=warn, site_charts=site_charts,
        )  # fmt: skip
    _print_steps(done)
    outputs = done.outputs
    if not done.packs:
        console.print(
            f"board packs: no plans for {done.place.name} (defaults.plans in its place file)"
        )
    for pack in done.packs:
        console.print(f"board pack: {pack}")
    for what, path in outputs.items():
        console.print(f"{what}: {path}")
    where = "" if out == Path("out/demo") else f" --outputs {out}"
    console.print(
        "to see it in a browser: placehealth site user add NAME --role analyst, "
        f"then placehealth serve{where} (docs/web.md)"
    )


def _print_steps(done: DemoRun) -> None:
    """A line for each step of the main job, as its own command would say it."""
    review, made, values = done.review, done.synth, done.indicators
    console.print(
        f"[bold]{review.plans} plans, {review.ambitions} ambitions[/]; findings: "
        + ", ".join(f"{n} {s}" for s, n in review.findings.items())
    )
    console.print(f"plan summary: {review.summary}\nfindings: {review.findings_table}")
    console.print(
        f"{made.place}: {made.persons:,} persons (seed {made.seed}): {made.rows:,} rows in "
        f"{made.files} files → {made.folder}"
    )
    loaded = sum(f.rows_added for f in done.load.files)
    console.print(f"load {done.load.load_id}: {loaded:,} rows added → {done.warehouse}")
    console.print(
        f"{values.values:,} indicator values ({values.indicators} indicators), "
        f"{values.hidden:,} with small counts hidden → {values.path}"
    )
    if "plan status" not in done.outputs:
        console.print(f"plan status: no plans for {done.place.name} (defaults.status_plan)")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
