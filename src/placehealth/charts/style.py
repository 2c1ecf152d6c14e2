"""The charts' look: the board pack's fonts and layout, and one palette for significance.

Significance colours follow the Okabe–Ito colour-blind-safe set: blue for better,
orange for worse, purple for higher or lower where neither is better, grey for
similar. The darker shade marks a difference at 99.8%, the lighter one at 95%. Each
category also has a word and a point shape, so a chart printed in grey still says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placehealth.reports.charts import CONFIG, SCHEMA


@dataclass(frozen=True)
class Category:
    """One finding; its symbol is a glyph Liberation Sans has, so it prints in the chart font."""

    key: str
    label: str  # the word on the chart and in its legend
    colour: str
    shape: str  # Vega-Lite point shape
    symbol: str  # the same cue as text, before the label


CATEGORIES = (
    Category("better_998", "Better (99.8%)", "#0B4F8A", "triangle-up", "▲"),
    Category("better_95", "Better (95%)", "#56B4E9", "triangle-up", "▲"),
    Category("similar", "Similar", "#BFBFBF", "circle", "●"),
    Category("worse_95", "Worse (95%)", "#E69F00", "triangle-down", "▼"),
    Category("worse_998", "Worse (99.8%)", "#B34700", "triangle-down", "▼"),
    Category("higher_998", "Higher (99.8%)", "#5E3C99", "diamond", "↑"),
    Category("higher_95", "Higher (95%)", "#B2ABD2", "diamond", "↑"),
    Category("lower_95", "Lower (95%)", "#B2ABD2", "square", "↓"),
    Category("lower_998", "Lower (99.8%)", "#5E3C99", "square", "↓"),
    Category("not_compared", "Not compared", "#FFFFFF", "cross", "×"),
)
BY_KEY = {c.key: c for c in CATEGORIES}
BENCHMARK = "#231F20"  # near black: benchmark lines and marks
COMPARATOR = "#CC79A7"  # Okabe–Ito reddish purple, with its own shape
RANGE = "#D9D9D9"  # spine background: the range of areas
MIDDLE = "#A6A6A6"  # spine: the middle half of areas
# maps: five viridis classes, light (low) to dark (high), which read in grey too
VALUE_CLASSES = ["#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154"]


def colour_scale(keys: list[str]) -> dict[str, Any]:
    """A colour scale listing only the categories present, in the legend's order."""
    present = [c for c in CATEGORIES if c.key in keys]
    return {"domain": [c.label for c in present], "range": [c.colour for c in present]}


def shape_scale(keys: list[str]) -> dict[str, Any]:
    present = [c for c in CATEGORIES if c.key in keys]
    return {"domain": [c.label for c in present], "range": [c.shape for c in present]}


def spec(
    title: str | dict[str, Any], body: dict[str, Any], *, data: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A whole Vega-Lite spec: schema, title, data, the chart's body and the shared look."""
    out: dict[str, Any] = {"$schema": SCHEMA, "title": title, "description": describe(title)}
    if data is not None:
        out["data"] = {"values": data}
    out.update(body)
    legend: dict[str, Any] = {**CONFIG["legend"], "symbolStrokeColor": "#231F20"}  # type: ignore[dict-item]
    out["config"] = {**CONFIG, "legend": legend}
    return out


def describe(title: str | dict[str, Any]) -> str:
    """The chart's title and key as one sentence: the SVG's accessible name (aria-label),
    read out by a screen reader in place of the drawing."""
    if isinstance(title, str):
        return title
    subtitle = title.get("subtitle") or []
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return " ".join([f"{title.get('text', '')}.", *lines]).strip()
