"""Compare areas: a bar per area, coloured and labelled by its finding, and the benchmark."""

from __future__ import annotations

from typing import Any

from placehealth.charts import compare_chart
from placehealth.charts.style import BY_KEY
from tests.charts.helpers import neighbourhoods


def _chart() -> dict[str, Any]:
    areas = neighbourhoods().iloc[1:]
    return compare_chart(areas, benchmark=100.0, benchmark_name="The place",
                         polarity="lower_is_better", title="Emergency admissions",
                         unit="per 100,000")  # fmt: skip


def _layer(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_each_bar_has_the_finding_worked_out_by_hand() -> None:
    spec = _chart()
    found = {r["area_name"]: r["category"] for r in spec["data"]["values"]}
    assert found == {
        "Area N1": "Worse (99.8%)",
        "Area N2": "Worse (95%)",
        "Area N3": "Similar",
        "Area N4": "Better (99.8%)",
        "Area N5": "Not compared",
    }


def test_colour_follows_the_finding_and_the_finding_is_written_too() -> None:
    spec = _chart()
    bar = _layer(spec, "bar")[0]
    colour = bar["encoding"]["color"]
    assert colour["field"] == "category"
    scale = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    assert scale["Worse (99.8%)"] == BY_KEY["worse_998"].colour
    assert scale["Better (99.8%)"] == BY_KEY["better_998"].colour
    notes = {r["area_name"]: r["note"] for r in spec["data"]["values"]}
    assert notes["Area N1"] == "▼ Worse (99.8%)"
    assert notes["Area N4"] == "▲ Better (99.8%)"
    assert "hidden" in notes["Area N5"]
    texts = [layer["encoding"]["text"] for layer in _layer(spec, "text")]
    assert {"field": "note"} in texts


def test_intervals_bars_sorted_and_the_benchmark_line() -> None:
    spec = _chart()
    interval = next(r for r in _layer(spec, "rule") if "x2" in r["encoding"])
    assert interval["encoding"]["x"]["field"] == "lower95_0cl"
    assert interval["encoding"]["x2"]["field"] == "upper95_0cl"
    benchmark = next(r for r in _layer(spec, "rule") if "x2" not in r["encoding"])
    assert benchmark["encoding"]["x"] == {"datum": 100.0}
    assert benchmark["data"] == {"values": [{}]}  # drawn once, not once per area
    order = _layer(spec, "bar")[0]["encoding"]["y"]["sort"]
    assert order == ["Area N1", "Area N2", "Area N3", "Area N4", "Area N5"]
    assert "The place" in spec["title"]["subtitle"]
