"""Comparator areas and peer groups, defined once (``catalogue/comparators.yaml``).

An ambition names its comparator ("halve the gap to England", "match the average of the
5 best performing core cities"); status finds the comparator's rows in the actuals by
area code or name. A peer group's value for a period is the mean of its members' values
(or of the best ``n`` by the indicator's polarity), the place itself left out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from placehealth.catalogue.model import Source
from placehealth.yamlfile import load_model

COMPARATORS_FILE = Path(__file__).parent / "comparators.yaml"


class Area(BaseModel):
    """An area as Fingertips and ONS name it: its name, GSS code and other spellings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    code: str = Field(pattern=r"^[EWSNK]\d{8}$")
    aliases: list[str] = Field(default_factory=list)

    @property
    def keys(self) -> frozenset[str]:
        """Lower-case name, code and aliases: any of them identifies the area's rows."""
        return frozenset(k.strip().lower() for k in (self.name, self.code, *self.aliases))


class PeerGroup(BaseModel):
    """A named list of areas a place compares itself with (e.g. the core cities)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    definition: str | None = None
    source: Source | None = None
    members: list[Area] = Field(min_length=2)


class ComparatorsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    areas: list[Area] = Field(default_factory=list)
    peer_groups: list[PeerGroup] = Field(default_factory=list)


class Comparators:
    """Named comparator areas and peer groups, looked up by name, code or id."""

    def __init__(self, data: ComparatorsFile) -> None:
        self.areas = {k: area for area in data.areas for k in area.keys}
        for group in data.peer_groups:
            for member in group.members:
                for key in member.keys:
                    self.areas.setdefault(key, member)
        self.peer_groups = {g.id: g for g in data.peer_groups}

    def area_keys(self, name: str) -> frozenset[str]:
        """Every spelling of an area's rows: a known area's name and code, else the name."""
        known = self.areas.get(name.strip().lower())
        return known.keys if known is not None else frozenset([name.strip().lower()])


def load_comparators(path: Path | None = None) -> Comparators:
    """The packaged comparator areas and peer groups (or those in ``path``)."""
    if path is None:
        return _packaged()
    return Comparators(load_model(path, ComparatorsFile))


@lru_cache(maxsize=1)
def _packaged() -> Comparators:
    return Comparators(load_model(COMPARATORS_FILE, ComparatorsFile))
