"""Life expectancy: Chiang II abridged life table with Silcocks limits (phe_life_expectancy).

Bands 0, 1-4, 5-9 ... 85-89, 90+ (20 rows per group). The fraction of the
interval lived by those who die, a_i, is 0.1 in the first year and 0.5
otherwise; the 90+ band's person-years are l/M (Chiang), and its variance
term follows Silcocks et al. (2001). As the reference (and the PHE calculator)
does: zero deaths are fine except in 90+, where no life table can be closed;
groups with a total population of 5,000 or less are not calculated; and a
value whose 95% interval is wider than 20 years is suppressed (its limits are
kept). Everything runs on a (groups × 20) array, with no loop over areas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.stats.bands import band_positions, require_complete
from placehealth.stats.confidence import lower_name, normalise_levels, upper_name, z_value
from placehealth.stats.frame import Groups, fail_at, groups, numeric
from placehealth.stats.standards import LIFE_TABLE_STARTS

BANDS = len(LIFE_TABLE_STARTS)
LABELS = ["0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 90, 5)), "90+"]
MIN_POPULATION = 5000
MAX_CI_WIDTH = 20.0
METHOD = "Chiang, using Silcocks et al for confidence limits"


def _table(d: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, ...]:
    """The abridged life table's columns for (G, 20) arrays: n, a, m, q, l, d, L."""
    g = d.shape[0]
    width = np.diff(LIFE_TABLE_STARTS)
    a = np.full(BANDS, 0.5)
    a[0] = 0.1
    with np.errstate(divide="ignore", invalid="ignore"):
        m = d / p
        n = np.empty_like(m)
        n[:, :-1] = width
        n[:, -1] = 2 / m[:, -1]
        q = np.where(d <= p / n / a, m * n / (1 + m * n * (1 - a)), 1.0)
        survive = 1 - q
        lx = np.empty_like(m)
        lx[:, 0] = 1e5
        lx[:, 1:] = 1e5 * np.cumprod(survive[:, :-1], axis=1)
        next_l = np.concatenate([lx[:, 1:], np.zeros((g, 1))], axis=1)
        dx = lx - next_l
        big_l = np.empty_like(m)
        big_l[:, :-1] = n[:, :-1] * (next_l[:, :-1] + a[:-1] * dx[:, :-1])
        big_l[:, -1] = lx[:, -1] / m[:, -1]
    return n, a, m, q, lx, dx, big_l


def person_years(deaths: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(l, L): survivors at each band start and person-years lived in it, of 100,000 born."""
    *_, lx, _dx, big_l = _table(deaths.astype(float), population.astype(float))
    return lx, big_l


def life_table(
    deaths: np.ndarray, population: np.ndarray, levels: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, dict[float, tuple[np.ndarray, np.ndarray]]]:
    """Life expectancy at each band start, its standard error and limits, for (G, 20) arrays."""
    d = deaths.astype(float)
    g = d.shape[0]
    n, a, m, q, lx, dx, big_l = _table(d, population.astype(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.cumsum(big_l[:, ::-1], axis=1)[:, ::-1]
        e = np.where(lx == 0, 0.0, t / lx)
        sp = np.where(dx == 0, 0.0, q**2 * (1 - q) / d)
        sp[:, -1] = 4 / (d[:, -1] * m[:, -1] ** 2)
        next_e = np.concatenate([e[:, 1:], np.zeros((g, 1))], axis=1)
        w = np.empty_like(m)
        w[:, :-1] = sp[:, :-1] * lx[:, :-1] ** 2 * ((1 - a[:-1]) * n[:, :-1] + next_e[:, :-1]) ** 2
        w[:, -1] = (lx[:, -1] / 2) ** 2 * sp[:, -1]
        st = np.cumsum(w[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(st / lx**2)
        limits = {level: (e - z_value(level) * se, e + z_value(level) * se) for level in levels}
    e = np.where(np.isfinite(e), e, np.nan)
    return e, se, limits


def life_expectancy(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    age_band: str = "age_band",
    ages: Iterable[float] | None = None,
    confidence: float | Iterable[float] | None = None,
    invalid: Literal["error", "suppress"] = "error",
) -> pd.DataFrame:
    """Life expectancy at the start of every band (or only ``ages``) for each group.

    ``invalid="error"`` refuses negative deaths, zero populations, deaths above
    the population and missing bands; ``"suppress"`` returns NaN for such a
    group with the reason in ``note``, as the reference does. ``numerator``
    and ``denominator`` are the deaths and population from that age upwards.
    """
    levels = normalise_levels(confidence)
    grp = groups(data, by)
    strict = invalid == "error"
    mode = "error" if strict else "keep"
    d = numeric(data, deaths, grp=grp, what="deaths", minimum=0 if strict else None, missing=mode)
    p = numeric(data, population, grp=grp, what="population", positive=strict, missing=mode)
    band = band_positions(
        data, age_band, grp, LIFE_TABLE_STARTS, labels=LABELS, context="the life table"
    )
    if strict:
        require_complete(grp, band, LABELS, column=age_band)
        _refuse_deaths_above_population(d, p, grp, deaths)
    else:
        require_complete_or_repeats(grp, band, age_band)
    cell = grp.codes * BANDS + band
    flat_d = np.full(grp.count * BANDS, np.nan)
    flat_p = np.full(grp.count * BANDS, np.nan)
    flat_d[cell] = d
    flat_p[cell] = p
    dd = flat_d.reshape(grp.count, BANDS)
    pp = flat_p.reshape(grp.count, BANDS)
    note = _notes(dd, pp)
    e, _se, limits = life_table(np.nan_to_num(dd), np.where(np.isnan(pp), 1, pp), levels)
    bad = note != ""
    wide = (z_value(0.95) * _se > MAX_CI_WIDTH / 2) & ~bad[:, None]
    value = np.where(wide | bad[:, None], np.nan, e)
    cum_d = np.cumsum(dd[:, ::-1], axis=1)[:, ::-1]
    cum_p = np.cumsum(pp[:, ::-1], axis=1)[:, ::-1]

    order = np.lexsort((band, grp.codes))
    rows = data.iloc[order]
    flat = cell[order]
    out = rows[[*grp.by, age_band]].reset_index(drop=True)
    out["numerator"] = cum_d.ravel()[flat]
    out["denominator"] = cum_p.ravel()[flat]
    out["value"] = value.ravel()[flat]
    for level, (lower, upper) in limits.items():
        out[lower_name(level)] = np.where(bad[:, None], np.nan, lower).ravel()[flat]
        out[upper_name(level)] = np.where(bad[:, None], np.nan, upper).ravel()[flat]
    row_note = np.where(wide, "value suppressed: 95% interval wider than 20 years", "")
    row_note = np.where(bad[:, None], note[:, None], row_note)
    out["note"] = row_note.ravel()[flat]
    starts = LIFE_TABLE_STARTS[band[order]]
    out["statistic"] = [f"life expectancy at {int(s)}" for s in starts]
    out["method"] = METHOD
    if ages is not None:
        wanted = np.array([float(a) for a in ages])
        unknown = np.setdiff1d(wanted, LIFE_TABLE_STARTS)
        if unknown.size:
            raise fail_at(
                f"age {unknown[0]:g} is not the start of a life-table band",
                column=age_band,
                grp=None,
                position=None,
                hint="use 0, 1, 5, 10, ..., 90",
            )
        out = out[np.isin(starts, wanted)].reset_index(drop=True)
    return out


def _refuse_deaths_above_population(d: np.ndarray, p: np.ndarray, grp: Groups, column: str) -> None:
    bad = d > p
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise fail_at(
            f"deaths ({d[pos]:g}) are more than the population ({p[pos]:g})",
            column=column,
            grp=grp,
            position=pos,
            hint="deaths in a band cannot exceed its population; check the two columns",
        )


def require_complete_or_repeats(grp: Groups, band: np.ndarray, column: str) -> None:
    """In suppress mode a missing band is a note, but a repeated band is still an error."""
    counts = np.bincount(grp.codes * BANDS + band, minlength=grp.count * BANDS)
    if (counts > 1).any():
        cell = int(np.flatnonzero(counts > 1)[0])
        band_label = LABELS[cell % BANDS]
        raise fail_at(
            f"group {grp.label(cell // BANDS)} has age band '{band_label}' more than once",
            column=column,
            grp=None,
            position=None,
        )


def _notes(d: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Why a group has no life expectancy ('' when it has one), in the reference's order."""
    with np.errstate(invalid="ignore"):
        rules = [
            ((d < 0).any(axis=1), "some age bands have negative deaths"),
            ((p <= 0).any(axis=1), "some age bands have a zero or less population"),
            (np.isnan(d).any(axis=1) | np.isnan(p).any(axis=1), "missing age bands"),
            ((d > p).any(axis=1), "some age bands have more deaths than population"),
            (np.nansum(p, axis=1) <= MIN_POPULATION, "total population of 5,000 or less"),
            (d[:, -1] == 0, "no deaths in the 90+ band"),
        ]
    note = np.full(d.shape[0], "", dtype=object)
    for mask, reason in reversed(rules):
        note = np.where(mask, reason, note)
    return note
