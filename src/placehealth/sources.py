"""Where a number came from: a seed document and a line range."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_LINES = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")


class Lines(BaseModel):
    """An inclusive line range in a source document, written ``1340`` or ``1340-1349``."""

    model_config = ConfigDict(frozen=True)

    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def _parse_lines(value: Any) -> Any:
    if isinstance(value, Lines | dict):
        return value
    if isinstance(value, int):
        return {"first": value, "last": value}
    if isinstance(value, str) and (m := _LINES.match(value)):
        first = int(m.group(1))
        last = int(m.group(2) or first)
        if last < first:
            raise ValueError(f"line range '{value}' runs backwards")
        return {"first": first, "last": last}
    raise ValueError(f"'{value}' is not a line or line range (write 1340 or 1340-1349)")


SourceLines = Annotated[Lines, BeforeValidator(_parse_lines)]


def cite(seed: str, lines: Lines | None) -> str:
    """'seed 000, 1340–1349' — the form used in findings and docs."""
    return f"seed {seed}" + (f", {lines}" if lines is not None else "")
