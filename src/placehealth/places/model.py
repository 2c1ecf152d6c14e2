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
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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

    @model_validator(mode="after")
    def _unique(self) -> Codes:
        reject_repeats([c.code for c in self.commissioners], "commissioner code")
        return self


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
    src: Source | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Geography:
        if sum(self.imd_deciles) != self.lsoas or min(self.imd_deciles) < 0:
            raise ValueError(
                f"imd_deciles add up to {sum(self.imd_deciles)}, not the {self.lsoas} LSOAs"
            )
        if len(self.neighbourhoods) > self.lsoas:
            raise ValueError("more neighbourhoods than LSOAs")
        reject_repeats([n.name for n in self.neighbourhoods], "neighbourhood name")
        given = [n.affluence is None for n in self.neighbourhoods]
        if any(given) and not all(given):
            raise ValueError("give every neighbourhood an affluence, or none")
        return self


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

    @model_validator(mode="after")
    def _listed(self) -> Defaults:
        if self.status_plan is not None and self.status_plan not in self.plans:
            raise ValueError(f"status_plan '{self.status_plan}' is not one of plans")
        return self


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

    @model_validator(mode="after")
    def _cross(self) -> PlaceFile:
        known = {c.code for c in self.codes.commissioners}
        for n in self.geography.neighbourhoods:
            if n.commissioner is not None and n.commissioner not in known:
                raise ValueError(
                    f"neighbourhood '{n.name}' names commissioner '{n.commissioner}', "
                    f"not one of {', '.join(sorted(known))}"
                )
        named = [n.commissioner for n in self.geography.neighbourhoods]
        if len(known) > 1 and None in named:
            raise ValueError("with several commissioners, give each neighbourhood its own")
        for c in self.codes.commissioners:
            if len(known) > 1 and c.code not in named:
                raise ValueError(f"commissioner '{c.code}' has no neighbourhood")
            share = sum(n.commissioner in (c.code, None) for n in self.geography.neighbourhoods)
            if c.practices < share:
                raise ValueError(
                    f"commissioner '{c.code}' has {c.practices} practices for {share} "
                    "neighbourhoods: each neighbourhood needs one"
                )
        if sum(c.practices for c in self.codes.commissioners) < self.geography.pcns:
            raise ValueError("more PCNs than practices")
        return self

    @property
    def practices(self) -> int:
        return sum(c.practices for c in self.codes.commissioners)
