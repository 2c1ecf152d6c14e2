"""The spine chart of a place overview: every indicator against a benchmark at a glance.

Fingertips' spine chart. One row per indicator, each on its own scale with the
benchmark (England, or the place for its neighbourhoods) in the middle: a light bar
spans the range of areas, a darker one their middle half, the area's value is a mark
coloured and shaped by how it compares with the benchmark (95% and 99.8%), and the
comparator is a hollow diamond. Where the indicator has a polarity the worse end is
on the left; where it has none, the lower end. Beside the spine, the numbers
themselves, so the chart can be read without the scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Polarity
from placehealth.charts import style
from placehealth.charts.frames import latest_period, number, records
from placehealth.charts.significance import LIMITS, significance

SPINE_WIDTH = 300
ROW_HEIGHT = 24
TABLE_COLUMNS = (  # (field, heading, width)
    ("indicator", "Indicator", 300),
    ("period", "Period", 56),
    ("unit", "Unit", 70),
    ("value_text", "{area}", 100),
    ("benchmark_text", "{benchmark}", 100),
    ("comparator_text", "{comparator}", 100),
)
FINDING_WIDTH = 130
KEY = (
    "Light bar: range of {range}; dark bar: their middle half; line: {benchmark}; "
    "hollow diamond: {comparator}. Marks: {area} compared with {benchmark} at 95% and 99.8%."
)


def spine_table(
    indicators: pd.DataFrame,
    *,
    area: tuple[str, str],
    benchmark: tuple[str, str],
    comparator: tuple[str, str] | None,
    range_type: str,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per indicator for :func:`spine_chart`, at each indicator's latest period
    where the area has a value (else its latest, the value blank): the area's value and
    limits, the benchmark's and the comparator's values, and the lowest, quartiles and
    highest of the ``range_type`` areas.

    ``indicators`` is the long table for one sex and age band; areas are (type, code).
    """
    frame = indicators.assign(
        area_type=indicators["area_type"].astype(str),
        area_code=indicators["area_code"].astype(str),
        period=indicators["period"].astype(str),
        value=pd.to_numeric(indicators["value"], errors="coerce"),
    )
    is_area = (frame["area_type"] == area[0]) & (frame["area_code"] == area[1])
    own = frame[is_area]
    if own.empty:
        return pd.DataFrame()
    # the latest period with a value; where every value is hidden, the latest period
    shown = own[own["value"].notna()]
    periods = {i: latest_period(g) for i, g in own.groupby("indicator_id", sort=True)}
    periods |= {i: latest_period(g) for i, g in shown.groupby("indicator_id", sort=True)}
    chosen = pd.DataFrame({"indicator_id": list(periods), "period": list(periods.values())})
    at = frame.merge(chosen, on=["indicator_id", "period"])
    limit_columns = [c for pair in LIMITS.values() for c in pair]
    first = own.drop_duplicates("indicator_id").set_index("indicator_id")
    table = at[(at["area_type"] == area[0]) & (at["area_code"] == area[1])].set_index(
        "indicator_id"
    )[["period", "value", *limit_columns]]
    table["unit"] = first.get("unit", pd.Series(dtype=object)).reindex(table.index)
    table["polarity"] = first.get("polarity", pd.Series(dtype=object)).reindex(table.index)

    def value_of(where: tuple[str, str] | None) -> pd.Series:
        if where is None:
            return pd.Series(np.nan, index=table.index)
        hit = at[(at["area_type"] == where[0]) & (at["area_code"] == where[1])]
        return hit.drop_duplicates("indicator_id").set_index("indicator_id")["value"]

    table["benchmark"] = value_of(benchmark).reindex(table.index)
    table["comparator"] = value_of(comparator).reindex(table.index)
    spread = at[at["area_type"] == range_type].groupby("indicator_id")["value"]
    stats = pd.DataFrame(
        {"lowest": spread.min(), "q25": spread.quantile(0.25), "q75": spread.quantile(0.75),
         "highest": spread.max()}
    )  # fmt: skip
    table = table.join(stats)
    table["indicator"] = [(names or {}).get(i, i) for i in table.index]
    return table.reset_index()


def positions(table: pd.DataFrame) -> pd.DataFrame:
    """Each value's place on its indicator's spine (0 … 1, the benchmark at 0.5): the
    furthest of the range, the value and the comparator from the benchmark sets the
    scale; worse (or lower) to the left."""
    fields = ["value", "comparator", "lowest", "q25", "q75", "highest"]
    bench = table["benchmark"].to_numpy(float)
    values = table[fields].to_numpy(float)
    reach = np.nanmax(np.abs(values - bench[:, None]), axis=1, initial=0.0)
    reach = np.where(reach > 0, reach, 1.0)
    flip = np.where(table["polarity"].astype(str) == Polarity.LOWER.value, -1.0, 1.0)
    scaled = 0.5 + flip[:, None] * (values - bench[:, None]) / (2 * reach[:, None])
    out = pd.DataFrame(scaled, columns=[f"{f}_at" for f in fields], index=table.index)
    # the range bars run left to right whichever way the indicator is flipped
    out["range_from"] = np.fmin(out["lowest_at"], out["highest_at"])
    out["range_to"] = np.fmax(out["lowest_at"], out["highest_at"])
    out["middle_from"] = np.fmin(out["q25_at"], out["q75_at"])
    out["middle_to"] = np.fmax(out["q25_at"], out["q75_at"])
    return out


def spine_chart(
    table: pd.DataFrame,
    *,
    area_name: str,
    benchmark_name: str,
    comparator_name: str | None,
    range_name: str,
    title: str,
) -> dict[str, Any]:
    """The spine chart of ``table`` (:func:`spine_table`'s columns)."""
    category = significance(table, table["benchmark"].to_numpy(float), table["polarity"])
    kinds = [style.BY_KEY[k] for k in category]
    frame = pd.concat([table.reset_index(drop=True), positions(table.reset_index(drop=True))],
                      axis=1)  # fmt: skip
    frame["category"] = [k.label for k in kinds]
    frame["finding"] = [f"{k.symbol} {k.label}" for k in kinds]
    for field in ("value", "benchmark", "comparator"):
        frame[f"{field}_text"] = [number(v) for v in frame[field].to_numpy(float)]
    frame["unit"] = frame["unit"].fillna("")
    order = list(frame["indicator"])
    y = {"field": "indicator", "type": "nominal", "sort": order, "axis": None}
    names: dict[str, str] = {"area": area_name, "benchmark": benchmark_name,
             "comparator": comparator_name or "no comparator", "range": range_name}  # fmt: skip
    # one view, drawn as a table: text columns at fixed offsets, then the spine on its
    # own stretch of the x axis, then the finding in words (one view renders fastest)
    one_row: dict[str, Any] = {"values": [{}]}
    header: dict[str, Any] = {
        "type": "text",
        "fontSize": 11,
        "fontWeight": "bold",
        "baseline": "bottom",
        "align": "left",
        "lineHeight": 13,
    }
    layers: list[dict[str, Any]] = []
    left = 0
    for field, heading, width in TABLE_COLUMNS:
        if field == "comparator_text" and comparator_name is None:
            continue
        right = field != "indicator"
        at = left + width if right else left
        layers.append(
            {
                "mark": {  # only names can overrun: measuring every number is slow
                    "type": "text",
                    "align": "right" if right else "left",
                    "fontSize": 11,
                    **({} if right else {"limit": width}),
                },
                "encoding": {"y": y, "text": {"field": field}, "x": {"value": at}},
            }
        )
        layers.append(
            {
                "data": one_row,
                "mark": {**header, "align": "right" if right else "left"},
                "encoding": {
                    "x": {"value": at},
                    "y": {"value": -19},
                    "text": {"value": _two_lines(heading.format(**names))},
                },
            }
        )
        left += width + 8
    spine_from = left + 8
    x_scale = {"domain": [0, 1], "range": [spine_from, spine_from + SPINE_WIDTH]}
    x = {"type": "quantitative", "scale": x_scale, "axis": None}
    keys = list(dict.fromkeys(category))
    spine_layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "color": style.RANGE, "height": 14},
         "encoding": {"y": y, "x": {"field": "range_from", **x}, "x2": {"field": "range_to"}}},
        {"mark": {"type": "bar", "color": style.MIDDLE, "height": 14},
         "encoding": {"y": y, "x": {"field": "middle_from", **x}, "x2": {"field": "middle_to"}}},
        {"mark": {"type": "rule", "color": style.BENCHMARK, "strokeWidth": 2},
         "encoding": {"x": {"datum": 0.5, **x}}},
        {"mark": {"type": "point", "shape": "diamond", "filled": False, "size": 110,
                  "strokeWidth": 2, "color": style.COMPARATOR},
         "encoding": {"y": y, "x": {"field": "comparator_at", **x}}},
        {"mark": {"type": "point", "filled": True, "size": 130, "stroke": style.BENCHMARK,
                  "strokeWidth": 0.8, "opacity": 1},
         "encoding": {
             "y": y,
             "x": {"field": "value_at", **x},
             "color": {"field": "category", "type": "nominal", "scale": style.colour_scale(keys),
                       "title": f"Compared with {benchmark_name}"},
             "shape": {"field": "category", "type": "nominal", "scale": style.shape_scale(keys),
                       "title": f"Compared with {benchmark_name}"},
             "tooltip": [{"field": "indicator", "title": "Indicator"},
                         {"field": "value_text", "title": area_name},
                         {"field": "benchmark_text", "title": benchmark_name},
                         {"field": "finding", "title": "Compared with benchmark"}],
         }},
    ]  # fmt: skip
    finding_at = spine_from + SPINE_WIDTH + 16
    layers += [
        *spine_layers,
        {"data": one_row, "mark": {**header, "align": "center"},
         "encoding": {"x": {"value": spine_from + SPINE_WIDTH / 2}, "y": {"value": -19},
                      "text": {"value": ["", "← worse or lower  |  better or higher →"]}}},
        {"mark": {"type": "text", "align": "left", "fontSize": 11},
         "encoding": {"y": y, "text": {"field": "finding"}, "x": {"value": finding_at}}},
        {"data": one_row, "mark": header,
         "encoding": {"x": {"value": finding_at}, "y": {"value": -19},
                      "text": {"value": _two_lines(f"Compared with {benchmark_name}")}}},
    ]  # fmt: skip
    top = {"text": title, "subtitle": KEY.format(**names)}
    columns = [c for c in frame.columns if not str(c).startswith("Unnamed")]
    body = {
        "width": finding_at + FINDING_WIDTH,
        "height": ROW_HEIGHT * len(frame),
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }
    out = style.spec(top, body, data=records(frame[columns]))
    out["title"]["offset"] = 36  # room for the two-line column headings
    return out


def _two_lines(text: str, width: int = 16) -> list[str]:
    """A column heading on two lines (the second blank when it fits on one), so every
    heading has the same height and the rows of all columns line up."""
    words, first = text.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first and words:
        first = words.pop(0)
    return [first, " ".join(words)]
