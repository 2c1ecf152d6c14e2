"""``placehealth phm model``: fit, validate and report the emergency-admission risk model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from placehealth.cli.options import console, print_json

DEFAULT_MODEL = Path("out/phm/risk-model.json")
SUMMARY = (
    ("auc", "AUC (validation)"),
    ("best_achievable_auc", "Best achievable AUC (true probability)"),
    ("baseline_auc", "Baseline AUC (prior admissions + age)"),
    ("brier", "Brier score"),
    ("calibration_slope", "Calibration slope"),
    ("calibration_intercept", "Calibration intercept"),
    ("calibration_in_the_large", "Calibration-in-the-large"),
    ("observed_rate", "Observed 12-month admission rate"),
    ("mean_predicted", "Mean predicted risk"),
    ("share_above_50pc", "Share above 50% risk"),
    ("people_above_50pc", "People above 50% risk"),
    ("sensitivity_top_0_5pc", "Sensitivity, top 0.5%"),
    ("ppv_top_0_5pc", "PPV, top 0.5%"),
    ("sensitivity_top_1pc", "Sensitivity, top 1%"),
    ("ppv_top_1pc", "PPV, top 1%"),
    ("sensitivity_top_5pc", "Sensitivity, top 5%"),
    ("ppv_top_5pc", "PPV, top 5%"),
    ("validation_people", "People at validation"),
)

model_app = typer.Typer(
    help="The emergency-admission risk model: fit, validate, report.\n\n"
    "Example: placehealth phm model fit --warehouse out/warehouse.duckdb",
    no_args_is_help=True,
)


def _date(text: str, option: str) -> dt.date:
    """A date option by the product's one date rule (01/04/2016 is 1 April)."""
    from placehealth.dates import read_date

    return read_date(text, option=option).date()


@model_app.command("fit")
def fit_command(
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    fit_index: str | None = typer.Option(
        None, "--fit-index", help="Index date to fit at (default: a year before validation)."
    ),
    validate_index: str | None = typer.Option(
        None,
        "--validate-index",
        help="Later index date to validate at (default: the latest the data allow).",
    ),
    truth: Path | None = typer.Option(
        None, "--truth", help="Synthetic truth (EXTRACT/truth/emergency_risk.parquet)."
    ),
    key_file: Path | None = typer.Option(
        None,
        "--key-file",
        help="Pseudonymisation key file for --truth (default: $PLACEHEALTH_PSEUDO_KEY_FILE, "
        "then $PLACEHEALTH_PSEUDO_KEY).",
    ),
    model_path: Path = typer.Option(
        DEFAULT_MODEL, "--output", "-o", help="Model file to write (JSON)."
    ),
    old_model: Path = typer.Option(None, "--model", hidden=True, help="Old spelling of --output."),
) -> None:
    """Fit at one index date, validate at a later one, write the model and its calibration plot.

    Both dates need 24 months of history and 12 of follow-up inside the data.
    With --truth, the AUC of each person's true probability is the best
    achievable AUC (its NHS numbers are hashed with the key used for ingest).

    Example: placehealth phm model fit -w out/wh.duckdb --truth synth/truth/emergency_risk.parquet
    """
    from placehealth.services import risk

    start = _date(fit_index, "--fit-index") if fit_index else None
    later = _date(validate_index, "--validate-index") if validate_index else None
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("features at the fit index date", total=None)

        def show(step: str, done: int, total: int | None) -> None:
            progress.update(task, description=step, completed=done, total=total)

        run = risk.fit(
            warehouse,
            old_model or model_path,
            fit_index=start,
            validate_index=later,
            truth=truth,
            key_file=key_file,
            engine=engine,
            progress=show,
        )
    model = run.model
    _print_summary(
        model.metrics, f"Risk model, fitted {model.fit_index}, validated {model.validate_index}"
    )
    console.print(f"model → {run.path}")
    for chart in run.charts:
        console.print(f"calibration plot → {chart}")


@model_app.command("report")
def report_command(
    model_path: Path = typer.Option(DEFAULT_MODEL, "--model", help="Model file."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Print a model file's validation figures, after checking it against the features.

    Example: placehealth phm model report --model out/phm/risk-model.json --json
    """
    from placehealth.services import risk

    model = risk.read(model_path)
    if as_json:
        print_json(risk.figures(model))
        return
    _print_summary(
        model.metrics, f"Risk model, fitted {model.fit_index}, validated {model.validate_index}"
    )


def _print_summary(metrics: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    for key, label in SUMMARY:
        if key in metrics and metrics[key] is not None:
            value = metrics[key]
            text = f"{value:,}" if isinstance(value, int) else f"{value:.4f}"
            table.add_row(label, text)
    console.print(table)
    tenths = metrics.get("calibration_table") or []
    if tenths:
        calib = Table(title="Calibration by tenth of predicted risk")
        for name in ("Tenth", "People", "Mean predicted", "Observed"):
            calib.add_column(name, justify="right")
        for row in tenths:
            calib.add_row(
                str(row["tenth"]),
                f"{row['people']:,}",
                f"{row['mean_predicted']:.4f}",
                f"{row['observed_rate']:.4f}",
            )
        console.print(calib)


def register(app: typer.Typer) -> None:
    """Adds this module's commands to ``placehealth phm``."""
    app.add_typer(model_app, name="model")
