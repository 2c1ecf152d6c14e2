"""Potential years of life lost before 75 (PYLL), crude and age-standardised.

Seed 001 (lines 252-265) defines PYLL as the years between the age at which a
person under 75 dies and 75, summed over the deaths in a year and reported
per 100,000; seed 000 (lines 1346-1349) asks for it directly age
standardised. With deaths in five-year bands, each death counts 75 minus the
band's midpoint (a death at 70-74 loses 2.5 years), the usual convention of
the NHS Outcomes Framework. The population is that of the bands under 75.
The standardised rate weights each band's years lost per head by the
standard population under 75 (ESP2013 by default). Limits treat deaths as
Poisson: var = sum(w_i^2 y_i^2 d_i / n_i^2) / (sum w_i)^2, normal approximation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.stats.bands import band_positions, require_complete
from placehealth.stats.confidence import normalise_levels, z_value
from placehealth.stats.frame import fail_at, groups, numeric
from placehealth.stats.results import assemble, multiplier_text
from placehealth.stats.standards import standard_by_name, standard_starts

CUTOFF = 75.0
BAND_WIDTH = 5.0


def pyll(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    age_band: str = "age_band",
    kind: Literal["standardised", "crude"] = "standardised",
    standard: str | pd.Series = "esp2013",
    cutoff: float = CUTOFF,
    multiplier: float = 100_000,
    confidence: float | Iterable[float] | None = None,
) -> pd.DataFrame:
    """PYLL per ``multiplier`` population under ``cutoff``, one row per group.

    Rows are five-year bands of the standard (0-4 ... 90+); bands from the
    cutoff upwards may be present or absent and add nothing.
    """
    if kind not in ("standardised", "crude"):
        raise fail_at(
            f"unknown kind '{kind}'", column=None, grp=None, position=None,
            hint="standardised or crude",
        )  # fmt: skip
    levels = normalise_levels(confidence)
    series = standard if isinstance(standard, pd.Series) else standard_by_name(standard)
    starts = standard_starts(series)
    under = starts + BAND_WIDTH <= cutoff
    if not under.any():
        raise fail_at(f"no age band ends by {cutoff:g}", column=None, grp=None, position=None)
    labels = [str(v) for v in series.index]
    grp = groups(data, by)
    band = band_positions(data, age_band, grp, starts, labels=labels, context=str(series.name))
    keep = under[band]
    sub = data.iloc[np.flatnonzero(keep)]
    band = band[keep]
    sub_grp = type(grp)(grp.by, grp.codes[keep], grp.keys)
    under_labels = [label for label, u in zip(labels, under, strict=True) if u]
    require_complete(sub_grp, band, under_labels, column=age_band)
    d = numeric(sub, deaths, grp=sub_grp, what="deaths", minimum=0, missing="zero")
    n = numeric(sub, population, grp=sub_grp, what="population", positive=True)
    years = cutoff - (starts[band] + BAND_WIDTH / 2)
    lost = d * years
    total_deaths = sub_grp.sum(d)
    total_pop = sub_grp.sum(n)
    if kind == "crude":
        value = sub_grp.sum(lost) / total_pop
        var = sub_grp.sum(years**2 * d) / total_pop**2
        statistic = f"crude PYLL rate per {multiplier_text(multiplier)}"
    else:
        w = series.to_numpy(dtype=float)[band]
        w_total = series.to_numpy(dtype=float)[under].sum()
        value = sub_grp.sum(w * lost / n) / w_total
        var = sub_grp.sum((w / n) ** 2 * years**2 * d) / w_total**2
        statistic = f"age-standardised PYLL rate per {multiplier_text(multiplier)}"
    limits = {
        level: (
            np.maximum(0.0, (value - z_value(level) * np.sqrt(var)) * multiplier),
            (value + z_value(level) * np.sqrt(var)) * multiplier,
        )
        for level in levels
    }
    return assemble(
        sub_grp,
        numerator=sub_grp.sum(lost),
        denominator=total_pop,
        value=value * multiplier,
        limits=limits,
        statistic=statistic,
        method=f"years lost before {cutoff:g} at band midpoints; normal approximation",
        extra={"deaths": total_deaths},
    )
