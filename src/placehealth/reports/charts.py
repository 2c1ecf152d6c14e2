"""Vega-Lite chart definitions: one per chart kind, rendered offline to SVG or PNG.

The same spec (a plain dict) goes into a web page with vega-embed or into a PDF as
SVG through vl-convert, so a chart looks the same everywhere. Text is set in
Liberation Sans, whose metrics the PDF renderer shares (DESIGN §3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import vl_convert as vlc

from placehealth.errors import ValidationError
from placehealth.tables import write_bytes

FONT = "Liberation Sans"
CHART_SUFFIXES = (".svg", ".png", ".html")
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
GROUP = "_limit_group"  # the chart's own column: runs of points under one set of limits
SPC_KEY = "Solid line: mean. Dotted lines: process limits. Red dashed line: target."
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
    group: str | None = None,
) -> dict[str, Any]:
    """An XmR chart from :func:`placehealth.spc.xmr` output: points coloured by type,
    mean, process limits, and the target (or trajectory) where the frame has one.

    ``group`` names a column numbering the runs of points under one set of limits
    (rebase groups): the mean and limits are then drawn as separate steps.
    """
    columns = [date, value, "mean", "lpl", "upl", "point_type", *([group] if group else [])]
    extra = [c for c in ("target", "expected") if c in frame.columns and frame[c].notna().any()]
    data = _records(
        frame.assign(label=frame["point_type"].map(LABELS)), [*columns, *extra, "label"]
    )
    x = {"field": date, "type": "temporal", "title": None}
    steps = {"detail": {"field": group, "type": "nominal"}} if group else {}
    domain = list(dict.fromkeys(LABELS.values()))
    kinds = dict(zip(LABELS.values(), LABELS, strict=True)).values()
    colours = [COLOURS[k] for k in kinds]
    shapes = [SHAPES[k] for k in kinds]
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": "#7F7F7F", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {"field": value, "type": "quantitative", "title": y_title,
                                    "scale": {"zero": False}}}},
        {"mark": {"type": "line", "color": "#231F20", "strokeWidth": 1},
         "encoding": {"x": x, "y": {"field": "mean", "type": "quantitative"}, **steps}},
        {"mark": {"type": "line", **LIMIT_LINE},
         "encoding": {"x": x, "y": {"field": "lpl", "type": "quantitative"}, **steps}},
        {"mark": {"type": "line", **LIMIT_LINE},
         "encoding": {"x": x, "y": {"field": "upl", "type": "quantitative"}, **steps}},
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


def spc_panels(
    result: pd.DataFrame,
    *,
    value: str,
    date: str,
    by: Sequence[str] = (),
    target: float | str | None = None,
    width: int = 560,
    height: int = 200,
) -> dict[str, Any]:
    """One :func:`spc_chart` per series of :func:`placehealth.spc.xmr` output, stacked.

    Each panel is titled by its series (``area = A``); a target column is drawn as a
    line, a single target as a rule.
    """
    from placehealth.spc.summary import limit_groups

    keys = list(by)
    frame = result.copy()
    frame[date] = pd.to_datetime(result[date])
    frame[GROUP] = limit_groups(result, keys)
    if isinstance(target, str):
        frame = frame.assign(target=pd.to_numeric(result[target], errors="coerce"))
    goal = None if isinstance(target, str) else target
    groups = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    panels = []
    for label, rows in groups:
        labels = label if isinstance(label, tuple) else (label,)
        title = ", ".join(f"{k} = {v}" for k, v in zip(keys, labels, strict=True)) or value
        spec = spc_chart(rows, value=value, date=date, title=title, y_title=value,
                         target=goal, width=width, height=height, group=GROUP)  # fmt: skip
        panels.append({k: v for k, v in spec.items() if k not in ("$schema", "config")})
    if len(panels) == 1:
        heading: dict[str, Any] = {"text": panels[0].pop("title"), "subtitle": SPC_KEY}
        return {"$schema": SCHEMA, **panels[0], "title": heading, "config": CONFIG}
    heading = {"text": f"{value}: XmR charts", "subtitle": SPC_KEY}
    return {"$schema": SCHEMA, "title": heading, "vconcat": panels, "config": CONFIG}


def check_chart_path(path: Path) -> None:
    """Refuse a chart file type we cannot draw before any work is done."""
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise ValidationError(
            f"unsupported chart type '{path.suffix}'",
            column="--chart",
            hint="use .svg, .png or .html",
        )


def render(spec: dict[str, Any], suffix: str) -> bytes:
    """The chart's file bytes: SVG, PNG (2x, for print) or a self-contained HTML page.

    The HTML page carries the Vega libraries inside it, so it opens offline.
    """
    suffix = suffix.lower()
    if suffix == ".svg":
        return to_svg(spec).encode("utf-8")
    if suffix == ".png":
        return to_png(spec)
    if suffix == ".html":
        return str(vlc.vegalite_to_html(spec, bundle=True)).encode("utf-8")
    raise ValidationError(
        f"unsupported chart type '{suffix}'", column="--chart", hint="use .svg, .png or .html"
    )


def write_chart(spec: dict[str, Any], path: str | Path) -> Path:
    """Write a chart by its file's suffix (.svg, .png or .html), whole or not at all."""
    path = Path(path)
    check_chart_path(path)
    return write_bytes(render(spec, path.suffix), path)
