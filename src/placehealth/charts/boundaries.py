"""Area boundaries for maps: a GeoJSON FeatureCollection the place supplies, checked.

Each feature is one area (an LSOA, say) as a Polygon or MultiPolygon in longitude and
latitude (RFC 7946), with properties naming it: the property the map joins values on
(``code`` by default) and, optionally, the larger areas it lies in (``neighbourhood``),
so one file draws every area type. A bad file stops with one message naming the file,
the feature and what is wrong, before anything is drawn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from placehealth.errors import ValidationError

GEOMETRIES = ("Polygon", "MultiPolygon")


def load_boundaries(path: str | Path, *, key: str = "code") -> dict[str, Any]:
    """The file's FeatureCollection, each feature checked (see :func:`check_boundaries`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read the boundary file: {exc}", file=path) from None
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"not valid JSON: {exc.msg}", file=path, line=exc.lineno, hint="a GeoJSON file"
        ) from None
    check_boundaries(collection, key=key, source=path)
    return dict(collection)


def check_boundaries(collection: Any, *, key: str = "code", source: str | Path = "") -> None:
    """Refuse what a map cannot draw: not a FeatureCollection, no features, a feature
    without a polygon or without ``key``, a ring that is not closed or has fewer than four
    positions, a position that is not a longitude and latitude, or a code given twice."""

    def fail(message: str, hint: str | None = None) -> ValidationError:
        return ValidationError(message, file=source or None, hint=hint)

    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise fail("not a GeoJSON FeatureCollection", 'the top level needs "type": '
                   '"FeatureCollection"')  # fmt: skip
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise fail("the FeatureCollection has no features")
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise fail(f"{where} is not a GeoJSON Feature")
        properties = feature.get("properties") or {}
        code = properties.get(key) if isinstance(properties, dict) else None
        if code is None or str(code).strip() == "":
            raise fail(f"{where} has no '{key}' property", "each area needs its code")
        if str(code) in seen:
            raise fail(f"{where}: area '{code}' appears twice")
        seen.add(str(code))
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in GEOMETRIES:
            raise fail(f"{where} ('{code}'): geometry is {kind or 'missing'}",
                       "areas are Polygon or MultiPolygon")  # fmt: skip
        assert isinstance(geometry, dict)
        polygons = geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [polygons]
        if not isinstance(polygons, list) or not polygons:
            raise fail(f"{where} ('{code}'): no coordinates")
        for polygon in polygons:
            if not isinstance(polygon, list) or not polygon:
                raise fail(f"{where} ('{code}'): a polygon has no rings")
            for ring in polygon:
                problem = _ring_problem(ring)
                if problem:
                    raise fail(f"{where} ('{code}'): {problem}")


def _ring_problem(ring: Any) -> str | None:
    """What is wrong with one ring of positions, or None."""
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring needs at least four positions"
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position)
        ):
            return f"position {position!r} is not [longitude, latitude]"
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            return f"position {position!r} is outside longitude -180…180, latitude -90…90"
    if ring[0][:2] != ring[-1][:2]:
        return "a ring is not closed (its last position must repeat its first)"
    return None


def ring_area(ring: list[list[float]]) -> float:
    """Signed area of a ring in its own units (shoelace): positive anticlockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip((p[:2] for p in ring[:-1]), (p[:2] for p in ring[1:]),
                                  strict=True):  # fmt: skip
        total += x1 * y2 - x2 * y1
    return total / 2


def for_drawing(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """The features with outer rings clockwise and holes anticlockwise, as the chart
    renderer (d3-geo) reads them; GeoJSON files (RFC 7946) wind the other way, which
    it would draw as the whole world but the area."""
    out = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        wound = [
            [ring if (ring_area(ring) < 0) == (i == 0) else ring[::-1] for i, ring in
             enumerate(polygon)]
            for polygon in polygons
        ]  # fmt: skip
        shape = {"type": "MultiPolygon", "coordinates": wound}
        out.append({"type": "Feature", "properties": feature.get("properties") or {},
                    "geometry": shape})  # fmt: skip
    return out
