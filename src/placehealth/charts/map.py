"""A map of the place's areas: each shaded by its value, or by how it compares with a benchmark.

Drawn from the place's boundary file (``charts.boundaries``). Values join on a feature
property: the area's own code, or the code of the larger area it lies in (an LSOA's
``neighbourhood``), so one LSOA file maps neighbourhoods and deciles too. Shading by
value uses five quantile classes (the legend gives each one's range) in viridis,
whose lightness changes steadily, so it reads in grey; by significance it uses the
charts' palette. Where there are few areas each is labelled with its value (and, for
significance, the symbol), so a printed map needs no colour to be read. Areas made of
several LSOAs have their border drawn. Areas without a value are pale grey.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd

from placehealth.charts import style
from placehealth.charts.frames import number, records
from placehealth.charts.significance import significance

LABEL_AT_MOST = 20  # more areas than this: no labels, they would cover the map
NO_VALUE = "#F2F2F2"


def value_classes(values: pd.Series, classes: int = 5) -> tuple[pd.Series, list[str]]:
    """Each value's class among ``classes`` of about as many areas each (quantiles),
    named by its range ('7,597.3 to 8,539.9'), so the legend says the numbers; and the
    names of all the classes, lowest first."""
    numbers = values.to_numpy(dtype=float)
    present = numbers[~np.isnan(numbers)]
    if present.size == 0:
        return pd.Series("", index=values.index), []
    edges = np.unique(np.quantile(present, np.linspace(0, 1, classes + 1)))
    at = np.clip(np.searchsorted(edges, numbers, side="right") - 1, 0, max(len(edges) - 2, 0))
    names = [f"{number(lo)} to {number(hi)}" for lo, hi in pairwise(edges)]
    names = names or [f"{number(edges[0])} to {number(edges[0])}"]
    out = pd.Series([names[i] for i in at], index=values.index)
    return out.where(~np.isnan(numbers), ""), names


def label_points(features: list[dict[str, Any]], key: str) -> pd.DataFrame:
    """A point inside each area of ``key`` to write its label at: the middle of its
    feature nearest the middle of them all, so a label never falls outside a crescent."""
    rows = []
    for feature in features:
        ring = np.asarray(feature["geometry"]["coordinates"][0][0], dtype=float)
        rows.append((str(feature["properties"].get(key)), *ring[:-1, :2].mean(axis=0)))
    points = pd.DataFrame(rows, columns=["area_code", "longitude", "latitude"])
    middle = points.groupby("area_code")[["longitude", "latitude"]].transform("mean")
    points["off"] = np.hypot(points["longitude"] - middle["longitude"],
                             points["latitude"] - middle["latitude"])  # fmt: skip
    nearest = points.sort_values("off", kind="stable").drop_duplicates("area_code")
    return nearest.sort_values("area_code")[["area_code", "longitude", "latitude"]]


def outlines(features: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The border of each area of ``key`` as a MultiLineString: the edges of its features
    that no other feature of the same area shares (features that meet share vertices,
    as those of one boundary file do). Drawn over the shading, it keeps two neighbouring
    areas apart when they are shaded alike."""
    count: dict[tuple[str, tuple[float, ...]], int] = {}
    for feature in features:
        area = str(feature["properties"].get(key))
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                for a, b in pairwise(ring):
                    ends = tuple(sorted([(round(a[0], 7), round(a[1], 7)),
                                         (round(b[0], 7), round(b[1], 7))]))  # fmt: skip
                    edge = (area, ends[0] + ends[1])
                    count[edge] = count.get(edge, 0) + 1
    lines: dict[str, list[list[list[float]]]] = {}
    for (area, (x1, y1, x2, y2)), n in count.items():
        if n == 1:
            lines.setdefault(area, []).append([[x1, y1], [x2, y2]])
    return [
        {"type": "Feature", "properties": {"area_code": area},
         "geometry": {"type": "MultiLineString", "coordinates": edges}}
        for area, edges in sorted(lines.items())
    ]  # fmt: skip


def map_chart(
    features: list[dict[str, Any]],
    rows: pd.DataFrame,
    *,
    key: str,
    title: str,
    unit: str = "Value",
    shade: Literal["value", "significance"] = "value",
    benchmark: float | None = None,
    benchmark_name: str = "benchmark",
    polarity: str | None = None,
    labels: bool = True,
    width: int = 480,
    height: int = 420,
) -> dict[str, Any]:
    """A choropleth of ``rows`` (``area_code``, ``area_name``, ``value`` and limits)
    over ``features`` (``boundaries.for_drawing``), joined on the feature property ``key``;
    ``labels=False`` for areas scattered over the map (deciles), whose labels would pile up."""
    frame = rows.assign(
        area_code=rows["area_code"].astype(str),
        value=pd.to_numeric(rows["value"], errors="coerce"),
    )
    frame["shown"] = [number(v) for v in frame["value"].to_numpy(float)]
    if shade == "significance":
        if benchmark is None:
            raise ValueError("shading by significance needs a benchmark")
        kinds = [style.BY_KEY[k] for k in significance(frame, benchmark, polarity)]
        frame["category"] = [k.label for k in kinds]
        frame["label"] = [f"{k.symbol} {s}" for k, s in zip(kinds, frame["shown"], strict=True)]
        colour: dict[str, Any] = {
            "field": "category", "type": "nominal",
            "title": f"Compared with {benchmark_name}",
            "scale": style.colour_scale([k.key for k in kinds]),
        }  # fmt: skip
    else:
        frame["category"], order = value_classes(frame["value"])
        frame["label"] = frame["shown"]
        colour = {"field": "category", "type": "ordinal", "title": unit,
                  "scale": {"domain": order, "range": style.VALUE_CLASSES[: len(order)]},
                  "legend": {"symbolType": "square"}}  # fmt: skip
    joined = records(frame[["area_code", "area_name", "value", "shown", "category", "label"]])
    lookup = {
        "lookup": f"properties.{key}",
        "from": {"data": {"values": joined}, "key": "area_code",
                 "fields": ["area_name", "value", "shown", "category"]},
    }  # fmt: skip
    shape = {"type": "geoshape", "stroke": "#FFFFFF", "strokeWidth": 0.4}
    layers: list[dict[str, Any]] = [
        {"mark": {**shape, "fill": NO_VALUE}},
        {"transform": [lookup, {"filter": "isValid(datum.value)"}],
         "mark": shape,
         "encoding": {"color": colour,
                      "tooltip": [{"field": "area_name", "title": "Area"},
                                  {"field": "shown", "title": unit},
                                  *([{"field": "category", "title": "Compared"}]
                                    if shade == "significance" else [])]}},
    ]  # fmt: skip
    if key != "code":  # areas made of several features: draw each area's border
        layers.append({"data": {"values": outlines(features, key)},
                       "mark": {"type": "geoshape", "filled": False, "stroke": "#231F20",
                                "strokeWidth": 1.2}})  # fmt: skip
    if labels and len(frame) <= LABEL_AT_MOST:
        points = label_points(features, key).merge(frame[["area_code", "label"]], on="area_code")
        where = {"longitude": {"field": "longitude", "type": "quantitative"},
                 "latitude": {"field": "latitude", "type": "quantitative"},
                 "text": {"field": "label"}}  # fmt: skip
        halo = {"stroke": "#FFFFFF", "strokeWidth": 3, "strokeJoin": "round"}
        layers.extend(
            {"data": {"values": records(points)},
             "mark": {"type": "text", "fontSize": 10, "fontWeight": "bold", **mark},
             "encoding": where}
            for mark in (halo, {"fill": "#000000"})
        )  # fmt: skip
    subtitle = "Pale grey: no value (hidden for small numbers or not calculated)."
    body = {
        "width": width,
        "height": height,
        "projection": {"type": "mercator"},
        "layer": layers,
    }
    out = style.spec({"text": title, "subtitle": subtitle}, body)
    out["data"] = {"values": features}
    return out
