"""``placehealth ingest``: load extract files into the warehouse."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from placehealth.cli.options import console, print_json
from placehealth.data.extracts import find_extracts
from placehealth.data.ingest import ingest as run_ingest
from placehealth.data.pseudonymise import load_key


def ingest(
    source: Path = typer.Argument(..., metavar="SOURCE_DIR", help="Folder of extract files."),
    warehouse: Path = typer.Option(
        ..., "--warehouse", "-w", help="The DuckDB warehouse file (created if missing)."
    ),
    key_file: Path = typer.Option(
        None,
        "--key-file",
        help="File holding the pseudonymisation key (default: $PLACEHEALTH_PSEUDO_KEY_FILE, "
        "then $PLACEHEALTH_PSEUDO_KEY).",
    ),
    report: Path = typer.Option(
        None, "--report", help="Where to write the quarantine report (CSV)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the load summary as JSON."),
    synthetic: bool = typer.Option(
        False,
        "--synthetic",
        help="The extracts are synthetic: accept NHS numbers of the 999 test range "
        "(refused otherwise, as never issued to a patient).",
    ),
) -> None:
    """Validate, pseudonymise and load CSV or Parquet extracts in one transaction.

    Each file is named after its table (person.csv, apc_spell.parquet, …; see
    docs/data-dictionary.md). NHS numbers are checked (Modulus 11) and replaced by
    HMAC-SHA256 under the key; bad rows are quarantined with a report (file, row,
    column, reason). A failed load changes nothing; loading the same files again
    adds nothing.

    Example: placehealth ingest extracts/ --warehouse out/liverpool.duckdb --key-file secret.key

    Synthetic data (from placehealth synth): placehealth ingest out/synth --warehouse
    out/liverpool.duckdb --key-file secret.key --synthetic
    """
    key = load_key(key_file)
    total = len(find_extracts(source))
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("loading", total=total)

        def done(table: str) -> None:
            progress.update(task, advance=1, description=table)

        result = run_ingest(
            source, warehouse, key, report=report, progress=done, synthetic=synthetic
        )
    if as_json:
        print_json(
            {
                "load_id": result.load_id,
                "warehouse": str(warehouse),
                "files": [vars(f) for f in result.files],
                "quarantine_report": str(result.report) if result.report else None,
            }
        )
        return
    table = Table(title=f"Load {result.load_id} → {warehouse}")
    for name in ("file", "table", "status", "read", "added", "updated", "duplicate", "quarantined"):
        table.add_column(name, justify="left" if name in ("file", "table", "status") else "right")
    for f in result.files:
        table.add_row(
            f.file, f.table, f.status, f"{f.rows_read:,}", f"{f.rows_added:,}",
            f"{f.rows_updated:,}", f"{f.rows_duplicate:,}", f"{f.rows_quarantined:,}",
        )  # fmt: skip
    console.print(table)
    if result.report is not None:
        console.print(
            f"[yellow]{result.quarantined:,} rows quarantined[/]; report: {result.report}"
        )


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
