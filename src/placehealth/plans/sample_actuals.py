"""Synthetic monthly actuals around each ambition's trajectory.

A stand-in until the warehouse computes real indicator values: it lets the
status, SPC and board-pack code run end to end on believable series. Nothing
it makes is a real measurement, and reports built from it say so only if the
user says so (e.g. a title), so keep its outputs out of anything published.

Each (indicator, area) series follows the value its trajectory expects for
every month (the value of the trajectory period that contains the month, as
``plan status`` judges it; for counts, the month's share of the year) with
normal noise, and is given one of three stories drawn from the seed:

- ``steady``: around the trajectory, a little on the good side;
- ``drift``: from some month on, drifting steadily the wrong way;
- ``shift``: from some month on, a sustained step (mostly the wrong way),
  which an SPC chart should flag as a run.

Everything is drawn from one ``np.random.default_rng(seed)``, in a fixed
order, so the same plans, seed and months give the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Aggregation, Catalogue, Polarity, Unit
from placehealth.errors import ValidationError
from placehealth.periods import parse_period
from placehealth.plans.expected import dated_periods, expected_by_month, expected_stock
from placehealth.plans.load import Plan
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import Trajectory, compute, polarity_of

# ``annualised``: a monthly rate is written at its yearly level (as the trajectory is)
COLUMNS = ["indicator", "area", "period", "value", "lower95_0cl", "upper95_0cl", "annualised"]
STORIES = ("steady", "drift", "shift")
STORY_WEIGHTS = (0.5, 0.25, 0.25)
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class _Series:
    indicator: str
    area: str
    ambition: Ambition
    trajectory: Trajectory
    unit: Unit
    polarity: Polarity
    aggregation: Aggregation


def sample_actuals(
    plans: list[Plan],
    catalogue: Catalogue,
    *,
    seed: int,
    months: int,
    areas: Sequence[str] | None = None,
    start: str | None = None,
    noise: float = 0.02,
) -> pd.DataFrame:
    """Monthly actuals (``COLUMNS``) for every ambition's indicator and area.

    ``months`` consecutive months from ``start`` ("YYYY-MM"; default: per plan,
    the month most of its trajectories fall due, i.e. the commonest start of the
    first period after a baseline). ``areas`` replaces each ambition's own area (e.g.
    the twelve neighbourhoods, each a little above or below the place).
    ``noise`` is the month-to-month standard deviation as a share of the level
    (counts vary at least as Poisson counts; 0 gives the trajectory itself).
    An indicator set by two ambitions gets one series, from the first.
    Ambitions with no trajectory (a stated target without values) get none.
    """
    if months < 1:
        raise ValidationError(f"months must be at least 1, not {months}")
    if noise < 0:
        raise ValidationError(f"noise must not be negative, not {noise}")
    first_month = _month(start) if start is not None else None
    rng = np.random.default_rng(seed)
    frames: list[pd.DataFrame] = []
    seen: set[tuple[str, str]] = set()
    for plan in plans:
        series = _plan_series(plan, catalogue, areas, seen)
        if not series:
            continue
        begin = first_month if first_month is not None else _due_month(series)
        month_index = pd.period_range(begin, periods=months, freq="M")
        frames.extend(_simulate(s, month_index, rng, noise, areas is not None) for s in series)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _month(label: str) -> pd.Period:
    period = parse_period(label)
    if period.kind != "month":
        raise ValidationError(f"start '{label}' is not a month", hint="write it as YYYY-MM")
    return pd.Period(period.start, freq="M")


def _plan_series(
    plan: Plan, catalogue: Catalogue, areas: Sequence[str] | None, seen: set[tuple[str, str]]
) -> list[_Series]:
    out = []
    for a in plan.ambitions:
        t = compute(a, catalogue)
        if "index" in t.extras or dated_periods(t)[0].size == 0:
            continue  # nothing in the indicator's own units to follow
        indicator = catalogue[a.indicator]
        for area in areas or [a.area or plan.document.area]:
            key = (a.indicator, area.lower())
            if key in seen:
                continue
            seen.add(key)
            out.append(
                _Series(
                    a.indicator, area, a, t, indicator.unit, polarity_of(a, indicator),
                    indicator.kind,
                )
            )  # fmt: skip
    return out


def _due_month(series: list[_Series]) -> pd.Period:
    """The month most of the plan's trajectories fall due: the commonest start of the
    first period after a baseline (the earliest among equals)."""
    starts = []
    for s in series:
        begins = dated_periods(s.trajectory)[0]
        starts.append(begins[1] if len(begins) > 1 else begins[0])
    common = pd.Series(starts).value_counts().sort_index()
    earliest_commonest = common.index[int(np.argmax(common.to_numpy()))]  # first of ties
    return pd.Period(earliest_commonest, freq="M")


def _period_months(trajectory: Trajectory, month_index: pd.PeriodIndex) -> np.ndarray:
    """Length in months of the trajectory period each month falls in (12 for pooled windows,
    whose rates are already yearly)."""
    starts, ends, _ = dated_periods(trajectory)
    month_start = month_index.start_time.to_numpy()
    slot = np.clip(np.searchsorted(starts, month_start, side="right") - 1, 0, len(starts) - 1)
    first = starts.astype("datetime64[M]").astype(int)
    last = ends.astype("datetime64[M]").astype(int)
    months = (last - first + 1)[slot].astype(float)
    return np.where((months > 12) | (months < 1), 12.0, months)


def _simulate(
    s: _Series,
    month_index: pd.PeriodIndex,
    rng: np.random.Generator,
    noise: float,
    spread_areas: bool,
) -> pd.DataFrame:
    n = len(month_index)
    if s.aggregation == Aggregation.STOCK_COUNT:  # a count at each month's end
        _, ends, values = dated_periods(s.trajectory)
        expected = expected_stock(s.trajectory, month_index)
        # before the first date and after the last the count stays where it was
        early = month_index.end_time.normalize().to_numpy() < ends[0]
        expected = np.where(np.isnan(expected), np.where(early, values[0], values[-1]), expected)
    else:
        expected = expected_by_month(s.trajectory, s.unit, month_index)
    if s.aggregation in (Aggregation.RATE, Aggregation.POOLED):
        # written annualised: a half-year's rate is twice its period's rate per year
        expected = expected * 12 / _period_months(s.trajectory, month_index)
    level = float(np.nanmean(np.abs(expected))) or 1.0
    sd = noise * level
    if s.unit == Unit.COUNT and noise > 0:  # counts vary at least as Poisson counts do
        sd = max(sd, float(np.sqrt(level)))
    worse = {Polarity.HIGHER: -1.0, Polarity.LOWER: 1.0}.get(s.polarity)
    if worse is None:  # neutral: 'wrong' is either way
        worse = float(rng.choice([-1.0, 1.0]))
    story = rng.choice(len(STORIES), p=STORY_WEIGHTS)
    onset = int(rng.integers(n // 3, max(n // 3 + 1, n - 7))) if n > 8 else n
    after = np.arange(n) >= onset
    effect = np.zeros(n)
    if STORIES[story] == "steady":
        effect[:] = -0.3 * worse * sd
    elif STORIES[story] == "drift":
        effect = np.where(after, worse * 0.45 * sd * (np.arange(n) - onset + 1), 0.0)
    else:
        direction = worse if rng.random() < 0.7 else -worse
        effect = np.where(after, direction * 3.0 * sd, 0.0)
    offset = rng.normal(0.0, 0.5 * sd) if spread_areas else 0.0
    values = expected + offset + effect + rng.normal(0.0, sd, n)
    top = {Unit.PERCENT: 100.0, Unit.PROPORTION: 1.0}.get(s.unit, np.inf)
    values = np.clip(values, 0.0, top)
    if s.unit == Unit.COUNT:
        values = np.round(values)
    half = _Z95 * sd
    decimals = 0 if s.unit == Unit.COUNT else 2
    return pd.DataFrame(
        {
            "indicator": s.indicator,
            "area": s.area,
            "period": month_index.strftime("%Y-%m"),
            "value": values.round(decimals),
            "lower95_0cl": np.maximum(values - half, 0.0).round(decimals),
            "upper95_0cl": np.minimum(values + half, top).round(decimals),
            "annualised": s.aggregation in (Aggregation.RATE, Aggregation.POOLED),
        }
    )
