"""Hospital activity: emergency and elective spells, A&E attendances.

Emergency spells are where most of the model's signal lives: their rate is the
person's latent risk, their length gives the bed-days, their diagnosis decides
whether they count as avoidable, and a share of deaths happen in one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from placehealth.data.synth import codes
from placehealth.data.synth import params as p
from placehealth.data.synth.people import COLUMN, CONDITION_IDS, People
from placehealth.data.synth.records import Records
from placehealth.data.synth.year import Year, draw_events

Int = npt.NDArray[np.int64]
DESTINATIONS = ("home", "care_home", "other_hospital", "died", "other")
HOME, CARE_HOME, OTHER_HOSPITAL, DIED, OTHER = range(5)
AE_DISPOSALS = ("discharged", "admitted", "referred", "left")

_ADMIT_WEIGHTS = np.zeros(len(CONDITION_IDS))
for _condition, _weight in codes.CONDITION_ADMISSION_WEIGHT.items():
    _ADMIT_WEIGHTS[COLUMN[_condition]] = _weight


@dataclass
class Spells:
    """Spells of one year, before they are recorded (social care may change destinations)."""

    row: Int  # position in year.who
    admit: Int
    discharge: Int
    emergency: npt.NDArray[np.bool_]
    diagnosis: npt.NDArray[np.str_]
    provider: npt.NDArray[np.str_]
    destination: npt.NDArray[np.int8]


def _stays(rng: np.random.Generator, year: Year, rows: Int) -> Int:
    """Emergency lengths of stay: many same-day, a long tail for the old and frail."""
    s = year.state
    age = s.age[rows]
    same_day = rng.random(rows.size) < p.SAME_DAY_EMERGENCY * np.where(age < 65, 1.4, 0.6)
    mean = (2.0 + 0.16 * np.clip(age - 40, 0, None)) * s.frailty[rows] ** 0.3
    mean = mean * np.where(s.has[rows, COLUMN["dementia"]], 1.5, 1.0)
    shape = p.EMERGENCY_STAY_SHAPE
    stay = np.ceil(rng.gamma(shape, mean / shape))
    return np.where(same_day, 0, np.maximum(stay, 1)).astype(np.int64)


def _acute(rng: np.random.Generator, year: Year, rows: Int) -> tuple[np.ndarray, np.ndarray]:
    """Diagnosis and provider of admissions not caused by a known condition."""
    s = year.state
    age, female = s.age[rows], s.female[rows]
    child = age < 16
    obstetric = ~child & female & (age < 45) & (rng.random(rows.size) < 0.3)
    adult = ~child & ~obstetric
    diagnosis = np.empty(rows.size, dtype="<U6")
    provider = np.empty(rows.size, dtype="<U5")
    child_mix = codes.weigh_composite(codes.ACUTE_CHILD, p.COMPOSITE_WEIGHT)
    adult_mix = codes.weigh_composite(codes.ACUTE_ADULT, p.COMPOSITE_WEIGHT)
    diagnosis[child] = codes.draw(rng, child_mix, int(child.sum()))
    diagnosis[obstetric] = codes.draw(rng, codes.OBSTETRIC, int(obstetric.sum()))
    diagnosis[adult] = codes.draw(rng, adult_mix, int(adult.sum()))
    provider[child] = codes.CHILD_PROVIDER
    provider[obstetric] = codes.MATERNITY_PROVIDER
    provider[adult] = codes.draw(rng, codes.ADULT_ACUTE_PROVIDERS, int(adult.sum()))
    return diagnosis, provider


def _for_condition(
    rng: np.random.Generator, year: Year, rows: Int, diagnosis: np.ndarray
) -> npt.NDArray[np.bool_]:
    """Replace diagnoses by one of the person's own conditions for a share of admissions."""
    weights = year.state.has[rows] * _ADMIT_WEIGHTS
    total = weights.sum(axis=1)
    chosen = (total > 0) & (rng.random(rows.size) < p.CONDITION_ADMISSION)
    picked = np.flatnonzero(chosen)
    cumulative = np.cumsum(weights[picked], axis=1)
    target = rng.random(picked.size) * total[picked]
    column = (cumulative < target[:, None]).sum(axis=1)
    for condition, mix in codes.CONDITION_ADMISSIONS.items():  # a loop over conditions
        mask = column == COLUMN[condition]
        diagnosis[picked[mask]] = codes.draw(rng, mix, int(mask.sum()))
    return chosen


def emergency_spells(
    rng: np.random.Generator, year: Year, people: People, rate: np.ndarray,
    terminal: np.ndarray, death_codes: np.ndarray,
) -> Spells:  # fmt: skip
    """Emergency admissions at the person's rate, plus final admissions before some deaths."""
    rows, admit = draw_events(rng, rate, year, people)
    diagnosis, provider = _acute(rng, year, rows)
    _for_condition(rng, year, rows, diagnosis)
    stay = _stays(rng, year, rows)
    # final admissions: a share of this year's deaths happen in hospital after one
    death = people.death[year.who].astype(np.int64)
    dies = (death >= year.start) & (death < year.t1)
    final = np.flatnonzero(dies & (rng.random(year.who.size) < terminal))
    final_admit = np.maximum(year.start[final], death[final] - rng.integers(0, 15, final.size))
    final_dx = death_codes[final]
    final_provider = np.where(year.state.age[final] < 16, codes.CHILD_PROVIDER,
                              codes.draw(rng, codes.ADULT_ACUTE_PROVIDERS, final.size))  # fmt: skip
    rows = np.concatenate([rows, final])
    admit = np.concatenate([admit, final_admit])
    discharge = np.concatenate([admit[: stay.size] + stay, death[final]])
    spells = Spells(
        rows, admit, discharge, np.ones(rows.size, dtype=bool),
        np.concatenate([diagnosis, final_dx]), np.concatenate([provider, final_provider]),
        np.zeros(rows.size, dtype=np.int8),
    )  # fmt: skip
    _close_at_death(rng, spells, death)
    return spells


def with_readmissions(
    rng: np.random.Generator, year: Year, people: People, emergency: Spells, elective: Spells
) -> Spells:
    """The year's emergency spells with the readmissions that follow discharges.

    A discharge alive and not to another hospital is followed, with a chance that grows
    with the person's frailty (less after a planned admission), by an emergency admission
    within 30 days, most in the first days; a readmission can itself be followed by one.
    Ordinary spells are drawn as independent events, so without this a second admission
    within a month would be as rare as any other month's (2% of discharges against
    England's 12.5-13.8%: data/synth/targets.py). Readmissions after the last simulated
    day are not drawn (nor is anything else).
    """
    parts = [emergency]
    last_day = int(p.YEAR_START[-1])
    index = _concat([emergency, elective])
    while index.row.size:  # rounds of readmissions of readmissions: a few, not one per row
        chance = readmission_chance(year.state.frailty[index.row], ~index.emergency)
        ends = np.isin(index.destination, (HOME, CARE_HOME, OTHER))
        back = np.flatnonzero(ends & (rng.random(index.row.size) < chance))
        days = np.floor(-p.READMISSION_DAYS * np.log1p(-rng.random(back.size) * _WITHIN_30)).astype(
            np.int64
        )  # an exponential delay cut at day 29 (the day of discharge is 0)
        rows, admit = index.row[back], index.discharge[back] + days
        keep = (admit < people.death[year.who[rows]]) & (admit < last_day)
        rows, admit = rows[keep], admit[keep]
        diagnosis, provider = _acute(rng, year, rows)
        _for_condition(rng, year, rows, diagnosis)
        new = Spells(rows, admit, admit + _stays(rng, year, rows), np.ones(rows.size, dtype=bool),
                     diagnosis, provider, np.zeros(rows.size, dtype=np.int8))  # fmt: skip
        _close_at_death(rng, new, people.death[year.who].astype(np.int64))
        parts.append(new)
        index = new
    return _concat(parts)


def readmission_chance(
    frailty: npt.NDArray[np.float64], planned: npt.NDArray[np.bool_] | bool
) -> npt.NDArray[np.float64]:
    """The chance a discharge home is followed by an emergency admission within 30 days."""
    chance = p.READMISSION * frailty**p.READMISSION_FRAILTY
    return np.minimum(np.where(planned, chance * p.READMISSION_AFTER_ELECTIVE, chance), 0.9)


_WITHIN_30 = 1 - np.exp(-30 / p.READMISSION_DAYS)  # the share of the delays before day 30


def _concat(parts: list[Spells]) -> Spells:
    return Spells(*(np.concatenate([getattr(s, f) for s in parts]) for f in _FIELDS))


_FIELDS = ("row", "admit", "discharge", "emergency", "diagnosis", "provider", "destination")


def elective_spells(
    rng: np.random.Generator, year: Year, people: People, rate: np.ndarray
) -> Spells:
    rows, admit = draw_events(rng, rate, year, people)
    cancer = year.state.has[rows, COLUMN["cancer"]] & (rng.random(rows.size) < 0.4)
    diagnosis = codes.draw(rng, codes.ELECTIVE, rows.size).astype("<U6")
    provider = codes.draw(rng, codes.ELECTIVE_PROVIDERS, rows.size).astype("<U5")
    diagnosis[cancer] = "Z51.1"
    provider[cancer] = "REN"
    provider[year.state.age[rows] < 16] = codes.CHILD_PROVIDER
    day_case = rng.random(rows.size) < p.DAY_CASE
    stay = np.where(day_case, 0, 1 + np.floor(rng.gamma(1.5, 2.0, rows.size))).astype(np.int64)
    spells = Spells(rows, admit, admit + stay, np.zeros(rows.size, dtype=bool), diagnosis,
                    provider, np.zeros(rows.size, dtype=np.int8))  # fmt: skip
    _close_at_death(rng, spells, people.death[year.who].astype(np.int64))
    return spells


def _close_at_death(rng: np.random.Generator, spells: Spells, death: Int) -> None:
    """Spells running into a death end on that day; others go home (a few elsewhere)."""
    died = spells.discharge >= death[spells.row]
    spells.discharge = np.where(died, death[spells.row], spells.discharge)
    u = rng.random(spells.row.size)
    spells.destination = np.select(
        [died, u < 0.03, u < 0.05], [DIED, OTHER_HOSPITAL, OTHER], HOME
    ).astype(np.int8)


def record_spells(records: Records, year: Year, people: People, spells: Spells) -> None:
    records.apc.add(
        person=year.who[spells.row],
        admit=spells.admit,
        discharge=spells.discharge,
        emergency=spells.emergency,
        diagnosis=spells.diagnosis,
        provider=spells.provider,
        destination=spells.destination,
    )


def ae_attendances(
    rng: np.random.Generator, year: Year, people: People, rate: np.ndarray,
    emergency: Spells, records: Records,
) -> None:  # fmt: skip
    """Attendances: most emergency admissions start in A&E; others go home from it."""
    via = rng.random(emergency.row.size) < p.AE_BEFORE_ADMISSION
    provider = np.where(emergency.provider == codes.MATERNITY_PROVIDER, "RQ6", emergency.provider)
    admitted = np.full(int(via.sum()), AE_DISPOSALS.index("admitted"), dtype=np.int8)
    records.ae.add(person=year.who[emergency.row[via]], day=emergency.admit[via],
                   provider=provider[via], disposal=admitted)  # fmt: skip
    rows, days = draw_events(rng, rate, year, people)
    child = year.state.age[rows] < 16
    provider = np.where(child, codes.CHILD_PROVIDER,
                        codes.draw(rng, (("RQ6", 0.55), ("REM", 0.45)), rows.size))  # fmt: skip
    u = rng.random(rows.size)
    disposal = np.select([u < 0.78, u < 0.92], [0, 2], 3).astype(np.int8)
    records.ae.add(person=year.who[rows], day=days, provider=provider, disposal=disposal)
