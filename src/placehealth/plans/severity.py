"""How serious a plan-checker finding is: its own light module, so the CLI starts at once."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """``error``: the arithmetic is wrong; ``warning``: two statements disagree or a
    convention misleads; ``minor``: off by one unit of the last printed digit; ``note``:
    two numbers that look alike but need not agree (measured from different bases)."""

    ERROR = "error"
    WARNING = "warning"
    MINOR = "minor"
    NOTE = "note"
