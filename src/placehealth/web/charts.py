"""The indicator page's charts, drawn by the chart functions (:mod:`placehealth.services.charts`).

The page lists the charts an indicator has for the chosen kind of area (compare
areas, trend with SPC, inequality by deprivation decile, map); each is served as
an image (SVG on the page, PNG or SVG to download), drawn once per version of the
outputs and kept.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from placehealth.errors import UserError
from placehealth.services.site_outputs import SiteOutputs

# chart id → its heading on the page
CHARTS = {
    "compare": "Compare areas",
    "trend": "Trend over time",
    "inequality": "Inequality by deprivation decile",
    "map": "Map",
}
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
SPINE_AREAS = "neighbourhood"


def spine_areas(outputs: SiteOutputs) -> list[tuple[str, str]]:
    """The neighbourhoods (code, name) a spine chart of the overview can show."""
    values = outputs.indicators
    rows = values[values["area_type"] == SPINE_AREAS][["area_code", "area_name"]]
    return [
        (str(c), str(n))
        for c, n in rows.drop_duplicates("area_code")
        .sort_values("area_code")
        .itertuples(index=False)
    ]


@functools.lru_cache(maxsize=64)
def _spine(outputs: SiteOutputs, _version: object, area: str, fmt: str) -> bytes | None:
    from placehealth.charts.export import chart_bytes
    from placehealth.services import charts

    try:
        spec = charts.overview(outputs.indicators_as_text, area=area, area_type=SPINE_AREAS)
    except (UserError, KeyError, ValueError, IndexError):
        return None
    return chart_bytes(spec, fmt)


def spine_image(outputs: SiteOutputs, area: str, fmt: str) -> bytes | None:
    """The overview's spine chart of every indicator for one neighbourhood against the place."""
    if fmt not in FORMATS or area not in {code for code, _ in spine_areas(outputs)}:
        return None
    return _spine(outputs, outputs.version, area, fmt)


def _builders(
    outputs: SiteOutputs, indicator_id: str, area_type: str
) -> dict[str, Callable[[], dict[str, Any]]]:
    from placehealth.services import charts

    values = outputs.indicators_as_text
    areas = "neighbourhood" if area_type == "place" else area_type
    return {
        "compare": lambda: charts.compare(values, indicator_id, area_type=areas),
        "trend": lambda: charts.trend(values, indicator_id),
        "inequality": lambda: charts.inequality(values, indicator_id),
        "map": lambda: charts.area_map(values, indicator_id, area_type=areas, place=outputs.place),
    }


@functools.lru_cache(maxsize=256)
def _spec(
    outputs: SiteOutputs, _version: object, indicator_id: str, area_type: str, chart: str
) -> dict[str, Any] | None:
    """The chart's spec, or None where the indicator has no such chart (no deciles, no map)."""
    try:
        return _builders(outputs, indicator_id, area_type)[chart]()
    except (UserError, KeyError, ValueError, IndexError):
        return None


def indicator_charts(
    outputs: SiteOutputs, indicator_id: str, area_type: str
) -> list[dict[str, Any]]:
    """The charts the indicator has for ``area_type``: id, heading and description each."""
    found = []
    for chart, title in CHARTS.items():
        spec = _spec(outputs, outputs.version, indicator_id, area_type, chart)
        if spec is not None:
            found.append(
                {"id": chart, "title": title, "description": str(spec.get("description", title))}
            )
    return found


@functools.lru_cache(maxsize=128)
def _drawn(
    outputs: SiteOutputs, version: object, indicator_id: str, area_type: str, chart: str, fmt: str
) -> bytes | None:
    from placehealth.charts.export import chart_bytes

    spec = _spec(outputs, version, indicator_id, area_type, chart)
    return None if spec is None else chart_bytes(spec, fmt)


def chart_image(
    outputs: SiteOutputs, indicator_id: str, area_type: str, chart: str, fmt: str
) -> bytes | None:
    """The chart drawn as ``fmt`` (svg or png), or None where there is no such chart."""
    if chart not in CHARTS or fmt not in FORMATS:
        return None
    return _drawn(outputs, outputs.version, indicator_id, area_type, chart, fmt)
