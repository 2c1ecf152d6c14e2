"""Versioned code lists (ICD-10 prefixes, prevalence tables) used by indicator pipelines.

Each file names its source and purpose. Matching is by prefix on codes with the
dot removed ("J44.1" → "J441"), grouped by prefix length so an engine checks a
handful of ``is_in`` lists rather than hundreds of ``starts_with`` calls.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import narwhals as nw
from pydantic import BaseModel, ConfigDict, Field

from placehealth.errors import ConfigurationError
from placehealth.yamlfile import load_model

FOLDER = Path(__file__).parent / "codelists"


class CodeList(BaseModel):
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
        code = nw.col(column).str.replace_all(".", "", literal=True).str.to_uppercase()
        matched = _any_prefix(code, self.prefixes)
        if self.exclude_prefixes:
            matched = matched & ~_any_prefix(code, self.exclude_prefixes)
        return matched.fill_null(False)

    def matches(self, code: str) -> bool:
        """The same test for one code, in Python (for checks and documentation)."""
        clean = code.replace(".", "").upper()
        hit = any(clean.startswith(_clean(p)) for p in self.prefixes)
        return hit and not any(clean.startswith(_clean(p)) for p in self.exclude_prefixes)


class Rates(BaseModel):
    """Rates by age-band start (e.g. expected prevalence)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    purpose: str
    source: str
    version: str
    rates: dict[int, float]


def _clean(prefix: str) -> str:
    return prefix.replace(".", "").upper()


def _any_prefix(code: nw.Expr, prefixes: list[str]) -> nw.Expr:
    by_length: dict[int, list[str]] = {}
    for p in prefixes:
        by_length.setdefault(len(_clean(p)), []).append(_clean(p))
    parts = [code.str.slice(0, n).is_in(sorted(set(ps))) for n, ps in sorted(by_length.items())]
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


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
