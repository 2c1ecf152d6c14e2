"""Accepted findings: a team's reviewed findings, silenced by their stable ids.

The file lists each finding id with the reason it was accepted, so a reviewed
finding stops reappearing in every run while staying on record. An id that no
longer matches a finding is reported (the plan or the checker changed), so the
file does not silently go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.plans.check.findings import Finding
from placehealth.yamlfile import load_model, reject_repeats


class Accepted(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    reason: str = Field(min_length=1)  # why the team accepts it: the review, not a shrug
    by: str | None = None
    date: str | None = None


class AcceptedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accepted: list[Accepted] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> AcceptedFile:
        reject_repeats([a.id for a in self.accepted], "accepted finding id")
        return self


@dataclass
class Review:
    """Findings still open, those accepted, and accepted ids that match no finding."""

    open: list[Finding]
    accepted: list[Finding]
    stale: list[str]


def apply_accepted(findings: list[Finding], path: Path) -> Review:
    """Split ``findings`` by the accepted-findings file at ``path``."""
    listed = {a.id for a in load_model(path, AcceptedFile).accepted}
    found = {f.id for f in findings}
    return Review(
        open=[f for f in findings if f.id not in listed],
        accepted=[f for f in findings if f.id in listed],
        stale=sorted(listed - found),
    )
