"""Slope and relative index of inequality with simulated limits (phe_sii).

Each quantile (e.g. deprivation decile, ordered most to least deprived) gets
a relative rank b, the midpoint of its share of the cumulative population,
and the weighted regression sqrt(a) * y = beta0 * sqrt(a) + beta1 * b * sqrt(a)
is fitted (a = population share; Low & Low 2004). SII = beta1 (the fitted gap
between the bottom and top of the scale) and RII = (beta0 + beta1) / beta0.
Limits come from refitting on values drawn from N(value, se) ``repetitions``
times. Each group draws from its own stream, seeded by ``seed`` and the group's
key, so a group's limits do not depend on which other groups share the call
(a run of one period gives that period the limits a run of ten gives it).

Rates and proportions are drawn on the log / logit scale (their standard
errors come from their 95% limits on that scale). With ``transform=True``
the regression itself runs on that scale and the results are transformed
back: SII = f(beta0 + beta1) - f(beta0), RII = f(beta0 + beta1) / f(beta0).
Their limits, as the reference's, come from the simulated slope alone, laid
about the fitted line's midpoint m = beta0 + beta1 / 2 of the point estimate:
SII = f(m + s/2) - f(m - s/2) and RII = f(m + s/2) / f(m - s/2) for a simulated
slope s (the simulated intercept is not used). Both rise with s, so their
percentiles are those of the slope, mapped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from placehealth.stats.confidence import lower_name, normalise_levels, upper_name, z_value
from placehealth.stats.frame import Groups, fail_at, groups, numeric, require
from placehealth.stats.results import multiplier_text

ValueType = Literal["normal", "rate", "proportion"]
_CHUNK_ELEMENTS = 4_000_000


def _forward(values: np.ndarray, kind: ValueType) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "rate":
            return np.log(values)
        if kind == "proportion":
            return np.log(values / (1 - values))
    return values


def _back(values: np.ndarray, kind: ValueType) -> np.ndarray:
    if kind == "rate":
        return np.exp(values)
    if kind == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def _design(pop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sqrt(a) and the 2 x Q least-squares operator (X'X)^-1 X' for each group."""
    share = pop / pop.sum(axis=1, keepdims=True)
    rank = np.cumsum(share, axis=1) - share / 2
    sqrt_a = np.sqrt(share)
    x1, x2 = sqrt_a, rank * sqrt_a
    s11 = (x1 * x1).sum(axis=1)
    s12 = (x1 * x2).sum(axis=1)
    s22 = (x2 * x2).sum(axis=1)
    det = s11 * s22 - s12**2
    op = np.empty((pop.shape[0], 2, pop.shape[1]))
    op[:, 0, :] = (s22[:, None] * x1 - s12[:, None] * x2) / det[:, None]
    op[:, 1, :] = (-s12[:, None] * x1 + s11[:, None] * x2) / det[:, None]
    return sqrt_a, op


def _indices(
    beta: np.ndarray, kind: ValueType, transform: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(SII, RII, intercept) from coefficients beta[..., 0] (intercept), beta[..., 1] (slope)."""
    b0, b1 = beta[..., 0], beta[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if transform:
            top, bottom = _back(b0 + b1, kind), _back(b0, kind)
            return top - bottom, top / bottom, bottom
        return b1, (b0 + b1) / b0, b0


def _about_midpoint(
    slope: np.ndarray, midpoint: np.ndarray, kind: ValueType
) -> tuple[np.ndarray, np.ndarray]:
    """(SII, RII) of a line with this slope through the fitted midpoint (transformed scale)."""
    top, bottom = _back(midpoint + slope / 2, kind), _back(midpoint - slope / 2, kind)
    with np.errstate(divide="ignore", invalid="ignore"):
        return top - bottom, top / bottom


def sii(
    data: pd.DataFrame,
    quantile: str,
    population: str,
    by: str | Sequence[str] | None = None,
    *,
    value: str | None = None,
    count: str | None = None,
    value_type: ValueType = "normal",
    se: str | None = None,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Iterable[float] | None = 0.95,
    rii: bool = True,
    transform: bool = False,
    seed: int | None = 0,
) -> pd.DataFrame:
    """SII (and RII) per group, one row per statistic, with simulated limits.

    ``value`` or, for proportions, ``count`` (divided by the population) gives
    each quantile's value; ``se`` or the 95% limits ``lower_cl``/``upper_cl``
    its uncertainty. A negative ``multiplier`` flips polarity (and inverts the
    RII). The same ``seed`` gives the same limits.
    """
    if value_type not in ("normal", "rate", "proportion"):
        raise fail_at(
            f"unknown value type '{value_type}'",
            column=None,
            grp=None,
            position=None,
            hint="normal, rate or proportion",
        )
    if transform and value_type == "normal":
        raise fail_at(
            "transform applies only to rates and proportions",
            column=None,
            grp=None,
            position=None,
        )
    if value is None and not (count is not None and value_type == "proportion"):
        raise fail_at(
            "the SII needs a value column (or a count column for proportions)",
            column=None,
            grp=None,
            position=None,
        )
    if se is None and (lower_cl is None or upper_cl is None):
        raise fail_at(
            "the SII needs a standard error column or both 95% limit columns",
            column=None,
            grp=None,
            position=None,
        )
    if int(repetitions) < 1:
        raise fail_at("repetitions must be at least 1", column=None, grp=None, position=None)
    levels = normalise_levels(confidence)
    require(data, [quantile, population, value, count, se, lower_cl, upper_cl])
    grp = groups(data, by)
    q_codes, q_labels = pd.factorize(data[quantile], sort=True)
    nq = len(q_labels)
    if not 5 <= nq <= 100:
        raise fail_at(
            f"found {nq} quantiles; the SII needs between 5 and 100",
            column=quantile,
            grp=None,
            position=None,
        )
    _require_every_quantile(grp, q_codes, list(q_labels), quantile)
    pop = numeric(data, population, grp=grp, what="population", positive=True)
    if value is not None:
        v = numeric(data, value, grp=grp, what="value")
    else:
        assert count is not None
        v = numeric(data, count, grp=grp, what="count", minimum=0) / pop
    if value_type == "proportion":
        _require_fraction(v, grp, value or count)
    if se is not None:
        s = numeric(data, se, grp=grp, what="standard error", minimum=0)
    else:
        assert lower_cl is not None and upper_cl is not None
        lo = numeric(data, lower_cl, grp=grp, what="lower limit")
        hi = numeric(data, upper_cl, grp=grp, what="upper limit")
        if value_type == "proportion":
            _require_fraction(lo, grp, lower_cl)
            _require_fraction(hi, grp, upper_cl)
        s = (_forward(hi, value_type) - _forward(lo, value_type)) / z_value(0.95) / 2

    cell = grp.codes * nq + q_codes
    shape = (grp.count, nq)
    grid_pop, grid_v, grid_s = (_grid(cell, values, shape) for values in (pop, v, s))
    sqrt_a, op = _design(grid_pop)
    y = _forward(grid_v, value_type) if transform else grid_v
    beta = np.einsum("gkq,gq->gk", op, sqrt_a * y)
    point_sii, point_rii, intercept = _indices(beta, value_type, transform)
    midpoint = beta[:, 0] + beta[:, 1] / 2 if transform else None
    sims = _simulate(
        _forward(grid_v, value_type), grid_s, sqrt_a, op, value_type, midpoint,
        int(repetitions), levels, _streams(grp, seed),
    )  # fmt: skip
    return _output(
        grp, grid_pop.sum(axis=1), point_sii, point_rii, intercept, sims, levels,
        multiplier=multiplier, rii=rii, repetitions=int(repetitions),
    )  # fmt: skip


def _streams(grp: Groups, seed: int | None) -> list[np.random.Generator]:
    """One generator per group: ``seed`` alone without groups, else ``seed`` and the key.

    The key is the group's values as text, so 2021 and "2021" (or an int64 and an
    int) draw the same numbers.
    """
    if not grp.by:
        return [np.random.default_rng(seed)]
    keys = grp.keys[grp.by].astype(str).agg("\x1f".join, axis=1)
    streams = []
    for key in keys:
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        sequence = np.random.SeedSequence(seed, spawn_key=(int.from_bytes(digest, "big"),))
        streams.append(np.random.default_rng(sequence))
    return streams


def _grid(cell: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Scatter row values into a (groups x quantiles) array."""
    flat = np.empty(shape[0] * shape[1])
    flat[cell] = values
    return flat.reshape(shape)


def _simulate(
    centre: np.ndarray,
    spread: np.ndarray,
    sqrt_a: np.ndarray,
    op: np.ndarray,
    kind: ValueType,
    midpoint: np.ndarray | None,
    reps: int,
    levels: Sequence[float],
    streams: Sequence[np.random.Generator],
) -> dict[float, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Percentile limits of simulated SII and RII: {level: (sii_lo, sii_hi, rii_lo, rii_hi)}.

    ``midpoint`` (per group) means the fit is on the transformed scale: each draw's
    slope is laid about it (``_about_midpoint``), as the reference does.
    """
    g, nq = centre.shape
    out = {level: tuple(np.empty(g) for _ in range(4)) for level in levels}
    positions = {}
    for level in levels:
        upper_p = level + (1 - level) / 2
        lo = min(max(int(np.round(reps * (1 - upper_p))), 1), reps)
        hi = min(max(int(np.round(reps * upper_p)), 1), reps)
        positions[level] = (lo - 1, hi - 1)
    step = max(1, _CHUNK_ELEMENTS // (reps * nq))
    for start in range(0, g, step):
        part = slice(start, min(g, start + step))
        noise = np.stack(
            [streams[i].standard_normal((reps, nq)) for i in range(part.start, part.stop)]
        )
        draws = centre[part, None, :] + spread[part, None, :] * noise
        sample = draws if midpoint is not None else _back(draws, kind)
        beta = np.einsum("gkq,grq->grk", op[part], sample * sqrt_a[part, None, :])
        if midpoint is not None:
            s_sii, s_rii = _about_midpoint(beta[..., 1], midpoint[part, None], kind)
        else:
            s_sii, s_rii, _ = _indices(beta, kind, transform=False)
        s_sii.sort(axis=1)
        s_rii.sort(axis=1)
        for level, (lo, hi) in positions.items():
            for target, source, idx in zip(
                out[level], (s_sii, s_sii, s_rii, s_rii), (lo, hi, lo, hi), strict=True
            ):
                target[part] = source[:, idx]
    return out  # type: ignore[return-value]


def _output(
    grp: Groups,
    total_pop: np.ndarray,
    point_sii: np.ndarray,
    point_rii: np.ndarray,
    intercept: np.ndarray,
    sims: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    levels: Sequence[float],
    *,
    multiplier: float,
    rii: bool,
    repetitions: int,
) -> pd.DataFrame:
    """Long output: an SII row (and an RII row) per group, in the PHE column names."""
    flip = multiplier < 0
    frames = []
    keys = (
        grp.keys[grp.by].reset_index(drop=True) if grp.by else pd.DataFrame(index=range(grp.count))
    )
    sii_part = keys.copy()
    rii_part = keys.copy()
    for part in (sii_part, rii_part):
        part["numerator"] = np.nan
        part["denominator"] = total_pop
    sii_part["value"] = multiplier * point_sii
    rii_part["value"] = 1 / point_rii if flip else point_rii
    for level in levels:
        s_lo, s_hi, r_lo, r_hi = sims[level]
        if flip:
            s_lo, s_hi = s_hi, s_lo
            r_lo, r_hi = 1 / r_hi, 1 / r_lo
        sii_part[lower_name(level)] = multiplier * s_lo
        sii_part[upper_name(level)] = multiplier * s_hi
        rii_part[lower_name(level)] = r_lo
        rii_part[upper_name(level)] = r_hi
    for part in (sii_part, rii_part):
        part["intercept"] = intercept
        part["method"] = f"simulation, {repetitions} repetitions"
    sii_part["statistic"] = f"slope index of inequality x {multiplier_text(multiplier)}"
    rii_part["statistic"] = "relative index of inequality"
    frames.append(sii_part)
    if rii:
        frames.append(rii_part)
    result = pd.concat(frames, ignore_index=True)
    order = np.argsort(np.tile(np.arange(grp.count), len(frames)), kind="stable")
    result = result.iloc[order].reset_index(drop=True)
    columns = [c for c in result.columns if c not in ("statistic", "method")]
    return result[[*columns, "statistic", "method"]]


def _require_every_quantile(
    grp: Groups, q_codes: np.ndarray, labels: list[object], column: str
) -> None:
    nq = len(labels)
    counts = np.bincount(grp.codes * nq + q_codes, minlength=grp.count * nq).reshape(-1, nq)
    if (counts == 0).any():
        g, q = (int(v[0]) for v in np.nonzero(counts == 0))
        raise fail_at(
            f"group {grp.label(g)} has no row for quantile {labels[q]}",
            column=column,
            grp=None,
            position=None,
            hint="every group needs every quantile for an SII",
        )
    if (counts > 1).any():
        g, q = (int(v[0]) for v in np.nonzero(counts > 1))
        raise fail_at(
            f"group {grp.label(g)} has quantile {labels[q]} more than once",
            column=column,
            grp=None,
            position=None,
        )


def _require_fraction(values: np.ndarray, grp: Groups, column: str | None) -> None:
    bad = (values < 0) | (values > 1)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise fail_at(
            f"proportion {values[pos]:g} is not between 0 and 1",
            column=column,
            grp=grp,
            position=pos,
            hint="give proportions as fractions of 1",
        )
