"""The condition code list: which diagnosis codes the warehouse accepts, and their groups.

Kept as a versioned YAML file (``codelists/conditions.yaml``) with its source
and purpose. SNOMED CT ids are matched exactly; ICD-10 codes by prefix (the one
rule of :mod:`placehealth.icd10`), the most specific prefix deciding the group.
Lookups run over the distinct codes of an extract (a few thousand at most), so
the per-code Python here never meets the millions of rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from placehealth import icd10
from placehealth.yamlfile import load_model

FOLDER = Path(__file__).parent / "codelists"


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    snomed: list[str] = Field(min_length=1)
    icd10: list[str] = Field(min_length=1)


class ConditionList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    version: str
    purpose: str
    source: str
    conditions: list[Condition] = Field(min_length=1)

    def ids(self) -> list[str]:
        return [c.id for c in self.conditions]

    def group_of(self, system: str, code: str) -> str | None:
        """The condition group of one code, or None when the list does not know it."""
        if system == "snomed":
            for condition in self.conditions:
                if code.strip() in condition.snomed:
                    return condition.id
            return None
        best: tuple[int, str] | None = None
        for condition in self.conditions:
            prefix = icd10.longest_match(code, condition.icd10)
            if prefix is not None and (best is None or len(prefix) > best[0]):
                best = (len(prefix), condition.id)
        return best[1] if best else None

    def map_codes(self, codes: pd.DataFrame) -> pd.DataFrame:
        """Add ``condition`` to a frame of distinct (code_system, code) pairs."""
        groups = [
            self.group_of(s, c) for s, c in zip(codes["code_system"], codes["code"], strict=True)
        ]
        return codes.assign(condition=pd.Series(groups, index=codes.index, dtype=object))


@cache
def condition_list() -> ConditionList:
    return load_model(FOLDER / "conditions.yaml", ConditionList)
