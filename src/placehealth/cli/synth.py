"""``placehealth synth``: a synthetic place as extracts, and its calibration report."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from placehealth.cli.options import DEFAULT_PERSONS, PERSONS_HELP, console, print_json
from placehealth.errors import ValidationError

DEFAULT_OUT = Path("out/synth")
FORMATS = ("parquet", "csv")

synth_app = typer.Typer(invoke_without_command=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@synth_app.callback()
def synth(
    ctx: typer.Context,
    persons: int = typer.Option(DEFAULT_PERSONS, "--persons", help=PERSONS_HELP),
    place: str | None = typer.Option(
        None, "--place", help="Place id (e.g. sefton) or place file (default: the default place)."
    ),
    seed: int = typer.Option(1, "--seed", "-s", help="Random seed (same seed, same bytes)."),
    out: Path = typer.Option(DEFAULT_OUT, "--output", "-o", help="Folder for the extracts."),
    fmt: str = typer.Option("parquet", "--format", help="parquet (default) or csv."),
    old_out: Path = typer.Option(None, "--out", hidden=True, help="Old spelling of --output."),
) -> None:
    """Generate five financial years (2014/15–2018/19) of a synthetic place.

    The place file (docs/places.md) gives its name, geography and age structure.

    Writes one extract per table (raw NHS numbers from the 999 test range, ready for
    placehealth ingest), the geography lookups, truth/emergency_risk.parquet (each
    person's true yearly emergency-admission probability; not ingested) and
    manifest.json. Then check it against the seeds with placehealth synth report.

    Example: placehealth synth --place sefton --persons 275000 --seed 1 --output out/synth
    """
    if ctx.invoked_subcommand is not None:
        return
    out = old_out or out
    from placehealth.data.synth.model import MAX_PERSONS, simulate
    from placehealth.data.synth.params import YEARS
    from placehealth.data.synth.write import write
    from placehealth.places import load_place

    the_place = load_place(place)

    if not 1_000 <= persons <= MAX_PERSONS:
        raise ValidationError(
            f"--persons must be between 1,000 and {MAX_PERSONS:,}",
            column="--persons",
            hint="the 999 test range of NHS numbers limits the population",
        )
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format '{fmt}'", column="--format", hint="parquet or csv")
    with _progress() as progress:
        task = progress.add_task("simulating", total=YEARS + 13)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        synthetic = simulate(persons, seed, progress=step, place=the_place)
        manifest = write(synthetic, out, fmt=fmt, progress=step)
    rows = sum(f["rows"] for f in manifest["files"].values())
    files = len(manifest["files"])
    console.print(
        f"{the_place.name}: {persons:,} persons (seed {seed}): {rows:,} rows in {files} files "
        f"→ {out}"
    )


@synth_app.command("report")
def report(
    folder: Path = typer.Argument(DEFAULT_OUT, help="Folder written by placehealth synth."),
    noise: bool = typer.Option(True, "--noise/--no-noise", help="Estimate sampling noise."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if a target is missed."),
) -> None:
    """Each calibration target from the seeds, the generated value, and whether it is within ±10%.

    Counts are scaled to the number of persons generated. The noise column is the
    sampling standard error at this size, from five groups of people.

    Example: placehealth synth report out/synth
    """
    from placehealth.data.synth.report import GROUPS, calibration
    from placehealth.data.synth.targets import PLACE, TARGETS
    from placehealth.places import load_place

    total = len(TARGETS) + (GROUPS if noise else 0)
    with _progress() as progress:
        task = progress.add_task("measuring", total=total)
        rows = calibration(
            folder, noise=noise, progress=lambda n: progress.update(task, advance=1, description=n)
        )
    missed = sum(not r.within for r in rows)
    if as_json:
        print_json([r.as_dict() for r in rows])
    else:
        name = load_place(PLACE).name
        table = Table(title=f"Synthetic {name} against the seeds ({rows[0].persons:,} persons)")
        for name in ("target", "seed", "expected", "generated", "diff", "noise", "±10%"):
            table.add_column(name, justify="left" if name in ("target", "seed") else "right")
        for r in rows:
            low, high = r.expected
            expected = _fmt(low) if low == high else f"{_fmt(low)}–{_fmt(high)}"
            se = "" if math.isnan(r.rel_se) else f"±{r.rel_se:.1%}"
            mark = "[green]yes[/]" if r.within else "[red]no[/]"
            table.add_row(
                f"{r.target.name} ({r.target.unit})", r.target.seed, expected, _fmt(r.value),
                f"{r.difference:+.1%}", se, mark,
            )  # fmt: skip
        console.print(table)
        console.print(f"{len(rows) - missed} of {len(rows)} targets within ±10%")
    if strict and missed:
        raise typer.Exit(1)


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
