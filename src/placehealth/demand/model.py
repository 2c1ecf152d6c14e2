"""The demand model: baseline activity grown with the population, less avoidance and
efficiency, over many draws of the uncertain parameters — all runs at once, as arrays.

For run r, year y and point of delivery p::

    demand[r, y, p] = Σ_age,sex  rate_r[p, a, s] × population[y, a, s]
                      × Π_avoidance (1 − e_k,r × phase_k,y)  × Π_efficiency (1 − e_k,r × phase_k,y)

``rate_r`` is the baseline's activity per head by band and sex, its counts resampled
(Poisson, each count as one observed year) when asked; ``population`` the projection (so a
baseline from a sample of a place gives the whole place's activity); ``e_k,r`` a
step's effect, drawn from a normal whose P10 and P90 are the step's range (clipped to
0 … 99%); ``phase`` ramps each step in from its start year to its full year. Bed-days follow
activity (resampled in proportion), avoidance and activity efficiencies, and bed-day
efficiencies (shorter stays); beds are bed-days / 365 / the target occupancy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placehealth.demand.inputs import Baseline, Projection, Step
from placehealth.errors import ValidationError

Z90 = 1.2815515655446004  # the standard normal's 90th percentile: P10 … P90 is ± Z90 σ
MAX_EFFECT = 0.99
QUANTILES = (10, 50, 90)
WATERFALL = ("baseline", "demographic growth", "activity avoidance", "efficiency", "projection")


@dataclass(frozen=True)
class Model:
    """What a projection needs: baseline, population growth and steps, as arrays."""

    pods: list[str]
    years: list[int]  # the base year first
    activity: np.ndarray  # [pod, band, sex]
    bed_days: np.ndarray | None  # [pod, band, sex]
    growth: np.ndarray  # [year, band, sex]: projected people per baseline person
    steps: list[Step]
    phase: np.ndarray  # [step, year] from 0 to 1
    acts_on: np.ndarray  # [step, pod] 1 where the step acts


@dataclass(frozen=True)
class Draws:
    """The random part of every run: resampled baseline and each step's effect."""

    activity: np.ndarray  # [run, pod, band, sex]
    effects: np.ndarray  # [run, step], fractions


@dataclass(frozen=True)
class Runs:
    """Every run's projected activity and bed-days."""

    activity: np.ndarray  # [run, year, pod]
    bed_days: np.ndarray | None  # [run, year, pod]


def growth_of(baseline: Baseline, projection: Projection) -> np.ndarray:
    """People projected per person of the baseline, [year, band, sex] in the baseline's
    sexes: activity × growth is the baseline's rate × the projected population. A persons
    (P) projection applies alike to each sex; a baseline in persons takes M + F."""
    pop, base = projection.population, baseline.population  # [year, band, sex], [band, sex]
    if projection.sexes == ["P"]:
        people, per = pop, base.sum(axis=1, keepdims=True)
    elif baseline.sexes == ["P"]:
        people, per = pop.sum(axis=2, keepdims=True), base
    else:
        missing = [s for s in baseline.sexes if s not in projection.sexes]
        if missing:
            raise ValidationError(
                f"the population projection has no sex {missing[0]}, which the baseline has",
                hint="give the projection by M and F, or in persons (P)",
            )
        people, per = pop[:, :, [projection.sexes.index(s) for s in baseline.sexes]], base
    ratio = np.divide(people, per[None], out=np.zeros(people.shape), where=per[None] > 0)
    return np.broadcast_to(ratio, (len(projection.years), *base.shape)).copy()


def phases(steps: list[Step], years: list[int]) -> np.ndarray:
    """[step, year]: 0 up to and including the start year's predecessor, rising linearly
    to 1 at the full year; the base year is always 0."""
    year = np.array(years, dtype=float)
    first = years[1] if len(years) > 1 else years[0]
    start = np.array([s.start_year or first for s in steps], dtype=float)[:, None]
    full = np.array([s.full_year or s.start_year or first for s in steps], dtype=float)[:, None]
    span = np.maximum(full - start + 1, 1)
    out = np.clip((year[None, :] - start + 1) / span, 0, 1)
    out[:, 0] = 0
    return out


def from_year(projection: Projection, year: int | None) -> Projection:
    """The projection from the baseline's year on (that year becomes the base)."""
    if year is None or year == projection.years[0]:
        return projection
    if year not in projection.years[:-1]:
        raise ValidationError(
            f"the population projection has no year {year} to start from (it has "
            f"{projection.years[0]}–{projection.years[-1]})",
            column="--year",
            hint="give the baseline's year, one the projection covers before its last",
        )
    n = projection.years.index(year)
    return Projection(projection.years[n:], projection.sexes, projection.population[n:])


def build(
    baseline: Baseline, projection: Projection, steps: list[Step], *, year: int | None = None
) -> Model:
    """The model of ``baseline`` in ``year`` (default: the projection's first year)."""
    projection = from_year(projection, year)
    pods = baseline.pods
    acts_on = np.array([[p in s.pods for p in pods] for s in steps], dtype=float).reshape(
        len(steps), len(pods)
    )
    return Model(
        pods=pods,
        years=projection.years,
        activity=baseline.activity,
        bed_days=baseline.bed_days,
        growth=growth_of(baseline, projection),
        steps=steps,
        phase=phases(steps, projection.years),
        acts_on=acts_on,
    )


def draw(model: Model, runs: int, seed: int, *, resample: bool = True) -> Draws:
    """``runs`` draws from one seed: the same seed gives the same draws; the baseline's
    resampling first, then one standard normal per run and step."""
    rng = np.random.default_rng(seed)
    activity = (
        rng.poisson(model.activity, size=(runs, *model.activity.shape)).astype(float)
        if resample
        else np.broadcast_to(model.activity, (runs, *model.activity.shape))
    )
    z = rng.standard_normal((runs, len(model.steps)))
    return Draws(activity, effects(model.steps, z))


def effects(steps: list[Step], z: np.ndarray) -> np.ndarray:
    """Each step's effect for standard normals ``z`` [run, step]: the range's midpoint plus
    z × σ, where P10 … P90 is the range, as a fraction clipped to 0 … 99%."""
    low = np.array([s.low_pct for s in steps]) / 100
    high = np.array([s.high_pct for s in steps]) / 100
    return np.clip((low + high) / 2 + z * (high - low) / (2 * Z90), 0.0, MAX_EFFECT)


def central(model: Model) -> Draws:
    """One run at the steps' midpoints on the baseline as counted: the waterfall's run."""
    z = np.zeros((1, len(model.steps)))
    return Draws(model.activity[None], effects(model.steps, z))


def _factor(model: Model, draws: Draws, kind: str, measure: str) -> np.ndarray:
    """Π over the steps of one kind and measure of (1 − effect × phase), [run, year, pod]:
    every run at once, step by step (a handful of steps, never a loop over runs)."""
    out = np.ones((draws.effects.shape[0], len(model.years), len(model.pods)))
    for k, step in enumerate(model.steps):
        if step.kind == kind and step.measure == measure:
            where = model.phase[k][:, None] * model.acts_on[k][None, :]  # [year, pod]
            out *= 1.0 - draws.effects[:, k, None, None] * where[None]
    return out


def _grow(activity: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """Σ over bands and sexes of activity [run, pod, band, sex] × growth [year, band, sex]:
    one matrix product, [run, year, pod]."""
    runs, pods = activity.shape[:2]
    flat = activity.reshape(runs, pods, -1) @ growth.reshape(growth.shape[0], -1).T
    return flat.transpose(0, 2, 1)


def simulate(model: Model, draws: Draws) -> Runs:
    """Every run at once."""
    avoided = _factor(model, draws, "avoidance", "activity")
    efficient = _factor(model, draws, "efficiency", "activity")
    activity = _grow(draws.activity, model.growth) * avoided * efficient
    bed_days = None
    if model.bed_days is not None:
        per_unit = np.divide(
            model.bed_days,
            model.activity,
            out=np.zeros_like(model.bed_days),
            where=model.activity > 0,
        )
        days = _grow(draws.activity * per_unit[None], model.growth)
        shorter = _factor(model, draws, "efficiency", "bed-days")
        bed_days = days * avoided * efficient * shorter
    return Runs(activity, bed_days)


def quantiles(model: Model, runs: Runs, *, occupancy: float = 0.85) -> pd.DataFrame:
    """P10, P50, P90 and the mean by measure (activity, bed-days, beds), pod (in the
    model's order) and year."""
    measures = {"activity": (model.pods, runs.activity)}
    if runs.bed_days is not None:
        admitted = runs.bed_days.sum(axis=(0, 1)) > 0
        pods = [p for p, keep in zip(model.pods, admitted, strict=True) if keep]
        measures["bed-days"] = (pods, runs.bed_days[:, :, admitted])
        measures["beds"] = (pods, runs.bed_days[:, :, admitted] / 365.0 / occupancy)
    frames = []
    for measure, (pods, values) in measures.items():
        by_cell = np.ascontiguousarray(values.transpose(2, 1, 0))  # [pod, year, run]
        q = np.percentile(by_cell, QUANTILES, axis=2)  # [3, pod, year]
        pod, years = np.meshgrid(pods, model.years, indexing="ij")
        frames.append(
            pd.DataFrame(
                {
                    "measure": measure,
                    "pod": pod.ravel(),
                    "year": years.ravel(),
                    "p10": q[0].ravel(),
                    "p50": q[1].ravel(),
                    "p90": q[2].ravel(),
                    "mean": by_cell.mean(axis=2).ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def waterfall(model: Model, year: int | None = None) -> pd.DataFrame:
    """From baseline (the baseline's rates on the base year's projected population) to
    projection in ``year`` (default the last), by pod, at the steps' midpoints: demographic
    growth, then avoidance, then efficiency; the parts add up."""
    y = model.years.index(year) if year is not None else len(model.years) - 1
    draws = central(model)
    grown_all = _grow(draws.activity, model.growth)[0]
    grown, base = grown_all[y], grown_all[0]
    avoided = _factor(model, draws, "avoidance", "activity")[0, y]
    efficient = _factor(model, draws, "efficiency", "activity")[0, y]
    parts = [base, grown - base, grown * (avoided - 1), grown * avoided * (efficient - 1)]
    parts.append(grown * avoided * efficient)
    rows = [
        {"pod": pod, "year": model.years[y], "step": step, "value": float(part[n])}
        for n, pod in enumerate(model.pods)
        for step, part in zip(WATERFALL, parts, strict=True)
    ]
    return pd.DataFrame(rows)
