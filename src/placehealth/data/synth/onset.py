"""Onset of conditions with age: a Gompertz hazard fitted through two prevalence points.

The hazard ``h(a) = exp(α + βa)`` has a closed-form cumulative hazard and
inverse, so both the conditions people already have on 1 April 2014 and the
onsets during each year are drawn exactly, for all people at once:
``P(onset by a) = 1 − exp(−m·H(a))`` for a personal multiplier ``m``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from placehealth.data.synth.params import ConditionModel

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Gompertz:
    alpha: float
    beta: float

    def cumulative(self, age: Array) -> Array:
        """H(age) = ∫₀ᵃ exp(α + βt) dt."""
        if abs(self.beta) < 1e-9:
            return math.exp(self.alpha) * age
        return math.exp(self.alpha) * np.expm1(self.beta * age) / self.beta

    def inverse(self, hazard: Array) -> Array:
        """The age at which H reaches ``hazard`` (inf where it never does)."""
        if abs(self.beta) < 1e-9:
            return hazard / math.exp(self.alpha)
        inside = 1.0 + self.beta * hazard * math.exp(-self.alpha)
        with np.errstate(invalid="ignore", divide="ignore"):
            age = np.log(inside) / self.beta
        return np.where(inside > 0, age, np.inf)


def fit(model: ConditionModel) -> Gompertz:
    """The Gompertz hazard whose prevalence passes through the model's two points."""
    (a1, p1), (a2, p2) = model.young, model.old
    h1, h2 = -math.log1p(-p1), -math.log1p(-p2)
    target = h2 / h1

    def ratio(beta: float) -> float:
        if abs(beta) < 1e-9:
            return a2 / a1
        return math.expm1(beta * a2) / math.expm1(beta * a1)

    lo, hi = -2.0, 1.0
    for _ in range(200):  # ratio rises with beta: bisection
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ratio(mid) < target else (lo, mid)
    beta = (lo + hi) / 2
    scale = h1 * beta / math.expm1(beta * a1) if abs(beta) > 1e-9 else h1 / a1
    return Gompertz(math.log(scale), beta)


def draw_onset_by(
    rng: np.random.Generator, curve: Gompertz, multiplier: Array, age: Array
) -> Array:
    """Age at onset for people who have the condition by ``age``; NaN for the others."""
    total = multiplier * curve.cumulative(age)
    has = rng.random(age.size) < -np.expm1(-total)
    u = rng.random(age.size)
    reached = -np.log1p(-u * -np.expm1(-total)) / np.maximum(multiplier, 1e-300)
    onset = np.minimum(curve.inverse(reached), age)
    return np.where(has, onset, np.nan)


def draw_onset_between(
    rng: np.random.Generator, curve: Gompertz, multiplier: Array, start: Array, end: Array
) -> Array:
    """Age at onset between ages ``start`` and ``end`` (NaN where none occurs)."""
    h0 = curve.cumulative(start)
    gained = multiplier * (curve.cumulative(end) - h0)
    has = rng.random(start.size) < -np.expm1(-gained)
    u = rng.random(start.size)
    reached = h0 - np.log1p(-u * -np.expm1(-gained)) / np.maximum(multiplier, 1e-300)
    onset = np.clip(curve.inverse(reached), start, end)
    return np.where(has, onset, np.nan)
