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


@finance_app.command("model")
def model(
    plan: Path = typer.Argument(..., help="A plan folder with a position and its assumptions."),
    settings: list[str] = typer.Option(
        [], "--set", help="Change an assumption: NAME=VALUE, NAME@2015/16=VALUE (repeatable)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Derive the financial position from its planning assumptions and show it beside
    the printed one; with --set, the position and the headroom for investment when an
    assumption changes.

    Rates are percentages (growth, tariff_uplift, contingency, headroom, surplus);
    amounts are money with a unit (surplus_return, recurrent_investment, bcf: £14.3m,
    £14,300k, £14,300,000). A setting applies to the first year unless it names one
    (growth@2015/16=1.5%); later years follow from the year before.

    Example: placehealth finance model plans/ccg-2014 --set tariff_uplift=-1.8% --set growth=2.14%
    """
    from placehealth.services import finance

    record = finance.position_model(plan, settings)
    if as_json:
        print_json(record)
        return
    for year in record["years"]:
        console.print(_position(year, bool(settings)))
    for finding in record["findings"]:
        console.print(f"[red]{finding['severity']}[/] {finding['message']} "
                      f"({'; '.join(finding['sources'])})")  # fmt: skip


def _position(year: dict[str, Any], changed: bool) -> Table:
    """Totals printed and derived; recurrent, non-recurrent and total of the what-if (or,
    without --set, of the derived position)."""
    shown = "what_if" if changed else "derived"
    table = Table(
        title=f"{year['table']} financial position {year['period']}, £m"
        + (" (what-if: --set)" if changed else ""),
        title_justify="left",
    )
    for name in ("row", "printed", "derived"):
        table.add_column(name, justify="left" if name == "row" else "right")
    for name in ("rec", "non-rec", "total"):
        table.add_column(f"{'what-if' if changed else 'derived'} {name}", justify="right")
    for row in year["rows"]:
        printed = row["printed"][2]
        table.add_row(
            row["label"],
            "" if printed is None else f"{printed:,.1f}",
            f"{row['derived'][2]:,.1f}",
            *(f"{v:,.1f}" for v in row[shown]),
        )
    head = year["investment_headroom"]
    table.caption = (
        f"headroom for investment (surplus above the required "
        f"{year['required_surplus'][shown]:,.1f}): {head['derived']:,.1f}"
        + (f" → {head['what_if']:,.1f}" if changed else "")
    )
    return table


@finance_app.command("invest")
def invest(
    plan: Path = typer.Argument(..., help="A plan folder with finance/investments/ proposals."),
    reserve: str | None = typer.Option(
        None, "--reserve", help="The reserve to spend: an amount (£20m) or a reserve's id."
    ),
    weights: str | None = typer.Option(
        None, "--weights", help="Criteria weights to change: lives-saved=2,cost=0.5."
    ),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed of the weight draws."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Rank investment proposals on their weighted criteria, show what the reserve buys
    and what it does not, and how often each keeps its rank when every weight moves by
    up to ±20% (2,000 draws).

    Example: placehealth finance invest plans/blueprint-2015 --reserve £20m --weights cost=2
    """
    from placehealth.services import finance

    record = finance.investments(plan, reserve=reserve, weights=weights, seed=seed)
    if as_json:
        print_json(record)
        return
    console.print(_ranking(record))


def _ranking(record: dict[str, Any]) -> Table:
    r = record["reserve"]
    weights = ", ".join(f"{c['id']} {c['weight']:g}" for c in record["criteria"])
    table = Table(
        title=f"{r['label']}: £{r['amount']:,.1f}m; spent £{record['spent']:,.1f}m, "
        f"left £{record['left']:,.1f}m (weights: {weights})",
        title_justify="left",
    )
    for name in ("rank", "proposal", "score", "cost £m", "bought", "rank kept", "5–95%"):
        table.add_column(name, justify="left" if name == "proposal" else "right")
    for p in record["proposals"]:
        table.add_row(
            str(p["rank"]), p["label"], f"{p['score']:.3f}",
            "—" if p["cost"] is None else f"{p['cost']:,.1f}",
            "yes" if p["bought"] else f"no: {p['why_not']}",
            f"{p['rank_kept']:.0%}", "–".join(str(x) for x in p["rank_5_95"]),
        )  # fmt: skip
    return table


@finance_app.command("export")
def export(
    plan: Path = typer.Argument(..., help="A plan folder with financial position tables."),
    output: Path = typer.Option(..., "--output", "-o", help="The workbook to write (.xlsx)."),
) -> None:
    """Write the financial position tables to an Excel workbook: values as printed, the
    lines they came from and their totals, one line per row. `finance import` reads it
    back into a finance file unchanged.

    Example: placehealth finance export plans/ccg-2014 -o position.xlsx
    """
    from placehealth.services import finance

    console.print(f"wrote {finance.export_position(plan, output)}")


@finance_app.command("import")
def import_(
    workbook: Path = typer.Argument(..., help="A workbook written by `finance export`."),
    output: Path = typer.Option(..., "--output", "-o", help="The finance file to write (.yaml)."),
) -> None:
    """Read a financial position workbook into a finance file; a workbook with a row a
    finance file cannot hold is refused with its row, and nothing is written.

    Example: placehealth finance import position.xlsx -o plans/ccg-2014/finance/position.yaml
    """
    from placehealth.services import finance

    console.print(f"wrote {finance.import_position(workbook, output)}")


def register(app: typer.Typer) -> None:
    app.add_typer(finance_app, name="finance")
