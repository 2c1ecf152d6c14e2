"""``placehealth bcf``: a Better Care Fund plan's pool, conditions, metrics and the
performance payment, with what-ifs; export to and import from the template's workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from placehealth.cli.options import console, print_json

bcf_app = typer.Typer(
    help="Better Care Fund plans: the pool, national conditions and payment for performance.\n\n"
    "Example: placehealth bcf payment plans/ccg-2014 --set delayed-transfers=228",
    no_args_is_help=True,
)
PLAN = typer.Argument(..., help="A plan folder with a bcf/ folder, or a BCF plan file.")
JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")


def _m(value: Any) -> str:
    return "" if value is None else f"{value / 1e6:,.3f}"


@bcf_app.command("show")
def show(plan: Path = PLAN, as_json: bool = JSON) -> None:
    """Print the pooled budget by partner, year and basis, the schemes, the national
    conditions and each metric's target for each payment.

    Contributions read from the finance tables name their cell (B8/ccg/actual-2015-16);
    `placehealth plan check` reports where the pool, the rules and the template disagree.

    Example: placehealth bcf show plans/ccg-2014 --json
    """
    from placehealth.services import bcf

    records = bcf.show(plan)
    if as_json:
        print_json(records)
        return
    for r in records:
        console.print(f"[bold]{r['title']}[/] ({r['source']})")
        pool = Table(title="Pooled budget (£m)", title_justify="left")
        for column in ("partner", "year", "basis", "kind", "label", "printed", "from", "source"):
            pool.add_column(column, overflow="fold")
        for c in r["pool"]:
            pool.add_row(c["partner"], c["year"], c["basis"], c["kind"] or "",
                         ("  part: " if c["part"] else "") + c["label"], c["printed"],
                         c["table"] or "", c["source"])  # fmt: skip
        console.print(pool)
        conditions = Table(title="National conditions", title_justify="left")
        for column in ("condition", "status", "evidence"):
            conditions.add_column(column, overflow="fold")
        for c in r["conditions"]:
            conditions.add_row(c["name"], c["status"], c.get("evidence") or "—")
        console.print(conditions)
        metrics = Table(title="Metrics and their payment-period targets", title_justify="left")
        for column in ("metric", "payment", "period", "target", "better"):
            metrics.add_column(column)
        for m in r["metrics"]:
            metrics.add_row(m["metric"], m["release"], m["period"] or "—",
                            "—" if m["target"] is None else f"{m['target']:g}",
                            "higher" if m["higher_is_better"] else "lower")  # fmt: skip
        console.print(metrics)
        console.print(f"Schemes: {', '.join(s['name'] for s in r['schemes'])} (no £ per scheme)")


@bcf_app.command("payment")
def payment(
    plan: Path = PLAN,
    sets: list[str] = typer.Option(
        None, "--set", help="A metric's actual: metric=value, or metric@release=value (repeat)."
    ),
    vary: list[str] = typer.Option(
        None, "--vary", help="What-if: metric=v1,v2,… gives the payment at each value (repeat)."
    ),
    as_json: bool = JSON,
) -> None:
    """Work out the performance payment under the 2014/15 rules: each release's share on the
    national conditions (all met, or nothing) and on the metrics (equal shares; a metric
    pays when its actual is at least as good as its target), at national scale and at the
    place's share of the fund. A metric without an actual or a target pays nothing.

    Example: placehealth bcf payment plans/ccg-2014 --set delayed-transfers=228
    --set dementia=58 --vary avoidable-admissions=1000,1050,1100
    """
    from placehealth.services import bcf

    records = bcf.payment(plan, sets or [], vary or [])
    if as_json:
        print_json(records)
        return
    for r in records:
        console.print(
            f"[bold]{r['place']}[/]: {r['share_of_fund']:.4%} of the national fund "
            f"(£{r['pool_m']:,.3f}m, {r['pool_basis']}); released £{r['released'] / 1e6:,.3f}m "
            f"of £{r['at_stake'] / 1e6:,.3f}m at stake"
        )
        releases = Table(title="Releases (£m)", title_justify="left")
        for column in ("release", "national", "place at stake", "conditions met", "metrics met",
                       "released", "held back"):  # fmt: skip
            releases.add_column(column, justify="right")
        for x in r["releases"]:
            met = {True: "yes", False: "no", None: "—"}[x["conditions_met"]]
            releases.add_row(x["release"], _m(x["national"]), _m(x["at_stake"]), met,
                             f"{x['metrics_met']} of {x['metrics']}", _m(x["released"]),
                             _m(x["held_back"]))  # fmt: skip
        console.print(releases)
        metrics = Table(title="Metrics against their payment-period targets", title_justify="left")
        for column in ("metric", "release", "period", "target", "actual", "status", "£m"):
            metrics.add_column(column)
        for m in r["metrics"]:
            colour = {"met": "green", "not met": "red"}.get(m["status"], "yellow")
            metrics.add_row(m["metric"], m["release"], m["period"] or "—",
                            "—" if m["target"] is None else f"{m['target']:g}",
                            "—" if m["actual"] is None else f"{m['actual']:g}",
                            f"[{colour}]{m['status']}[/]", _m(m["released"]))  # fmt: skip
        console.print(metrics)
        if r["what_if"]:
            what = Table(title="What if (total released, £m)", title_justify="left")
            for column in ("metric", "value", "released"):
                what.add_column(column, justify="right")
            for w in r["what_if"]:
                what.add_row(w["metric"], f"{w['value']:g}", _m(w["released"]))
            console.print(what)


@bcf_app.command("export")
def export(
    plan: Path = PLAN,
    output: Path = typer.Option(..., "--output", "-o", help="The workbook to write (.xlsx)."),
) -> None:
    """Write the plan to a workbook laid out like the national template (one sheet per
    part; printed numbers kept as printed). `bcf import` reads it back unchanged.

    Example: placehealth bcf export plans/ccg-2014 -o bcf-plan.xlsx
    """
    from placehealth.services import bcf

    console.print(f"wrote {bcf.export(plan, output)}")


@bcf_app.command("import")
def import_(
    workbook: Path = typer.Argument(..., help="A workbook written by `bcf export`."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the plan as YAML here."),
    as_json: bool = JSON,
) -> None:
    """Read a BCF workbook back to a plan, validated; a bad cell names its sheet and row.

    Example: placehealth bcf import bcf-plan.xlsx -o plans/ccg-2014/bcf/plan.yaml
    """
    from placehealth.services import bcf

    plan = bcf.import_(workbook, output)
    if as_json:
        print_json(plan)
    else:
        console.print(
            f"read {plan['title']}: {len(plan.get('pool', []))} contributions, "
            f"{len(plan.get('metrics', []))} metrics" + (f"; wrote {output}" if output else "")
        )


def register(app: typer.Typer) -> None:
    app.add_typer(bcf_app, name="bcf")
