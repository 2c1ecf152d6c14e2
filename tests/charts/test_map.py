"""The map: areas joined to their values by a feature property, labelled where few."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from placehealth.charts import map_chart
from placehealth.charts.boundaries import for_drawing
from placehealth.charts.map import value_classes
from tests.charts.helpers import row


def _square(x: float, code: str, neighbourhood: str) -> dict[str, Any]:
    ring = [[x, 0.0], [x + 1, 0.0], [x + 1, 1.0], [x, 1.0], [x, 0.0]]
    return {"type": "Feature", "properties": {"code": code, "neighbourhood": neighbourhood},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


FEATURES = for_drawing({"type": "FeatureCollection", "features": [
    _square(0, "L1", "N1"), _square(1, "L2", "N1"), _square(2, "L3", "N2"),
]})  # fmt: skip
VALUES = pd.DataFrame([row("neighbourhood", "N1", 120.0, 5.0, 8.0),
                       row("neighbourhood", "N2", 101.0, 5.0, 8.0)])  # fmt: skip


def test_values_join_on_the_named_property_and_shade_by_value() -> None:
    spec = map_chart(FEATURES, VALUES, key="neighbourhood", title="T", unit="per 100,000")
    assert spec["data"]["values"] == FEATURES
    shaded = spec["layer"][1]
    lookup = shaded["transform"][0]
    assert lookup["lookup"] == "properties.neighbourhood"
    assert {r["area_code"]: r["value"] for r in lookup["from"]["data"]["values"]} == {
        "N1": 120.0,
        "N2": 101.0,
    }
    colour = shaded["encoding"]["color"]
    assert colour["field"] == "category"  # the value's class, named by its range
    domain = colour["scale"]["domain"]  # every class, lowest first, each its own colour
    assert domain[0] == "101.0 to 104.8" and domain[-1] == "116.2 to 120.0"
    assert colour["scale"]["range"] == ["#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154"]
    found = {r["area_code"]: r["category"] for r in lookup["from"]["data"]["values"]}
    assert found == {"N1": "116.2 to 120.0", "N2": "101.0 to 104.8"}
    assert spec["layer"][0]["mark"]["fill"]  # areas without a value are still drawn


def test_labels_sit_inside_each_area_with_the_finding() -> None:
    spec = map_chart(FEATURES, VALUES, key="neighbourhood", title="T", shade="significance",
                     benchmark=100.0, benchmark_name="The place",
                     polarity="lower_is_better")  # fmt: skip
    labels = {r["area_code"]: r for r in spec["layer"][-1]["data"]["values"]}
    assert labels["N1"]["label"] == "▼ 120.0"  # worse at 99.8%: 112 … 128 excludes 100
    assert labels["N2"]["label"] == "● 101.0"
    # N1 is L1 and L2 (x 0 … 2): its label in the middle of one of them, never on the
    # line between (a crescent's mean can fall outside it); N2's in the middle of L3
    assert labels["N1"]["longitude"] in (pytest.approx(0.5), pytest.approx(1.5))
    assert labels["N2"]["longitude"] == pytest.approx(2.5)
    assert labels["N2"]["latitude"] == pytest.approx(0.5)
    assert spec["layer"][1]["encoding"]["color"]["field"] == "category"


def test_an_area_of_several_features_is_outlined_once() -> None:
    spec = map_chart(FEATURES, VALUES, key="neighbourhood", title="T")
    borders = next(la for la in spec["layer"] if la["mark"].get("filled") is False)
    by_area = {f["properties"]["area_code"]: f["geometry"]["coordinates"]
               for f in borders["data"]["values"]}  # fmt: skip
    # N1 is two unit squares side by side: its border is 6 unit edges, the shared edge
    # at x = 1 left out; N2 is one square: 4 edges
    assert len(by_area["N1"]) == 6
    assert [[1.0, 0.0], [1.0, 1.0]] not in by_area["N1"]
    assert len(by_area["N2"]) == 4


def test_value_classes_hold_about_as_many_areas_each() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, float("nan")])
    classes, names = value_classes(values)
    assert names == ["1.0 to 2.8", "2.8 to 4.6", "4.6 to 6.4", "6.4 to 8.2", "8.2 to 10.0"]
    # quintile edges of 1 … 10: 1, 2.8, 4.6, 6.4, 8.2, 10: two values a class
    assert list(classes[:10]) == [
        "1.0 to 2.8", "1.0 to 2.8", "2.8 to 4.6", "2.8 to 4.6", "4.6 to 6.4",
        "4.6 to 6.4", "6.4 to 8.2", "6.4 to 8.2", "8.2 to 10.0", "8.2 to 10.0",
    ]  # fmt: skip
    assert classes.iloc[10] == ""  # no value, no class: drawn pale grey


def test_scattered_areas_are_not_labelled() -> None:
    spec = map_chart(FEATURES, VALUES, key="neighbourhood", title="T", labels=False)
    assert all(la["mark"]["type"] != "text" for la in spec["layer"])
