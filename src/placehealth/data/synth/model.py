"""The simulation: five financial years of a synthetic place, one year at a time.

Each year: babies are born; everyone present gets this year's rates from their
state on 1 April (or at birth); deaths are drawn from cause-specific hazards;
services are used at each person's rates until they die; new conditions start;
some people move into care homes. All of it is whole-array work over people
and events; the only loops are over years, conditions, causes and services.

The true probability of at least one emergency admission in the year, from
the same rates that generate the admissions, is kept for everyone present on
1 April: the best any risk model could know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from placehealth import icd10
from placehealth.data.nhs_number import TEST_RANGE_CAPACITY, numbers_in_test_range
from placehealth.data.synth import codes, providers
from placehealth.data.synth import params as p
from placehealth.data.synth.geography import Geography, synthetic_geography
from placehealth.data.synth.hazards import (
    CAUSE_IDS,
    State,
    admission_probability,
    death_hazards,
    emergency_rate,
    service_rate,
)
from placehealth.data.synth.hospital import (
    DIED,
    ae_attendances,
    elective_spells,
    emergency_spells,
    readmission_chance,
    record_spells,
    with_readmissions,
)
from placehealth.data.synth.onset import draw_onset_between
from placehealth.data.synth.people import (
    COLUMN,
    CURVES,
    NEVER,
    People,
    baseline,
    condition_multiplier,
    newborns,
    record_days,
)
from placehealth.data.synth.records import Records
from placehealth.data.synth.services import (
    community_contacts,
    gp_contacts,
    mental_health_contacts,
    outpatients,
)
from placehealth.data.synth.social import (
    care_home_episodes,
    care_home_moves,
    discharge_to_care_home,
    home_care,
    reablement,
)
from placehealth.data.synth.year import Year, open_year
from placehealth.places import PlaceFile, load_place

MAX_PERSONS = 800_000
"""Births need NHS numbers too, and the 999 test range holds about 909,000 valid ones."""
PLACES = ("hospital", "home", "care_home", "hospice", "other")


@dataclass
class Synthetic:
    persons: int
    seed: int
    place: PlaceFile
    geography: Geography
    people: People
    records: Records
    death_cause: npt.NDArray[np.str_]  # per person ('' if alive at the end)


def simulate(
    persons: int,
    seed: int,
    progress: Callable[[str], None] | None = None,
    place: PlaceFile | None = None,
) -> Synthetic:
    """A synthetic ``place`` (default: the default place) with ``persons`` registered on
    1 April 2014: its geography and age structure from the place file."""
    place = place if place is not None else load_place()
    rng = np.random.default_rng(seed)
    geo = synthetic_geography(place)
    pool = numbers_in_test_range(rng, min(TEST_RANGE_CAPACITY, int(persons * 1.15) + 2_000))
    ages = np.asarray(place.population.age_bands, dtype=np.float64)
    people = baseline(rng, geo, pool[:persons], ages)
    _survivors_only(rng, people)
    records = Records()
    cause = np.full(persons, "", dtype="<U6")
    used = persons
    for index in range(p.YEARS):
        used = _births(rng, people, pool, used, index)
        cause = np.concatenate([cause, np.full(len(people) - cause.size, "", dtype="<U6")])
        year = open_year(people, index)
        _simulate_year(rng, people, year, records, cause)
        if progress is not None:
            progress(year.label)
    _end_at_death(people, records)
    care_home_episodes(people, records)
    providers.assign(place, seed, records)
    return Synthetic(persons, seed, place, geo, people, records, cause)


def _end_at_death(people: People, records: Records) -> None:
    """Stays and services that run into a death drawn in a later year end at that death.

    A spell starting in March can end in April, and reablement can start a week after
    a March discharge; the death of the following year is drawn only then. A readmission
    drawn after a March discharge that falls after such a death is dropped.
    """
    apc = records.apc.columns()
    death = people.death[apc["person"]].astype(np.int64)
    before = apc["admit"] <= death  # a readmission drawn past a death of the following year
    apc = {k: v[before] for k, v in apc.items()}
    death = death[before]
    late = apc["discharge"] > death
    apc["discharge"] = np.where(late, death, apc["discharge"])
    apc["destination"] = np.where(late, DIED, apc["destination"]).astype(np.int8)
    records.apc.replace(apc)
    social = records.social.columns()
    death = people.death[social["person"]].astype(np.int64)
    keep = social["start"] < death
    social["end"] = np.minimum(social["end"], death)
    records.social.replace({k: v[keep] for k, v in social.items()})
    dead = records.death.columns()
    in_hospital = np.zeros(len(people), dtype=bool)
    in_hospital[apc["person"][late]] = True
    dead["place"] = np.where(in_hospital[dead["person"]], PLACES.index("hospital"), dead["place"])
    records.death.replace({k: v.astype(np.int8) if k == "place" else v for k, v in dead.items()})


def _survivors_only(rng: np.random.Generator, people: People) -> None:
    """Remove the conditions that, with their excess mortality, people would have died of.

    Baseline onsets are drawn from incidence alone; without this, people alive in 2014
    would carry too much cancer, dementia and COPD, and prevalence would fall year on year
    as the excess died. Each condition is kept with the chance of surviving its excess
    hazard (with minus without it, taken halfway back along the years since onset).
    """
    state = State(
        age=people.age(0),
        female=people.female,
        deprivation=people.deprivation,
        frailty=people.frailty,
        has=people.onset < 0,
        care_home=people.care_home <= 0,
    )
    with_all = death_hazards(state).sum(axis=1)
    for c in range(len(CURVES)):
        who = np.flatnonzero(state.has[:, c])
        without = state.has[who].copy()
        without[:, c] = False
        sub = State(state.age[who], state.female[who], state.deprivation[who],
                    state.frailty[who], without, state.care_home[who])  # fmt: skip
        excess = np.maximum(with_all[who] - death_hazards(sub).sum(axis=1), 0.0)
        years = -people.onset[who, c] / p.DAYS_PER_YEAR
        survive = np.exp(-excess * years * np.exp(-0.07 * years / 2))
        lost = who[rng.random(who.size) >= survive]
        people.onset[lost, c] = NEVER
        people.recorded[lost, c] = NEVER


def _births(
    rng: np.random.Generator, people: People, pool: npt.NDArray[np.int64], used: int, index: int
) -> int:
    t0, t1 = int(p.YEAR_START[index]), int(p.YEAR_START[index + 1])
    age = people.age(t0)
    band = (np.floor(age / 5) * 5).astype(int)
    rate = np.zeros(len(people))
    for start, per_woman in p.BIRTHS_PER_WOMAN.items():
        rate[band == start] = per_woman
    mothers = np.flatnonzero(
        people.female & (people.birth < t0) & (people.death > t0)
        & (rng.random(len(people)) < rate)
    )  # fmt: skip
    if used + mothers.size > pool.size:  # pragma: no cover - MAX_PERSONS keeps a margin
        raise RuntimeError("ran out of test-range NHS numbers")
    day = rng.integers(t0, t1, mothers.size)
    day = np.minimum(day, np.maximum(people.death[mothers].astype(np.int64) - 1, t0))
    people.extend(newborns(rng, pool[used : used + mothers.size], day, people.lsoa[mothers],
                           people.practice[mothers], people.deprivation[mothers]))  # fmt: skip
    return used + mothers.size


def _simulate_year(
    rng: np.random.Generator, people: People, year: Year, records: Records, cause: np.ndarray
) -> None:
    s = year.state
    hazards = death_hazards(s)
    mu = hazards.sum(axis=1)
    scheduled = people.death[year.who] < NEVER  # infants whose death was set at birth
    delay = np.floor(rng.exponential(1.0, year.who.size) / mu * p.DAYS_PER_YEAR)
    dies = ~scheduled & (year.start + delay < year.t1)
    people.death[year.who[dies]] = (year.start[dies] + delay[dies]).astype(np.int32)
    death_codes = _death_causes(rng, year, people, hazards)
    dying = (people.death[year.who] >= year.start) & (people.death[year.who] < year.t1)
    cause[year.who[dying]] = death_codes[dying]

    rate = emergency_rate(s)
    elective_rate = service_rate(p.ELECTIVE, s)
    # a readmission after a planned admission can be the year's first emergency admission:
    # the truth counts those at the rate they happen (the rest follow an emergency one)
    first_rate = rate + elective_rate * readmission_chance(s.frailty, True)
    terminal = np.where(s.care_home, p.TERMINAL_ADMISSION_CARE_HOME, p.TERMINAL_ADMISSION)
    present = year.start == year.t0
    records.truth.add(
        person=year.who[present],
        year=np.full(int(present.sum()), year.index, dtype=np.int8),
        probability=admission_probability(first_rate, mu, terminal)[present],
        emergency_rate=first_rate[present],
        death_hazard=mu[present],
    )
    emergency = emergency_spells(rng, year, people, rate, terminal, _admission_codes(death_codes))
    elective = elective_spells(rng, year, people, elective_rate)
    emergency = with_readmissions(rng, year, people, emergency, elective)
    care_home_moves(rng, year, people, emergency)
    reablement(rng, year, people, emergency, records)
    for spells in (emergency, elective):
        discharge_to_care_home(year, people, spells)
        record_spells(records, year, people, spells)
    ae_attendances(rng, year, people, service_rate(p.AE_OTHER, s), emergency, records)
    outpatients(rng, year, people, records)
    gp_contacts(rng, year, people, records)
    community_contacts(rng, year, people, records)
    mental_health_contacts(rng, year, people, records)
    home_care(rng, year, people, records)
    _record_deaths(rng, year, people, records, cause, emergency, elective)
    _onsets(rng, year, people)


def _death_causes(
    rng: np.random.Generator, year: Year, people: People, hazards: np.ndarray
) -> npt.NDArray[np.str_]:
    """An underlying cause (ICD-10) for everyone, used for those who die this year."""
    cumulative = np.cumsum(hazards, axis=1)
    u = rng.random(year.who.size) * cumulative[:, -1]
    which = (cumulative < u[:, None]).sum(axis=1)
    out = np.empty(year.who.size, dtype="<U6")
    for i, name in enumerate(CAUSE_IDS):
        mask = which == i
        out[mask] = codes.draw(rng, codes.DEATH_CAUSES[name], int(mask.sum()))
    for name, by_condition in codes.CAUSE_BY_CONDITION.items():
        pending = (which == CAUSE_IDS.index(name)) & (
            rng.random(year.who.size) < codes.CAUSE_BY_CONDITION_SHARE
        )
        for condition, mix in by_condition:  # first condition a person has decides
            mask = pending & year.state.has[:, COLUMN[condition]]
            out[mask] = codes.draw(rng, mix, int(mask.sum()))
            pending &= ~mask
    infant = year.state.age < 1
    out[infant] = codes.draw(rng, codes.DEATH_CAUSES["infant"], int(infant.sum()))
    return out


def _admission_codes(death_codes: npt.NDArray[np.str_]) -> npt.NDArray[np.str_]:
    """Primary diagnosis of a final admission: the cause of death (injuries for external)."""
    external = np.isin(np.char.ljust(death_codes, 1).astype("<U1"), ["V", "W", "X"])
    return np.where(external, "T50.9", death_codes)


def _record_deaths(
    rng: np.random.Generator, year: Year, people: People, records: Records, cause: np.ndarray,
    emergency: object, elective: object,
) -> None:  # fmt: skip
    death = people.death[year.who]
    rows = np.flatnonzero((death >= year.start) & (death < year.t1))
    who = year.who[rows]
    in_hospital = np.zeros(len(people), dtype=bool)
    for spells in (emergency, elective):
        died = spells.destination == 3  # type: ignore[attr-defined]
        in_hospital[year.who[spells.row[died]]] = True  # type: ignore[attr-defined]
    u = rng.random(rows.size)
    cancer = icd10.match_array(cause[who], ["C"])
    place = np.select(
        [in_hospital[who], people.care_home[who] <= death[rows], year.state.age[rows] < 1,
         cancer & (u < 0.3), u < 0.8],
        [0, 2, 1, 3, 1], 4,
    ).astype(np.int8)  # fmt: skip
    records.death.add(person=who, day=death[rows].astype(np.int64), cause=cause[who], place=place)


def _onsets(rng: np.random.Generator, year: Year, people: People) -> None:
    """New conditions during the year, for people who do not have them yet."""
    start = year.start
    end = year.end(people)
    birth = people.birth[year.who].astype(np.int64)
    a0 = (start - birth) / p.DAYS_PER_YEAR
    a1 = (end - birth) / p.DAYS_PER_YEAR
    for c, curve in enumerate(CURVES):
        free = np.flatnonzero((people.onset[year.who, c] == NEVER) & (end > start))
        who = year.who[free]
        age = draw_onset_between(
            rng, curve, condition_multiplier(people, who, c), a0[free], a1[free]
        )
        new = np.isfinite(age)
        day = (birth[free][new] + np.floor(age[new] * p.DAYS_PER_YEAR)).astype(np.int64)
        day = np.clip(day, start[free][new], end[free][new] - 1).astype(np.int32)
        people.onset[who[new], c] = day
        people.recorded[who[new], c] = record_days(rng, day, c)
