"""Case finding under governance, on any engine: a neighbourhood's list or the counts of it.

The order of work is the governance model (docs/phm-case-finding.md): check the
inputs and read the deployment; say who is asking (:func:`admit`, before the
warehouse is opened: refusals are audited); then, on the warehouse's backend
(DuckDB or Spark), refuse real data under a development deployment, check the
user's role covers the neighbourhood, match the team's own NHS numbers, score,
build the list in memory, and release it through the gate, which writes the
audit entry before the list is written or handed back.

The index date defaults to the warehouse's own latest whole year (the last
1 April with 12 months of data after it); audit entries made before the
warehouse is opened record the date asked for (null when none was).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth import deployment as setup
from placehealth.engine import tables as t
from placehealth.errors import AccessDenied, InputFileError, ValidationError
from placehealth.phm import audit
from placehealth.phm import cohort as case_finding
from placehealth.phm.governance import Gate, admit
from placehealth.phm.population import check_is_date, data_window, index_date_in

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.engine.backends import Backend

COHORT, SUMMARY = "cohort", "summary"


def check_output(path: Path | None) -> None:
    """A list is written as CSV, Parquet or Excel, and refused before any work otherwise."""
    from placehealth.tables import WRITABLE

    if path is not None and path.suffix.lower() not in WRITABLE:
        raise InputFileError(
            f"unsupported output type '{path.suffix}'",
            file=path,
            hint="use .csv, .parquet or .xlsx",
        )


def check_request(
    *, neighbourhood: str | None, threshold: float, index_date: dt.date | None
) -> None:
    """What can be refused before anyone is asked who they are, or anything is audited."""
    case_finding.check_threshold(threshold)
    if index_date is not None:
        check_is_date(index_date)
    if neighbourhood is not None and not neighbourhood:
        raise ValidationError(
            "no neighbourhood given", column="--neighbourhood", hint="or ask for --summary"
        )


def admit_request(
    deployment: setup.Deployment,
    *,
    user: str | None,
    neighbourhood: str | None,
    threshold: float,
    index_date: dt.date | None,
    warehouse: Path,
) -> Gate:
    """Who is asking for a list (``neighbourhood``) or for the counts (None), audited if
    refused; the audit log is checked against its head before anything is read."""
    fields: dict[str, Any] = {
        "action": SUMMARY if neighbourhood is None else COHORT,
        "neighbourhood": neighbourhood,
        "threshold": threshold,
        "index_date": index_date.isoformat() if index_date is not None else None,
        "warehouse": str(warehouse.resolve()),
        **deployment.audit_fields(),
    }
    gate = admit(deployment, user, fields)
    gate.trail.check_ready()
    return gate


@dataclass(frozen=True)
class PatientList:
    """The NHS numbers a team already holds (a file, column nhs_number), to put back on
    its list by matching, and the pseudonymisation key file to hash them with (None:
    ``PLACEHEALTH_PSEUDO_KEY_FILE``, then ``PLACEHEALTH_PSEUDO_KEY``)."""

    path: Path
    key_file: Path | None = None
    sheet: str | None = None
    header_row: int = 1

    def hashed(self, backend: Backend) -> pd.DataFrame:
        """[nhs_number, person_key] for each valid number, hashed with the warehouse's key
        (another key is refused: matching would silently find no one). CSV and Excel are
        read as text, so no digit is lost."""
        from placehealth.data.pseudonymise import load_key
        from placehealth.tables import read_table

        key = load_key(self.key_file)
        case_finding.key_matches(backend, key)
        frame = read_table(self.path, sheet=self.sheet, header_row=self.header_row, text=True)
        return case_finding.hash_patients(frame, key, file=self.path)


@dataclass(frozen=True)
class Release:
    """What was released: the rows, the index date they were scored at, the file written
    (None: the caller shows them) and the audit log that holds the entry."""

    frame: pd.DataFrame
    index_date: dt.date
    path: Path | None
    trail: audit.Trail


def _scored_at(gate: Gate, backend: Backend, index_date: dt.date | None) -> tuple[Gate, dt.date]:
    """The index date inside the data (default: its latest whole year), now on the entry."""
    day = index_date_in(data_window(backend), index_date)
    return gate.with_fields(index_date=day.isoformat()), day


def _synthetic_only(gate: Gate, backend: Backend) -> None:
    """Under a development deployment, refuse (and audit) a warehouse that is not synthetic.

    The summary as much as the list: a deployment the caller may have written
    keeps its own audit log, so real data must never be released under it.
    """
    if not gate.deployment.development:
        return
    practices = backend.collect(backend.table(t.PRACTICE).select("practice_code").unique())
    for neighbourhood in case_finding.neighbourhoods(backend):
        gate.guard(setup.check_synthetic_neighbourhood, neighbourhood)
    gate.guard(setup.check_synthetic_practices, practices["practice_code"].dropna())


def _risk(backend: Backend, model: Path, day: dt.date) -> tuple[Any, str]:
    """Everyone's risk at ``day`` by the model file, and the file's hash for the audit.

    The scoring query (every feature of everyone) is the large one: it runs once and
    its two columns are handed back to the engine, so the list and the counts join a
    table, not the whole plan again (on Spark the plan would be rebuilt each time).
    """
    from placehealth.phm.risk_model import read_model
    from placehealth.phm.scoring import score

    scored = backend.collect(score(backend, read_model(model), day).select("person_key", "risk"))
    return backend.from_pandas(scored, "case_finding_risk"), audit.sha256_file(model)


def release_summary(
    gate: Gate,
    backend: Backend,
    *,
    threshold: float,
    model: Path,
    index_date: dt.date | None = None,
    output: Path | None = None,
    shown_as: str = "terminal",
    bom: bool = True,
) -> Release:
    """People at or above the threshold per neighbourhood and practice, small counts hidden
    (any role), audited, then written to ``output`` or handed back."""
    gate, day = _scored_at(gate, backend, index_date)
    _synthetic_only(gate, backend)
    risk, model_sha = _risk(backend, model, day)
    frame = case_finding.summary(backend, risk, threshold=threshold, index_date=day)
    path = gate.with_fields(model_sha256=model_sha).release(
        frame, identifiable=False, output=output, shown_as=shown_as, bom=bom
    )
    return Release(frame, day, path, gate.trail)


def release_case_list(
    gate: Gate,
    backend: Backend,
    *,
    neighbourhood: str,
    threshold: float,
    model: Path,
    index_date: dt.date | None = None,
    patients: PatientList | None = None,
    output: Path | None = None,
    shown_as: str = "terminal",
    bom: bool = True,
) -> Release:
    """One neighbourhood's people at or above the threshold, highest risk first, for a user
    whose role covers the neighbourhood, with NHS numbers where the team's own list holds
    them; audited, then written to ``output`` (owner-only) or handed back."""
    from placehealth.phm.segments import segments

    gate, day = _scored_at(gate, backend, index_date)
    _synthetic_only(gate, backend)
    case_finding.check_neighbourhood(backend, neighbourhood)
    if not gate.user.can_identify(neighbourhood):
        gate.refuse(
            AccessDenied(
                f"user '{gate.user.name}' ({gate.user.role}) may not see identifiable rows "
                f"for neighbourhood {neighbourhood}; the attempt is audited",
                hint="ask for --summary, or for the neighbourhood to be added to your role",
            )
        )
    gate.guard(setup.check_synthetic_neighbourhood, neighbourhood)
    hashed = None
    if patients is not None:
        hashed = patients.hashed(backend)
        gate.guard(setup.check_test_numbers, hashed["nhs_number"])
    risk, model_sha = _risk(backend, model, day)
    frame = case_finding.cohort(
        backend,
        risk,
        neighbourhood=neighbourhood,
        threshold=threshold,
        index_date=day,
        segments=segments(backend, day),
    )
    gate.guard(setup.check_synthetic_practices, frame["practice_code"].dropna())
    released = gate.with_fields(model_sha256=model_sha)
    if hashed is not None and patients is not None:
        frame = case_finding.reidentify(frame, hashed)
        released = released.with_fields(
            patients_sha256=audit.sha256_file(patients.path),
            nhs_numbers_matched=int(frame["nhs_number"].notna().sum()),
        )
    path = released.release(frame, identifiable=True, output=output, shown_as=shown_as, bom=bom)
    return Release(frame, day, path, gate.trail)
