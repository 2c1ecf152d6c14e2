"""How concentrated a quantity is among people: Lorenz curve, top-x% shares, Gini coefficient.

"Approximately 11% of patients account for 74% of all bed-days" (seed 002, line 184)
is a point on a Lorenz curve. Everything here is one sort and one cumulative
sum, so half a million people take milliseconds; the grouped form does every
neighbourhood (or practice, or segment) in the same single pass.

Shares of people are continuous: the top 1% of 150 people is 1.5 people, the
first at their full value and half of the second (linear interpolation along
the Lorenz curve).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from placehealth.errors import ValidationError

TOP_FRACTIONS = (0.01, 0.05, 0.11, 0.20)


def lorenz(values: Any, points: int | None = None) -> pd.DataFrame:
    """Lorenz curve: share of people (lightest users first) against share of the quantity.

    All n + 1 corners by default, from (0, 0) to (1, 1); with ``points``, that many
    evenly spaced shares of people, read off the curve by interpolation.
    """
    x = np.sort(_values(values))
    people = np.arange(len(x) + 1) / len(x)
    quantity = np.concatenate([[0.0], np.cumsum(x)]) / _total(x)
    if points is not None:
        if points < 2:
            raise ValidationError("a Lorenz curve needs at least 2 points", hint="e.g. points=101")
        grid = np.linspace(0.0, 1.0, points)
        people, quantity = grid, np.interp(grid, people, quantity)
    return pd.DataFrame({"people_share": people, "quantity_share": quantity})


def top_share(values: Any, fractions: Sequence[float] = TOP_FRACTIONS) -> pd.Series:
    """Share of the total held by the heaviest ``fraction`` of people, for each fraction."""
    x = np.sort(_values(values))[::-1]
    cum = np.concatenate([[0.0], np.cumsum(x)])
    total = _total(x)
    f = _fractions(fractions)
    k = f * len(x)
    whole = np.floor(k).astype(np.int64)
    partial = np.where(whole < len(x), x[np.minimum(whole, len(x) - 1)] * (k - whole), 0.0)
    return pd.Series((cum[whole] + partial) / total, index=pd.Index(f, name="people_share"))


def people_share(values: Any, quantity_share: float) -> float:
    """Smallest share of people (heaviest first) who together hold ``quantity_share``."""
    x = np.sort(_values(values))[::-1]
    q = _fractions([quantity_share])[0]
    cum = np.concatenate([[0.0], np.cumsum(x)])
    target = q * _total(x)
    if target == 0:
        return 0.0
    p = int(np.searchsorted(cum, target, side="left"))
    return float((p - 1 + (target - cum[p - 1]) / x[p - 1]) / len(x))


def gini(values: Any) -> float:
    """Gini coefficient: 0 when everyone has the same, (n − 1)/n when one person has it all."""
    x = np.sort(_values(values))
    n = len(x)
    rank = np.arange(1, n + 1)
    return float(2.0 * (rank * x).sum() / (n * _total(x)) - (n + 1) / n)


def concentration(
    frame: pd.DataFrame,
    value: str,
    *,
    by: str | Sequence[str] | None = None,
    fractions: Sequence[float] = TOP_FRACTIONS,
) -> pd.DataFrame:
    """People, total, Gini and top-x% shares, overall or for every group in one pass.

    Groups whose total is zero get NaN shares (nothing to share out).
    """
    if value not in frame.columns:
        raise ValidationError(f"no column '{value}'", column=value, hint="name the quantity column")
    x = _values(frame[value])
    keys = [by] if isinstance(by, str) else list(by or [])
    if keys:
        codes, labels = _group_codes(frame, keys)
    else:
        codes, labels = np.zeros(len(x), dtype=np.int64), pd.Index(["all"], name="group")
    f = _fractions(fractions)
    heaviest_first = np.argsort(-x)
    order = heaviest_first[np.argsort(codes[heaviest_first], kind="stable")]  # then by group
    xs, gs = x[order], codes[order]
    groups = len(labels)
    n = np.bincount(gs, minlength=groups)
    start = np.concatenate([[0], np.cumsum(n)[:-1]])
    total = np.bincount(gs, weights=xs, minlength=groups)
    cum = np.concatenate([[0.0], np.cumsum(xs)])
    # Gini from descending ranks d: G = (n + 1)/n − 2 Σ d·x / (n·S)
    desc_rank = np.arange(len(xs)) - start[gs] + 1
    weighted = np.bincount(gs, weights=desc_rank * xs, minlength=groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = pd.DataFrame(
            {
                "people": n,
                "total": total,
                "gini": np.where(total > 0, (n + 1) / n - 2 * weighted / (n * total), np.nan),
            },
            index=labels,
        )
        for share in f:
            k = share * n
            whole = np.floor(k).astype(np.int64)
            inside = whole < n
            nxt = np.where(inside, xs[np.minimum(start + whole, len(xs) - 1)], 0.0)
            held = cum[start + whole] - cum[start] + nxt * (k - whole)
            result[f"top_{share * 100:g}%"] = np.where(total > 0, held / total, np.nan)
    return result


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.Index]:
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise ValidationError(f"no column(s) {', '.join(missing)} to group by")
    if len(keys) == 1:
        single, uniques = pd.factorize(frame[keys[0]], sort=True, use_na_sentinel=False)
        return single.astype(np.int64), pd.Index(uniques, name=keys[0])
    codes = frame.groupby(keys, sort=True, dropna=False).ngroup().to_numpy(np.int64)
    _, first = np.unique(codes, return_index=True)
    return codes, pd.MultiIndex.from_frame(frame[keys].iloc[first])


def _values(values: Any) -> np.ndarray:
    """A 1-D array of finite, non-negative amounts; anything else is the user's error."""
    try:
        x = np.asarray(pd.to_numeric(pd.Series(np.asarray(values).ravel()), errors="raise"), float)
    except (TypeError, ValueError):
        raise ValidationError(
            "amounts must be numbers", hint="pass bed-days, admissions or costs per person"
        ) from None
    if len(x) == 0:
        raise ValidationError("no people to measure", hint="pass one amount per person")
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"amount {x[first]} is not a finite number ≥ 0",
            row=first + 1,
            hint="fill missing amounts with 0 for people with no activity",
        )
    return x


def _total(x: np.ndarray) -> float:
    total = float(x.sum())
    if total <= 0:
        raise ValidationError(
            "the total is zero, so nothing is concentrated", hint="check the data"
        )
    return total


def _fractions(fractions: Sequence[float]) -> np.ndarray:
    f = np.asarray(fractions, dtype=float)
    if ((f < 0) | (f > 1) | ~np.isfinite(f)).any():
        raise ValidationError(
            f"shares must be between 0 and 1, got {list(fractions)}", hint="e.g. 0.11 for 11%"
        )
    return f
