"""``placehealth synth``: a synthetic place as extracts, and its calibration report."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.table import Table

from placehealth.cli.options import (
    DEFAULT_PERSONS,
    PERSONS_HELP,
    console,
    print_json,
    progress_bar,
)

DEFAULT_OUT = Path("out/synth")

synth_app = typer.Typer(invoke_without_command=True)


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
    from placehealth.services.synth import generate

    with progress_bar("simulating") as progress:
        run = generate(out, persons=persons, seed=seed, place=place, fmt=fmt, progress=progress)
    console.print(
        f"{run.place}: {persons:,} persons (seed {seed}): {run.rows:,} rows in {run.files} files "
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
    from placehealth.services.synth import calibrate

    with progress_bar("measuring") as progress:
        calibration = calibrate(folder, noise=noise, progress=progress)
    rows, missed = calibration.rows, calibration.missed
    if as_json:
        print_json([r.as_dict() for r in rows])
    else:
        table = Table(
            title=f"Synthetic {calibration.place} against the seeds ({rows[0].persons:,} persons)"
        )
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
