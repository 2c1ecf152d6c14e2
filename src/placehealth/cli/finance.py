"""``placehealth finance``: a plan's financial tables, printed values beside recomputed ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from placehealth.cli.options import console, print_json

finance_app = typer.Typer(
    help="Financial tables kept as data: printed values beside recomputed ones.\n\n"
    "Example: placehealth finance show plans/ccg-2014",
    no_args_is_help=True,
)


@finance_app.command("show")
def show(
    plan: Path = typer.Argument(..., help="A plan folder with a finance/ folder, or a file in it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Print every financial table with each computed cell recomputed beside it (↻).

    A column the table computes (a total, difference, % change, per-head figure or
    growth rate) and a total row are recomputed from the printed values they are
    declared from; a recomputed value that disagrees with the printed one is shown
    in red. Numbers the text prints are listed beside the cells they restate.
    `placehealth plan check` reports the disagreements as findings.

    Example: placehealth finance show plans/ccg-2014 --json
    """
    from placehealth.services import finance

    records = finance.tables(plan)
    if as_json:
        print_json(records)
        return
    for record in records["tables"]:
        console.print(render_table(record))
    if records["figures"]:
        console.print(_figures(records["figures"]))


def _figures(figures: list[dict[str, Any]]) -> Table:
    table = Table(title="Figures in the text against the tables", title_justify="left")
    for column in ("figure", "printed", "unit", "tables", "recomputed", "source"):
        table.add_column(column, overflow="fold")
    for f in figures:
        recomputed = f["shown"] if f["agrees"] else f"[red]{f['shown']}[/]"
        table.add_row(
            f["text"] or f["figure"], f["printed"], f["unit"],
            " + ".join(f["equals"]).replace("+ -", "− "),
            recomputed, f["source"],
        )  # fmt: skip
    return table


def render_table(record: dict[str, Any]) -> Table:
    unit = record["unit"] + (
        f" (printed as {record['printed_unit']})" if record["printed_unit"] else ""
    )
    table = Table(
        title=f"{record['table']} {record['title']} — {unit}, {record['source']}",
        title_justify="left",
    )
    table.add_column("row")
    recomputed = {
        cell["column"] for row in record["rows"] for cell in row["cells"] if cell["recomputed"]
    }
    for column in record["columns"]:
        table.add_column(column["label"], justify="right", overflow="fold")
        if column["id"] in recomputed:
            table.add_column("↻", justify="right", style="dim", overflow="fold")
    for row in record["rows"]:
        cells = [f"[bold]{row['label']}[/]" if row["kind"] != "item" else row["label"]]
        for column, cell in zip(record["columns"], row["cells"], strict=False):
            cells.append(cell["printed"] or "")
            if column["id"] in recomputed:
                cells.append(
                    " / ".join(
                        r["shown"] if r["agrees"] else f"[red]{r['shown']}[/]"
                        for r in cell["recomputed"]
                    )
                )
        table.add_row(*cells)
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(finance_app, name="finance")
