"""The Better Care Fund's payment for performance under the 2014/15 rules, vectorised.

Each release (April and October 2015) pays a share on the national conditions (all of
the release's conditions met, or nothing) and a share on the metrics, split equally
between the metrics the plan lists for that release. A metric is met when its actual is
at least as good as its target (polarity from the catalogue); a metric without a target
or an actual cannot be shown to be met, so its share is held back. A place's stake is
its share of the national fund: its minimum 2015/16 pool over the national fund.

:func:`released` works on arrays of any leading shape (places, what-if values), so a
what-if over every metric and many values is one numpy expression.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from placehealth.finance.model import SCALE

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.finance.bcf_load import ResolvedBcf

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def metric_met(actual: Floats, target: Floats, higher: Bools) -> Bools:
    """Is each actual at least as good as its target? Missing (NaN) on either side: no."""
    with np.errstate(invalid="ignore"):
        better = np.where(higher, actual >= target, actual <= target)
    return better & ~np.isnan(actual) & ~np.isnan(target)


def released(
    actual: Floats,
    target: Floats,
    higher: Bools,
    eligible: Bools,
    metrics_pot: Floats | float,
    conditions_met: Bools | bool,
    conditions_pot: Floats | float,
) -> Floats:
    """The amount a release pays: ``actual``, ``target``, ``higher`` and ``eligible`` are
    (..., metrics); the pots and ``conditions_met`` broadcast over the leading shape."""
    met = metric_met(actual, target, higher) & eligible
    counted = eligible.sum(axis=-1)
    pot = np.broadcast_to(np.asarray(metrics_pot, dtype=float), counted.shape)
    per_metric = np.divide(pot, counted, out=np.zeros(counted.shape), where=counted > 0)
    on_conditions = np.where(conditions_met, conditions_pot, 0.0)
    return np.asarray(met.sum(axis=-1) * per_metric + on_conditions, dtype=float)


def what_if_grid(
    actual: Floats,
    target: Floats,
    higher: Bools,
    eligible: Bools,
    values: Floats,
    metrics_pot: Floats | float,
    conditions_met: Bools | bool,
    conditions_pot: Floats | float,
) -> Floats:
    """Every place's payment as each metric in turn takes each what-if value, the others as
    given: ``actual`` etc. are (places, metrics), ``values`` is (places, metrics, values);
    the result is (metrics, values, places). One array expression, no loop over rows."""
    places, metrics = actual.shape
    k = values.shape[-1]
    grid = np.broadcast_to(actual, (metrics, k, places, metrics)).copy()
    pick = np.arange(metrics)
    # grid[m, :, :, m] = values[:, m, :].T for every metric m at once
    grid[pick, :, :, pick] = np.transpose(values, (1, 2, 0))
    return released(
        grid,
        target,
        higher,
        eligible,
        np.asarray(metrics_pot, dtype=float),
        np.asarray(conditions_met),
        np.asarray(conditions_pot, dtype=float),
    )


@dataclass(frozen=True)
class Stake:
    """The place's share of the national fund and the pool it is read from."""

    share: float
    pool_pounds: float
    basis: str  # which pool: the minimum contributions or the declared minimum


def stake(resolved: ResolvedBcf, year: str = "2015/16") -> Stake:
    """The place's minimum pool for ``year`` over the national fund: its contributions'
    minimums (parts of another contribution left out), else the template's declared
    minimum, else its agreed pool."""
    plan = resolved.plan
    parts = {c.id for c in plan.pool if c.part_of is not None}
    for basis in ("minimum", "agreed"):
        pool = sum(
            resolved.amounts[c.id].pounds
            for c in plan.pool
            if c.year == year and c.basis == basis and c.id not in parts
        )
        if pool:
            return Stake(pool / resolved.rules.fund_pounds(), pool, f"{basis} contributions")
        declared = next(
            (t for t in plan.totals if t.basis == basis and t.year == year and t.amount), None
        )
        if declared is not None and declared.amount is not None and declared.amount.value:
            pounds = declared.amount.value * SCALE[declared.unit]
            return Stake(pounds / resolved.rules.fund_pounds(), pounds, f"declared {basis}")
    return Stake(0.0, 0.0, "no pool")


def conditions_met(resolved: ResolvedBcf, release: str) -> bool:
    """Are all the release's national conditions met (as the plan records them)?"""
    rule = next(r for r in resolved.rules.releases if r.id == release)
    status = {c.id: c.status for c in resolved.plan.conditions}
    return all(status.get(c) == "met" for c in rule.conditions)


def _arrays(
    resolved: ResolvedBcf, release: str, actuals: dict[str, float]
) -> tuple[list[str], Floats, Floats, Bools, Bools]:
    metrics = [m.id for m in resolved.plan.metrics]
    targets = [resolved.targets.get((m, release)) for m in metrics]
    actual = np.array([actuals.get(m, np.nan) for m in metrics], dtype=float)
    target = np.array(
        [t.value if t is not None and t.value is not None else np.nan for t in targets],
        dtype=float,
    )
    higher = np.array([t.higher_is_better if t else True for t in targets], dtype=bool)
    eligible = np.array([t is not None for t in targets], dtype=bool)
    return metrics, actual, target, higher, eligible


def assess(
    resolved: ResolvedBcf, actuals: dict[tuple[str, str], float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each release's payment at national scale and at the place's share, and each metric's
    status against its payment-period target; ``actuals`` by (metric, release)."""
    import pandas as pd

    rules = resolved.rules
    scale = SCALE[rules.unit]
    place = stake(resolved)
    release_rows, metric_rows = [], []
    for rule in rules.releases:
        given = {m: v for (m, r), v in actuals.items() if r == rule.id}
        metrics, actual, target, higher, eligible = _arrays(resolved, rule.id, given)
        met = metric_met(actual, target, higher) & eligible
        metrics_pot = rule.metrics_share.value * scale * place.share
        conditions_pot = rule.conditions_share.value * scale * place.share
        ok = conditions_met(resolved, rule.id)
        paid = float(released(actual, target, higher, eligible, metrics_pot, ok, conditions_pot))
        at_stake = rule.amount.value * scale * place.share
        release_rows.append(
            {
                "release": rule.id,
                "month": rule.month,
                "national": rule.amount.value * scale,
                "national_conditions": rule.conditions_share.value * scale,
                "national_metrics": rule.metrics_share.value * scale,
                "place_share": place.share,
                "at_stake": at_stake,
                "conditions_met": ok if rule.conditions else None,
                "metrics": int(eligible.sum()),
                "metrics_met": int(met.sum()),
                "released": paid,
                "held_back": at_stake - paid,
            }
        )
        per_metric = metrics_pot / eligible.sum() if eligible.sum() else 0.0
        for n, metric in enumerate(metrics):
            if not eligible[n]:
                continue
            status = (
                "no target"
                if np.isnan(target[n])
                else "no actual"
                if np.isnan(actual[n])
                else "met"
                if met[n]
                else "not met"
            )
            metric_rows.append(
                {
                    "metric": metric,
                    "release": rule.id,
                    "period": resolved.targets[(metric, rule.id)].period,
                    "target": None if np.isnan(target[n]) else float(target[n]),
                    "actual": None if np.isnan(actual[n]) else float(actual[n]),
                    "higher_is_better": bool(higher[n]),
                    "status": status,
                    "weight": per_metric,
                    "released": per_metric if met[n] else 0.0,
                }
            )
    return pd.DataFrame(release_rows), pd.DataFrame(metric_rows)


def what_if(
    resolved: ResolvedBcf,
    actuals: dict[tuple[str, str], float],
    metric: str,
    values: list[float],
) -> pd.DataFrame:
    """The total released across releases as ``metric``'s actual takes each of ``values``
    (every release it counts in), the other actuals as given: one array expression."""
    import pandas as pd

    rules = resolved.rules
    scale = SCALE[rules.unit]
    place = stake(resolved)
    grid = np.asarray(values, dtype=float)
    total = np.zeros(grid.shape)
    for rule in rules.releases:
        given = {m: v for (m, r), v in actuals.items() if r == rule.id}
        metrics, actual, target, higher, eligible = _arrays(resolved, rule.id, given)
        if metric not in metrics:
            raise KeyError(metric)
        column = metrics.index(metric)
        tiled = np.tile(actual, (grid.size, 1))
        if eligible[column]:
            tiled[:, column] = grid
        total += released(
            tiled,
            target,
            higher,
            eligible,
            rule.metrics_share.value * scale * place.share,
            conditions_met(resolved, rule.id),
            rule.conditions_share.value * scale * place.share,
        )
    return pd.DataFrame({"metric": metric, "value": grid, "released": total})
