"""A synthetic geography for a place: LSOAs, neighbourhoods, practices and PCNs.

The place file gives the shape (placehealth.places): how many LSOAs and in which
national IMD deciles, the neighbourhoods and which commissioner's practices serve
each, how many practices each commissioner has, how many PCNs. For Liverpool,
seed 002 (41) gives 86 practices, 12 neighbourhoods and 11 PCNs, neighbourhoods
of 30–50,000 people (002, 493–518) and 298 LSOAs, nearly half in England's most
deprived decile; Sefton's come from seed 004 (202). Every code is marked
synthetic (E01SYN…, NBSYN…, SYN…, USYN…, with the place's tag after 'SYN').

The geography is drawn once from a fixed seed, so it is the same whatever seed
the population uses; what scales with the population is people per LSOA.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from placehealth.places import PlaceFile

GEOGRAPHY_SEED = 2019
MIN_PRACTICES = 3
"""Practices per neighbourhood at least (fewer only where a commissioner has fewer)."""
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

    @property
    def neighbourhoods(self) -> int:
        return int(self.lsoa_neighbourhood.max()) + 1


def _neighbourhood_sizes(rng: np.random.Generator, lsoas: int, parts: int) -> npt.NDArray[np.int64]:
    """LSOAs per neighbourhood: ``lsoas`` split into ``parts`` of similar size (±25%)."""
    raw = rng.uniform(0.75, 1.25, parts)
    sizes = np.floor(raw / raw.sum() * lsoas).astype(np.int64)
    sizes[np.argsort(raw)[::-1][: lsoas - sizes.sum()]] += 1
    return sizes


def _practices_per_neighbourhood(
    people: npt.NDArray[np.float64], place: PlaceFile
) -> npt.NDArray[np.int64]:
    """Each commissioner's practices spread over its neighbourhoods by their people."""
    per = np.zeros(people.size, dtype=np.int64)
    owners = [n.commissioner for n in place.geography.neighbourhoods]
    for commissioner in place.codes.commissioners:
        group = np.array([o in (commissioner.code, None) for o in owners])
        total = commissioner.practices
        share = people[group] if group.all() else people[group] / people[group].sum()
        least = min(MIN_PRACTICES, total // int(group.sum()))
        part = np.maximum(least, np.floor(share * total).astype(np.int64))
        while part.sum() > total:
            part[np.argmax(part)] -= 1
        while part.sum() < total:
            part[np.argmax(share * total - part)] += 1
        per[group] = part
    return per


def neighbourhood_codes(place: PlaceFile) -> list[str]:
    """The synthetic codes of the place's neighbourhoods, in the place file's order."""
    tag = place.geography.code_tag
    return [f"NBSYN{tag}{i + 1:02d}" for i in range(len(place.geography.neighbourhoods))]


def synthetic_geography(place: PlaceFile) -> Geography:
    """The place's synthetic geography (always the same for the same place file)."""
    g = place.geography
    n_lsoa, n_nb, n_practices = g.lsoas, len(g.neighbourhoods), place.practices
    rng = np.random.default_rng(GEOGRAPHY_SEED)
    sizes = _neighbourhood_sizes(rng, n_lsoa, n_nb)
    neighbourhood = np.repeat(np.arange(n_nb), sizes)
    # affluence: a neighbourhood level (the place file's, else drawn) plus LSOA noise,
    # ranked into the place's decile mix
    level = rng.normal(0.0, 1.0, n_nb)
    if g.neighbourhoods[0].affluence is not None:
        level = np.array([n.affluence for n in g.neighbourhoods], dtype=np.float64)
    affluence = level[neighbourhood] + rng.normal(0.0, 0.6, n_lsoa)
    order = np.argsort(affluence, kind="stable")
    decile = np.empty(n_lsoa, dtype=np.int64)
    decile[order] = np.repeat(np.arange(1, 11), g.imd_deciles)
    within = rng.random(n_lsoa) ** np.where(decile == 1, 1.6, 1.0)  # deprived tail is long
    score = _DECILE_TOP[decile] + (_DECILE_TOP[decile - 1] - _DECILE_TOP[decile]) * within
    weight = rng.lognormal(0.0, 0.15, n_lsoa)
    weight /= weight.sum()
    tag = g.code_tag
    n_codes = neighbourhood_codes(place)
    n_names = [n.name for n in g.neighbourhoods]
    lsoa = pd.DataFrame(
        {
            "lsoa": [f"E01SYN{tag}{i + 1:03d}" for i in range(n_lsoa)],
            "lsoa_name": [f"{place.name} {i + 1:03d} (synthetic)" for i in range(n_lsoa)],
            "neighbourhood": [n_codes[n] for n in neighbourhood],
            "neighbourhood_name": [n_names[n] for n in neighbourhood],
            "imd_decile": decile,
            "imd_score": np.round(score, 2),
            "place": place.name,
        }
    )
    # practices: spread over neighbourhoods by size, list sizes from 1,500 to 15,000 or so
    people = np.bincount(neighbourhood, weights=weight, minlength=n_nb).astype(np.float64)
    per = _practices_per_neighbourhood(people, place)
    p_neighbourhood = np.repeat(np.arange(n_nb), per)
    p_weight = rng.lognormal(0.0, 0.5, n_practices)
    for n in range(n_nb):  # each neighbourhood's practices hold its people
        mask = p_neighbourhood == n
        p_weight[mask] *= people[n] / p_weight[mask].sum()
    # PCNs: consecutive practices, cut into groups of similar list size
    cumulative = np.cumsum(p_weight) / p_weight.sum()
    pcn = np.minimum((cumulative * g.pcns - 1e-9).astype(np.int64), g.pcns - 1)
    practice = pd.DataFrame(
        {
            "practice_code": [f"SYN{tag}{i + 1:03d}" for i in range(n_practices)],
            "practice_name": [f"Practice {i + 1} (synthetic)" for i in range(n_practices)],
            "pcn": [f"USYN{tag}{c + 1:02d}" for c in pcn],
            "pcn_name": [f"PCN {c + 1} (synthetic)" for c in pcn],
            "neighbourhood": [n_codes[n] for n in p_neighbourhood],
            "place": place.name,
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
    for n in range(geo.neighbourhoods):  # a loop over areas, not people
        mask = (home == n) & ~anywhere
        members = np.flatnonzero(geo.practice_neighbourhood == n)
        cdf = np.cumsum(geo.practice_weight[members]) / geo.practice_weight[members].sum()
        out[mask] = members[np.minimum(np.searchsorted(cdf, u[mask], side="right"), len(cdf) - 1)]
    return np.minimum(out, geo.practice_weight.size - 1)
