"""Compare areas: each area's value as a bar with its 95% interval, against a benchmark.

Fingertips' 'compare areas' chart. Each bar is coloured by how the area compares with
the benchmark (``charts.significance``) and the same finding is written beside it
with a symbol, so the chart reads the same printed in grey. A dashed line marks the
benchmark. Blank (suppressed) values are listed with the reason rather than dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from placehealth.charts import style
from placehealth.charts.frames import number, records
from placehealth.charts.significance import significance

ONE_ROW: dict[str, Any] = {"values": [{}]}  # a mark drawn once, not once per area
BAR_HEIGHT = 18  # pixels per area: readable labels, a short chart for a dozen areas
KEY = (
    "Bars: value. Black lines: 95% confidence interval. Dashed line: {benchmark}. "
    "Colour and symbol: compared with {benchmark} at 95% and 99.8%."
)


def compare_chart(
    rows: pd.DataFrame,
    *,
    benchmark: float,
    benchmark_name: str,
    polarity: str | None,
    title: str,
    unit: str = "Value",
    width: int = 420,
) -> dict[str, Any]:
    """A bar per row of ``rows`` (long indicator columns: ``area_name``, ``value`` and
    the 95% and 99.8% limits), sorted from highest to lowest value."""
    frame = rows.copy()
    category = significance(frame, benchmark, polarity)
    by_key = [style.BY_KEY[k] for k in category]
    value = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame.assign(
        value=value,
        category=[c.label for c in by_key],
        note=[
            f"{c.symbol} {c.label}" if not np.isnan(v) else "value hidden (small numbers)"
            for c, v in zip(by_key, value.to_numpy(float), strict=True)
        ],
        shown=[number(v) for v in value.to_numpy(float)],
    )
    columns = ["area_name", "value", "lower95_0cl", "upper95_0cl", "category", "note", "shown"]
    data = records(frame[columns])
    order = frame.sort_values("value", ascending=False, na_position="last")["area_name"]
    y = {"field": "area_name", "type": "nominal", "title": None, "sort": list(order)}
    x_title = unit
    keys = list(dict.fromkeys(category))
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "stroke": style.BENCHMARK, "strokeWidth": 0.5},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": x_title},
                "color": {
                    "field": "category",
                    "type": "nominal",
                    "title": f"Compared with {benchmark_name}",
                    "scale": style.colour_scale(keys),
                },
                "tooltip": [
                    {"field": "area_name", "title": "Area"},
                    {"field": "shown", "title": "Value"},
                    {"field": "lower95_0cl", "title": "Lower 95% limit", "format": ",.1f"},
                    {"field": "upper95_0cl", "title": "Upper 95% limit", "format": ",.1f"},
                    {"field": "category", "title": "Compared with benchmark"},
                ],
            },
        },
        {
            "mark": {"type": "rule", "color": style.BENCHMARK, "strokeWidth": 1.2},
            "encoding": {
                "y": y,
                "x": {"field": "lower95_0cl", "type": "quantitative"},
                "x2": {"field": "upper95_0cl"},
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10},
            "encoding": {
                "y": y,
                "x": {"value": width},
                "text": {"field": "note"},
            },
        },
        {
            "data": ONE_ROW,
            "mark": {"type": "rule", "color": style.BENCHMARK, "strokeDash": [6, 3],
                     "strokeWidth": 1.5},
            "encoding": {"x": {"datum": benchmark}},
        },
        {
            "data": ONE_ROW,
            "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 3, "dy": -2,
                     "fontSize": 10},
            "encoding": {"x": {"datum": benchmark}, "y": {"value": 0},
                         "text": {"value": f"{benchmark_name}: {number(benchmark)}"}},
        },
    ]  # fmt: skip
    heading = {"text": title, "subtitle": KEY.format(benchmark=benchmark_name)}
    body = {
        "width": width,
        "height": max(60, BAR_HEIGHT * len(frame)),
        "layer": layers,
    }
    return style.spec(heading, body, data=data)
