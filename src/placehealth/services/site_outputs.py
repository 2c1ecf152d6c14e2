"""The published outputs a site shows: the folder the demo (or a place's own run) writes.

The site reads precomputed, disclosure-controlled tables only — the indicator
values, the plan summary, the checker's findings and each plan's status — never
record-level tables, so a page costs a look-up, not a query over people. Each
file is read once and kept until it changes on disk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from placehealth.errors import ConfigurationError
from placehealth.tables import read_table

if TYPE_CHECKING:
    from placehealth.places import PlaceFile

INDICATORS = "indicators.csv"
PLAN_SUMMARY = "plan_summary.csv"
FINDINGS = "plan_findings.csv"
STATUS_GLOB = "status-*.csv"
# the actuals a run drew a plan's board pack from (the records' values, synthetic stand-ins
# elsewhere): the site's board pack reads them while none are saved through the site
PACK_ACTUALS = "actuals-{plan}.csv"
PLACE = "place.txt"  # the place the run was for: an id, or a place file's absolute path
REQUIRED = (INDICATORS, PLAN_SUMMARY, FINDINGS)
RUN_DEMO_HINT = "run `placehealth demo` first, or name the folder a run wrote with --outputs"


@dataclass(frozen=True)
class SiteOutputs:
    """Where a run's outputs are; each table is read on first use and cached by its file."""

    folder: Path

    @property
    def indicators(self) -> pd.DataFrame:
        return _read(self.folder / INDICATORS)

    @property
    def indicators_as_text(self) -> pd.DataFrame:
        """The indicator values with every cell as text (codes keep their digits), as the
        chart functions read them (:func:`placehealth.services.charts.read_indicators`)."""
        return _read(self.folder / INDICATORS, text=True)

    @property
    def place(self) -> PlaceFile:
        """The place the run was for (its maps, its names); a folder that does not say is
        the default place's."""
        from placehealth.places import load_place

        named = self.folder / PLACE
        return load_place(named.read_text(encoding="utf-8").strip() if named.is_file() else None)

    @property
    def plan_summary(self) -> pd.DataFrame:
        return _read(self.folder / PLAN_SUMMARY)

    @property
    def findings(self) -> pd.DataFrame:
        return _read(self.folder / FINDINGS)

    def optional(self, name: str) -> pd.DataFrame | None:
        """A table a run may not have written (the population health outputs), cached like
        the others, or None when the folder lacks it."""
        path = self.folder / name
        return _read(path) if path.is_file() else None

    @property
    def version(self) -> tuple[tuple[str, int, int], ...]:
        """Each output file's name, change time and size: a new run gives a new version."""
        paths = [self.folder / name for name in REQUIRED]
        paths += sorted(self.folder.glob(STATUS_GLOB))
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)

    @property
    def plan_status(self) -> pd.DataFrame:
        """Every plan's status table the run wrote, one after another (empty if none)."""
        frames = [_read(path) for path in sorted(self.folder.glob(STATUS_GLOB))]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def warm(outputs: SiteOutputs, names: dict[str, str] | None = None) -> None:
    """Read every table the pages read, once, and work out what pages look up in them (the
    overview with the catalogue's ``names``, each indicator's rows, the neighbourhoods),
    before the first person asks: a site started over a large place's outputs otherwise
    makes its first visitors wait, and everyone else behind them."""
    from placehealth.services.overview import place_overview
    from placehealth.services.site_charts import spine_areas
    from placehealth.services.site_indicators import values_index

    for table in ("indicators", "indicators_as_text", "plan_summary", "findings", "plan_status"):
        getattr(outputs, table)
    values_index(outputs)
    spine_areas(outputs)
    if names is not None:
        place_overview(outputs, names)


def open_outputs(folder: Path) -> SiteOutputs:
    """The outputs in ``folder``, or one clear error naming what is missing."""
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise ConfigurationError(
            f"no outputs to show: {', '.join(missing)} missing in {folder}",
            hint=RUN_DEMO_HINT,
        )
    return SiteOutputs(folder.resolve())


def _read(path: Path, *, text: bool = False) -> pd.DataFrame:
    stat = path.stat()
    return _read_version(path, stat.st_mtime_ns, stat.st_size, text)


@functools.lru_cache(maxsize=16)
def _read_version(path: Path, _mtime: int, _size: int, text: bool) -> pd.DataFrame:
    """One version of a file (the change time and size key the cache)."""
    return read_table(path, text=text)
