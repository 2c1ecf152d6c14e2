"""``placehealth ingest``: load extract files into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from placehealth.cli.options import PLAIN_UTF8, console, print_json, progress_bar

if TYPE_CHECKING:
    from placehealth.data.ingest import LoadResult

KEY_HELP = (
    "File holding the pseudonymisation key (default: $PLACEHEALTH_PSEUDO_KEY_FILE, "
    "then $PLACEHEALTH_PSEUDO_KEY)."
)


def ingest(
    source: Path = typer.Argument(..., metavar="SOURCE_DIR", help="Folder of extract files."),
    warehouse: Path = typer.Option(
        ..., "--warehouse", "-w", help="The DuckDB warehouse file (created if missing)."
    ),
    key_file: Path = typer.Option(None, "--key-file", help=KEY_HELP),
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
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """Validate, pseudonymise and load CSV or Parquet extracts in one transaction.

    Each file is named after its table (person.csv, apc_spell.parquet, …; see
    docs/data-dictionary.md). NHS numbers are checked (Modulus 11) and replaced by
    HMAC-SHA256 under the key; bad rows are quarantined with a report (file, row,
    column, reason). Every row read is counted as added, updated, duplicate or
    quarantined. A file of which no row loads fails the command (exit 2) and the
    whole load is rolled back; a failed load changes nothing. Loading the same
    files again adds nothing, and reads again only files with rows held back, so
    rows refused because of another file load once that file is fixed.

    Example: placehealth ingest extracts/ --warehouse out/warehouse.duckdb --key-file secret.key

    Synthetic data (from placehealth synth): placehealth ingest out/synth --warehouse
    out/warehouse.duckdb --key-file secret.key --synthetic
    """
    from placehealth.services.ingest import load

    with progress_bar("loading", "files", disable=as_json) as progress:
        result = load(
            source, warehouse, key_file=key_file, report=report, synthetic=synthetic,
            bom=not plain_utf8, progress=progress,
        )  # fmt: skip
    if as_json:
        print_json(
            {
                "load_id": result.load_id,
                "warehouse": str(warehouse),
                "files": [vars(f) for f in result.files],
                "removed_after_death": result.removed,
                "quarantine_report": str(result.report) if result.report else None,
            }
        )
        return
    _print_load(result, warehouse)


def _print_load(result: LoadResult, warehouse: Path) -> None:
    """Per file: read = added + updated + duplicate + quarantined, then the totals."""
    table = Table(title=f"Load {result.load_id} → {warehouse}")
    for name in ("file", "table", "status", "read", "added", "updated", "duplicate", "quarantined"):
        table.add_column(name, justify="left" if name in ("file", "table", "status") else "right")
    loaded = [f for f in result.files if f.status == "loaded"]
    for f in result.files:
        table.add_row(
            f.file, f.table, f.status, f"{f.rows_read:,}", f"{f.rows_added:,}",
            f"{f.rows_updated:,}", f"{f.rows_duplicate:,}", f"{f.rows_quarantined:,}",
        )  # fmt: skip
    counts = ("rows_read", "rows_added", "rows_updated", "rows_duplicate", "rows_quarantined")
    totals = [sum(getattr(f, c) for f in loaded) for c in counts]
    table.add_row("total", "", f"{len(loaded)} read", *(f"{n:,}" for n in totals))
    console.print(table)
    skipped = len(result.files) - len(loaded)
    if skipped:
        console.print(f"{skipped} file(s) skipped: the same bytes loaded before, every row kept")
    if result.removed:
        parts = ", ".join(f"{n:,} from {t}" for t, n in result.removed.items())
        console.print(f"Events after a newly recorded death removed: {parts}")
    if result.report is not None:
        console.print(
            f"[yellow]{result.quarantined:,} rows quarantined[/]; report: {result.report}"
        )


def optout(
    listing: Path = typer.Argument(
        ..., metavar="LIST", help="CSV of one column, nhs_number or person_key; a person a line."
    ),
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    key_file: Path = typer.Option(None, "--key-file", help=KEY_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Remove people everywhere (national data opt-out) and refuse them in later loads.

    Every row of every listed person goes from every table in one transaction; their
    keyed hashes join the warehouse's opt-out list, so a later load (of an old extract,
    say) quarantines their rows as opted out. NHS numbers are hashed as they are read
    and never stored. removal_log records per table how many rows went, when, by whom
    and why, with no identifier. A bad line stops the command and removes nothing.

    Example: placehealth optout optouts.csv --warehouse out/warehouse.duckdb --key-file secret.key
    """
    from placehealth.services.ingest import opt_out

    result = opt_out(listing, warehouse, key_file=key_file)
    if as_json:
        print_json(
            {
                "warehouse": str(warehouse),
                "listed": result.listed,
                "newly_listed": result.newly_listed,
                "people_removed": result.people_removed,
                "removed": result.removed,
            }
        )
        return
    already = result.listed - result.newly_listed
    console.print(
        f"{result.listed:,} people listed ({already:,} already on the opt-out list); "
        f"{result.people_removed:,} were in the warehouse and are removed."
    )
    table = Table(title=f"Rows removed from {warehouse}")
    table.add_column("table")
    table.add_column("rows removed", justify="right")
    for name, n in result.removed.items():
        table.add_row(name, f"{n:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("optout")(optout)
