"""One simulated financial year: who is present, from when to when, in what state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from placehealth.data.synth import params as p
from placehealth.data.synth.hazards import State
from placehealth.data.synth.people import People

Int = npt.NDArray[np.int64]


@dataclass
class Year:
    index: int
    t0: int
    t1: int
    who: Int  # indices of people present at some time in the year
    start: Int  # first day present (1 April, or birth)
    state: State  # at ``start``

    @property
    def label(self) -> str:
        first = p.FIRST_YEAR + self.index
        return f"{first}/{(first + 1) % 100:02d}"

    def end(self, people: People) -> Int:
        """The day presence ends (exclusive): 1 April next year, or death."""
        return np.minimum(self.t1, people.death[self.who].astype(np.int64))

    def exposure_days(self, people: People) -> Int:
        return np.maximum(self.end(people) - self.start, 0)


def open_year(people: People, index: int) -> Year:
    t0, t1 = int(p.YEAR_START[index]), int(p.YEAR_START[index + 1])
    birth = people.birth.astype(np.int64)
    start_all = np.maximum(t0, birth)
    who = np.flatnonzero((birth < t1) & (people.death > start_all))
    start = start_all[who]
    state = State(
        age=(start - birth[who]) / p.DAYS_PER_YEAR,
        female=people.female[who],
        deprivation=people.deprivation[who],
        frailty=people.frailty[who],
        has=people.onset[who] < start[:, None],
        care_home=people.care_home[who] <= start,
    )
    return Year(index, t0, t1, who, start, state)


def draw_events(
    rng: np.random.Generator, rate: npt.NDArray[np.float64], year: Year, people: People
) -> tuple[Int, Int]:
    """Poisson events at ``rate`` per year over each person's time present.

    Returns the row (position in ``year.who``) and the day of each event.
    """
    exposure = year.exposure_days(people)
    counts = rng.poisson(rate * exposure / p.DAYS_PER_YEAR)
    rows = np.repeat(np.arange(year.who.size), counts)
    days = year.start[rows] + np.floor(rng.random(rows.size) * exposure[rows]).astype(np.int64)
    return rows, days
