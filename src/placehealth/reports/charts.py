"""Vega-Lite chart definitions: one per chart kind, rendered offline to SVG or PNG.

The same spec (a plain dict) goes into a web page with vega-embed or into a PDF as
SVG through vl-convert, so a chart looks the same everywhere. Text is set in
Liberation Sans, whose metrics the PDF renderer shares (DESIGN §3).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import vl_convert as vlc

FONT = "Liberation Sans"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = {  # Making Data Count palette
    "special_cause_improvement": "#41B6E6",
    "special_cause_concern": "#ED8B00",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
    "common_cause": "#A6A6A6",
    "insufficient_data": "#D9D9D9",
}
SHAPES = {  # point shapes, so the kinds of point differ in greyscale too
    "special_cause_improvement": "triangle-up",
    "special_cause_concern": "square",
    "special_cause_neutral_high": "diamond",
    "special_cause_neutral_low": "diamond",
    "common_cause": "circle",
    "insufficient_data": "circle",
}
# lines that must not be confused: limits fine dots, trajectory bold long dashes
LIMIT_LINE = {"color": "#231F20", "strokeDash": [1, 3], "strokeWidth": 1.2}
TRAJECTORY_LINE = {"strokeDash": [10, 4], "strokeWidth": 2.5}
LABELS = {
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral_high": "Special cause (neutral)",
    "special_cause_neutral_low": "Special cause (neutral)",
    "common_cause": "Common cause",
    "insufficient_data": "Too few points for limits",
}
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#EEEEEE"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    "title": {"fontSize": 13, "anchor": "start"},
}


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """JSON-safe rows: dates as ISO strings, NaN as null."""
    out = frame[columns].copy()
    for column in columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    records = out.to_dict(orient="records")
    return [
        {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in records
    ]


def _spec(title: str | None, layers: list[dict[str, Any]], data: list[dict[str, Any]],
          width: int, height: int) -> dict[str, Any]:  # fmt: skip
    return {
        "$schema": SCHEMA,
        "title": title or "",
        "width": width,
        "height": height,
        "data": {"values": data},
        "layer": layers,
        "config": CONFIG,
    }


def spc_chart(
    frame: pd.DataFrame,
    *,
    value: str = "value",
    date: str = "date",
    title: str | None = None,
    y_title: str = "Value",
    target: float | None = None,
    width: int = 560,
    height: int = 220,
) -> dict[str, Any]:
    """An XmR chart from :func:`placehealth.spc.xmr` output: points coloured by type,
    mean, process limits, and the target (or trajectory) where the frame has one."""
    columns = [date, value, "mean", "lpl", "upl", "point_type"]
    extra = [c for c in ("target", "expected") if c in frame.columns and frame[c].notna().any()]
    data = _records(
        frame.assign(label=frame["point_type"].map(LABELS)), [*columns, *extra, "label"]
    )
    x = {"field": date, "type": "temporal", "title": None}
    domain = list(dict.fromkeys(LABELS.values()))
    kinds = dict(zip(LABELS.values(), LABELS, strict=True)).values()
    colours = [COLOURS[k] for k in kinds]
    shapes = [SHAPES[k] for k in kinds]
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": "#7F7F7F", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {"field": value, "type": "quantitative", "title": y_title,
                                    "scale": {"zero": False}}}},
        {"mark": {"type": "line", "color": "#231F20", "strokeWidth": 1},
         "encoding": {"x": x, "y": {"field": "mean", "type": "quantitative"}}},
        {"mark": {"type": "line", **LIMIT_LINE},
         "encoding": {"x": x, "y": {"field": "lpl", "type": "quantitative"}}},
        {"mark": {"type": "line", **LIMIT_LINE},
         "encoding": {"x": x, "y": {"field": "upl", "type": "quantitative"}}},
        {"mark": {"type": "point", "filled": True, "size": 45},
         "encoding": {
             "x": x,
             "y": {"field": value, "type": "quantitative"},
             "color": {"field": "label", "type": "nominal", "title": None,
                       "scale": {"domain": domain, "range": colours[: len(domain)]}},
             "shape": {"field": "label", "type": "nominal", "title": None,
                       "scale": {"domain": domain, "range": shapes[: len(domain)]}},
             "tooltip": [{"field": date, "type": "temporal"},
                         {"field": value, "type": "quantitative", "format": ",.2f"},
                         {"field": "label", "type": "nominal", "title": "type"}],
         }},
    ]  # fmt: skip
    for column, colour in (("target", "#DA291C"), ("expected", "#005EB8")):
        if column in extra:
            layers.append({
                "mark": {"type": "line", "color": colour, **TRAJECTORY_LINE},
                "encoding": {"x": x, "y": {"field": column, "type": "quantitative"}},
            })  # fmt: skip
    if target is not None:
        layers.append({"mark": {"type": "rule", "color": "#DA291C", "strokeDash": [8, 4]},
                       "encoding": {"y": {"datum": target}}})  # fmt: skip
    return _spec(title, layers, data, width, height)


def trajectory_chart(
    series: pd.DataFrame,
    *,
    title: str | None = None,
    date: str = "start",
    value: str = "value",
    expected: str = "expected",
    width: int = 560,
    height: int = 200,
) -> dict[str, Any]:
    """Actuals (with confidence intervals where known) against the planned trajectory."""
    columns = [c for c in (date, value, expected, "lower", "upper") if c in series.columns]
    data = _records(series, columns)
    x = {"field": date, "type": "temporal", "title": None}
    layers: list[dict[str, Any]] = []
    if "lower" in columns and series["lower"].notna().any():
        layers.append({
            "mark": {"type": "area", "color": "#41B6E6", "opacity": 0.2},
            "encoding": {"x": x, "y": {"field": "lower", "type": "quantitative"},
                         "y2": {"field": "upper"}},
        })  # fmt: skip
    if expected in columns:
        layers.append({
            "mark": {"type": "line", "color": "#005EB8", **TRAJECTORY_LINE},
            "encoding": {"x": x, "y": {"field": expected, "type": "quantitative",
                                       "title": "Actual (solid) and trajectory (dashed)",
                                       "scale": {"zero": False}}},
        })  # fmt: skip
    layers.append({
        "mark": {"type": "line", "color": "#231F20", "point": {"filled": True, "size": 30}},
        "encoding": {"x": x, "y": {"field": value, "type": "quantitative",
                                   "scale": {"zero": False}},
                     "tooltip": [{"field": date, "type": "temporal"},
                                 {"field": value, "type": "quantitative", "format": ",.2f"}]},
    })  # fmt: skip
    return _spec(title, layers, data, width, height)


def comparison_chart(
    frame: pd.DataFrame,
    *,
    area: str = "area_code",
    value: str = "value",
    lower: str = "lower95_0cl",
    upper: str = "upper95_0cl",
    benchmark: float | None = None,
    title: str | None = None,
    width: int = 480,
) -> dict[str, Any]:
    """Areas side by side with 95% confidence intervals, and a benchmark line if given."""
    data = _records(frame, [area, value, lower, upper])
    y = {"field": area, "type": "nominal", "title": None, "sort": "-x"}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "rule", "color": "#7F7F7F"},
         "encoding": {"y": y, "x": {"field": lower, "type": "quantitative", "title": value},
                      "x2": {"field": upper}}},
        {"mark": {"type": "point", "filled": True, "color": "#005EB8", "size": 50},
         "encoding": {"y": y, "x": {"field": value, "type": "quantitative"},
                      "tooltip": [{"field": area}, {"field": value, "format": ",.2f"},
                                  {"field": lower, "format": ",.2f"},
                                  {"field": upper, "format": ",.2f"}]}},
    ]  # fmt: skip
    if benchmark is not None:
        layers.append({"mark": {"type": "rule", "color": "#DA291C", "strokeDash": [6, 3]},
                       "encoding": {"x": {"datum": benchmark}}})  # fmt: skip
    return _spec(title, layers, data, width, max(120, 18 * len(frame)))


def to_svg(spec: dict[str, Any], *, scale: float = 1.0) -> str:
    """Render a spec to SVG text, offline."""
    svg = vlc.vegalite_to_svg(spec)
    if scale != 1.0:
        svg = svg.replace("<svg ", f'<svg style="zoom:{scale}" ', 1)
    return svg


def to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """Render a spec to PNG bytes, offline."""
    return bytes(vlc.vegalite_to_png(spec, scale=scale))
