"""The spine chart: each indicator on its own scale, the benchmark in the middle."""

from __future__ import annotations

import pandas as pd
import pytest

from placehealth.charts import spine_chart
from placehealth.charts.spine import positions, spine_table
from tests.charts.helpers import neighbourhoods, row


def _values() -> pd.DataFrame:
    """Emergency admissions (lower is better) as in helpers, and dementia diagnosis
    (higher is better): place 60, N1 70 ±3 ±5, N2 50 ±20 ±30, N3 66, N4 55."""
    dementia = [
        row("place", "P", 60.0, 1.0, 2.0, area_name="The place"),
        row("neighbourhood", "N1", 70.0, 3.0, 5.0),
        row("neighbourhood", "N2", 50.0, 20.0, 30.0),
        row("neighbourhood", "N3", 66.0, 2.0, 3.0),
        row("neighbourhood", "N4", 55.0, 2.0, 3.0),
    ]
    frame = pd.DataFrame(dementia).assign(
        indicator_id="dementia-diagnosis", polarity="higher_is_better", unit="%"
    )
    return pd.concat([neighbourhoods(), frame], ignore_index=True)


def _table() -> pd.DataFrame:
    return spine_table(_values(), area=("neighbourhood", "N1"), benchmark=("place", "P"),
                       comparator=("neighbourhood", "N3"), range_type="neighbourhood",
                       names={"dementia-diagnosis": "Dementia"})  # fmt: skip


def test_table_has_the_area_benchmark_comparator_and_range() -> None:
    table = _table().set_index("indicator_id")
    admissions = table.loc["emergency-admissions"]
    assert (admissions["value"], admissions["benchmark"], admissions["comparator"]) == (
        120.0, 100.0, 101.0,
    )  # fmt: skip
    assert (admissions["lowest"], admissions["highest"]) == (90.0, 120.0)  # N5 is blank
    # quartiles of 90, 101, 110, 120 (linear, as pandas): 98.25 and 112.5
    assert admissions["q25"] == pytest.approx(98.25)
    assert admissions["q75"] == pytest.approx(112.5)
    assert table.loc["dementia-diagnosis", "indicator"] == "Dementia"


def test_positions_put_the_benchmark_in_the_middle_and_worse_to_the_left() -> None:
    table = _table().set_index("indicator_id")
    at = positions(table).join(table[["polarity"]])
    admissions = at.loc["emergency-admissions"]
    # lower is better: the furthest from 100 is 120 (reach 20); 120 → 0.5 - 20/40 = 0
    assert admissions["value_at"] == pytest.approx(0.0)
    assert admissions["lowest_at"] == pytest.approx(0.75)  # 90 is better: right
    assert (admissions["range_from"], admissions["range_to"]) == (0.0, 0.75)
    dementia = at.loc["dementia-diagnosis"]
    # higher is better: reach 10 (70 and 50); 70 → 1, 50 → 0, the place's 60 → 0.5
    assert dementia["value_at"] == pytest.approx(1.0)
    assert dementia["lowest_at"] == pytest.approx(0.0)
    assert dementia["comparator_at"] == pytest.approx(0.8)


def test_marks_carry_the_finding_by_colour_shape_and_words() -> None:
    spec = spine_chart(_table(), area_name="Area N1", benchmark_name="The place",
                       comparator_name="Area N3", range_name="neighbourhoods",
                       title="Area N1")  # fmt: skip
    rows = {r["indicator_id"]: r for r in spec["data"]["values"]}
    assert rows["emergency-admissions"]["finding"] == "▼ Worse (99.8%)"
    assert rows["dementia-diagnosis"]["finding"] == "▲ Better (99.8%)"
    layers = spec["layer"]
    point = next(la for la in layers if la["encoding"].get("x", {}).get("field") == "value_at")
    assert point["encoding"]["color"]["field"] == "category"
    assert point["encoding"]["shape"]["field"] == "category"
    rule = next(la for la in layers if la["mark"]["type"] == "rule")
    assert rule["encoding"]["x"]["datum"] == 0.5  # the benchmark line, mid-spine
    spine_range = rule["encoding"]["x"]["scale"]["range"]
    texts = [la for la in layers if la["mark"]["type"] == "text"]
    columns = [la["encoding"]["text"]["field"] for la in texts if "field" in la["encoding"]["text"]]
    assert columns == ["indicator", "period", "unit", "value_text", "benchmark_text",
                       "comparator_text", "finding"]  # fmt: skip
    headings = [
        la["encoding"]["text"]["value"] for la in texts if "value" in la["encoding"]["text"]
    ]
    assert {len(h) for h in headings} == {2}  # two lines each: the rows line up
    words = [" ".join(h).strip() for h in headings]
    assert words[:6] == ["Indicator", "Period", "Unit", "Area N1", "The place", "Area N3"]
    assert words[-1] == "Compared with The place"
    # the numbers sit left of the spine, the finding right of it
    at = {la["encoding"]["text"].get("field"): la["encoding"]["x"]["value"] for la in texts}
    assert at["comparator_text"] < spine_range[0] < spine_range[1] < at["finding"]


def test_an_indicator_whose_value_is_hidden_is_listed_not_compared() -> None:
    values = _values()
    values.loc[values["area_code"] == "N1", "value"] = float("nan")
    table = spine_table(values, area=("neighbourhood", "N1"), benchmark=("place", "P"),
                        comparator=None, range_type="neighbourhood")  # fmt: skip
    assert len(table) == 2
    spec = spine_chart(table, area_name="N1", benchmark_name="P", comparator_name=None,
                       range_name="neighbourhoods", title="N1")  # fmt: skip
    assert {r["finding"] for r in spec["data"]["values"]} == {"× Not compared"}
