"""A synthetic place written as extracts, and its calibration against the seeds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.errors import ValidationError
from placehealth.services.progress import Progress, counted

if TYPE_CHECKING:
    from placehealth.data.synth.report import Row

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class SynthRun:
    """What was generated and where: the place's name, its size and the files written."""

    place: str
    persons: int
    seed: int
    folder: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(int(f["rows"]) for f in self.manifest["files"].values())

    @property
    def files(self) -> int:
        return len(self.manifest["files"])


@dataclass(frozen=True)
class Calibration:
    """Each calibration target against the generated value, for the place generated."""

    place: str
    rows: list[Row]

    @property
    def missed(self) -> int:
        return sum(not r.within for r in self.rows)


def generate(
    out: Path,
    *,
    persons: int,
    seed: int = 1,
    place: str | None = None,
    fmt: str = "parquet",
    progress: Progress | None = None,
) -> SynthRun:
    """Simulate ``persons`` people of the place file ``place`` and write one extract a table."""
    from placehealth.data.synth.model import MAX_PERSONS, simulate
    from placehealth.data.synth.params import YEARS
    from placehealth.data.synth.write import write
    from placehealth.places import load_place

    the_place = load_place(place)
    if not 1_000 <= persons <= MAX_PERSONS:
        raise ValidationError(
            f"--persons must be between 1,000 and {MAX_PERSONS:,}",
            column="--persons",
            hint="the 999 test range of NHS numbers limits the population",
        )
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format '{fmt}'", column="--format", hint="parquet or csv")
    step = counted(progress, YEARS + 13)  # the simulated years, then a step a file written
    synthetic = simulate(persons, seed, progress=step, place=the_place)
    manifest = write(synthetic, out, fmt=fmt, progress=step)
    return SynthRun(the_place.name, persons, seed, out, manifest)


def calibrate(folder: Path, *, noise: bool = True, progress: Progress | None = None) -> Calibration:
    """Each target from the seeds, measured on the extracts in ``folder`` (±10% passes)."""
    from placehealth.data.synth.report import GROUPS, calibration
    from placehealth.data.synth.targets import PLACE, TARGETS
    from placehealth.places import load_place

    step = counted(progress, len(TARGETS) + (GROUPS if noise else 0))
    rows = calibration(folder, noise=noise, progress=step)
    return Calibration(load_place(PLACE).name, rows)
