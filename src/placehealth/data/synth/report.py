"""The calibration report: each seed fact, the generated value, and whether it is within ±10%.

Sampling noise is estimated by splitting the people into five groups (by a hash
of the NHS number), measuring each group on its own and taking the spread of
the five values: SE ≈ SD / √5 (counts are scaled up by five first). At 500,000
persons most targets have noise of a few per cent; at a test's 50,000 the rare
events (infant deaths, premature deaths by cause) have much more, which the
``slack`` of a check can allow for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from placehealth.data.synth.measures import MEASURES, open_extracts, restrict
from placehealth.data.synth.targets import PLACE, TARGETS, Target
from placehealth.errors import ValidationError

GROUPS = 5


@dataclass(frozen=True)
class Row:
    target: Target
    persons: int
    value: float
    rel_se: float  # relative standard error from sampling (NaN when unknown)

    @property
    def expected(self) -> tuple[float, float]:
        return self.target.at(self.persons)

    @property
    def within(self) -> bool:
        return self.target.within(self.value, self.persons)

    def within_noise(self, z: float = 3.0) -> bool:
        """Within ±10% widened by ``z`` standard errors of sampling noise."""
        slack = 0.0 if math.isnan(self.rel_se) else z * self.rel_se
        return self.target.within(self.value, self.persons, slack)

    @property
    def difference(self) -> float:
        """Relative distance from the target (0 inside a target range)."""
        low, high = self.expected
        if low <= self.value <= high:
            return 0.0
        edge = low if self.value < low else high
        return self.value / edge - 1

    def as_dict(self) -> dict[str, object]:
        low, high = self.expected
        return {
            "id": self.target.id,
            "name": self.target.name,
            "seed": self.target.seed,
            "unit": self.target.unit,
            "target_low": low,
            "target_high": high,
            "value": self.value,
            "difference": self.difference,
            "relative_se": None if math.isnan(self.rel_se) else self.rel_se,
            "within_10pct": self.within,
        }


def calibration(
    folder: Path, *, noise: bool = True, progress: Callable[[str], None] | None = None
) -> list[Row]:
    """Measure every target on the extracts in ``folder`` (written by ``placehealth synth``)."""
    con, manifest = open_extracts(folder)
    place = str(manifest.get("place", PLACE))
    if place != PLACE:
        con.close()
        raise ValidationError(
            f"the calibration targets are {PLACE}'s (its seeds), not {place}'s",
            file=folder / "manifest.json",
            hint=f"generate {PLACE} to check the calibration; docs/places.md says how "
            "another place is checked",
        )
    persons = int(manifest["persons"])  # type: ignore[call-overload]
    restrict(con, None, GROUPS)
    values = {}
    for target in TARGETS:
        values[target.id] = MEASURES[target.id](con)
        if progress is not None:
            progress(target.id)
    spread = {t.id: math.nan for t in TARGETS}
    if noise:
        parts: dict[str, list[float]] = {t.id: [] for t in TARGETS}
        for group in range(GROUPS):
            restrict(con, group, GROUPS)
            for target in TARGETS:
                parts[target.id].append(_safe(MEASURES[target.id], con))
            if progress is not None:
                progress(f"noise {group + 1}/{GROUPS}")
        for target in TARGETS:
            spread[target.id] = _relative_se(target, values[target.id], parts[target.id])
    con.close()
    return [Row(t, persons, values[t.id], spread[t.id]) for t in TARGETS]


def _safe(
    measure: Callable[[duckdb.DuckDBPyConnection], float], con: duckdb.DuckDBPyConnection
) -> float:
    """A group too small for a measure (e.g. no deaths in a band) gives NaN, not an error."""
    try:
        value = measure(con)
    except (ZeroDivisionError, KeyError, IndexError, ValueError):
        return math.nan
    return value


def _relative_se(target: Target, value: float, parts: list[float]) -> float:
    """SD of the group values (counts scaled to the whole) over √groups, relative to the value."""
    scaled = np.array(parts, dtype=float) * (GROUPS if target.scales else 1.0)
    scaled = scaled[np.isfinite(scaled)]
    if scaled.size < 3 or value == 0:
        return math.nan
    return float(np.std(scaled, ddof=1) / math.sqrt(GROUPS) / abs(value))
