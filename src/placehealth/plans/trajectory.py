"""Recompute an ambition's trajectory from its method.

The result holds what the method implies — the value for every period, the
target, intermediate figures such as a forecast or a step — so the checker
can set each beside what the document printed, and ``plan show`` can print
it with counts where a denominator is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Catalogue, Indicator, Polarity
from placehealth.errors import ValidationError
from placehealth.periods import Period, financial_year_label, parse_period, pooled_label
from placehealth.plans import methods as m
from placehealth.plans.model import (
    Ambition,
    BestPeers,
    EqualSteps,
    GapClosure,
    HistoryPoint,
    LinearForecast,
    Maintain,
    Point,
    ProjectedGap,
    RelativeChange,
    Stated,
    YearlyChanges,
)


@dataclass
class Trajectory:
    """What an ambition's method implies; ``recomputed`` is False for stated targets."""

    ambition: Ambition
    periods: list[str]
    values: np.ndarray
    recomputed: bool
    target: float | None = None
    denominator: float | None = None
    multiplier: float | None = None
    extras: dict[str, float] = field(default_factory=dict)

    @property
    def counts(self) -> np.ndarray | None:
        if self.denominator is None or self.multiplier is None:
            return None
        return m.rate_to_count(self.values, self.denominator, self.multiplier)

    def frame(self) -> pd.DataFrame:
        """period, value, count — one row per period from the baseline on."""
        counts = self.counts
        return pd.DataFrame(
            {
                "period": self.periods,
                "value": self.values,
                "count": counts if counts is not None else np.full(len(self.periods), np.nan),
            }
        )

    def value_at(self, period: str) -> float | None:
        try:
            return float(self.values[self.periods.index(period)])
        except ValueError:
            return None


def polarity_of(ambition: Ambition, indicator: Indicator | None) -> Polarity:
    if ambition.polarity is not None:
        return ambition.polarity
    return indicator.polarity if indicator is not None else Polarity.NEUTRAL


def multiplier_of(ambition: Ambition, indicator: Indicator | None) -> float:
    if ambition.multiplier is not None:
        return ambition.multiplier
    if indicator is not None and indicator.multiplier is not None:
        return indicator.multiplier
    return 1.0


def denominator_of(ambition: Ambition, multiplier: float) -> float | None:
    """The stated denominator, or the one implied by the first point with value and count."""
    if ambition.denominator is None:
        return None
    if ambition.denominator.value is not None:
        return ambition.denominator.value
    candidates = [ambition.baseline, *ambition.published]
    for point in candidates:
        if point is not None and point.value and point.count is not None:
            return m.implied_denominator(point.value, point.count, multiplier)
    # 'from 767.3 to 612.9 per 100,000 … a reduction of 87': the population that makes
    # the stated change in number match the change in rate
    base, target = ambition.baseline, ambition.target
    if base is None or target is None or base.value is None or target.value is None:
        return None
    change = target.value - base.value
    for head in ambition.headlines:
        if head.change_count is not None and change != 0:
            return abs(head.change_count / change) * multiplier
    return None


def after_baseline(ambition: Ambition) -> list[Point]:
    """Published points after the baseline period (earlier ones are history)."""
    if ambition.baseline is None:
        return list(ambition.published)
    start = parse_period(ambition.baseline.period)
    return [p for p in ambition.published if parse_period(p.period) > start]


def _later_periods(
    ambition: Ambition, explicit: list[str] | None, count: int | None = None
) -> list[str]:
    """Periods after the baseline: explicit, else the published ones, else one a year to
    the target, each of the target's kind (or ``count`` yearly periods without a target)."""
    if explicit:
        return explicit
    published = [p.period for p in after_baseline(ambition)]
    if published:
        return published
    if ambition.baseline is not None and ambition.target is None and count:
        first = parse_period(ambition.baseline.period).financial_year
        return [financial_year_label(first + k) for k in range(1, count + 1)]
    if ambition.baseline is None or ambition.target is None:
        return [ambition.target.period] if ambition.target else []
    years = yearly_labels(
        parse_period(ambition.baseline.period), parse_period(ambition.target.period)
    )
    if not years:
        return [ambition.target.period]
    years[-1] = ambition.target.period  # keep the document's own label for the target
    return years


def yearly_labels(baseline: Period, target: Period) -> list[str]:
    """One period a year after the baseline up to the target, of the target's kind: financial
    years, calendar years, or pooled windows of the target's length moving a year at a time."""
    if target.kind == "financial_year":
        first, last = baseline.financial_year, target.financial_year
        return [financial_year_label(y) for y in range(first + 1, last + 1)]
    if target.kind == "year":
        return [str(y) for y in range(baseline.start.year + 1, target.start.year + 1)]
    if target.kind in ("pooled_years", "pooled_financial_years"):
        n = target.months // 12
        fy = target.kind == "pooled_financial_years"
        first = baseline.financial_year if fy else baseline.start.year
        last = target.financial_year if fy else target.start.year
        return [pooled_label(y, n, financial=fy) for y in range(first + 1, last + 1)]
    return []


def _decimal_years(periods: list[str] | list[HistoryPoint]) -> np.ndarray:
    """Period midpoints as decimal years, so forecasts work across period kinds."""
    labels = [p.period if isinstance(p, HistoryPoint) else p for p in periods]
    out = []
    for label in labels:
        period = parse_period(label)
        mid = period.start + (period.end - period.start) / 2
        out.append(mid.year + (mid.timetuple().tm_yday - 1) / 365.25)
    return np.asarray(out)


@dataclass
class _Baseline:
    """What every method starts from: the ambition, its polarity and its printed baseline
    (one period and value, or none)."""

    ambition: Ambition
    polarity: Polarity
    periods: list[str]
    values: list[float]

    @property
    def value(self) -> float:
        """The baseline value, for methods whose model validation guarantees one."""
        assert self.values  # model validation guarantees a baseline value for these methods
        return self.values[0]


@dataclass
class _Shape:
    """What a method yields before the target is placed among its points."""

    periods: list[str]
    values: list[float]
    target: float | None
    extras: dict[str, float] = field(default_factory=dict)
    recomputed: bool = True


def _equal_steps(method: EqualSteps, base: _Baseline) -> _Shape:
    ambition = base.ambition
    start_value = method.start.value if method.start is not None else base.value
    assert start_value is not None  # model validation guarantees
    if ambition.target is None or ambition.target.value is None:
        raise ValidationError(f"ambition '{ambition.id}': equal steps need a target value")
    later = _later_periods(ambition, method.periods)
    head_periods, head_values = base.periods, base.values
    if method.start is not None:
        if method.start.period in later:
            later = later[later.index(method.start.period) + 1 :]
        if method.start.period not in base.periods:
            head_periods = [*base.periods, method.start.period]
            head_values = [*base.values, start_value]
    steps = m.equal_steps(start_value, ambition.target.value, len(later))
    return _Shape(
        [*head_periods, *later],
        [*head_values, *steps],
        float(steps[-1]),
        {"step": float(steps[0] - start_value)},
    )


def _yearly_changes(method: YearlyChanges, base: _Baseline) -> _Shape:
    ambition = base.ambition
    base_periods, base_values = base.periods, base.values
    extras: dict[str, float] = {}
    if not base_values:
        # no printed baseline: the trajectory is an index, baseline = 100
        if not method.periods:
            raise ValidationError(
                f"ambition '{ambition.id}': yearly changes without a baseline need method.periods"
            )
        base_periods, base_values = ["baseline"], [100.0]
        extras["index"] = 1.0
    later = _later_periods(ambition, method.periods, len(method.changes_pct))
    if len(later) != len(method.changes_pct):
        raise ValidationError(
            f"ambition '{ambition.id}': {len(method.changes_pct)} yearly changes "
            f"but {len(later)} periods",
            hint="list one period per change under method.periods",
        )
    steps = m.apply_yearly_changes(base_values[0], method.changes_pct)
    extras["sum_pct"] = m.headline_change_pct(method.changes_pct, "sum")
    extras["compound_pct"] = m.headline_change_pct(method.changes_pct, "compound")
    return _Shape([*base_periods, *later], [*base_values, *steps], float(steps[-1]), extras)


def _linear_forecast(method: LinearForecast, base: _Baseline) -> _Shape:
    if method.forecast is not None:
        forecast = float(method.forecast)
    else:
        forecast = _forecast_at(method.history, method.forecast_period)
    target = forecast
    if method.better_by_pct is not None:
        target = m.improve_by_pct(forecast, method.better_by_pct, base.polarity)
    periods, values = _line_or_point(base, target, method.forecast_period)
    return _Shape(periods, values, target, {"forecast": forecast})


def _projected_gap(method: ProjectedGap, base: _Baseline) -> _Shape:
    projection = _forecast_at(method.history, method.projection_period)
    target = projection * (1.0 - method.fraction)
    periods, values = _line_or_point(base, target, method.projection_period)
    return _Shape(periods, values, target, {"projection": projection})


def _best_peers(method: BestPeers, base: _Baseline) -> _Shape:
    target = m.best_peers_average([p.value for p in method.peers], method.n, base.polarity)
    return _Shape(*_line_to(base, target), target, {"peer_average": target})


def _gap_closure(method: GapClosure, base: _Baseline) -> _Shape:
    target = m.close_gap(base.value, method.benchmark, method.fraction)
    return _Shape(*_line_to(base, target), target)


def _relative_change(method: RelativeChange, base: _Baseline) -> _Shape:
    factor = method.factor if method.factor is not None else 1 + method.change_pct / 100  # type: ignore[operator]
    target = base.value * factor
    return _Shape(*_line_to(base, target), target)


def _maintain(method: Maintain, base: _Baseline) -> _Shape:
    return _Shape(*_line_to(base, base.value), base.value)


def _stated(method: Stated, base: _Baseline) -> _Shape:
    """No method to recompute: what the document printed, else a line to the stated target."""
    ambition = base.ambition
    stated = ambition.target.value if ambition.target else None
    printed_periods, printed_values = _known(ambition.published)
    if printed_periods:
        head = [(p, v) for p, v in zip(base.periods, base.values, strict=True)
                if p not in printed_periods]  # fmt: skip
        periods = [p for p, _ in head] + printed_periods
        values = [v for _, v in head] + printed_values
    elif stated is not None and base.values:
        periods, values = _line_to(base, stated)
    else:
        periods, values = _known([ambition.baseline, ambition.target])
    return _Shape(periods, values, stated, recomputed=False)


def _known(points: Iterable[Point | None]) -> tuple[list[str], list[float]]:
    """The periods and values of the points that have a value."""
    periods: list[str] = []
    values: list[float] = []
    for point in points:
        if point is not None and point.value is not None:
            periods.append(point.period)
            values.append(point.value)
    return periods, values


_METHODS: dict[type, Callable[[Any, _Baseline], _Shape]] = {
    EqualSteps: _equal_steps,
    YearlyChanges: _yearly_changes,
    LinearForecast: _linear_forecast,
    ProjectedGap: _projected_gap,
    BestPeers: _best_peers,
    GapClosure: _gap_closure,
    RelativeChange: _relative_change,
    Maintain: _maintain,
    Stated: _stated,
}


def compute(ambition: Ambition, catalogue: Catalogue) -> Trajectory:
    """The trajectory an ambition's method implies (see :class:`Trajectory`)."""
    indicator = catalogue.indicators.get(ambition.indicator)
    multiplier = multiplier_of(ambition, indicator)
    base = _Baseline(ambition, polarity_of(ambition, indicator), *_known([ambition.baseline]))
    method = _METHODS.get(type(ambition.method))
    if method is None:  # pragma: no cover - the discriminated union is exhaustive
        raise ValidationError(f"unknown method '{ambition.method.kind}'")
    shape = method(ambition.method, base)
    periods, values = _with_target(ambition, shape.periods, shape.values, shape.target)
    return Trajectory(
        ambition=ambition,
        periods=periods,
        values=np.asarray(values, dtype=float),
        recomputed=shape.recomputed,
        target=shape.target,
        denominator=denominator_of(ambition, multiplier),
        multiplier=multiplier,
        extras=shape.extras,
    )


def _forecast_at(history: list[HistoryPoint], period: str) -> float:
    """The least-squares line through the history, read at the period's midpoint."""
    x = _decimal_years(history)
    y = [h.value for h in history]
    return float(m.linear_forecast(x, y, _decimal_years([period]))[0])


def _line_or_point(base: _Baseline, target: float, period: str) -> tuple[list[str], list[float]]:
    """With a baseline and a target period, every planned period between (equal steps);
    otherwise the baseline (if any) and the computed point."""
    goal = base.ambition.target
    if base.values and goal is not None and goal.period == period:
        return _line_to(base, target)
    return [*base.periods, period], [*base.values, target]


def _with_target(
    ambition: Ambition, periods: list[str], values: list[float], target: float | None
) -> tuple[list[str], list[float]]:
    """The target is always a point of the trajectory, even when the printed points stop
    before the target period (placed in time order among the dated points)."""
    goal = ambition.target
    if goal is None or target is None or goal.period in periods or "baseline" in periods:
        return periods, values
    when = parse_period(goal.period)
    before = [k for k, p in enumerate(periods) if parse_period(p) < when]
    at = before[-1] + 1 if before else 0
    return [*periods[:at], goal.period, *periods[at:]], [*values[:at], target, *values[at:]]


def _line_to(base: _Baseline, target: float) -> tuple[list[str], list[float]]:
    """Equal steps from the baseline to a computed target over the ambition's periods."""
    ambition = base.ambition
    if not base.values:
        period = ambition.target.period if ambition.target else "target"
        return [period], [target]
    later = _later_periods(ambition, None)
    if not later:
        return list(base.periods), list(base.values)
    steps = m.equal_steps(base.values[0], target, len(later))
    return [*base.periods, *later], [*base.values, *steps]
