"""Outpatient, GP, community and mental health contacts at each person's rates."""

from __future__ import annotations

import numpy as np

from placehealth.data.synth import codes
from placehealth.data.synth import params as p
from placehealth.data.synth.hazards import mental_health_rate, service_rate
from placehealth.data.synth.people import COLUMN, People
from placehealth.data.synth.records import Records
from placehealth.data.synth.year import Year, draw_events

REFERRALS = ("gp", "consultant", "ae", "other")
GP_MODES = ("face_to_face", "telephone", "home_visit", "online")
COMMUNITY = ("district_nursing", "community_matron", "therapy", "podiatry", "intermediate_care")
MENTAL_HEALTH = ("iapt", "community_mental_health", "crisis", "memory_clinic",
                 "learning_disability")  # fmt: skip


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row from a (rows × categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(probabilities.shape[0]) * cumulative[:, -1]
    return (cumulative < u[:, None]).sum(axis=1).astype(np.int8)


def outpatients(rng: np.random.Generator, year: Year, people: People, records: Records) -> None:
    rows, days = draw_events(rng, service_rate(p.OUTPATIENT, year.state), year, people)
    first = rng.random(rows.size) < 0.3
    u = rng.random(rows.size)
    referral = np.where(first, np.select([u < 0.65, u < 0.8, u < 0.9], [0, 1, 2], 3),
                        np.where(u < 0.9, 1, 3)).astype(np.int8)  # fmt: skip
    provider = codes.draw(rng, codes.ELECTIVE_PROVIDERS, rows.size)
    provider[year.state.age[rows] < 16] = codes.CHILD_PROVIDER
    records.op.add(person=year.who[rows], day=days, first=first, provider=provider,
                   referral=referral)  # fmt: skip


def gp_contacts(rng: np.random.Generator, year: Year, people: People, records: Records) -> None:
    rows, days = draw_events(rng, service_rate(p.GP, year.state), year, people)
    old = (year.state.age[rows] >= 85) | year.state.care_home[rows]
    chances = np.where(old[:, None], [0.55, 0.25, 0.18, 0.02], [0.68, 0.24, 0.02, 0.06])
    records.gp.add(person=year.who[rows], day=days, mode=_pick(rng, chances))


def community_contacts(
    rng: np.random.Generator, year: Year, people: People, records: Records
) -> None:
    rows, days = draw_events(rng, service_rate(p.COMMUNITY, year.state), year, people)
    has = year.state.has[rows]
    chances = np.tile([0.5, 0.08, 0.22, 0.12, 0.08], (rows.size, 1))
    chances[:, 1] += 0.15 * (has.sum(axis=1) >= 3)  # community matrons: complex needs
    chances[:, 3] += 0.3 * has[:, COLUMN["diabetes"]]  # podiatry: diabetic feet
    records.community.add(person=year.who[rows], day=days, service=_pick(rng, chances))


def mental_health_contacts(
    rng: np.random.Generator, year: Year, people: People, records: Records
) -> None:
    rows, days = draw_events(rng, mental_health_rate(year.state), year, people)
    has = year.state.has[rows]
    smi = has[:, COLUMN["serious_mental_illness"]]
    chances = np.zeros((rows.size, len(MENTAL_HEALTH)))
    chances[:, 0] = 1.0 * (has[:, COLUMN["depression"]] | has[:, COLUMN["anxiety"]]) + 0.1
    chances[:, 1] = 4.0 * smi
    chances[:, 2] = 1.0 * smi + 0.05
    chances[:, 3] = 3.0 * has[:, COLUMN["dementia"]]
    chances[:, 4] = 3.0 * has[:, COLUMN["learning_disability"]]
    records.mh.add(person=year.who[rows], day=days, service=_pick(rng, chances))
