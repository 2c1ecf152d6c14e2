"""Boundary files: a supplied GeoJSON is checked; a synthetic place's are generated, tiling it."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from placehealth.charts.boundaries import (
    check_boundaries,
    for_drawing,
    load_boundaries,
    ring_area,
)
from placehealth.data.synth.boundaries import synthetic_boundaries
from placehealth.data.synth.geography import synthetic_geography
from placehealth.errors import ValidationError
from placehealth.places import load_place

SQUARE = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]  # anticlockwise


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code: str | None = "A", ring: Any = SQUARE, kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code},
            "geometry": {"type": kind, "coordinates": [ring]}}  # fmt: skip


def _write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "areas.geojson"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_a_good_file_loads(tmp_path: Path) -> None:
    loaded = load_boundaries(_write(tmp_path, _collection(_feature("A"), _feature("B"))))
    assert [f["properties"]["code"] for f in loaded["features"]] == ["A", "B"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (_collection(), "has no features"),
        (_collection(_feature(None)), "feature 1 has no 'code' property"),
        (_collection(_feature("A"), _feature("A")), "feature 2: area 'A' appears twice"),
        (_collection(_feature("A", kind="LineString")), "geometry is LineString"),
        (_collection(_feature("A", SQUARE[:3])), "at least four positions"),
        (_collection(_feature("A", [*SQUARE[:4], [0.5, 0.5]])), "not closed"),
        (_collection(_feature("A", [[0, 0], [200, 0], [0, 1], [0, 0]])), "outside longitude"),
        (_collection(_feature("A", [[0, 0], ["x", 0], [0, 1], [0, 0]])), "not [longitude"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_fault(
    tmp_path: Path, content: Any, says: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ValidationError) as caught:
        load_boundaries(path)
    assert says in str(caught.value)
    assert str(path) in str(caught.value)


def test_rings_are_wound_as_the_renderer_reads_them() -> None:
    hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.4], [0.2, 0.2]]  # anticlockwise
    feature = _feature()
    feature["geometry"]["coordinates"] = [SQUARE, hole]
    (drawn,) = for_drawing(_collection(feature))
    outer, inner = drawn["geometry"]["coordinates"][0]
    assert ring_area(outer) < 0 < ring_area(inner)  # outer clockwise, hole anticlockwise
    assert drawn["geometry"]["type"] == "MultiPolygon"


# --- the synthetic place's boundaries


@pytest.fixture(scope="module", params=["liverpool", "sefton"])
def generated(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return request.param, synthetic_boundaries(load_place(request.param))


def _rings(collection: dict[str, Any]) -> list[np.ndarray]:
    return [np.asarray(f["geometry"]["coordinates"][0]) for f in collection["features"]]


def test_generation_is_deterministic(generated: tuple[str, dict[str, Any]]) -> None:
    name, collection = generated
    again = synthetic_boundaries(load_place(name))
    assert json.dumps(again, sort_keys=True) == json.dumps(collection, sort_keys=True)


def test_every_synthetic_lsoa_has_one_polygon_with_its_areas(
    generated: tuple[str, dict[str, Any]],
) -> None:
    name, collection = generated
    lsoa = synthetic_geography(load_place(name)).lsoa
    props = [f["properties"] for f in collection["features"]]
    assert [p["code"] for p in props] == list(lsoa["lsoa"])
    assert [p["neighbourhood"] for p in props] == list(lsoa["neighbourhood"])
    assert [p["imd_decile"] for p in props] == [str(d) for d in lsoa["imd_decile"]]
    assert all(p["synthetic"] is True for p in props)
    check_boundaries(collection)  # the same checks a supplied file gets


def _cross(a: np.ndarray, b: np.ndarray, p: np.ndarray) -> np.ndarray:
    return (b[0] - a[0]) * (p[:, 1] - a[1]) - (b[1] - a[1]) * (p[:, 0] - a[0])


def test_polygons_are_convex_anticlockwise_and_tile_without_overlap(
    generated: tuple[str, dict[str, Any]],
) -> None:
    """Each cell is convex and anticlockwise (RFC 7946); the areas add up to the outline's
    (the convex hull of every vertex), and random points inside it each fall in exactly
    one cell: no overlap, no gap."""
    from scipy.spatial import ConvexHull

    _, collection = generated
    rings = _rings(collection)
    for ring in rings:
        edges = np.diff(ring, axis=0)
        turn = edges[:-1, 0] * edges[1:, 1] - edges[:-1, 1] * edges[1:, 0]
        assert (turn > -1e-12).all()  # convex, anticlockwise (collinear allowed)
        assert ring_area(ring.tolist()) > 0
    vertices = np.vstack(rings)
    hull = ConvexHull(vertices)
    total = sum(ring_area(r.tolist()) for r in rings)
    # coordinates are rounded to 6 decimals: the outline can move by 0.5e-6 along its edge
    assert total == pytest.approx(hull.volume, abs=hull.area * 1e-6)  # 2-D: area is perimeter
    rng = np.random.default_rng(0)
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    points = rng.uniform(low, high, (20_000, 2))
    equations = hull.equations
    inside = (points @ equations[:, :2].T + equations[:, 2] < -1e-9).all(axis=1)
    points = points[inside]
    count = np.zeros(len(points), dtype=int)
    for ring in rings:
        within = np.ones(len(points), dtype=bool)
        for a, b in pairwise(ring):
            within &= _cross(a, b, points) > 0
        count += within
    assert (count == 1).mean() > 0.9999  # a point exactly on an edge is in none
    assert count.max() == 1


def test_each_neighbourhood_is_one_patch(generated: tuple[str, dict[str, Any]]) -> None:
    """Cells sharing an edge (two vertices) are neighbours; each neighbourhood's cells
    are connected through its own cells."""
    _, collection = generated
    features = collection["features"]
    vertices = [{tuple(p) for p in f["geometry"]["coordinates"][0]} for f in features]
    by_nb: dict[str, list[int]] = {}
    for i, f in enumerate(features):
        by_nb.setdefault(f["properties"]["neighbourhood"], []).append(i)
    for members in by_nb.values():
        seen, todo = {members[0]}, [members[0]]
        while todo:
            i = todo.pop()
            for j in members:
                if j not in seen and len(vertices[i] & vertices[j]) >= 2:
                    seen.add(j)
                    todo.append(j)
        assert seen == set(members)
