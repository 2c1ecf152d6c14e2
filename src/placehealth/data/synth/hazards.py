"""Yearly rates for each person from their state at the start of the year.

Death has one hazard per cause; each service has an intensity (expected uses
per year). Both depend on age, sex, deprivation, the conditions a person has
and their personal propensity, so the people who are ill are the ones who die
and the ones who use services, and a risk model has something real to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from placehealth.data.synth import params as p
from placehealth.data.synth.people import COLUMN, CONDITION_IDS

Float = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
CAUSE_IDS = (*(c.id for c in p.CAUSES), "external")
WEIGHTS = np.array([c.weight for c in p.CONDITIONS])


@dataclass
class State:
    """What the rates depend on, for the people present in one year."""

    age: Float
    female: Bool
    deprivation: Float
    frailty: Float
    has: Bool  # (people × conditions): onset before the start of the year
    care_home: Bool

    @property
    def any_condition(self) -> Bool:
        return np.asarray(self.has.any(axis=1), dtype=bool)

    @property
    def morbidity(self) -> Float:
        return self.has @ WEIGHTS


def _log_ratio(has: Bool, ratios: dict[str, float]) -> Float:
    vector = np.zeros(len(CONDITION_IDS))
    for condition, ratio in ratios.items():
        vector[COLUMN[condition]] = np.log(ratio)
    return has @ vector


def death_hazards(s: State) -> Float:
    """Yearly hazard of death from each cause (people × causes, in CAUSE_IDS order)."""
    out = np.empty((s.age.size, len(CAUSE_IDS)))
    common = (
        np.exp(p.MORTALITY_DEPRIVATION * (s.deprivation - 0.5))
        * s.frailty**p.MORTALITY_FRAILTY
        * np.where(s.care_home, p.CARE_HOME_MORTALITY, 1.0)
    )
    for i, cause in enumerate(p.CAUSES):
        sex = np.where(s.female, 2 / (1 + cause.male), 2 * cause.male / (1 + cause.male))
        gompertz = cause.at_70 * np.exp(cause.slope * (s.age - 70))
        out[:, i] = gompertz * sex * common * np.exp(_log_ratio(s.has, cause.hazard_ratios))
    out[:, 3] += np.where(s.age < 15, p.CHILD_DEATH, 0.0)
    external = np.where((s.age >= 15) & (s.age < 65), p.EXTERNAL_DEATH, 0.0)
    out[:, 4] = external * np.exp(1.0 * (s.deprivation - 0.5)) * s.frailty**0.5
    total = out.sum(axis=1)
    return out * (p.MORTALITY_PLATEAU / (p.MORTALITY_PLATEAU + total))[:, None]


def service_rate(service: p.Service, s: State) -> Float:
    """Expected uses of a service in a full year."""
    curve = np.interp(s.age, service.ages, service.curve)
    return (
        service.scale
        * curve
        * np.where(s.any_condition, service.ltc_ratio, 1.0)
        * np.exp(service.morbidity * s.morbidity)
        * np.exp(service.deprivation * (s.deprivation - 0.5))
        * s.frailty**service.frailty
    )


def emergency_rate(s: State) -> Float:
    rate = service_rate(p.EMERGENCY, s)
    return rate * np.where(s.care_home, p.CARE_HOME_ADMISSIONS, 1.0)


def mental_health_rate(s: State) -> Float:
    curve = np.interp(s.age, p.MENTAL_HEALTH.ages, p.MENTAL_HEALTH.curve)
    ratios = np.exp(_log_ratio(s.has, p.MENTAL_HEALTH_RATIOS))
    deprivation = np.exp(p.MENTAL_HEALTH.deprivation * (s.deprivation - 0.5))
    return p.MENTAL_HEALTH.scale * curve * ratios * deprivation * s.frailty**p.MENTAL_HEALTH.frailty


def admission_probability(emergency: Float, death: Float, terminal: Float) -> Float:
    """Exact chance of at least one emergency admission in the year under the model.

    Admissions arrive at rate λ until death (rate μ) or the year's end, and a death
    is preceded by a final admission with probability h:
    P = (1 − e^{−(λ+μ)}) · (λ + hμ) / (λ + μ).
    """
    total = emergency + death
    return -np.expm1(-total) * (emergency + terminal * death) / np.maximum(total, 1e-12)


def care_home_entry_hazard(s: State) -> Float:
    dementia = s.has[:, COLUMN["dementia"]]
    older = s.age >= 65
    return np.where(
        older & ~s.care_home,
        p.CARE_HOME_ENTRY
        * np.exp(0.11 * (s.age - 80))
        * np.where(dementia, p.CARE_HOME_DEMENTIA, 1.0)
        * s.frailty**0.5,
        0.0,
    )
