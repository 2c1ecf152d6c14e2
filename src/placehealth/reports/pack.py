"""What a board pack or exception report says about each ambition, before any rendering.

Assembly is kept apart from the templates so the same numbers feed HTML, PDF
and CSV, and tests can check the numbers without reading any markup. Status
comes from :func:`placehealth.plans.status.plan_status` on the actuals up to
the report month; variation and assurance from :mod:`placehealth.spc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.model import (
    Aggregation,
    Catalogue,
    Indicator,
    Polarity,
    Unit,
    unit_label,
)
from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from placehealth.plans.expected import dated_periods, expected_by_month, expected_stock
from placehealth.plans.load import Plan
from placehealth.plans.model import Ambition, Rebase
from placehealth.plans.status import plan_status
from placehealth.plans.trajectory import Trajectory, compute, polarity_of
from placehealth.reports.notes import Narrative

OTHER_GROUP = "Other ambitions"
# actuals columns the pack reads beside the values: a truthy ``synthetic`` marks sample
# data (every page is watermarked); a non-empty ``rebase`` starts new SPC limits there
SYNTHETIC = "synthetic"
REBASE = "rebase"
_TRUE = {"true", "1", "yes", "y"}


def is_synthetic(actuals: pd.DataFrame) -> bool:
    """Whether any actual is marked synthetic (a sample, never to be read as real)."""
    if SYNTHETIC not in actuals.columns:
        return False
    return bool(actuals[SYNTHETIC].astype(str).str.strip().str.lower().isin(_TRUE).any())


def _rebase_marks(rows: pd.DataFrame) -> np.ndarray:
    """True where the actuals mark a rebase (any text but blank, 0 or false)."""
    if REBASE not in rows.columns:
        return np.zeros(len(rows), bool)
    text = rows[REBASE].fillna("").astype(str).str.strip().str.lower()
    return (~text.isin(["", "0", "false", "no", "nan"])).to_numpy()


def _plan_rebases(starts: pd.Series, rebases: list[Rebase]) -> np.ndarray:
    """True at the first actual starting on or after each rebase the plan states."""
    marks = np.zeros(len(starts), bool)
    when = pd.DatetimeIndex(starts).to_numpy()
    for rebase in rebases:
        after = np.flatnonzero(when >= np.datetime64(parse_period(rebase.period).start))
        if after.size:
            marks[after[np.argmin(when[after])]] = True
    return marks


@dataclass
class AmbitionView:
    """One ambition as a report shows it: what was set, where it is now, how it varies."""

    document: str
    ambition: Ambition
    name: str
    group: str
    unit: Unit
    polarity: Polarity
    multiplier: float | None
    area: str
    trajectory: Trajectory
    series: pd.DataFrame  # period, start, value, lower, upper, expected, rebase — to the month
    trajectory_now: float | None
    status: str
    title: str = ""  # the name, made distinct from every other ambition's in the pack
    comparison: str | None = None  # the conversion made, or why the pair is not comparable
    compared: float | None = None  # the latest actual on the trajectory's basis
    comparator: str | None = None  # England, the region or the peers the ambition names
    comparator_value: float | None = None  # the comparator's value in the latest period
    expected_period: str | None = None
    outcome: str | None = None  # after the plan's end: achieved, not achieved, not known
    step_changes: list[str] = field(default_factory=list)  # detected, offered for review
    latest_period: str | None = None
    actual: float | None = None
    lower: float | None = None
    upper: float | None = None
    difference: float | None = None
    forecast_end: float | None = None
    forecast_meets_target: bool | None = None
    variation: str | None = None  # a key of icons.VARIATION, None: too few points for SPC
    assurance: str | None = None  # a key of icons.ASSURANCE, None: no target to assure
    narrative: Narrative | None = None
    spc: pd.DataFrame | None = None  # the XmR chart's points (placehealth.spc.xmr)
    charts: dict[str, str] = field(default_factory=dict)  # name -> SVG markup

    @property
    def id(self) -> str:
        return self.ambition.id

    @property
    def key(self) -> str:
        return f"{self.document}/{self.ambition.id}"

    @property
    def caveats(self) -> str | None:
        """The plan's own notes on this ambition (periods assumed, figures not printed)."""
        return self.ambition.notes

    @property
    def rebased(self) -> list[str]:
        """Months where the actuals start new SPC limits."""
        if "rebase" not in self.series.columns or self.series.empty:
            return []
        marked = self.series[self.series["rebase"].astype(bool)]
        return list(pd.DatetimeIndex(marked["start"]).strftime("%Y-%m"))

    @property
    def unit_label(self) -> str:
        """What the numbers measure, in the indicator's unit."""
        return unit_label(self.unit, self.multiplier)

    @property
    def plan_basis(self) -> str | None:
        """The kind of period the plan's baseline and target are for."""
        period = self.target[1] or self.baseline[1]
        return _describe(period)

    @property
    def pair_basis(self) -> str | None:
        """The kind of period the latest actual and trajectory are compared on."""
        if self.compared is None:  # not compared: the actual's own basis
            return _describe(self.latest_period)
        if self.actual is not None and np.isclose(self.compared, self.actual):
            return _describe(self.latest_period)
        return _describe(self.expected_period)

    @property
    def split(self) -> bool:
        """Whether the compared pair is on another basis than the plan's figures (a month's
        share of a yearly count): then they go on separate rows, never one."""
        if self.compared is None:  # an actual never compared: its own basis, its own row
            own = _describe(self.latest_period)
            return self.actual is not None and own is not None and own != self.plan_basis
        if self.trajectory_now is None:
            return False
        planned = dict(zip(self.trajectory.periods, self.trajectory.values, strict=True))
        value = planned.get(self.expected_period or "")
        return value is None or not np.isclose(value, self.trajectory_now)

    @property
    def comparable(self) -> bool:
        return self.status not in ("not comparable", "no data")

    @property
    def baseline(self) -> tuple[float | None, str | None]:
        b = self.ambition.baseline
        return (b.value, b.period) if b is not None else (None, None)

    @property
    def target(self) -> tuple[float | None, str | None]:
        t = self.ambition.target
        if t is not None and t.value is not None:
            return t.value, t.period
        last = self.trajectory.periods[-1] if self.trajectory.periods else None
        return self.trajectory.target, last

    @property
    def exception_reasons(self) -> list[str]:
        """Why the ambition is an exception: off trajectory, special cause of concern."""
        reasons = []
        if self.status == "off track":
            reasons.append("off trajectory")
        if self.variation is not None and self.variation.startswith("concern"):
            reasons.append("special cause of concern")
        return reasons

    @property
    def is_exception(self) -> bool:
        return bool(self.exception_reasons)


@dataclass
class PackData:
    """Every ambition of the plans, judged at one month."""

    plans: list[Plan]
    month: str
    ambitions: list[AmbitionView]
    area: str | None = None
    synthetic: bool = False  # the actuals are samples: watermark every page
    images: dict[str, bytes] = field(default_factory=dict)  # chart:N -> PNG, for PDF

    @property
    def documents(self) -> list[str]:
        return [p.document.id for p in self.plans]

    def groups(self) -> list[tuple[str, list[AmbitionView]]]:
        """Ambitions by objective (the ambition's group), in plan order."""
        grouped: dict[str, list[AmbitionView]] = {}
        several = len(self.plans) > 1
        titles = {p.document.id: p.document.title for p in self.plans}
        for view in self.ambitions:
            label = f"{view.group} — {titles[view.document]}" if several else view.group
            grouped.setdefault(label, []).append(view)
        return list(grouped.items())

    def card_groups(self) -> list[tuple[str, list[AmbitionView]]]:
        """The groups without the ambitions that have no data (listed once, apart)."""
        out = [(g, [v for v in views if v.status != "no data"]) for g, views in self.groups()]
        return [(g, views) for g, views in out if views]

    def no_data(self) -> list[AmbitionView]:
        return [v for v in self.ambitions if v.status == "no data"]

    def exceptions(self) -> list[AmbitionView]:
        return [v for v in self.ambitions if v.is_exception]

    def status_counts(self) -> dict[str, int]:
        counts = pd.Series([v.status for v in self.ambitions]).value_counts()
        return {str(k): int(n) for k, n in counts.items()}


def report_month(actuals: pd.DataFrame, month: str | None) -> pd.Period:
    """The month asked for ("YYYY-MM"), or the month of the latest actual."""
    if month is not None:
        period = parse_period(month)
        if period.kind != "month":
            raise ValidationError(f"--month '{month}' is not a month", hint="write it as YYYY-MM")
        return pd.Period(period.start, freq="M")
    if actuals.empty:
        raise ValidationError("the actuals file has no rows", hint="give a file with actuals")
    return pd.Period(actuals["end"].max(), freq="M")


def actuals_until(actuals: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """Actuals whose period ends by the end of ``month``."""
    return actuals[actuals["end"] <= month.end_time.normalize()].reset_index(drop=True)


def assemble(
    plans: list[Plan],
    catalogue: Catalogue,
    actuals: pd.DataFrame,
    *,
    month: str | None = None,
    area: str | None = None,
    notes: dict[tuple[str, str], Narrative] | None = None,
    synthetic: bool | None = None,
) -> PackData:
    """Status, series and narrative for every ambition, judged at ``month``.

    ``synthetic``: whether the actuals are samples (default: as the actuals mark it).
    """
    when = report_month(actuals, month)
    known = actuals_until(actuals, when)
    if known.empty:
        raise ValidationError(
            f"no actuals on or before {when}",
            hint=f"the earliest actual is for {actuals['period'].iloc[actuals['start'].argmin()]}",
        )
    status = {
        (rec["document"], rec["ambition"]): rec
        for rec in plan_status(plans, catalogue, known, area=area).to_dict(orient="records")
    }
    by_series = {k: g for k, g in known.groupby(["indicator", known["area"].str.lower()])}
    notes = notes or {}
    views = []
    for plan in plans:
        for a in plan.ambitions:
            row = status[(plan.document.id, a.id)]
            indicator = catalogue[a.indicator]
            t = compute(a, catalogue)
            where = str(row["area"])
            rows = by_series.get((a.indicator, where.lower()))
            series = _series(rows, t, indicator, a.rebase)
            views.append(
                AmbitionView(
                    document=plan.document.id,
                    ambition=a,
                    name=a.name or indicator.name,
                    group=a.group or indicator.group or OTHER_GROUP,
                    unit=indicator.unit,
                    polarity=polarity_of(a, indicator),
                    multiplier=t.multiplier,
                    area=where,
                    trajectory=t,
                    series=series,
                    trajectory_now=_trajectory_now(t, indicator, when, row),
                    status=str(row["status"]),
                    comparison=_text(row["comparison"]),
                    compared=_number(row["compared"]),
                    comparator=_comparator_label(_text(row["comparator"]), indicator, catalogue),
                    comparator_value=_number(row["comparator_value"]),
                    expected_period=_text(row["expected_period"]),
                    outcome=_outcome(row, when),
                    latest_period=_text(row["latest_period"]),
                    actual=_number(row["actual"]),
                    lower=_number(row["lower"]),
                    upper=_number(row["upper"]),
                    difference=_number(row["difference"]),
                    forecast_end=_number(row["forecast_end"]),
                    forecast_meets_target=_flag(row["forecast_meets_target"]),
                    narrative=notes.get((plan.document.id, a.id)),
                )
            )
    _distinct_titles(views)
    if synthetic is None:
        synthetic = is_synthetic(actuals)
    return PackData(plans=plans, month=str(when), ambitions=views, area=area, synthetic=synthetic)


def _comparator_label(
    comparator: str | None, indicator: Indicator, catalogue: Catalogue
) -> str | None:
    """The comparator's name, with the measure when its value is not on the ambition's scale
    (a gap ambition's comparator has a life expectancy, not a gap)."""
    if comparator is None or indicator.gap_of is None:
        return comparator
    return f"{comparator}, {catalogue[indicator.gap_of].name.lower()}"


def _distinct_titles(views: list[AmbitionView]) -> None:
    """Each view's title: its name, with the ambition id (and plan) where names repeat."""
    names = pd.Series([v.name for v in views]).value_counts()
    for view in views:
        view.title = f"{view.name} ({view.id})" if names[view.name] > 1 else view.name
    titles = pd.Series([v.title for v in views]).value_counts()
    for view in views:
        if titles[view.title] > 1:
            view.title = f"{view.title} — {view.document}"


def _describe(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return parse_period(label).describe()
    except ValidationError:
        return None


def _outcome(row: dict[Any, Any], when: pd.Period) -> str | None:
    """After the target period has ended: whether the target was achieved, judged on the
    actual for the target period itself; "not known" without one."""
    target = _text(row["target_period"])
    if target is None or row["status"] in ("not yet due", "no data"):
        return None
    try:
        end = parse_period(target).end
    except ValidationError:
        return None
    if pd.Timestamp(end) >= when.start_time:
        return None
    compared = _text(row["expected_period"])
    if row["status"] not in ("on track", "off track") or compared is None:
        return "not known"
    if parse_period(compared).end < end:
        return "not known"
    return "achieved" if row["status"] == "on track" else "not achieved"


def _series(
    rows: pd.DataFrame | None, t: Trajectory, indicator: Indicator, rebases: list[Rebase]
) -> pd.DataFrame:
    """Actuals with the value the trajectory expects beside each (as plan status sets it).

    A rebase is marked where the actuals mark one, and at the first actual on or after
    each change the plan states, so a known step change starts new limits either way.
    """
    unit = indicator.unit
    columns = ["period", "start", "value", "lower", "upper", "expected", "rebase"]
    if rows is None or rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values("start")
    frame = pd.DataFrame(
        {
            "rebase": _rebase_marks(rows) | _plan_rebases(rows["start"], rebases),
            "period": rows["period"].to_numpy(),
            "start": rows["start"].to_numpy(),
            "value": rows["value"].to_numpy(dtype=float),
            "lower": rows["lower"].to_numpy(dtype=float) if "lower" in rows else np.nan,
            "upper": rows["upper"].to_numpy(dtype=float) if "upper" in rows else np.nan,
        }
    )
    starts = dated_periods(t)[0]
    if starts.size == 0:
        frame["expected"] = np.nan
        return frame
    months = pd.PeriodIndex(pd.DatetimeIndex(frame["start"]), freq="M")
    if indicator.kind == Aggregation.STOCK_COUNT:  # a count at each row's end, interpolated
        ends = pd.PeriodIndex(pd.DatetimeIndex(rows["end"]), freq="M")
        frame["expected"] = expected_stock(t, ends)
        return frame
    monthly = (rows["end"] - rows["start"]).dt.days.to_numpy() < 31
    whole = expected_by_month(t, Unit.RATE, months)  # the period's value, no monthly share
    frame["expected"] = np.where(monthly, expected_by_month(t, unit, months), whole)
    before = frame["start"] < pd.Timestamp(starts[0])
    frame.loc[before, "expected"] = np.nan
    return frame


def _trajectory_now(
    t: Trajectory, indicator: Indicator, when: pd.Period, row: dict[Any, Any]
) -> float | None:
    """The status's expected value where there are actuals, else the trajectory at ``when``."""
    expected = _number(row["expected"])
    starts = dated_periods(t)[0]
    if expected is not None or starts.size == 0:
        return expected
    if when.start_time < pd.Timestamp(starts[0]):
        return None
    month = pd.PeriodIndex([when])
    if indicator.kind == Aggregation.STOCK_COUNT:
        now = float(expected_stock(t, month)[0])
        return None if np.isnan(now) else now
    return float(expected_by_month(t, indicator.unit, month)[0])


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _flag(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return bool(value)
