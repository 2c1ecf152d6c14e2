"""Versioned code lists (ICD-10 prefixes, prevalence tables) used by indicator pipelines.

Each file names its source and purpose. Codes are matched by the one ICD-10 rule
(:mod:`placehealth.icd10`: cleaned, then by prefix, grouped by prefix length so an
engine checks a handful of ``is_in`` lists rather than hundreds of ``starts_with``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import narwhals as nw
import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from placehealth import icd10
from placehealth.errors import ConfigurationError
from placehealth.yamlfile import load_model

FOLDER = Path(__file__).parent / "codelists"


class CodeList(BaseModel):
    """A versioned list of ICD-10 prefixes (and exclusions): what an indicator counts."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    system: str
    purpose: str
    source: str
    version: str
    prefixes: list[str] = Field(min_length=1)
    exclude_prefixes: list[str] = Field(default_factory=list)

    def expression(self, column: str) -> nw.Expr:
        """True where ``column`` starts with one of the prefixes and none of the exclusions."""
        return icd10.match_expr(nw.col(column), self.prefixes, self.exclude_prefixes)

    def matches(self, code: str) -> bool:
        """The same test for one code, in Python (for checks and documentation)."""
        return icd10.matches(code, self.prefixes, self.exclude_prefixes)

    def match_array(self, codes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """The same test for an array of codes."""
        return icd10.match_array(codes, self.prefixes, self.exclude_prefixes)


class Rates(BaseModel):
    """Rates by age-band start (e.g. expected prevalence)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    purpose: str
    source: str
    version: str
    rates: dict[int, float]


@cache
def code_list(name: str) -> CodeList:
    path = FOLDER / f"{name}.yaml"
    if not path.exists():
        raise ConfigurationError(f"no code list '{name}'", hint=f"expected {path}")
    return load_model(path, CodeList)


@cache
def rates(name: str) -> Rates:
    path = FOLDER / f"{name}.yaml"
    if not path.exists():
        raise ConfigurationError(f"no rate table '{name}'", hint=f"expected {path}")
    return load_model(path, Rates)
