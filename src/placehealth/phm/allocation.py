"""Proportionate-universalism allocation of a budget across neighbourhoods (seed 002, 302–306).

"We will direct greater resources to people and communities with the greatest
need … adopting the principle of proportionate universalism." Every
neighbourhood gets a universal share per head; the rest follows need-weighted
population:

    weight_i       = population_i × need_i
    allocation_i   = B × [ u × population_i / Σ population  +  (1 − u) × weight_i / Σ weight ]

``u`` (``universal_share``) is the floor: no neighbourhood gets less than ``u``
times what an equal amount per head would give it. The formula and the need
indices are set out in docs/phm-methods.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError


def deprivation_need(imd_decile: Any, *, gradient: float = 1.0) -> np.ndarray:
    """Need from the IMD decile (1 = most deprived): 1 + gradient in decile 1, falling
    in equal steps to 1 in decile 10. ``gradient`` = 1 gives the most deprived twice
    the weight per head of the least deprived."""
    decile = _numbers(imd_decile, "imd_decile")
    if ((decile < 1) | (decile > 10) | (decile != np.round(decile))).any():
        bad = decile[(decile < 1) | (decile > 10) | (decile != np.round(decile))][0]
        raise ValidationError(f"IMD decile {bad} is not 1–10", column="imd_decile")
    if not np.isfinite(gradient) or gradient < 0:
        raise ValidationError(f"gradient {gradient} must be ≥ 0", hint="e.g. gradient=1.0")
    return 1.0 + gradient * (10.0 - decile) / 9.0


def activity_need(activity: Any, population: Any) -> np.ndarray:
    """Need from activity per head (e.g. emergency admissions, or people in the frailty
    segment), relative to the whole place: 1 means the place's rate."""
    a = _numbers(activity, "activity")
    p = _numbers(population, "population")
    _non_negative(a, "activity")
    _non_negative(p, "population")
    if a.sum() <= 0 or p.sum() <= 0:
        raise ValidationError("activity and population must not all be zero")
    rate = np.divide(a, p, out=np.ones_like(a), where=p > 0)
    return rate / (a.sum() / p.sum())


def combine_need(
    population: Any, indices: Mapping[str, Any], weights: Mapping[str, float] | None = None
) -> np.ndarray:
    """Weighted average of need indices, each first scaled to a population-weighted mean of 1
    so that no index counts more just because of its scale."""
    p = _numbers(population, "population")
    _non_negative(p, "population")
    if not indices:
        raise ValidationError("no need indices to combine")
    w = {name: 1.0 for name in indices} if weights is None else dict(weights)
    if set(w) != set(indices) or any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise ValidationError(
            "weights must name every index once, be ≥ 0 and not all zero",
            hint=f"indices: {', '.join(indices)}",
        )
    total = np.zeros(len(p))
    for name, index in indices.items():
        values = _numbers(index, name)
        _non_negative(values, name)
        mean = (values * p).sum() / p.sum()
        if mean <= 0:
            raise ValidationError(f"need index '{name}' is zero everywhere", column=name)
        total += w[name] * values / mean
    return total / sum(w.values())


def allocate(
    frame: pd.DataFrame,
    budget: float,
    *,
    population: str = "population",
    need: str = "need_index",
    by: str | Sequence[str] | None = None,
    universal_share: float = 0.5,
    unit: float | None = None,
) -> pd.DataFrame:
    """Allocate ``budget`` by need-weighted population, with a universal floor.

    Rows may be finer than the areas funded (LSOAs within neighbourhoods): with
    ``by``, weights are summed, so a neighbourhood's need index is its
    population-weighted mean need. With ``unit`` (1 for whole pounds), amounts are
    rounded by largest remainder so they still add up to the budget exactly.
    """
    missing = [c for c in [population, need, *_keys(by)] if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"the neighbourhood table lacks column(s) {', '.join(missing)}",
            hint=f"columns present: {', '.join(map(str, frame.columns))}",
        )
    if not np.isfinite(budget) or budget < 0:
        raise ValidationError(f"budget {budget} must be a finite amount ≥ 0")
    if not 0 <= universal_share <= 1:
        raise ValidationError(
            f"universal share {universal_share} must be between 0 and 1", hint="e.g. 0.5"
        )
    p = _numbers(frame[population], population)
    n = _numbers(frame[need], need)
    _non_negative(p, population)
    _non_negative(n, need)
    table = pd.DataFrame({"population": p, "weight": p * n}, index=frame.index)
    if by is not None:
        table = table.groupby([frame[k] for k in _keys(by)], sort=True).sum()
    if table["population"].sum() <= 0:
        raise ValidationError("the population is zero everywhere", column=population)
    if universal_share < 1 and table["weight"].sum() <= 0:
        raise ValidationError("need-weighted population is zero everywhere", column=need)
    pop, weight = table["population"].to_numpy(), table["weight"].to_numpy()
    table["need_index"] = np.divide(weight, pop, out=np.zeros_like(weight), where=pop > 0)
    table["universal"] = budget * universal_share * pop / pop.sum()
    weight_share = weight / weight.sum() if weight.sum() > 0 else np.zeros_like(weight)
    table["proportionate"] = budget * (1 - universal_share) * weight_share
    amount = table["universal"].to_numpy() + table["proportionate"].to_numpy()
    table["allocation"] = amount if unit is None else _round(amount, budget, unit)
    table["per_head"] = np.divide(
        table["allocation"].to_numpy(), pop, out=np.full(len(pop), np.nan), where=pop > 0
    )
    table["share"] = table["allocation"] / budget if budget > 0 else 0.0
    columns = ["population", "need_index", "weight", "universal", "proportionate"]
    return table[[*columns, "allocation", "per_head", "share"]]


def _round(amount: np.ndarray, budget: float, unit: float) -> np.ndarray:
    """Whole units that add up to the budget: floor, then one more unit to the largest
    remainders (ties to the first)."""
    if unit <= 0:
        raise ValidationError(f"unit {unit} must be > 0", hint="e.g. unit=1 for whole pounds")
    units_total = budget / unit
    if abs(units_total - round(units_total)) > 1e-9 * max(1.0, units_total):
        raise ValidationError(
            f"budget {budget} is not a whole number of units of {unit}",
            hint="round the budget or choose a smaller unit",
        )
    scaled = amount / unit
    whole = np.floor(scaled + 1e-9)
    left = int(np.rint(units_total - whole.sum()))
    order = np.argsort(-(scaled - whole), kind="stable")
    whole[order[:left]] += 1
    return whole * unit


def _keys(by: str | Sequence[str] | None) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _numbers(values: Any, column: str) -> np.ndarray:
    try:
        x = np.asarray(pd.to_numeric(pd.Series(np.asarray(values).ravel())), dtype=float)
    except (TypeError, ValueError):
        raise ValidationError("values must be numbers", column=column) from None
    bad = ~np.isfinite(x)
    if bad.any():
        raise ValidationError(
            "a value is missing or not finite",
            row=int(np.flatnonzero(bad)[0]) + 1,
            column=column,
            hint="fill it in; an area with no people has population 0",
        )
    return x


def _non_negative(x: np.ndarray, column: str) -> None:
    if (x < 0).any():
        row = int(np.flatnonzero(x < 0)[0]) + 1
        raise ValidationError(f"{x[row - 1]} is negative", row=row, column=column)
