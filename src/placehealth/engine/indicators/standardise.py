"""From rolled-up counts and populations to indicator values, through placehealth.stats."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth import stats
from placehealth.engine.indicators.context import CONFIDENCE, NO_RATE, long_format

AREA_KEYS = ["area_type", "area_code", "period"]


def complete_bands(
    frame: pd.DataFrame, keys: Sequence[str], bands: Sequence[str], values: Sequence[str]
) -> pd.DataFrame:
    """Every group gets every band; absent bands are zero events and zero people."""
    groups = frame[list(keys)].drop_duplicates()
    grid = groups.merge(pd.DataFrame({"age_band": list(bands)}), how="cross")
    full = grid.merge(frame, on=[*keys, "age_band"], how="left")
    full[list(values)] = full[list(values)].fillna(0)
    return full


def directly_standardised(
    frame: pd.DataFrame,
    count: str,
    indicator_id: str,
    *,
    keys: Sequence[str] = AREA_KEYS,
    standard: pd.Series | None = None,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """DSR per group (ESP2013 bands, or a subset such as under-75s) in the long format.

    A band with no people and no events adds nothing to a DSR, so its population is
    set to one (the term is zero either way). A group with events in a band that has
    no people has no defined rate: it is returned with an empty value.
    """
    std = stats.ESP2013 if standard is None else standard
    full = complete_bands(frame, keys, list(std.index), [count, "population"])
    totals = full.groupby(list(keys), observed=True)[[count, "population"]].sum()
    empty = (full["population"] == 0) & (full[count] == 0)
    full.loc[empty, "population"] = 1
    undefined = (full["population"] == 0).groupby([full[k] for k in keys]).transform("any")
    result = stats.dsr(
        full[~undefined.to_numpy()], count, "population", list(keys), age_band="age_band",
        standard=std, multiplier=multiplier, confidence=CONFIDENCE,
    )  # fmt: skip
    if undefined.any():
        missing = full.loc[undefined.to_numpy(), list(keys)].drop_duplicates()
        result = pd.concat([result, missing.assign(note=NO_RATE)], ignore_index=True)
    # report the real people counted, not the stand-in ones given to empty bands
    result = result.drop(columns=["numerator", "denominator"], errors="ignore").merge(
        totals.rename(columns={count: "numerator", "population": "denominator"}).reset_index(),
        on=list(keys),
        how="left",
    )
    return long_format(result, indicator_id)


def crude_rate(
    frame: pd.DataFrame,
    count: str,
    indicator_id: str,
    *,
    keys: Sequence[str] = AREA_KEYS,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Crude rate per group (Byar's / exact limits) in the long format."""
    summed = frame.groupby(list(keys), observed=True)[[count, "population"]].sum().reset_index()
    summed = summed[summed["population"] > 0]
    result = stats.rate(
        summed, count, "population", list(keys), multiplier=multiplier, confidence=CONFIDENCE
    )
    return long_format(result, indicator_id)


def proportion(
    frame: pd.DataFrame,
    numerator: str,
    denominator: str,
    indicator_id: str,
    *,
    keys: Sequence[str] = AREA_KEYS,
    multiplier: float = 100,
) -> pd.DataFrame:
    """Proportion per group (Wilson limits) in the long format."""
    summed = frame.groupby(list(keys), observed=True)[[numerator, denominator]].sum().reset_index()
    summed = summed[summed[denominator] > 0]
    summed[numerator] = np.minimum(summed[numerator], summed[denominator])
    result = stats.proportion(
        summed, numerator, denominator, list(keys), multiplier=multiplier, confidence=CONFIDENCE
    )
    return long_format(result, indicator_id)
