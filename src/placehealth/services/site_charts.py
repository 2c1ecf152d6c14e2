"""The site's charts, drawn once when a run writes its outputs, so pages only read files.

Drawing a chart costs from a tenth of a second to several seconds (a bar for
each of a few hundred small areas); a site with many people on it cannot draw
them per request. :func:`draw_charts` draws every chart the site shows for a run
(each indicator's compare, trend, inequality and map for each kind of area it has
values for, and the overview's spine chart for each neighbourhood), as SVG and
PNG, into ``charts/`` beside the indicator values, with an index naming each
chart's file, heading and description. The index carries the SHA-256 of the
indicator values it was drawn from, so the site uses it only while they are the
same; otherwise it draws (and keeps) charts itself from the same functions.
Drawing a chart in the site would also hold up every other request while it
draws (the renderer keeps Python's interpreter lock), so the run draws the PNG
downloads too, each from its SVG; the charts then take about seven times the
disk of the SVGs alone (0.66 GB for the 500,000-person benchmark's outputs). The
run works out every chart's spec first, then draws them in a process per core.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from placehealth.errors import UserError
from placehealth.services.progress import Progress
from placehealth.services.site_outputs import INDICATORS, SiteOutputs, open_outputs

# chart id → its heading on the page
CHARTS = {
    "compare": "Compare areas",
    "trend": "Trend over time",
    "inequality": "Inequality by deprivation decile",
    "map": "Map",
}
FORMATS = ("svg", "png")  # the pages show SVGs; PNGs are downloads
SPINE_AREAS = "neighbourhood"
FOLDER = "charts"
INDEX = "index.json"
MAX_WORKERS = 8
# charts of the whole place: the same whichever kind of area the page shows
PLACE_CHARTS = frozenset({"trend", "inequality"})


def chart_areas(chart: str, area_type: str) -> str:
    """The areas a chart draws for the page's kind of area: the place's own charts draw
    none in particular; the place's page compares and maps its neighbourhoods."""
    if chart in PLACE_CHARTS:
        return "place"
    return SPINE_AREAS if area_type == "place" else area_type


def chart_spec(
    outputs: SiteOutputs, indicator_id: str, chart: str, areas: str
) -> dict[str, Any] | None:
    """The chart's spec, or None where the indicator has no such chart (no deciles, no map)."""
    from placehealth.services import charts

    values = outputs.indicators_as_text
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "compare": lambda: charts.compare(values, indicator_id, area_type=areas),
        "trend": lambda: charts.trend(values, indicator_id),
        "inequality": lambda: charts.inequality(values, indicator_id),
        "map": lambda: charts.area_map(values, indicator_id, area_type=areas, place=outputs.place),
    }
    try:
        return builders[chart]()
    except (UserError, KeyError, ValueError, IndexError):
        return None


def spine_spec(outputs: SiteOutputs, area: str) -> dict[str, Any] | None:
    """The overview's spine chart of every indicator for one neighbourhood against the place."""
    from placehealth.services import charts

    try:
        return charts.overview(outputs.indicators_as_text, area=area, area_type=SPINE_AREAS)
    except (UserError, KeyError, ValueError, IndexError):
        return None


def spine_areas(outputs: SiteOutputs) -> list[tuple[str, str]]:
    """The neighbourhoods (code, name) a spine chart of the overview can show."""
    return list(_spine_areas(outputs, outputs.version))


@functools.lru_cache(maxsize=4)
def _spine_areas(outputs: SiteOutputs, _version: object) -> tuple[tuple[str, str], ...]:
    values = outputs.indicators
    rows = values[values["area_type"] == SPINE_AREAS][["area_code", "area_name"]]
    return tuple(
        (str(c), str(n))
        for c, n in rows.drop_duplicates("area_code")
        .sort_values("area_code")
        .itertuples(index=False)
    )


def values_digest(folder: Path) -> str:
    """The SHA-256 of the indicator values: the index is good for these values only."""
    digest = hashlib.sha256()
    with (folder / INDICATORS).open("rb") as values:
        for block in iter(lambda: values.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(spec: dict[str, Any], stem: Path, formats: tuple[str, ...]) -> None:
    from placehealth.charts.export import chart_bytes, png_of_svg

    stem.parent.mkdir(parents=True, exist_ok=True)
    svg = chart_bytes(spec, "svg")
    for fmt in formats:
        data = svg if fmt == "svg" else png_of_svg(svg)
        stem.with_name(f"{stem.name}.{fmt}").write_bytes(data)


def drawing_workers() -> int:
    """Processes that draw at once: one per core this process may use, at most
    :data:`MAX_WORKERS` (each holds its own renderer, about 150 MB)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _draw_all(
    jobs: list[tuple[dict[str, Any], Path]],
    formats: tuple[str, ...],
    progress: Progress | None,
) -> None:
    """Draw every job, in parallel processes where there is more than one core: the
    renderer holds Python's interpreter lock, so threads would draw one at a time."""
    workers = min(drawing_workers(), len(jobs))
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("drawing the site's charts", done, len(jobs))

    if workers <= 1:
        for spec, stem in jobs:
            _write(spec, stem, formats)
            step()
        return
    # the largest first, so no long chart is left to the end while other workers idle
    order = sorted(jobs, key=lambda job: -len(json.dumps(job[0])))
    spawn = multiprocessing.get_context("spawn")  # never fork a process holding DuckDB
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        futures = [pool.submit(_write, spec, stem, formats) for spec, stem in order]
        for future in as_completed(futures):
            future.result()
            step()


def draw_charts(
    folder: Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    indicators: list[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Draw every chart the site shows for the outputs in ``folder`` (or for ``indicators``
    only) as ``formats`` into ``folder/charts``, replaced whole so a reader never sees half
    of it; returns the index's path."""
    from placehealth.services.site_indicators import area_types

    outputs = open_outputs(folder)
    drawing = folder / f"{FOLDER}.drawing"
    shutil.rmtree(drawing, ignore_errors=True)
    index: dict[str, Any] = {"indicators_sha256": values_digest(folder), "charts": {}}
    drawn: dict[tuple[str, str, str], dict[str, str] | None] = {}
    jobs: list[tuple[dict[str, Any], Path]] = []
    ids = indicators or sorted(set(outputs.indicators["indicator_id"].astype(str)))
    for done, indicator_id in enumerate(ids):
        pages: dict[str, list[dict[str, str]]] = {}
        for area_type in area_types(outputs, indicator_id):
            pages[area_type] = []
            for chart, title in CHARTS.items():
                key = (indicator_id, chart, chart_areas(chart, area_type))
                if key not in drawn:
                    spec = chart_spec(outputs, *key)
                    entry = None
                    if spec is not None:
                        file = f"{indicator_id}/{chart}-{key[2]}"
                        jobs.append((spec, drawing / file))
                        entry = {"id": chart, "title": title, "file": file,
                                 "description": str(spec.get("description", title))}  # fmt: skip
                    drawn[key] = entry
                if drawn[key] is not None:
                    pages[area_type].append(drawn[key])  # type: ignore[arg-type]
        index["charts"][indicator_id] = pages
        if progress is not None:
            progress(f"charts of {indicator_id}", done + 1, len(ids))
    index["spine"] = {}
    for code, _ in spine_areas(outputs):
        spec = spine_spec(outputs, code)
        if spec is not None:
            jobs.append((spec, drawing / "spine" / code))
            index["spine"][code] = f"spine/{code}"
    _draw_all(jobs, formats, progress)
    drawing.mkdir(parents=True, exist_ok=True)
    (drawing / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
    target = folder / FOLDER
    shutil.rmtree(target, ignore_errors=True)
    drawing.rename(target)
    return target / INDEX


def read_index(folder: Path) -> dict[str, Any] | None:
    """The charts' index when it was drawn from the indicator values now in ``folder``."""
    path = folder / FOLDER / INDEX
    if not path.is_file():
        return None
    try:
        index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if index.get("indicators_sha256") == values_digest(folder) else None


def drawn_file(folder: Path, file: str, fmt: str) -> bytes | None:
    """A drawn chart's bytes, never from outside the charts folder."""
    root = (folder / FOLDER).resolve()
    path = (root / f"{file}.{fmt}").resolve()
    if fmt not in FORMATS or not path.is_relative_to(root) or not path.is_file():
        return None
    return path.read_bytes()
