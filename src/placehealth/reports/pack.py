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

from placehealth.catalogue.model import Aggregation, Catalogue, Indicator, Polarity, Unit
from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from placehealth.plans.load import Plan
from placehealth.plans.model import Ambition
from placehealth.plans.sample_actuals import dated_periods, expected_by_month, expected_stock
from placehealth.plans.status import plan_status
from placehealth.plans.trajectory import Trajectory, compute, polarity_of
from placehealth.reports.notes import Narrative

OTHER_GROUP = "Other ambitions"


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
    series: pd.DataFrame  # period, start, value, lower, upper, expected — up to the month
    trajectory_now: float | None
    status: str
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
) -> PackData:
    """Status, series and narrative for every ambition, judged at ``month``."""
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
            series = _series(rows, t, indicator)
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
    return PackData(plans=plans, month=str(when), ambitions=views, area=area)


def _series(rows: pd.DataFrame | None, t: Trajectory, indicator: Indicator) -> pd.DataFrame:
    """Actuals with the value the trajectory expects beside each (as plan status sets it)."""
    unit = indicator.unit
    columns = ["period", "start", "value", "lower", "upper", "expected"]
    if rows is None or rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values("start")
    frame = pd.DataFrame(
        {
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
