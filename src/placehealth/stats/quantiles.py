"""Assigning areas to quantiles within a parent, with polarity (phe_quantile).

Within each group (e.g. indicator × sex × region), values are ranked (ties
take the lowest rank) and quantile = floor((q + 1) - ceil(((n + 1) - rank) /
(n / q))), with 0 raised to 1, for n areas with a value and q quantiles.
``invert=True`` puts the highest values in quantile 1 (for indicators where
low is good, quantile 1 is then the worst), as the reference's default; it
ranks ``-value`` as the reference does (``max - value`` would round away
small differences beside a very large value).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth.stats.frame import as_by, fail_at, groups, numeric, require

_TRUE = {"true", "t", "yes", "1", "low is good", "rag - low is good"}
_FALSE = {"false", "f", "no", "0", "high is good", "rag - high is good"}


def _as_invert(values: pd.Series, column: str) -> np.ndarray:
    """Polarity cells as booleans: True/False, or 'Low is good'/'High is good'."""
    text = values.astype(str).str.strip().str.lower()
    out = np.where(text.isin(_TRUE), 1.0, np.where(text.isin(_FALSE), 0.0, np.nan))
    unknown = np.isnan(out)
    if unknown.any():
        pos = int(np.flatnonzero(unknown)[0])
        raise fail_at(
            f"polarity '{values.iloc[pos]}' is not understood",
            column=column,
            grp=None,
            position=pos,
            hint="use True/False, or 'Low is good' / 'High is good'",
        )
    return out.astype(bool)


def quantiles(
    data: pd.DataFrame,
    value: str,
    by: str | Sequence[str] | None = None,
    *,
    n: int = 10,
    invert: bool = True,
    invert_column: str | None = None,
) -> pd.DataFrame:
    """The input rows with ``quantile``, ``nquantiles`` and ``qinverted`` added.

    ``invert_column`` takes the polarity from a column (it must not vary
    within a group). Areas without a value get no quantile, and neither do
    groups with fewer areas than quantiles (as the reference).
    """
    if int(n) < 2:
        raise fail_at(
            "the number of quantiles must be at least 2", column=None, grp=None, position=None
        )
    cols = as_by(by)
    require(data, [value, invert_column])
    grp = groups(data, cols)
    v = numeric(data, value, grp=grp, what="value", missing="keep")
    if invert_column is not None:
        flags = _as_invert(data[invert_column], invert_column)
        lo = np.ones(grp.count, dtype=bool)
        hi = np.zeros(grp.count, dtype=bool)
        np.logical_and.at(lo, grp.codes, flags)
        np.logical_or.at(hi, grp.codes, flags)
        mixed = lo != hi
        if mixed.any():
            code = int(np.flatnonzero(mixed)[0])
            raise fail_at(
                f"group {grp.label(code)} mixes polarities; it must be the same for every area",
                column=invert_column,
                grp=None,
                position=None,
                hint="group by the indicator (and sex) so each group has one polarity",
            )
        inverted = flags
    else:
        inverted = np.full(len(v), bool(invert))
    codes = pd.Series(grp.codes)
    values = pd.Series(v)
    adjusted = pd.Series(np.where(inverted, -v, v))  # -value, exact at any magnitude
    rank = adjusted.groupby(codes).rank(method="min", na_option="keep").to_numpy()
    count = values.notna().groupby(codes).transform("sum").to_numpy(dtype=float)
    q = float(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        quant = np.floor((q + 1) - np.ceil(((count + 1) - rank) / (count / q)))
    quant = np.where(quant == 0, 1, quant)
    quant = np.where(count < q, np.nan, quant)  # too few areas to fill every quantile
    out = data.copy()
    out["quantile"] = pd.array(np.where(np.isnan(rank), np.nan, quant), dtype="Int64")
    out["nquantiles"] = int(n)
    out["qinverted"] = np.where(
        inverted,
        "lowest quantile represents highest values",
        "lowest quantile represents lowest values",
    )
    return out
