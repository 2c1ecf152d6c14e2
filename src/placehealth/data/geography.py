"""A synthetic Liverpool: LSOAs, neighbourhoods, practices and PCNs with the seeds' shape.

Seed 002 (41) gives the structure: 86 GP practices, 12 neighbourhoods, 11
Primary Care Networks; neighbourhoods serve 30–50,000 people (002, 493–518).
Liverpool had 298 LSOAs (2011 census geography), nearly half of them in
England's most deprived decile (IMD 2015); the decile mix below follows that
shape. Every code is marked synthetic (E01SYN…, NBSYN…, SYN…, USYN…).

The geography is drawn once from a fixed seed, so it is the same whatever seed
the population uses; what scales with the population is people per LSOA.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

PLACE = "Liverpool"
GEOGRAPHY_SEED = 2019
N_LSOA = 298
N_NEIGHBOURHOODS = 12
N_PRACTICES = 86
N_PCNS = 11
DECILE_COUNTS = np.array([134, 42, 27, 21, 18, 15, 12, 12, 11, 6])
"""LSOAs per national IMD decile (1 = most deprived): Liverpool's shape, summing to 298."""
# National IMD score at the top of each decile (1 … 10), roughly IMD 2015's cut points.
_DECILE_TOP = np.array([85.0, 34.2, 27.0, 21.4, 17.0, 13.6, 10.6, 8.2, 6.1, 4.3, 0.5])
HOME_PRACTICE_SHARE = 0.85
"""People registered with a practice in their own neighbourhood; the rest anywhere."""


@dataclass(frozen=True)
class Geography:
    lsoa: pd.DataFrame  # geo_lsoa columns (without load_id)
    practice: pd.DataFrame  # geo_practice columns
    lsoa_weight: npt.NDArray[np.float64]  # share of residents living in each LSOA
    lsoa_neighbourhood: npt.NDArray[np.int64]  # neighbourhood index of each LSOA
    practice_weight: npt.NDArray[np.float64]  # relative list size of each practice
    practice_neighbourhood: npt.NDArray[np.int64]

    @property
    def deprivation(self) -> npt.NDArray[np.float64]:
        """Deprivation of each LSOA on 0 (least, decile 10) … 1 (most, decile 1)."""
        return (10 - self.lsoa["imd_decile"].to_numpy()) / 9.0


def _neighbourhood_sizes(rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """LSOAs per neighbourhood: 298 split into 12 parts of 30–50,000 people each."""
    raw = rng.uniform(0.75, 1.25, N_NEIGHBOURHOODS)
    sizes = np.floor(raw / raw.sum() * N_LSOA).astype(np.int64)
    sizes[np.argsort(raw)[::-1][: N_LSOA - sizes.sum()]] += 1
    return sizes


def synthetic_liverpool() -> Geography:
    """The synthetic geography (always the same)."""
    rng = np.random.default_rng(GEOGRAPHY_SEED)
    sizes = _neighbourhood_sizes(rng)
    neighbourhood = np.repeat(np.arange(N_NEIGHBOURHOODS), sizes)
    # affluence: a neighbourhood level plus LSOA noise, ranked into Liverpool's decile mix
    level = rng.normal(0.0, 1.0, N_NEIGHBOURHOODS)
    affluence = level[neighbourhood] + rng.normal(0.0, 0.6, N_LSOA)
    order = np.argsort(affluence, kind="stable")
    decile = np.empty(N_LSOA, dtype=np.int64)
    decile[order] = np.repeat(np.arange(1, 11), DECILE_COUNTS)
    within = rng.random(N_LSOA) ** np.where(decile == 1, 1.6, 1.0)  # deprived tail is long
    score = _DECILE_TOP[decile] + (_DECILE_TOP[decile - 1] - _DECILE_TOP[decile]) * within
    weight = rng.lognormal(0.0, 0.15, N_LSOA)
    weight /= weight.sum()
    n_codes = [f"NBSYN{i + 1:02d}" for i in range(N_NEIGHBOURHOODS)]
    lsoa = pd.DataFrame(
        {
            "lsoa": [f"E01SYN{i + 1:03d}" for i in range(N_LSOA)],
            "lsoa_name": [f"Liverpool {i + 1:03d} (synthetic)" for i in range(N_LSOA)],
            "neighbourhood": [n_codes[n] for n in neighbourhood],
            "neighbourhood_name": [f"Neighbourhood {n + 1} (synthetic)" for n in neighbourhood],
            "imd_decile": decile,
            "imd_score": np.round(score, 2),
            "place": PLACE,
        }
    )
    # practices: spread over neighbourhoods by size, list sizes from 1,500 to 15,000 or so
    people = np.bincount(neighbourhood, weights=weight, minlength=N_NEIGHBOURHOODS)
    per = np.maximum(3, np.floor(people * N_PRACTICES).astype(np.int64))
    while per.sum() > N_PRACTICES:
        per[np.argmax(per)] -= 1
    while per.sum() < N_PRACTICES:
        per[np.argmax(people * N_PRACTICES - per)] += 1
    p_neighbourhood = np.repeat(np.arange(N_NEIGHBOURHOODS), per)
    p_weight = rng.lognormal(0.0, 0.5, N_PRACTICES)
    for n in range(N_NEIGHBOURHOODS):  # each neighbourhood's practices hold its people
        mask = p_neighbourhood == n
        p_weight[mask] *= people[n] / p_weight[mask].sum()
    # PCNs: consecutive practices, cut into 11 groups of similar list size
    cumulative = np.cumsum(p_weight) / p_weight.sum()
    pcn = np.minimum((cumulative * N_PCNS - 1e-9).astype(np.int64), N_PCNS - 1)
    practice = pd.DataFrame(
        {
            "practice_code": [f"SYN{i + 1:03d}" for i in range(N_PRACTICES)],
            "practice_name": [f"Practice {i + 1} (synthetic)" for i in range(N_PRACTICES)],
            "pcn": [f"USYN{c + 1:02d}" for c in pcn],
            "pcn_name": [f"PCN {c + 1} (synthetic)" for c in pcn],
            "neighbourhood": [n_codes[n] for n in p_neighbourhood],
            "place": PLACE,
        }
    )
    return Geography(lsoa, practice, weight, neighbourhood, p_weight, p_neighbourhood)


def register_practices(
    rng: np.random.Generator, geo: Geography, lsoa_index: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """A practice for each person: usually one in their own neighbourhood, by list size."""
    home = geo.lsoa_neighbourhood[lsoa_index]
    anywhere = rng.random(lsoa_index.size) > HOME_PRACTICE_SHARE
    u = rng.random(lsoa_index.size)
    out = np.empty(lsoa_index.size, dtype=np.int64)
    all_cdf = np.cumsum(geo.practice_weight) / geo.practice_weight.sum()
    out[anywhere] = np.searchsorted(all_cdf, u[anywhere], side="right")
    for n in range(N_NEIGHBOURHOODS):  # 12 neighbourhoods: a loop over areas, not people
        mask = (home == n) & ~anywhere
        members = np.flatnonzero(geo.practice_neighbourhood == n)
        cdf = np.cumsum(geo.practice_weight[members]) / geo.practice_weight[members].sum()
        out[mask] = members[np.minimum(np.searchsorted(cdf, u[mask], side="right"), len(cdf) - 1)]
    return np.minimum(out, N_PRACTICES - 1)
