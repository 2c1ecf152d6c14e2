"""The indicator page's charts and the overview's spine chart, as images.

Each is read from the charts the run drew beside its outputs
(:mod:`placehealth.services.site_charts`) while they match the indicator values
(a PNG the run did not draw is made from its SVG); otherwise (outputs written
without them, or changed since) the site draws it with the same functions, once
per version of the outputs, and keeps it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from placehealth.services.site_charts import (
    CHARTS,
    SPINE_AREAS,
    chart_areas,
    chart_spec,
    drawn_file,
    read_index,
    spine_spec,
)
from placehealth.services.site_charts import spine_areas as spine_areas
from placehealth.services.site_outputs import SiteOutputs

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
__all__ = ["CHARTS", "FORMATS", "SPINE_AREAS", "chart_image", "indicator_charts", "spine_image"]


@functools.lru_cache(maxsize=8)
def _index(outputs: SiteOutputs, _version: object) -> dict[str, Any] | None:
    """The drawn charts' index for this version of the outputs, or None."""
    return read_index(outputs.folder)


def _drawn_index(outputs: SiteOutputs) -> dict[str, Any] | None:
    return _index(outputs, outputs.version)


def warm_charts(outputs: SiteOutputs) -> None:
    """Read the drawn charts' index (and check it against the values) before the first
    page asks for a chart."""
    _drawn_index(outputs)


@functools.lru_cache(maxsize=64)
def _spine(outputs: SiteOutputs, _version: object, area: str, fmt: str) -> bytes | None:
    from placehealth.charts.export import chart_bytes

    spec = spine_spec(outputs, area)
    return None if spec is None else chart_bytes(spec, fmt)


@functools.lru_cache(maxsize=64)
def _png_of_drawn(folder: Path, file: str, _version: object) -> bytes | None:
    """A PNG the run did not draw, made from the SVG it did (outputs drawn without PNGs)."""
    from placehealth.charts.export import png_of_svg

    svg = drawn_file(folder, file, "svg")
    return None if svg is None else png_of_svg(svg)


def _drawn_image(outputs: SiteOutputs, file: str, fmt: str) -> bytes | None:
    found = drawn_file(outputs.folder, file, fmt)
    if found is None and fmt == "png":
        found = _png_of_drawn(outputs.folder, file, outputs.version)
    return found


def spine_image(outputs: SiteOutputs, area: str, fmt: str) -> bytes | None:
    """The overview's spine chart of every indicator for one neighbourhood against the place."""
    if fmt not in FORMATS or area not in {code for code, _ in spine_areas(outputs)}:
        return None
    index = _drawn_index(outputs)
    if index is not None and area in index["spine"]:
        found = _drawn_image(outputs, index["spine"][area], fmt)
        if found is not None:
            return found
    return _spine(outputs, outputs.version, area, fmt)


@functools.lru_cache(maxsize=1024)
def _spec(
    outputs: SiteOutputs, _version: object, indicator_id: str, chart: str, areas: str
) -> dict[str, Any] | None:
    return chart_spec(outputs, indicator_id, chart, areas)


def _drawn_entries(
    outputs: SiteOutputs, indicator_id: str, area_type: str
) -> list[dict[str, str]] | None:
    index = _drawn_index(outputs)
    if index is None or indicator_id not in index["charts"]:
        return None
    entries: list[dict[str, str]] = index["charts"][indicator_id].get(area_type, [])
    return entries


def indicator_charts(
    outputs: SiteOutputs, indicator_id: str, area_type: str
) -> list[dict[str, Any]]:
    """The charts the indicator has for ``area_type``: id, heading and description each."""
    entries = _drawn_entries(outputs, indicator_id, area_type)
    if entries is not None:
        return [{k: e[k] for k in ("id", "title", "description")} for e in entries]
    found = []
    for chart, title in CHARTS.items():
        spec = _spec(outputs, outputs.version, indicator_id, chart, chart_areas(chart, area_type))
        if spec is not None:
            found.append(
                {"id": chart, "title": title, "description": str(spec.get("description", title))}
            )
    return found


@functools.lru_cache(maxsize=512)
def _drawn(
    outputs: SiteOutputs, version: object, indicator_id: str, chart: str, areas: str, fmt: str
) -> bytes | None:
    from placehealth.charts.export import chart_bytes

    spec = _spec(outputs, version, indicator_id, chart, areas)
    return None if spec is None else chart_bytes(spec, fmt)


def chart_image(
    outputs: SiteOutputs, indicator_id: str, area_type: str, chart: str, fmt: str
) -> bytes | None:
    """The chart drawn as ``fmt`` (svg or png), or None where there is no such chart."""
    if chart not in CHARTS or fmt not in FORMATS:
        return None
    entries = _drawn_entries(outputs, indicator_id, area_type)
    if entries is not None:
        entry = next((e for e in entries if e["id"] == chart), None)
        if entry is None:
            return None
        found = _drawn_image(outputs, entry["file"], fmt)
        if found is not None:
            return found
    areas = chart_areas(chart, area_type)
    return _drawn(outputs, outputs.version, indicator_id, chart, areas, fmt)
