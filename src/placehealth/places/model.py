"""What a place file holds, validated: who the place is, its areas, comparators and defaults.

A place is a local authority and its NHS partners. Everything the software needs
to know about one (its name and codes, how its LSOAs group into neighbourhoods
and its practices into PCNs, whom it is compared with, where its deployment
lives, what the commands use when nothing is said) is data in one YAML file, so
no module names a place. The synthetic generator builds a stand-in population
from the same file: its size, age structure, deprivation mix and the number of
practices in each commissioner's area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.activity.pods import Pod
from placehealth.yamlfile import reject_repeats

AGE_BANDS = 19
"""Five-year bands 0-4 … 85-89 and 90+."""
CODE_TAG = r"^[A-Z]{0,3}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a figure comes from: a seed document and lines, or a public statistic."""

    seed: str | None = Field(default=None, pattern=r"^\d{3}$")
    lines: str | None = None
    note: str | None = None


class Commissioner(_Strict):
    """A commissioning organisation of the place (a CCG, later an ICB sub-location)."""

    code: str = Field(min_length=2)
    name: str
    practices: int = Field(gt=0)
    src: Source | None = None


class Codes(_Strict):
    ons_la: str = Field(pattern=r"^E0[6-9]\d{6}$", description="ONS local authority code")
    region: str = Field(pattern=r"^E12\d{6}$")
    icb: str | None = None
    commissioners: list[Commissioner] = Field(min_length=1)


class Neighbourhood(_Strict):
    name: str
    commissioner: str | None = None  # code of the commissioner whose practices serve it
    affluence: float | None = None
    """Relative affluence (about -2 … 2): where the deprived LSOAs fall. Unset: drawn."""


class Geography(_Strict):
    """LSOA → neighbourhood → place; practice → PCN → place. Codes are made up (synthetic)
    unless the place's own lookups are loaded in their place."""

    synthetic: bool = True
    code_tag: str = Field(default="", pattern=CODE_TAG)
    """Letters after 'SYN' in every synthetic code (E01SYN…, NBSYN…, SYN…, USYN…), so two
    places' codes never meet; empty for the first place."""
    lsoas: int = Field(gt=0)
    imd_deciles: list[int] = Field(min_length=10, max_length=10)
    """LSOAs in each national IMD decile (1 = most deprived); they add up to ``lsoas``."""
    neighbourhoods: list[Neighbourhood] = Field(min_length=1)
    pcns: int = Field(gt=0)
    boundaries: Path | None = None
    """A GeoJSON file of the place's LSOA boundaries for maps (a path relative to the place
    file), each feature's ``code`` the LSOA code; unset for a synthetic place, whose
    boundaries are generated (placehealth.data.synth.boundaries)."""
    src: Source | None = None


class Population(_Strict):
    persons: int = Field(gt=0)
    """Registered population at the start of the data: the demo's full size."""
    age_bands: list[float] = Field(min_length=AGE_BANDS, max_length=AGE_BANDS)
    """People (any unit) in each five-year band 0-4 … 85-89, 90+."""
    src: Source | None = None

    @model_validator(mode="after")
    def _positive(self) -> Population:
        if min(self.age_bands) < 0 or sum(self.age_bands) <= 0:
            raise ValueError("age_bands must be people counts, none negative")
        return self

    def share_aged(self, start: int) -> float:
        """Share of the population aged ``start`` and over (``start`` a multiple of 5)."""
        return sum(self.age_bands[start // 5 :]) / sum(self.age_bands)


class Comparator(_Strict):
    kind: Literal["england", "region", "peer"]
    code: str
    name: str


class Defaults(_Strict):
    """What commands use for this place when they are not told."""

    plans: list[str] = Field(default_factory=list)
    """Plan folders (under plans/) written for this place: the board packs."""
    status_plan: str | None = None
    """The plan set against the warehouse's indicator values (one of ``plans``)."""


class Provider(_Strict):
    """A provider the place commissions activity from, as its activity plans name it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    """The row id of the provider in the activity plans' tables."""
    name: str
    code: str = Field(pattern=r"^[A-Z0-9]{3,5}$")
    """The code its records carry in ``provider_code`` (ODS code)."""
    shares: dict[Pod, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    """Point of delivery -> weight (the plan's count): how the synthetic generator shares
    that activity among the providers."""


class Providers(_Strict):
    """The providers of the place's activity plans, and the plan and year of their shares."""

    plan: str
    year: str
    providers: list[Provider] = Field(min_length=1)
    src: Source | None = None

    @model_validator(mode="after")
    def _unique(self) -> Providers:
        reject_repeats([p.id for p in self.providers], "provider id")
        reject_repeats([p.code for p in self.providers], "provider code")
        return self

    def codes(self) -> dict[str, str]:
        """provider_code -> the plans' provider id."""
        return {p.code: p.id for p in self.providers}


class PlaceFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    default: bool = False
    """The place commands use when none is named (one packaged place has it)."""
    codes: Codes
    geography: Geography
    population: Population
    comparators: list[Comparator] = Field(default_factory=list)
    deployment: Path | None = None
    """Where the administrator installs this place's deployment file (roles, audit log).
    Recorded for the people who set a place up; commands still take the deployment only
    from ``PLACEHEALTH_DEPLOYMENT`` or the system path (placehealth.deployment), never
    from a file the caller names."""
    defaults: Defaults = Field(default_factory=Defaults)
    providers: Providers | None = None
    """The providers of its activity plans (plan against actual; the synthetic shares)."""

    @property
    def practices(self) -> int:
        return sum(c.practices for c in self.codes.commissioners)


Location = tuple[str | int, ...]


def problems(place: PlaceFile) -> list[tuple[Location, str]]:
    """What the fields cannot say alone, each with the place in the file it belongs to."""
    found: list[tuple[Location, str]] = []
    g, commissioners = place.geography, place.codes.commissioners
    if sum(g.imd_deciles) != g.lsoas or min(g.imd_deciles) < 0:
        found.append(
            (("geography", "imd_deciles"),
             f"imd_deciles add up to {sum(g.imd_deciles)}, not the {g.lsoas} LSOAs")
        )  # fmt: skip
    if len(g.neighbourhoods) > g.lsoas:
        found.append((("geography", "neighbourhoods"), "more neighbourhoods than LSOAs"))
    codes = [c.code for c in commissioners]
    lists: list[tuple[Location, list[str], str]] = [
        (("codes", "commissioners"), codes, "commissioner code"),
        (("geography", "neighbourhoods"), [n.name for n in g.neighbourhoods], "neighbourhood"),
    ]
    for listed, names, what in lists:
        try:
            reject_repeats(names, what)
        except ValueError as exc:
            found.append((listed, str(exc)))
    given = [n.affluence is not None for n in g.neighbourhoods]
    if any(given) and not all(given):
        index = given.index(False) if given[0] else given.index(True)
        found.append(
            (("geography", "neighbourhoods", index),
             "give every neighbourhood an affluence, or none")
        )  # fmt: skip
    owners = [n.commissioner for n in g.neighbourhoods]
    for i, owner in enumerate(owners):
        where = ("geography", "neighbourhoods", i, "commissioner")
        if owner is not None and owner not in codes:
            found.append((where, f"commissioner '{owner}' is not one of {', '.join(codes)}"))
        elif owner is None and len(codes) > 1:
            found.append((where, "with several commissioners, name this neighbourhood's"))
    for i, c in enumerate(commissioners):
        served = sum(o in (c.code, None) for o in owners)
        if served == 0:
            found.append((("codes", "commissioners", i), f"commissioner '{c.code}' serves no "
                          "neighbourhood"))  # fmt: skip
        elif c.practices < served:
            found.append(
                (("codes", "commissioners", i, "practices"),
                 f"{c.practices} practices for {served} neighbourhoods: each needs one")
            )  # fmt: skip
    if place.practices < g.pcns:
        found.append((("geography", "pcns"), f"{g.pcns} PCNs for {place.practices} practices"))
    d = place.defaults
    if d.status_plan is not None and d.status_plan not in d.plans:
        found.append(
            (("defaults", "status_plan"), f"status_plan '{d.status_plan}' is not one of plans")
        )
    return found
