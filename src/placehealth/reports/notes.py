"""Leads' narrative for exception pages, kept in a YAML file beside the plan.

```yaml
emergency-admissions:            # an ambition id
  lead: Jane Smith, Urgent Care Programme Lead
  narrative: |
    Admissions rose after the winter surge; the frailty unit opens in May.
ccg-2014/dementia: Diagnosis clinics restart in April.   # narrative only; document-qualified
```

A key is an ambition id, or ``document/ambition`` where two plans in the pack
share an id. A key that names no ambition in the pack is an error, so a typo
does not silently drop a lead's words from a board paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel

from placehealth.errors import ValidationError
from placehealth.plans.load import Plan
from placehealth.yamlfile import load_model, load_yaml


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    narrative: str = Field(min_length=1)
    lead: str | None = None


class NotesFile(RootModel[dict[str, Note | str]]):
    """Ambition id → narrative (text) or ``{narrative, lead}``."""


@dataclass(frozen=True)
class Narrative:
    narrative: str
    lead: str | None = None


def load_notes(path: Path, plans: list[Plan]) -> dict[tuple[str, str], Narrative]:
    """Notes keyed by (document id, ambition id); unknown or ambiguous keys are errors."""
    _require_mapping(path)
    parsed = load_model(path, NotesFile)
    owners: dict[str, list[str]] = {}
    for plan in plans:
        for a in plan.ambitions:
            owners.setdefault(a.id, []).append(plan.document.id)
    out: dict[tuple[str, str], Narrative] = {}
    for key, value in parsed.root.items():
        document, _, ambition = key.rpartition("/")
        documents = owners.get(ambition, [])
        if document:
            documents = [d for d in documents if d == document]
        if not documents:
            known = sorted(owners)
            raise ValidationError(
                f"'{key}' is not an ambition in this plan",
                file=path,
                line=_key_line(path, key),
                hint="use an ambition id from the plan"
                + (f", e.g. {', '.join(known[:5])}" if known else ""),
            )
        if len(documents) > 1:
            raise ValidationError(
                f"ambition '{key}' is in several plans ({', '.join(documents)})",
                file=path,
                line=_key_line(path, key),
                hint=f"write it as {documents[0]}/{ambition}",
            )
        note = value if isinstance(value, Note) else Note(narrative=value)
        out[(documents[0], ambition)] = Narrative(note.narrative.strip(), note.lead)
    return out


def _key_line(path: Path, key: str) -> int | None:
    """The line of ``key`` itself (its value may start on the next line)."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return int(k.start_mark.line) + 1
    return None


def _require_mapping(path: Path) -> None:
    data: Any = load_yaml(path)
    if not isinstance(data, dict):
        raise ValidationError(
            "a notes file maps ambition ids to narrative"
            + (" (the file is empty)" if data is None else ""),
            file=path,
            hint="write lines like 'emergency-admissions: {lead: Name, narrative: Text}'",
        )
