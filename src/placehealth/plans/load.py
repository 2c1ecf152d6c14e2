"""Load plan folders: every ``*.yaml`` under a path, grouped by document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from placehealth.errors import InputFileError, ValidationError
from placehealth.plans.folders import in_data_folder
from placehealth.plans.model import Ambition, Document, PlanFile, PlanMap, Statement
from placehealth.yamlfile import load_model


@dataclass
class Plan:
    """All files of one document, merged; ``files`` says where each ambition lives."""

    document: Document
    ambitions: list[Ambition] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    maps: list[PlanMap] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # ambition id -> file

    @property
    def seed(self) -> str:
        return self.document.seed


def plan_files(path: Path) -> list[Path]:
    """The YAML files under ``path`` (a file or a folder), in a stable order; a plan's
    ``finance/``, ``bcf/``, ``risks/`` and ``activity/`` folders hold tables, not ambitions
    (:mod:`placehealth.finance`, :mod:`placehealth.activity`)."""
    if not path.exists():
        raise InputFileError("no such file or folder", file=path, hint="give a plan file or folder")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*.yaml") if p.is_file() and not in_data_folder(p, path))
    if not files:
        raise InputFileError("no plan files (*.yaml) found", file=path)
    return files


def load_plans(path: Path) -> list[Plan]:
    """Load and merge every plan file under ``path``; ids are unique within a document."""
    plans: dict[str, Plan] = {}
    for file in plan_files(path):
        parsed = load_model(file, PlanFile)
        doc = parsed.document
        plan = plans.get(doc.id)
        if plan is None:
            plan = plans[doc.id] = Plan(document=doc)
        elif plan.document != doc:
            raise ValidationError(
                f"document '{doc.id}' is described differently here than in another file",
                file=file,
                hint="every file of a plan folder repeats the same document block",
            )
        for ambition in parsed.ambitions:
            if ambition.id in plan.files:
                raise ValidationError(
                    f"ambition id '{ambition.id}' also appears in {plan.files[ambition.id]}",
                    file=file,
                )
            plan.files[ambition.id] = file
            plan.ambitions.append(ambition)
        plan.statements.extend(parsed.statements)
        if parsed.map is not None:
            plan.maps.append(parsed.map)
    return list(plans.values())
