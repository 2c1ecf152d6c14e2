"""``placehealth phm cohort`` and ``placehealth phm audit``: case finding under governance.

The order of work is the governance model (docs/phm-case-finding.md): check the
inputs, read the deployment (which names the roles file and the audit log: the
person asking cannot choose them), check who is asking, audit a refusal before
refusing, build the list in memory, write the audit entry, and only then write
or show the list. If the audit log cannot be written, or no longer matches its
head, nothing is released.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.table import Table

from placehealth.cli.options import HEADER_ROW, PLAIN_UTF8, SHEET, console, print_json
from placehealth.errors import AccessDenied, InputFileError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from placehealth import deployment as setup
    from placehealth.engine.backends import DuckDBBackend
    from placehealth.phm import audit
    from placehealth.phm.access import User

DEFAULT_MODEL = Path("out/phm/risk-model.json")
USER_HELP = (
    "Who is asking, where the deployment lets a service say (identity: option; "
    "default $PLACEHEALTH_USER, then your login). Otherwise the user is your login."
)


def parse_date(text: str) -> dt.date:
    """The index date by the product's one date rule (01/04/2018 is 1 April)."""
    from placehealth.dates import read_date

    return read_date(text, option="--index-date").date()


def check_output(path: Path | None) -> None:
    from placehealth.tables import WRITABLE

    if path is not None and path.suffix.lower() not in WRITABLE:
        raise InputFileError(
            f"unsupported output type '{path.suffix}'",
            file=path,
            hint="use .csv, .parquet or .xlsx",
        )


def serialise(frame: pd.DataFrame, path: Path | None, *, bom: bool = True) -> bytes:
    """The file's bytes, made in memory so they can be hashed and audited before writing."""
    from placehealth.tables import serialise_table

    return serialise_table(frame, path.suffix if path is not None else ".csv", bom=bom)


def read_patients(path: Path, sheet: str | None = None, header_row: int = 1) -> pd.DataFrame:
    """The team's own NHS numbers; CSV and Excel are read as text so no digit is lost."""
    from placehealth.tables import read_table

    return read_table(path, sheet=sheet, header_row=header_row, text=True)


def _who(
    deployment: setup.Deployment, user: str | None, log: audit.Trail, base: dict[str, Any]
) -> tuple[User, dict[str, Any]]:
    """Who is asking, by the deployment's roles, and the audit fields naming them.

    A false name, or a user the roles file does not know, is audited, then refused.
    """
    from placehealth import deployment as setup
    from placehealth.phm.access import load_roles, user_name

    roles = load_roles(deployment.roles)
    login = setup.Caller.current().login()
    try:
        name = user_name(user, identity=deployment.identity, login=login)
    except AccessDenied as exc:
        _refuse(log, {**base, "user": login}, None, exc)
    named = {"user": name, **base}
    try:
        return roles.user(name), named
    except AccessDenied as exc:
        _refuse(log, named, None, exc)


def _trail(deployment: setup.Deployment) -> audit.Trail:
    from placehealth.phm import audit

    return audit.Trail(deployment.audit_log, deployment.audit_head)


def _refuse(
    log: audit.Trail, base: dict[str, Any], role: str | None, exc: AccessDenied
) -> NoReturn:
    """Audit the refusal, then raise it; a log that cannot be written is said in the hint."""
    try:
        log.append(**base, role=role, outcome="denied", rows_released=0, reason=exc.message)
    except Exception as failure:  # the refusal stands whatever happened to the log
        raise AccessDenied(exc.message, file=exc.file, hint=f"not audited: {failure}") from None
    raise exc


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
    index_date: str = typer.Option(
        "2018-04-01", "--index-date", help="The date risk is scored at."
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
    from placehealth import deployment as setup
    from placehealth.engine.backends import DuckDBBackend
    from placehealth.phm import cohort as case_finding

    case_finding.check_threshold(threshold)
    day = parse_date(index_date)
    case_finding.check_index_date(day)
    check_output(output)
    if not summary and not neighbourhood:
        raise ValidationError(
            "no neighbourhood given", column="--neighbourhood", hint="or ask for --summary"
        )
    deployment = setup.load_deployment()
    log = _trail(deployment)
    base: dict[str, Any] = {
        "action": "summary" if summary else "cohort",
        "neighbourhood": None if summary else neighbourhood,
        "threshold": threshold,
        "index_date": day.isoformat(),
        "warehouse": str(warehouse.resolve()),
        **deployment.audit_fields(),
    }
    person, base = _who(deployment, user, log, base)
    log.check_ready()
    backend = DuckDBBackend(warehouse)
    try:
        _synthetic_only(backend, deployment, log, base, person)
        if summary:
            _summary(
                backend, person, base, log, model, day, threshold, output, as_json, not plain_utf8
            )
        else:
            _list(
                backend, person, base, log, model, day, threshold, neighbourhood, patients,
                key_file, output, as_json, deployment, (sheet, header_row), not plain_utf8,
            )  # fmt: skip
    finally:
        backend.close()


def _synthetic_only(
    backend: DuckDBBackend,
    deployment: setup.Deployment,
    log: audit.Trail,
    base: dict[str, Any],
    person: User,
) -> None:
    """Under a development deployment, refuse (and audit) a warehouse that is not synthetic.

    The summary as much as the list: a deployment the caller may have written
    keeps its own audit log, so real data must never be released under it.
    """
    from placehealth import deployment as setup
    from placehealth.engine import tables as t
    from placehealth.phm import cohort as case_finding

    if not deployment.development:
        return
    practices = backend.collect(backend.table(t.PRACTICE).select("practice_code").unique())
    try:
        for neighbourhood in case_finding.neighbourhoods(backend):
            setup.check_synthetic_neighbourhood(deployment, neighbourhood)
        setup.check_synthetic_practices(deployment, practices["practice_code"].dropna())
    except AccessDenied as exc:
        _refuse(log, base, person.role, exc)


def _risk(backend: DuckDBBackend, model: Path, day: dt.date) -> tuple[Any, str]:
    from placehealth.phm import audit
    from placehealth.phm.risk_model import read_model
    from placehealth.phm.scoring import score

    fitted = read_model(model)
    return score(backend, fitted, day), audit.sha256_file(model)


def _release(
    frame: pd.DataFrame,
    *,
    log: audit.Trail,
    base: dict[str, Any],
    person: User,
    model_sha: str,
    identifiable: bool,
    output: Path | None,
    as_json: bool,
    bom: bool,
) -> None:
    """Audit, then write or show: a list the log does not hold never leaves."""
    from placehealth.phm import audit
    from placehealth.tables import write_bytes

    data = serialise(frame, output, bom=bom)
    fields = {**base, "role": person.role, "model_sha256": model_sha}
    log.append(
        **fields,
        identifiable=identifiable,
        rows_released=len(frame),
        outcome="released",
        output=str(output.resolve())
        if output is not None
        else ("stdout" if as_json else "terminal"),
        output_sha256=audit.sha256_bytes(data),
    )
    if output is not None:
        try:
            write_bytes(data, output, private=True)
        except OSError as exc:
            log.append(**fields, outcome="failed", rows_released=0, reason=exc.strerror)
            raise InputFileError(f"cannot write: {exc.strerror}", file=output) from None
        console.print(f"{len(frame):,} rows → {output} (audited in {log})")
    elif as_json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
    else:
        _show(frame, f"{base['action']} at {base['index_date']}, risk ≥ {base['threshold']:g}")


def _summary(
    backend: DuckDBBackend,
    person: User,
    base: dict[str, Any],
    log: audit.Trail,
    model: Path,
    day: dt.date,
    threshold: float,
    output: Path | None,
    as_json: bool,
    bom: bool,
) -> None:
    from placehealth.phm import cohort as case_finding

    risk, model_sha = _risk(backend, model, day)
    frame = case_finding.summary(backend, risk, threshold=threshold, index_date=day)
    _release(
        frame, log=log, base=base, person=person, model_sha=model_sha, identifiable=False,
        output=output, as_json=as_json, bom=bom,
    )  # fmt: skip


def _list(
    backend: DuckDBBackend,
    person: User,
    base: dict[str, Any],
    log: audit.Trail,
    model: Path,
    day: dt.date,
    threshold: float,
    neighbourhood: str,
    patients: Path | None,
    key_file: Path | None,
    output: Path | None,
    as_json: bool,
    deployment: setup.Deployment,
    layout: tuple[str | None, int] = (None, 1),
    bom: bool = True,
) -> None:
    from placehealth import deployment as setup
    from placehealth.data.pseudonymise import load_key
    from placehealth.phm import audit
    from placehealth.phm import cohort as case_finding
    from placehealth.phm.segments import segments

    case_finding.check_neighbourhood(backend, neighbourhood)
    if not person.can_identify(neighbourhood):
        denied = AccessDenied(
            f"user '{person.name}' ({person.role}) may not see identifiable rows "
            f"for neighbourhood {neighbourhood}; the attempt is audited",
            hint="ask for --summary, or for the neighbourhood to be added to your role",
        )
        _refuse(log, base, person.role, denied)
    try:
        setup.check_synthetic_neighbourhood(deployment, neighbourhood)
    except AccessDenied as exc:
        _refuse(log, base, person.role, exc)
    hashed = None
    if patients is not None:
        key = load_key(key_file)
        case_finding.key_matches(backend, key)
        hashed = case_finding.hash_patients(read_patients(patients, *layout), key, file=patients)
        try:
            setup.check_test_numbers(deployment, hashed["nhs_number"])
        except AccessDenied as exc:
            _refuse(log, base, person.role, exc)
    risk, model_sha = _risk(backend, model, day)
    frame = case_finding.cohort(
        backend,
        risk,
        neighbourhood=neighbourhood,
        threshold=threshold,
        index_date=day,
        segments=segments(backend, day),
    )
    try:
        setup.check_synthetic_practices(deployment, frame["practice_code"].dropna())
    except AccessDenied as exc:
        _refuse(log, base, person.role, exc)
    if hashed is not None and patients is not None:
        frame = case_finding.reidentify(frame, hashed)
        base = {
            **base,
            "patients_sha256": audit.sha256_file(patients),
            "nhs_numbers_matched": int(frame["nhs_number"].notna().sum()),
        }
    _release(
        frame, log=log, base=base, person=person, model_sha=model_sha, identifiable=True,
        output=output, as_json=as_json, bom=bom,
    )  # fmt: skip


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

    from placehealth import deployment as setup
    from placehealth.phm import audit

    deployment = setup.load_deployment()
    log = _trail(deployment)
    base: dict[str, Any] = {
        "action": "audit-verify" if verify else "audit-read",
        **deployment.audit_fields(),
    }
    person, base = _who(deployment, user, log, base)
    if not person.can_read_audit():
        denied = AccessDenied(
            f"user '{person.name}' ({person.role}) may not read the audit log; "
            "the attempt is audited",
            hint="the caldicott_guardian and admin roles may",
        )
        _refuse(log, base, person.role, denied)
    if verify:
        _verify(log, as_json)
        return
    if not log.log.exists():
        raise InputFileError(
            "audit log not found: nothing recorded yet, or it was deleted",
            file=log.log,
            hint="run 'placehealth phm audit --verify'",
        )
    entries = audit.read(log.log)[-last:] if last > 0 else []
    if as_json:
        print_json(entries)
        return
    shown = ["seq", "timestamp", "user", "role", "action", "neighbourhood", "threshold"]
    shown += ["rows_released", "outcome", "output"]
    frame = pd.DataFrame(entries, columns=shown)
    _show(frame, f"{log}: last {len(frame)} entries")


def _verify(log: audit.Trail, as_json: bool) -> None:
    result = log.verify()
    if as_json:
        print_json(vars(result))
    if not result.ok:
        raise ValidationError(
            f"audit log not intact: {result.problem}",
            file=log.log,
            line=result.line,
            hint=f"{result.entries} entries before it are intact; the head is {log.head}"
            if result.line is not None
            else f"the head is {log.head}; restore the log from a backup",
        )
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


def register(app: typer.Typer) -> None:
    """Adds this module's commands to ``placehealth phm``."""
    app.command("cohort")(cohort)
    app.command("audit")(audit_command)
