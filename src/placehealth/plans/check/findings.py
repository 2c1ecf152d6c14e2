"""Findings: one disagreement each, with a stable id, both numbers and both sources."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from placehealth.plans.severity import Severity

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.MINOR: 2, Severity.NOTE: 3}


@dataclass
class Finding:
    id: str
    severity: Severity
    check: str
    document: str
    subject: str  # ambition id, statement key, section id...
    message: str
    stated: float | str | None = None
    expected: float | str | None = None
    sources: list[str] = field(default_factory=list)
    # why the numbers claim the same thing (same indicator, area and period; same fact)
    why: str = ""

    @property
    def difference(self) -> float | None:
        if isinstance(self.stated, int | float) and isinstance(self.expected, int | float):
            return float(self.stated) - float(self.expected)
        return None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["difference"] = self.difference
        return data


def decimals(value: float) -> int:
    """Decimal places a number was printed with (``71.0`` → 1, ``1677`` → 0)."""
    if isinstance(value, int) or (float(value).is_integer() and "." not in repr(value)):
        return 0
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def agrees(stated: float, computed: float, *, places: int | None = None) -> bool:
    """Does ``computed`` round to ``stated`` at the precision ``stated`` was printed?

    Strictly inside the rounding interval, so a computed 1.75 does not agree
    with a printed 1.7 (it would print as 1.8).
    """
    d = decimals(stated) if places is None else places
    half_unit = 0.5 * 10.0 ** (-d)
    return abs(stated - computed) < half_unit - 1e-9 * max(1.0, abs(stated))


def severity_for(stated: float, computed: float) -> Severity:
    """Within one unit of the last printed digit is minor (rounding); beyond is an error."""
    unit = 10.0 ** (-decimals(stated))
    return Severity.MINOR if abs(stated - computed) <= unit * (1 + 1e-9) else Severity.ERROR


def fmt(value: float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if math.isfinite(value) and float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 0.01:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
