"""The people of a synthetic place: who they are on 1 April 2014, and who is born after.

Everything is held as columns (numpy arrays, one entry per person) so that
each year of the simulation is a handful of whole-array operations. Days are
counted from 1 April 2014 (day 0); ``NEVER`` marks an event that does not
happen within the simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from placehealth.data.synth import params as p
from placehealth.data.synth.geography import Geography, register_practices
from placehealth.data.synth.onset import Gompertz, draw_onset_by, fit

NEVER = np.int32(2**30)
CONDITION_IDS = tuple(c.id for c in p.CONDITIONS)
COLUMN = {c: i for i, c in enumerate(CONDITION_IDS)}
CURVES: tuple[Gompertz, ...] = tuple(fit(c) for c in p.CONDITIONS)
Int = npt.NDArray[np.int32]
AnyInt = npt.NDArray[np.signedinteger[Any]]
Float = npt.NDArray[np.float64]


@dataclass
class People:
    nhs: npt.NDArray[np.int64]
    female: npt.NDArray[np.bool_]
    birth: Int  # day of birth (negative: before 1 April 2014)
    lsoa: npt.NDArray[np.int64]
    practice: npt.NDArray[np.int64]
    deprivation: Float  # 0 least … 1 most deprived (from the LSOA's decile)
    frailty: Float  # personal propensity, mean 1
    death: Int  # day of death or NEVER
    onset: npt.NDArray[np.int32]  # (people × conditions) day of onset or NEVER
    recorded: npt.NDArray[np.int32]  # day the condition is recorded, or NEVER
    care_home: Int  # day of (first) care-home entry or NEVER
    nursing: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return int(self.nhs.size)

    def extend(self, other: People) -> None:
        for f in fields(self):
            setattr(self, f.name, np.concatenate([getattr(self, f.name), getattr(other, f.name)]))

    def age(self, day: int | Int, who: npt.NDArray[np.int64] | slice = slice(None)) -> Float:
        """Age in years on ``day``."""
        return (np.asarray(day) - self.birth[who]) / p.DAYS_PER_YEAR


def condition_multiplier(
    people: People, who: npt.NDArray[np.int64] | slice, condition: int
) -> Float:
    """Personal multiplier of one condition's onset hazard: sex, deprivation, propensity."""
    model = p.CONDITIONS[condition]
    female = people.female[who]
    sex = np.where(female, 2 * model.female / (1 + model.female), 2 / (1 + model.female))
    deprivation = np.exp(model.deprivation * (people.deprivation[who] - 0.5))
    return p.CONDITION_SCALE * sex * deprivation * people.frailty[who] ** model.frailty


def record_days(rng: np.random.Generator, onset: AnyInt, condition: int) -> Int:
    """When each onset is recorded: at once, except dementia (often late, or never)."""
    if CONDITION_IDS[condition] != "dementia":
        return onset.copy()
    delay = rng.exponential(p.DEMENTIA_DELAY_YEARS * p.DAYS_PER_YEAR, onset.size)
    diagnosed = rng.random(onset.size) < p.DEMENTIA_DIAGNOSED
    days = np.where(diagnosed & (onset < NEVER), onset + delay.astype(np.int64), NEVER)
    return np.minimum(days, NEVER).astype(np.int32)


def _ages(rng: np.random.Generator, n: int, bands: Float) -> tuple[Float, npt.NDArray[np.bool_]]:
    """Ages and sexes drawn from the place's people per five-year band (0-4 … 90+)."""
    band = rng.choice(len(bands), size=n, p=bands / bands.sum())
    width = np.where(band == len(bands) - 1, 12.0, 5.0)  # 90+ runs to about 102
    top = band == len(bands) - 1
    offset = np.where(top, rng.exponential(3.5, n).clip(0, width), rng.random(n) * width)
    female = rng.random(n) < p.FEMALE_SHARE[band]
    return (p.AGE_BAND_STARTS[band] + offset).astype(np.float64), female


def _empty(n: int) -> npt.NDArray[np.int32]:
    return np.full((n, len(CONDITION_IDS)), NEVER, dtype=np.int32)


def newborns(
    rng: np.random.Generator,
    nhs: npt.NDArray[np.int64],
    birth: AnyInt,
    lsoa: npt.NDArray[np.int64],
    practice: npt.NDArray[np.int64],
    deprivation: Float,
) -> People:
    """People born during the simulation; a few die in infancy (scheduled at birth)."""
    n = nhs.size
    death = np.full(n, NEVER, dtype=np.int32)
    q = p.INFANT_DEATH * np.exp(p.INFANT_DEATH_DEPRIVATION * (deprivation - 0.5))
    dies = rng.random(n) < q
    neonatal = rng.random(n) < 0.6
    days = np.where(neonatal, rng.integers(0, 28, n), rng.exponential(90, n).clip(28, 364))
    death[dies] = (birth[dies] + days[dies]).astype(np.int32)
    return People(
        nhs=nhs,
        female=rng.random(n) < 0.488,
        birth=birth.astype(np.int32),
        lsoa=lsoa,
        practice=practice,
        deprivation=deprivation,
        frailty=rng.gamma(p.FRAILTY_SHAPE, 1 / p.FRAILTY_SHAPE, n),
        death=death,
        onset=_empty(n),
        recorded=_empty(n),
        care_home=np.full(n, NEVER, dtype=np.int32),
        nursing=np.zeros(n, dtype=bool),
    )


def baseline(
    rng: np.random.Generator, geo: Geography, nhs: npt.NDArray[np.int64], age_bands: Float
) -> People:
    """The registered population on 1 April 2014, with the conditions it already has."""
    n = nhs.size
    age, female = _ages(rng, n, age_bands)
    lsoa = rng.choice(geo.lsoa_weight.size, size=n, p=geo.lsoa_weight)
    people = People(
        nhs=nhs,
        female=female,
        birth=np.floor(-age * p.DAYS_PER_YEAR).astype(np.int32),
        lsoa=lsoa,
        practice=register_practices(rng, geo, lsoa),
        deprivation=geo.deprivation[lsoa],
        frailty=rng.gamma(p.FRAILTY_SHAPE, 1 / p.FRAILTY_SHAPE, n),
        death=np.full(n, NEVER, dtype=np.int32),
        onset=_empty(n),
        recorded=_empty(n),
        care_home=np.full(n, NEVER, dtype=np.int32),
        nursing=np.zeros(n, dtype=bool),
    )
    for c, curve in enumerate(CURVES):  # one pass per condition, all people at once
        onset_age = draw_onset_by(rng, curve, condition_multiplier(people, slice(None), c), age)
        has = np.isfinite(onset_age)
        days = np.full(n, NEVER, dtype=np.int32)
        days[has] = people.birth[has] + np.floor(onset_age[has] * p.DAYS_PER_YEAR).astype(np.int32)
        people.onset[:, c] = days
        people.recorded[:, c] = record_days(rng, days, c)
    _care_homes_at_start(rng, people, age)
    return people


def _care_homes_at_start(rng: np.random.Generator, people: People, age: Float) -> None:
    """Older people already living in a care home on 1 April 2014."""
    dementia = people.onset[:, COLUMN["dementia"]] < 0
    share = p.CARE_HOME_AT_START * np.exp(0.12 * (age - 85)) * np.where(dementia, 5.0, 1.0)
    resident = (age >= 65) & (rng.random(age.size) < np.minimum(share, 0.8))
    people.care_home[resident] = -rng.integers(1, 4 * 365, int(resident.sum())).astype(np.int32)
    people.nursing[resident] = rng.random(int(resident.sum())) < p.NURSING_SHARE
