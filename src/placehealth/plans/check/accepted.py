"""Accepted findings: a team's reviewed findings, silenced by their stable ids.

The file lists each finding id with the reason it was accepted, so a reviewed
finding stops reappearing in every run while staying on record. An id that no
longer matches a finding is reported (the plan or the checker changed), so the
file does not silently go stale.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.errors import ValidationError
from placehealth.plans.check.findings import Finding
from placehealth.tables import write_bytes
from placehealth.yamlfile import load_model, reject_repeats

HEADER = (
    "# Reviewed findings of `placehealth plan check`, each with why it is accepted\n"
    "# (placehealth plan check PLANS --accepted THIS_FILE leaves them out).\n"
)


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


def accepted_ids(path: Path) -> dict[str, Accepted]:
    """The findings accepted in the file at ``path`` by id (none when there is no file yet)."""
    if not path.is_file():
        return {}
    return {a.id: a for a in load_model(path, AcceptedFile).accepted}


def add_accepted(path: Path, entry: Accepted) -> None:
    """Add ``entry`` to the accepted-findings file at ``path`` (made if missing), refusing an
    id already there. Writers queue on a lock beside the file, and the file is replaced
    whole, so no reader sees half of it and no acceptance is lost; comments are not kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f".{path.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        listed = list(accepted_ids(path).values())
        if any(a.id == entry.id for a in listed):
            raise ValidationError(
                f"finding '{entry.id}' is already accepted", file=path, hint="nothing to do"
            )
        items = [a.model_dump(exclude_none=True) for a in [*listed, entry]]
        text = yaml.safe_dump({"accepted": items}, sort_keys=False, allow_unicode=True, width=100)
        write_bytes((HEADER + text).encode("utf-8"), path)
