"""Charts to files: PNG (for documents and print) and SVG (for the web), offline.

The board pack's renderer (vl-convert, in ``placehealth.reports.charts``) draws them,
so a chart looks the same in a pack, a page and a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from placehealth.errors import ValidationError
from placehealth.reports.charts import render, to_png
from placehealth.tables import write_bytes

FORMATS = ("png", "svg")
# PNG pixels per chart pixel: 1.5 prints a chart a page wide at about 150 dpi, as the
# board pack's do, and draws in half the time of 2
PNG_SCALE = 1.5


def chart_bytes(spec: dict[str, Any], fmt: str) -> bytes:
    """The chart as PNG (1.5 times the size, for print) or SVG bytes; an SVG carries the
    spec's description as its accessible name (``role="img"``, ``aria-label``, ``<title>``)."""
    if fmt not in FORMATS:
        raise ValidationError(f"unknown chart format '{fmt}'", hint="png or svg")
    data = to_png(spec, scale=PNG_SCALE) if fmt == "png" else render(spec, ".svg")
    name = spec.get("description")
    if fmt == "svg" and name:  # the drawing's accessible name, for screen readers
        text = escape(str(name), quote=True)
        svg = data.decode("utf-8")
        head = svg.index(">", svg.index("<svg")) + 1
        svg = (svg[:head].replace("<svg ", f'<svg role="img" aria-label="{text}" ', 1)
               + f"<title>{text}</title>" + svg[head:])  # fmt: skip
        data = svg.encode("utf-8")
    return data


def png_of_svg(svg: bytes) -> bytes:
    """The PNG :func:`chart_bytes` draws, made from the chart's SVG: the same pixels in
    about a third of the time, as the chart's layout is not worked out again."""
    import vl_convert as vlc

    return bytes(vlc.svg_to_png(svg.decode("utf-8"), scale=PNG_SCALE))


def export_chart(
    spec: dict[str, Any], path: str | Path, formats: Iterable[str] = FORMATS
) -> list[Path]:
    """Write the chart once per format beside ``path`` (its suffix replaced), each file
    whole or not at all; the paths written."""
    base = Path(path)
    return [write_bytes(chart_bytes(spec, fmt), base.with_suffix(f".{fmt}")) for fmt in formats]
