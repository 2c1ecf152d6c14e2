"""Population health management as jobs: segments, concentration, allocation, case finding.

Each function opens the warehouse on the engine asked for (DuckDB or Spark),
takes its dates from the warehouse's own data window when none is given, runs
the domain functions of :mod:`placehealth.phm`, publishes or writes what it
should, and hands back the result. Case finding keeps the governance order of
:mod:`placehealth.phm.case_list`: who is asking is checked, and a refusal
audited, before the warehouse is opened; the list is audited before it is
written or handed back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.errors import InputFileError
from placehealth.phm import audit
from placehealth.phm.case_list import PatientList, Release
from placehealth.services.progress import Progress, counted

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.engine.backends import Backend
    from placehealth.phm.governance import Gate
    from placehealth.phm.hospital_use import Concentration
    from placehealth.phm.population import DataWindow
    from placehealth.phm.profiles import Period, Profiles

DEFAULT_ENGINE = "duckdb"
DEFAULT_MODEL = Path("out/phm/risk-model.json")  # where `placehealth phm model fit` writes


@contextmanager
def opened(engine: str, warehouse: Path) -> Iterator[Backend]:
    """The warehouse on ``engine``, closed however the job ends."""
    from placehealth.engine import open_backend

    backend = open_backend(engine, warehouse)
    try:
        yield backend
    finally:
        backend.close()


@dataclass(frozen=True)
class SegmentsRun:
    """Segments and their published profiles, the data window they came from, and the file."""

    profiles: Profiles
    window: DataWindow
    path: Path | None

    @property
    def short_follow_up(self) -> bool:
        """The 12 months after the index date run past the end of the data."""
        from placehealth.phm.profiles import window

        end = window(self.profiles.index_date, self.profiles.period)[1]
        return end > self.window.end + dt.timedelta(days=1)


def segments(
    warehouse: Path,
    *,
    index_date: dt.date | None = None,
    area_types: Sequence[str] | None = None,
    period: Period = "after",
    place: str | None = None,
    output: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    bom: bool = True,
    progress: Progress | None = None,
) -> SegmentsRun:
    """Segment everyone alive at the index date and profile the segments by area type
    (default: every one), published through disclosure control and written to ``output``."""
    from placehealth.engine.geography import warehouse_place
    from placehealth.phm.population import data_window, index_date_in
    from placehealth.phm.profiles import AREA_TYPES, profiles
    from placehealth.publish import Published, write

    step = counted(progress, 3)
    with opened(engine, warehouse) as backend:
        data = data_window(backend)
        day = index_date_in(data, index_date)
        named = warehouse_place(backend, place)
        step(f"data {data}; segmenting at {day.isoformat()}")
        result = profiles(
            backend, day, period=period, area_types=list(area_types or AREA_TYPES), place=named
        )
    step("segmented and profiled")
    path = write(Published(result.profile), output, bom=bom) if output is not None else None
    step("written" if path is not None else "done")
    return SegmentsRun(result, data, path)


@dataclass(frozen=True)
class ConcentrationRun:
    """How concentrated a measure was in a financial year, and the files written."""

    measure: str
    column: str
    start: dt.date
    year: str  # e.g. 2017/18
    concentration: Concentration
    curve_path: Path | None
    chart_path: Path | None


def concentration(
    warehouse: Path,
    *,
    measure: str = "bed_days",
    year: dt.date | None = None,
    output: Path | None = None,
    chart: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    bom: bool = True,
    progress: Progress | None = None,
) -> ConcentrationRun:
    """The share of ``measure`` held by the heaviest users in the financial year starting on
    ``year`` (1 April; default: the data's last whole year), with its Lorenz curve written
    to ``output`` and drawn to ``chart``."""
    from placehealth.periods import financial_year_label
    from placehealth.phm.hospital_use import check_measure, concentration_of, person_amounts
    from placehealth.phm.lorenz_chart import write_lorenz_chart
    from placehealth.phm.population import data_window
    from placehealth.reports.charts import check_chart_path
    from placehealth.tables import write_table

    column = check_measure(measure)
    if chart is not None:
        check_chart_path(chart)
    step = counted(progress, 2)
    with opened(engine, warehouse) as backend:
        data = data_window(backend)
        start = year if year is not None else data.latest_full_year()
        label = financial_year_label(start.year)
        data.check_year(start, label)
        amounts = person_amounts(backend, start, column)
    step(f"amounts of {measure} in {label}")
    result = concentration_of(amounts, column, label=f"{measure} in {label}")
    curve = write_table(result.curve, output, bom=bom) if output is not None else None
    drawn = write_lorenz_chart(result.curve, chart, f"{measure} {label}") if chart else None
    step("concentration")
    return ConcentrationRun(measure, column, start, label, result, curve, drawn)


@dataclass(frozen=True)
class AllocationRun:
    """The budget shared across neighbourhoods at an index date, and the file written."""

    index_date: dt.date
    table: pd.DataFrame  # neighbourhood, population, need_index, ..., allocation, per_head, share
    path: Path | None


def allocation(
    warehouse: Path,
    *,
    budget: float,
    need: str = "combined",
    universal_share: float = 0.5,
    index_date: dt.date | None = None,
    output: Path | None = None,
    engine: str = DEFAULT_ENGINE,
    bom: bool = True,
    progress: Progress | None = None,
) -> AllocationRun:
    """Share ``budget`` across neighbourhoods by proportionate universalism, with need by
    deprivation, activity or both, counted at the index date (default: the last 1 April
    with a year of data after it)."""
    from placehealth.phm.need import allocate_by_need, check_need, lsoa_need
    from placehealth.phm.population import data_window, index_date_in
    from placehealth.tables import write_table

    check_need(need)
    step = counted(progress, 2)
    with opened(engine, warehouse) as backend:
        day = index_date_in(data_window(backend), index_date)
        lsoa = lsoa_need(backend, day)
    step(f"need by LSOA at {day.isoformat()}")
    table = allocate_by_need(lsoa, budget, need=need, universal_share=universal_share)
    path = write_table(table, output, bom=bom) if output is not None else None
    step("allocated")
    return AllocationRun(day, table, path)


def case_list(
    warehouse: Path,
    *,
    neighbourhood: str,
    threshold: float = 0.5,
    model: Path = DEFAULT_MODEL,
    index_date: dt.date | None = None,
    patients: PatientList | None = None,
    user: str | None = None,
    output: Path | None = None,
    shown_as: str = "terminal",
    engine: str = DEFAULT_ENGINE,
    bom: bool = True,
    progress: Progress | None = None,
) -> Release:
    """A neighbourhood's people at or above a risk threshold, for its own team only.

    The deployment (/etc/placehealth/deployment.yaml or ``PLACEHEALTH_DEPLOYMENT``)
    names the roles file and the audit log; ``user`` counts only where it lets a
    service say who is asking. Who is asking is settled, and a refusal audited,
    before the warehouse is opened; the list is audited before it is written to
    ``output`` or handed back (then recorded as shown on ``shown_as``).
    """
    from placehealth.phm.case_list import release_case_list

    def release(gate: Gate, backend: Backend) -> Release:
        return release_case_list(
            gate, backend, neighbourhood=neighbourhood, threshold=threshold, model=model,
            index_date=index_date, patients=patients, output=output, shown_as=shown_as, bom=bom,
        )  # fmt: skip

    return _governed(warehouse, release, user=user, neighbourhood=neighbourhood,
                     threshold=threshold, index_date=index_date, output=output, engine=engine,
                     progress=progress)  # fmt: skip


def at_risk_counts(
    warehouse: Path,
    *,
    threshold: float = 0.5,
    model: Path = DEFAULT_MODEL,
    index_date: dt.date | None = None,
    user: str | None = None,
    output: Path | None = None,
    shown_as: str = "terminal",
    engine: str = DEFAULT_ENGINE,
    bom: bool = True,
    progress: Progress | None = None,
) -> Release:
    """People at or above a risk threshold per neighbourhood and practice, counts of 1-7
    hidden (any role of the deployment), audited like a list."""
    from placehealth.phm.case_list import release_summary

    def release(gate: Gate, backend: Backend) -> Release:
        return release_summary(
            gate, backend, threshold=threshold, model=model, index_date=index_date,
            output=output, shown_as=shown_as, bom=bom,
        )  # fmt: skip

    return _governed(warehouse, release, user=user, neighbourhood=None, threshold=threshold,
                     index_date=index_date, output=output, engine=engine,
                     progress=progress)  # fmt: skip


def _governed(
    warehouse: Path,
    release: Callable[[Gate, Backend], Release],
    *,
    user: str | None,
    neighbourhood: str | None,
    threshold: float,
    index_date: dt.date | None,
    output: Path | None,
    engine: str,
    progress: Progress | None,
) -> Release:
    """Case finding's order: inputs checked, the user admitted (refusals audited), and only
    then the warehouse opened for ``release``."""
    from placehealth import deployment as setup
    from placehealth.phm.case_list import admit_request, check_output, check_request

    check_request(neighbourhood=neighbourhood, threshold=threshold, index_date=index_date)
    check_output(output)
    gate = admit_request(
        setup.load_deployment(), user=user, neighbourhood=neighbourhood, threshold=threshold,
        index_date=index_date, warehouse=warehouse,
    )  # fmt: skip
    step = counted(progress, 2)
    step(f"{gate.user.name} ({gate.user.role}) admitted")
    with opened(engine, warehouse) as backend:
        released = release(gate, backend)
    step(f"{len(released.frame):,} rows released")
    return released


@dataclass(frozen=True)
class AuditEntries:
    """The audit log's most recent entries, and the log they came from."""

    entries: list[dict[str, Any]]
    trail: audit.Trail


def audit_entries(*, last: int = 20, user: str | None = None) -> AuditEntries:
    """The last ``last`` entries of the deployment's case-finding audit log, for a Caldicott
    Guardian or an administrator (anyone else is refused, and the refusal audited)."""
    from placehealth import deployment as setup
    from placehealth.phm import audit
    from placehealth.phm.governance import admit_auditor

    gate = admit_auditor(setup.load_deployment(), user, "audit-read")
    log = gate.trail.log
    if not log.exists():
        raise InputFileError(
            "audit log not found: nothing recorded yet, or it was deleted",
            file=log,
            hint="run 'placehealth phm audit --verify'",
        )
    entries = audit.read(log)[-last:] if last > 0 else []
    return AuditEntries(entries, gate.trail)


@dataclass(frozen=True)
class AuditCheck:
    """The audit log's hash chain and head, checked: ``result.ok`` or where it broke."""

    result: audit.Verification
    trail: audit.Trail


def verify_audit(*, user: str | None = None) -> AuditCheck:
    """Every link of the audit log's hash chain, and the log against its head, checked for
    a Caldicott Guardian or an administrator; :func:`placehealth.phm.governance.
    require_intact` turns a broken log into the error to show."""
    from placehealth import deployment as setup
    from placehealth.phm.governance import admit_auditor

    gate = admit_auditor(setup.load_deployment(), user, "audit-verify")
    return AuditCheck(gate.trail.verify(), gate.trail)
