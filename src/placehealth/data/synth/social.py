"""Adult social care: moves into care homes, reablement after hospital, home care.

A move into a care home is permanent (the episode runs until death). Half of
the moves of people who had an emergency spell that year happen straight from
it; people discharged into reablement sometimes move within the 91 days that
the BCF reablement metric watches (seed 000, 4675–4781).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from placehealth.data.synth import params as p
from placehealth.data.synth.hazards import care_home_entry_hazard
from placehealth.data.synth.hospital import CARE_HOME, HOME, Spells
from placehealth.data.synth.people import NEVER, People
from placehealth.data.synth.records import Records
from placehealth.data.synth.year import Year

Int = npt.NDArray[np.int64]
SERVICES = ("reablement", "home_care", "residential", "nursing")
REABLEMENT, HOME_CARE, RESIDENTIAL, NURSING = range(4)


def care_home_moves(rng: np.random.Generator, year: Year, people: People, spells: Spells) -> None:
    """Draw this year's moves; some happen on discharge from an emergency spell."""
    exposure = year.exposure_days(people) / p.DAYS_PER_YEAR
    hazard = care_home_entry_hazard(year.state)
    free = people.care_home[year.who] == NEVER
    moves = free & (rng.random(year.who.size) < -np.expm1(-hazard * exposure))
    rows = np.flatnonzero(moves)
    day = year.start[rows] + np.floor(rng.random(rows.size) * year.exposure_days(people)[rows])
    # the latest emergency discharge home of each mover, if any
    alive_home = spells.emergency & (spells.destination == HOME)
    order = np.argsort(spells.discharge[alive_home], kind="stable")
    spell_ids = np.flatnonzero(alive_home)[order]
    last = np.full(year.who.size, -1)
    last[spells.row[spell_ids]] = spell_ids  # later discharges overwrite earlier ones
    linked = (last[rows] >= 0) & (rng.random(rows.size) < p.ENTRY_AT_DISCHARGE)
    day = np.where(linked, spells.discharge[last[rows]], day).astype(np.int64)
    spells.destination[last[rows][linked]] = CARE_HOME
    _move(rng, people, year.who[rows], day)


def _move(rng: np.random.Generator, people: People, who: Int, day: Int) -> None:
    before_death = day < people.death[who]
    who, day = who[before_death], day[before_death]
    people.care_home[who] = day.astype(np.int32)
    people.nursing[who] = rng.random(who.size) < p.NURSING_SHARE


def reablement(
    rng: np.random.Generator, year: Year, people: People, spells: Spells, records: Records
) -> None:
    """Reablement within a week of some emergency discharges home of people 65+."""
    older = year.state.age[spells.row] >= 65
    eligible = spells.emergency & older & (spells.destination == HOME)
    chosen = np.flatnonzero(eligible & (rng.random(spells.row.size) < p.REABLEMENT_AFTER_DISCHARGE))
    who = year.who[spells.row[chosen]]
    discharge = spells.discharge[chosen]
    start = discharge + rng.integers(0, 8, chosen.size)
    keep = start < people.death[who]
    who, discharge, start = who[keep], discharge[keep], start[keep]
    # some cannot stay at home: a care-home move within the 91 days
    moving = (rng.random(who.size) < p.REABLEMENT_TO_CARE_HOME) & (people.care_home[who] == NEVER)
    first = np.unique(who[moving], return_index=True)[1]  # one move per person
    movers = np.flatnonzero(moving)[first]
    _move(rng, people, who[movers], discharge[movers] + rng.integers(14, 92, movers.size))
    end = np.minimum.reduce(
        [start + p.REABLEMENT_DAYS, people.death[who].astype(np.int64),
         np.where(people.care_home[who] > start, people.care_home[who].astype(np.int64) - 1, NEVER)]
    )  # fmt: skip
    records.social.add(person=who, start=start, end=end,
                       service=np.full(who.size, REABLEMENT, dtype=np.int8))  # fmt: skip


def home_care(rng: np.random.Generator, year: Year, people: People, records: Records) -> None:
    """Home-care packages for older people with conditions who live at home."""
    s = year.state
    hazard = np.where(
        (s.age >= 65) & ~s.care_home & s.any_condition,
        p.HOME_CARE * np.exp(0.08 * (s.age - 85)) * s.frailty**0.5,
        0.0,
    )
    exposure = year.exposure_days(people)
    starts = rng.random(year.who.size) < -np.expm1(-hazard * exposure / p.DAYS_PER_YEAR)
    rows = np.flatnonzero(starts)
    who = year.who[rows]
    start = year.start[rows] + np.floor(rng.random(rows.size) * exposure[rows]).astype(np.int64)
    length = np.ceil(rng.exponential(120, rows.size)).astype(np.int64)
    home = people.care_home[who].astype(np.int64)
    end = np.minimum.reduce(
        [start + length, people.death[who].astype(np.int64),
         np.where(home > start, home - 1, NEVER)]
    )  # fmt: skip
    records.social.add(person=who, start=start, end=end,
                       service=np.full(who.size, HOME_CARE, dtype=np.int8))  # fmt: skip


def care_home_episodes(people: People, records: Records) -> None:
    """One open-ended episode per resident, from the move until death."""
    who = np.flatnonzero(people.care_home < np.minimum(people.death, NEVER))
    service = np.where(people.nursing[who], NURSING, RESIDENTIAL).astype(np.int8)
    records.social.add(person=who, start=people.care_home[who].astype(np.int64),
                       end=people.death[who].astype(np.int64), service=service)  # fmt: skip


def discharge_to_care_home(year: Year, people: People, spells: Spells) -> None:
    """Residents go back to their care home from hospital."""
    home = people.care_home[year.who[spells.row]]
    back = (spells.destination == HOME) & (home <= spells.admit)
    spells.destination[back] = CARE_HOME
