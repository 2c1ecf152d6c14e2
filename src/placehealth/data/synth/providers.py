"""Providers by the place's activity-plan shares: each hospital record's provider drawn
from the place file's ``providers`` weights for its point of delivery.

Applied once the records are drawn, from a random stream of its own, so every other value
the generator draws stays as it was. Elective spells (ordinary and day case) take the
``elective`` weights, emergency spells ``non-elective``, outpatient attendances
``op-first`` or ``op-follow-up``; A&E attendances keep the generator's own providers (the
plans have no A&E table). The draw ignores age and sex: a child may be recorded at an
adult hospital. A place without providers keeps the generator's own codes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from placehealth.activity.pods import Pod
from placehealth.data.synth.records import Records
from placehealth.places import PlaceFile

STREAM = 18  # the providers' own random stream, beside the generator's seed


def assign(place: PlaceFile, seed: int, records: Records) -> None:
    """Redraw the providers of the spells and outpatient attendances by the place's shares."""
    if place.providers is None:
        return
    rng = np.random.default_rng([seed, STREAM])
    apc = records.apc.columns()
    if apc:
        emergency = apc["emergency"].astype(bool)
        apc["provider"] = _by_pod(rng, place, emergency, "non-elective", "elective")
        records.apc.replace(apc)
    op = records.op.columns()
    if op:
        first = op["first"].astype(bool)
        op["provider"] = _by_pod(rng, place, first, "op-first", "op-follow-up")
        records.op.replace(op)


def _by_pod(
    rng: np.random.Generator, place: PlaceFile, which: npt.NDArray[np.bool_], yes: Pod, no: Pod
) -> npt.NDArray[np.str_]:
    """One code per row: rows where ``which`` holds by ``yes``'s weights, others by ``no``'s."""
    out = np.empty(which.size, dtype="<U5")
    out[which] = draw(rng, place, yes, int(which.sum()))
    out[~which] = draw(rng, place, no, int((~which).sum()))
    return out


def draw(rng: np.random.Generator, place: PlaceFile, pod: Pod, n: int) -> npt.NDArray[np.str_]:
    """``n`` provider codes drawn by the place's weights for ``pod``."""
    assert place.providers is not None
    codes = np.array([p.code for p in place.providers.providers])
    weights = np.array([p.shares.get(pod, 0.0) for p in place.providers.providers])
    if weights.sum() <= 0:
        raise ValueError(f"the place's providers have no shares for '{pod}'")
    return codes[rng.choice(codes.size, size=n, p=weights / weights.sum())]
