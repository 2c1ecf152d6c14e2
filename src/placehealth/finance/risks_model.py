"""Pydantic models of a risk register (``plans/<document>/risks/*.yaml``) and of the risk
matrix that scores it.

A register holds what its document prints and nothing more: the seeds' registers give a
likelihood and consequence (seed 000's Better Care Fund template), a High/Medium rating
alone (Sefton's), or neither (the finance paper's key risks); none names an owner or a
review date. The model holds every field, so what is missing stays missing and is
flagged rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.finance.model import FinanceDocument, Id
from placehealth.sources import SourceLines
from placehealth.yamlfile import reject_repeats

DEFAULT_MATRIX = Path(__file__).parent / "data" / "risk-matrix.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Strict):
    level: int = Field(ge=1)
    label: str


class Band(_Strict):
    """A rating band: the scores from ``min`` to ``max`` inclusive."""

    name: str
    min: int = Field(ge=1)
    max: int = Field(ge=1)
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Matrix(_Strict):
    """Likelihood and consequence scales and the bands their product falls in."""

    likelihood: list[Level] = Field(min_length=1)
    consequence: list[Level] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _covers(self) -> Matrix:
        for scale in (self.likelihood, self.consequence):
            levels = [x.level for x in scale]
            if levels != list(range(1, len(levels) + 1)):
                raise ValueError("levels run 1, 2, 3, … in order")
        for score in sorted(set(self.scores())):
            found = [b.name for b in self.bands if b.min <= score <= b.max]
            if len(found) != 1:
                raise ValueError(
                    f"score {score} is in {len(found)} bands ({', '.join(found) or 'none'}): "
                    "each score is in exactly one"
                )
        return self

    def scores(self) -> list[int]:
        """Every score the matrix can give."""
        return [a.level * b.level for a, b in itertools.product(self.likelihood, self.consequence)]

    @property
    def max_likelihood(self) -> int:
        return len(self.likelihood)

    @property
    def max_consequence(self) -> int:
        return len(self.consequence)

    def band(self, score: int | None) -> Band | None:
        if score is None:
            return None
        return next((b for b in self.bands if b.min <= score <= b.max), None)


class Risk(_Strict):
    """One risk as printed: a likelihood, consequence and score where the register gives
    them, a rating where it gives only that, and the rest where it says."""

    id: Id
    category: str | None = None
    description: str
    likelihood: int | None = Field(default=None, ge=1)
    consequence: int | None = Field(default=None, ge=1)
    score: int | None = Field(default=None, ge=1)  # as printed
    rating: str | None = None  # a band as printed ("High")
    mitigation: list[str] = Field(default_factory=list)
    owner: str | None = None
    review: dt.date | None = None
    residual_likelihood: int | None = Field(default=None, ge=1)
    residual_consequence: int | None = Field(default=None, ge=1)
    residual_score: int | None = Field(default=None, ge=1)
    src: SourceLines
    note: str | None = None


class Register(_Strict):
    """A document's risk register; ``mentions`` for a register the document only refers to."""

    id: str = Field(pattern=r"^R\d{2}$")  # the index's id
    document: FinanceDocument
    title: str
    src: SourceLines
    scoring: Literal["likelihood-consequence", "rating", "none"]
    matrix: Path | None = None  # relative to the register file; default: the packaged one
    risks: list[Risk] = Field(default_factory=list)
    mentions: str | None = None  # what the document says of a register it does not print
    notes: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> Register:
        reject_repeats([r.id for r in self.risks], "risk id")
        return self
