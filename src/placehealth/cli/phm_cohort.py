"""``placehealth phm cohort`` and ``placehealth phm audit``: case finding under governance.

The governance sequence (deployment, who is asking, audited refusals, audit
before release) is :mod:`placehealth.phm.case_list` and
:mod:`placehealth.phm.governance`, run by :mod:`placehealth.services.phm`; these
commands parse their options and show what comes back (docs/phm-case-finding.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from placehealth.cli.options import HEADER_ROW, PLAIN_UTF8, SHEET, console, print_json
from placehealth.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_MODEL = Path("out/phm/risk-model.json")
USER_HELP = (
    "Who is asking, where the deployment lets a service say (identity: option; "
    "default $PLACEHEALTH_USER, then your login). Otherwise the user is your login."
)


def parse_date(text: str | None) -> dt.date | None:
    """The index date by the product's one date rule (01/04/2018 is 1 April)."""
    from placehealth.dates import read_date

    return None if text is None else read_date(text, option="--index-date").date()


def _show(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(
            str(column), justify="right" if frame[column].dtype.kind in "if" else "left"
        )
    for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def cohort(
    warehouse: Path = typer.Option(..., "--warehouse", "-w", help="The DuckDB warehouse file."),
    neighbourhood: str = typer.Option(
        None, "--neighbourhood", "-n", help="The neighbourhood whose list to make."
    ),
    threshold: float = typer.Option(
        0.5, "--threshold", help="Risk of an emergency admission in 12 months, 0–1."
    ),
    model: Path = typer.Option(DEFAULT_MODEL, "--model", help="The fitted risk model (JSON)."),
    index_date: str | None = typer.Option(
        None,
        "--index-date",
        help="The date risk is scored at (default: the last 1 April with a year of data after it).",
    ),
    patients: Path = typer.Option(
        None,
        "--patients",
        help="NHS numbers the team already holds (CSV/Parquet, column nhs_number) to match.",
    ),
    key_file: Path = typer.Option(
        None, "--key-file", help="Pseudonymisation key file (default: $PLACEHEALTH_PSEUDO_KEY)."
    ),
    user: str = typer.Option(None, "--user", help=USER_HELP),
    output: Path = typer.Option(None, "--output", "-o", help="CSV, Parquet or Excel file."),
    summary: bool = typer.Option(
        False, "--summary", help="Counts per neighbourhood and practice (any role), suppressed."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    sheet: str = SHEET,
    header_row: int = HEADER_ROW,
    plain_utf8: bool = PLAIN_UTF8,
) -> None:
    """List a neighbourhood's people at or above a risk threshold for its team to review.

    Only a user whose role covers the neighbourhood gets record-level rows; with
    --patients their NHS numbers are added by matching the team's own list. Every
    list and every refusal is written to the audit log first. --summary gives
    counts per neighbourhood and practice, with counts of 1–7 hidden. The roles
    file and the audit log are the deployment's (/etc/placehealth/deployment.yaml
    or $PLACEHEALTH_DEPLOYMENT), never the caller's.

    Example: placehealth phm cohort -w out/warehouse.duckdb -n NBSYN01 --threshold 0.5 --patients practice-list.csv -o cohort.csv
    """  # noqa: E501
    from placehealth.services import phm as service

    day = parse_date(index_date)
    if not summary and not neighbourhood:
        raise ValidationError(
            "no neighbourhood given", column="--neighbourhood", hint="or ask for --summary"
        )
    shown_as, bom = ("stdout" if as_json else "terminal"), not plain_utf8
    if summary:
        released = service.at_risk_counts(
            warehouse, threshold=threshold, model=model, index_date=day, user=user,
            output=output, shown_as=shown_as, engine=engine, bom=bom,
        )  # fmt: skip
    else:
        held = None
        if patients is not None:
            held = service.PatientList(patients, key_file, sheet, header_row)
        released = service.case_list(
            warehouse, neighbourhood=neighbourhood, threshold=threshold, model=model,
            index_date=day, patients=held, user=user, output=output, shown_as=shown_as,
            engine=engine, bom=bom,
        )  # fmt: skip
    frame = released.frame
    if released.path is not None:
        console.print(f"{len(frame):,} rows → {released.path} (audited in {released.trail})")
    elif as_json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
    else:
        action = "summary" if summary else "cohort"
        _show(frame, f"{action} at {released.index_date.isoformat()}, risk ≥ {threshold:g}")


def audit_command(
    verify: bool = typer.Option(False, "--verify", help="Check the hash chain of every entry."),
    last: int = typer.Option(20, "--last", help="How many recent entries to show."),
    user: str = typer.Option(None, "--user", help=USER_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print entries or the check as JSON."),
) -> None:
    """Show recent case-finding audit entries, or verify the deployment's audit log.

    Open to the caldicott_guardian and admin roles; a refusal is itself audited.
    --verify checks every link of the hash chain and compares the log with its
    head (kept by the deployment in another folder), so an edited, removed or
    inserted line and a truncated, emptied or deleted log all exit non-zero. It
    prints the last entry's hash to keep elsewhere too.

    Example: placehealth phm audit --verify
    """
    import pandas as pd

    from placehealth.phm.governance import require_intact
    from placehealth.services import phm as service

    if verify:
        check = service.verify_audit(user=user)
        result = check.result
        if as_json:
            print_json(vars(result))
        require_intact(check.trail, result)
        if as_json:
            return
        if result.entries == 0:
            console.print(
                "audit log holds no entries yet (no log and no head: had there been entries, "
                "both were deleted; compare with the last hash you kept)"
            )
            return
        console.print(
            f"audit log intact: {result.entries} entries, matching its head; "
            f"last entry sha256 {result.last_sha256}"
        )
        return
    found = service.audit_entries(last=last, user=user)
    if as_json:
        print_json(found.entries)
        return
    shown = ["seq", "timestamp", "user", "role", "action", "neighbourhood", "threshold"]
    shown += ["rows_released", "outcome", "output"]
    frame = pd.DataFrame(found.entries, columns=shown)
    _show(frame, f"{found.trail}: last {len(frame)} entries")


def register(app: typer.Typer) -> None:
    """Adds this module's commands to ``placehealth phm``."""
    app.command("cohort")(cohort)
    app.command("audit")(audit_command)
