"""Demand projection charts: a fan chart (P10–P90 band, P50 line, the plan's figures as
points) and a waterfall from baseline to projection, in the board pack's look."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from placehealth.charts.style import BENCHMARK, BY_KEY, COMPARATOR, spec

BAND = "#56B4E9"  # Okabe–Ito sky blue: the P10–P90 band
LINE = BY_KEY["better_998"].colour  # the P50 line
UP, DOWN = BY_KEY["worse_95"].colour, BY_KEY["better_95"].colour


def fan_chart(
    projection: pd.DataFrame,
    *,
    pod: str,
    measure: str = "activity",
    plan: pd.DataFrame | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """One point of delivery's projection by year: the 80% band, the median, and the
    provider plans' totals (if given) as crosses."""
    rows = projection[(projection["pod"] == pod) & (projection["measure"] == measure)]
    records: list[dict[Hashable, Any]] = rows.to_dict("records")
    data = [
        {k: int(r["year"]) if k == "year" else float(r[k]) for k in ("year", "p10", "p50", "p90")}
        for r in records
    ]
    x = {"field": "year", "type": "quantitative", "title": "Year",
         "axis": {"format": "d", "tickMinStep": 1}}  # fmt: skip
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "area", "color": BAND, "opacity": 0.45},
         "encoding": {"x": x, "y": {"field": "p10", "type": "quantitative", "title": measure},
                      "y2": {"field": "p90"}}},
        {"mark": {"type": "line", "color": LINE, "strokeWidth": 2},
         "encoding": {"x": x, "y": {"field": "p50", "type": "quantitative"}}},
    ]  # fmt: skip
    if plan is not None and not plan.empty:
        planned: list[dict[Hashable, Any]] = plan[plan["pod"] == pod].to_dict("records")
        points = [{"year": int(r["year"]), "plan": float(r["plan"]), "table": str(r["table"])}
                  for r in planned]  # fmt: skip
        layers.append(
            {"data": {"values": points},
             "mark": {"type": "point", "shape": "cross", "color": COMPARATOR, "size": 80,
                      "filled": True},
             "encoding": {"x": x, "y": {"field": "plan", "type": "quantitative"},
                          "tooltip": [{"field": "table"}, {"field": "plan", "format": ",.0f"}]}}
        )  # fmt: skip
    heading = {
        "text": title or f"{pod}: projected {measure}",
        "subtitle": "Band: P10 to P90 of the runs; line: P50"
        + ("; crosses: the provider plans' totals" if plan is not None and not plan.empty else ""),
    }
    return spec(heading, {"width": 520, "height": 260, "layer": layers}, data=data)


def waterfall_chart(
    waterfall: pd.DataFrame, *, pod: str, title: str | None = None
) -> dict[str, Any]:
    """From baseline to projection for one point of delivery: the baseline and projection
    as full bars, each step as a bar from the running total (up orange, down blue)."""
    rows = waterfall[waterfall["pod"] == pod]
    data, running = [], 0.0
    steps: list[dict[Hashable, Any]] = rows.to_dict("records")
    for r in steps:
        value = float(r["value"])
        if r["step"] in ("baseline", "projection"):
            start, end, kind = 0.0, value, "level"
            running = value
        else:
            start, end = running, running + value
            kind = "up" if value >= 0 else "down"
            running = end
        data.append({"step": r["step"], "start": start, "end": end, "value": value, "kind": kind})
    order = list(rows["step"])
    colours = {"domain": ["level", "up", "down"], "range": [BENCHMARK, UP, DOWN]}
    body = {
        "width": 520,
        "height": 260,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "step", "type": "nominal", "sort": order, "title": None,
                  "axis": {"labelAngle": 0}},
            "y": {"field": "start", "type": "quantitative", "title": "activity"},
            "y2": {"field": "end"},
            "color": {"field": "kind", "type": "nominal", "scale": colours, "legend": None},
            "tooltip": [{"field": "step"}, {"field": "value", "format": ",.0f"}],
        },
    }  # fmt: skip
    year = int(rows["year"].iloc[0]) if not rows.empty else ""
    heading = {"text": title or f"{pod}: from baseline to {year}",
               "subtitle": "At the steps' midpoints; orange adds, blue removes"}  # fmt: skip
    return spec(heading, body, data=data)
