"""Charts written as PNG and SVG files that open as images."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from placehealth.charts import compare_chart, export_chart
from placehealth.charts.export import PNG_SCALE, chart_bytes
from placehealth.errors import ValidationError
from tests.charts.helpers import neighbourhoods

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_png_and_svg_are_valid_files(tmp_path: Path) -> None:
    spec = compare_chart(neighbourhoods().iloc[1:], benchmark=100.0, benchmark_name="The place",
                         polarity="lower_is_better", title="Admissions")  # fmt: skip
    png, svg = export_chart(spec, tmp_path / "admissions")
    assert (png.name, svg.name) == ("admissions.png", "admissions.svg")
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    root = ET.fromstring(svg.read_text())
    assert root.tag.endswith("svg")
    width = int.from_bytes(data[16:20], "big")  # the PNG header's width
    assert abs(width - PNG_SCALE * float(root.attrib["width"])) <= 1  # 1.5 times, for print
    assert "Worse (99.8%)" in svg.read_text()  # the words are in the drawing, not only colour
    assert 'aria-label="Admissions. Bars: value.' in svg.read_text()  # for screen readers


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown chart format"):
        chart_bytes({}, "gif")
