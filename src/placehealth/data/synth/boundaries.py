"""Map boundaries for a synthetic place: one made-up polygon per synthetic LSOA.

A real place supplies its boundary file (``geography.boundaries`` in the place file);
a synthetic place has made-up LSOAs, so it gets made-up shapes. The place is a rough
oval, sized at about 0.4 km² an LSOA, cut into the Voronoi cells of one point per
LSOA: cells tile the outline exactly, with no overlap and no gap. Cells are numbered
along a Hilbert curve, which keeps consecutive cells close together, and each
neighbourhood (whose LSOAs the geography numbers consecutively) grows from the first
free cell along the curve through cells that share an edge, nearest first, so it is
one compact patch. Drawn from a fixed seed: the same place file always gives the same bytes.
The oval sits at a fixed, arbitrary longitude and latitude, and every feature says
it is synthetic.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, Delaunay

from placehealth.data.synth.geography import GEOGRAPHY_SEED, synthetic_geography
from placehealth.places import PlaceFile

CENTRE = (-2.0, 53.0)  # longitude, latitude: arbitrary, inland England
KM2_PER_LSOA = 0.4
KM_PER_DEGREE_LAT = 110.574
DECIMALS = 6  # about 0.1 m
Points = npt.NDArray[np.float64]


def _outline(rng: np.random.Generator, lsoas: int) -> Points:
    """A convex, slightly irregular oval (km, anticlockwise) of about the place's area."""
    area = lsoas * KM2_PER_LSOA
    a = math.sqrt(area / (math.pi * 0.75))
    angle = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    radius = rng.uniform(0.9, 1.1, angle.size)
    points = np.column_stack([a * radius * np.cos(angle), 0.75 * a * radius * np.sin(angle)])
    return points[ConvexHull(points).vertices]  # 2-D hull vertices run anticlockwise


def _inside(points: Points, polygon: Points) -> npt.NDArray[np.bool_]:
    """Points inside a convex anticlockwise polygon."""
    edges = np.roll(polygon, -1, axis=0) - polygon
    rel = points[:, None, :] - polygon[None, :, :]
    cross = edges[None, :, 0] * rel[:, :, 1] - edges[None, :, 1] * rel[:, :, 0]
    return np.asarray(np.all(cross > 0, axis=1), dtype=bool)


def _seeds(rng: np.random.Generator, outline: Points, n: int) -> Points:
    """``n`` well-spread points inside the outline: a jittered grid, thinned to ``n``."""
    low, high = outline.min(axis=0), outline.max(axis=0)
    step = math.sqrt(KM2_PER_LSOA) * 0.95
    while True:
        xs, ys = np.meshgrid(np.arange(low[0], high[0], step), np.arange(low[1], high[1], step))
        grid = np.column_stack([xs.ravel(), ys.ravel()]) + step / 2
        grid += rng.uniform(-0.3, 0.3, grid.shape) * step
        inside = grid[_inside(grid, outline)]
        if len(inside) >= n:
            keep = np.sort(rng.choice(len(inside), n, replace=False))
            return inside[keep]
        step *= 0.95


def _hilbert_order(points: Points, bits: int = 10) -> npt.NDArray[np.int64]:
    """The points' order along a Hilbert curve over their bounding box."""
    side = 1 << bits
    scaled = (points - points.min(axis=0)) / np.ptp(points, axis=0).max()
    x = np.minimum((scaled[:, 0] * (side - 1)).astype(np.int64), side - 1)
    y = np.minimum((scaled[:, 1] * (side - 1)).astype(np.int64), side - 1)
    d = np.zeros(len(points), dtype=np.int64)
    s = side // 2
    while s > 0:  # the classic xy-to-distance walk, on all points at once
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += s * s * ((3 * rx) ^ ry)
        flip = ~ry
        swap_x = np.where(flip & rx, s - 1 - x, x)
        swap_y = np.where(flip & rx, s - 1 - y, y)
        x, y = np.where(flip, swap_y, swap_x), np.where(flip, swap_x, swap_y)
        s //= 2
    return np.argsort(d, kind="stable")


def _clip(polygon: Points, normal: Points, offset: float) -> Points:
    """The part of a convex polygon where ``normal · p <= offset`` (Sutherland–Hodgman)."""
    side = polygon @ normal - offset
    out = []
    for i in range(len(polygon)):
        p, q = polygon[i], polygon[(i + 1) % len(polygon)]
        sp, sq = side[i], side[(i + 1) % len(polygon)]
        if sp <= 0:
            out.append(p)
        if (sp < 0 < sq) or (sq < 0 < sp):
            out.append(p + (q - p) * (sp / (sp - sq)))
    return np.array(out)


def voronoi_cells(points: Points, outline: Points) -> list[Points]:
    """Each point's Voronoi cell within the convex outline (anticlockwise polygons): the
    outline cut by the perpendicular bisector with each Delaunay neighbour."""
    indptr, neighbours = Delaunay(points).vertex_neighbor_vertices
    cells = []
    for i, p in enumerate(points):  # a loop over areas (a few hundred), not people
        cell = outline
        for j in neighbours[indptr[i] : indptr[i + 1]]:
            normal = points[j] - p
            cell = _clip(cell, normal, float(normal @ (points[j] + p) / 2))
        cells.append(cell)
    return cells


def _touching(cells: list[Points]) -> list[set[int]]:
    """For each cell, the cells sharing an edge with it (two vertices in common)."""
    keys = [{(round(x, 9), round(y, 9)) for x, y in cell} for cell in cells]
    owners: dict[tuple[float, float], list[int]] = {}
    for i, vertices in enumerate(keys):
        for vertex in vertices:
            owners.setdefault(vertex, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for members in owners.values():
        for a in members:
            for b in members:
                if a < b:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    out: list[set[int]] = [set() for _ in cells]
    for (a, b), n in shared.items():
        if n >= 2:
            out[a].add(b)
            out[b].add(a)
    return out


def _connected(cells: set[int], touching: list[set[int]]) -> bool:
    if not cells:
        return True
    start = next(iter(cells))
    seen, todo = {start}, [start]
    while todo:
        for other in touching[todo.pop()] & cells:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return len(seen) == len(cells)


def _patches(touching: list[set[int]], sizes: npt.NDArray[np.int64], points: Points) -> list[int]:
    """Cells for each neighbourhood in turn, grown from the first free cell along the
    Hilbert curve through touching cells, the nearest to that first cell first (a
    compact patch), never taking a cell that would cut the cells still free in two:
    every neighbourhood is one patch, the last one included."""
    free = set(range(len(touching)))
    out: list[int] = []
    for size in sizes:
        start = min(free)
        taken = [start]
        free.discard(start)
        while len(taken) < int(size):
            near = sorted({c for t in taken for c in touching[t]} & free)
            if not near:  # cannot happen while the free cells stay connected
                near = sorted(free)
            distance = np.hypot(*(points[near] - points[start]).T)
            frontier = [near[i] for i in np.argsort(distance, kind="stable")]
            cell = next((c for c in frontier if _connected(free - {c}, touching)), frontier[0])
            taken.append(cell)
            free.discard(cell)
        out += sorted(taken)
    return out


def _lonlat(cell: Points) -> list[list[float]]:
    """km from the centre → a closed GeoJSON ring of [longitude, latitude]."""
    lat0 = CENTRE[1]
    lon = CENTRE[0] + cell[:, 0] / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat0)))
    lat = lat0 + cell[:, 1] / KM_PER_DEGREE_LAT
    ring = np.round(np.column_stack([lon, lat]), DECIMALS).tolist()
    return [*ring, ring[0]]


def synthetic_boundaries(place: PlaceFile) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with a polygon for each of the place's synthetic LSOAs,
    its properties the LSOA's ``code`` and ``name``, its ``neighbourhood`` (code and
    name) and ``imd_decile``; outer rings anticlockwise (RFC 7946)."""
    geo = synthetic_geography(place)
    lsoa = geo.lsoa
    rng = np.random.default_rng([GEOGRAPHY_SEED, 1])
    outline = _outline(rng, len(lsoa))
    points = _seeds(rng, outline, len(lsoa))
    points = points[_hilbert_order(points)]
    cells = voronoi_cells(points, outline)
    sizes = np.bincount(geo.lsoa_neighbourhood)
    order = _patches(_touching(cells), sizes, points)  # LSOA i gets cell order[i]
    cells = [cells[i] for i in order]
    features = [
        {
            "type": "Feature",
            "properties": {
                "code": row.lsoa,
                "name": row.lsoa_name,
                "neighbourhood": row.neighbourhood,
                "neighbourhood_name": row.neighbourhood_name,
                "imd_decile": str(row.imd_decile),
                "synthetic": True,
            },
            "geometry": {"type": "Polygon", "coordinates": [_lonlat(cell)]},
        }
        for row, cell in zip(lsoa.itertuples(index=False), cells, strict=True)
    ]
    return {
        "type": "FeatureCollection",
        "name": f"{place.name} LSOAs (synthetic boundaries)",
        "features": features,
    }
