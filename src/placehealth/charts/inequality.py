"""Inequality by deprivation: an indicator's value in each deprivation decile, with the SII.

Each decile is a bar as wide as its share of the population, placed along the relative
rank of deprivation (0: the most deprived end, 1: the least), so the slope index of
inequality is the line through them: the fitted gap between the two ends
(``placehealth.stats.sii``, PHE's method). The SII and RII and their 95% limits are
written in the subtitle; each bar is labelled with its decile and value.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from placehealth.charts import style
from placehealth.charts.frames import number, records
from placehealth.stats import sii

MIN_DECILES = 5  # the SII needs at least five quantiles (stats.sii)
BAR = "#56B4E9"


def decile_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The deciles with a value, most deprived first, each with its population share and
    the relative rank of its middle (``rank``) and edges (``rank_from``, ``rank_to``)."""
    frame = rows.assign(
        decile=pd.to_numeric(rows["area_code"], errors="coerce"),
        value=pd.to_numeric(rows["value"], errors="coerce"),
        denominator=pd.to_numeric(rows["denominator"], errors="coerce"),
    )
    frame = frame[frame["value"].notna() & (frame["denominator"] > 0) & frame["decile"].notna()]
    frame = frame.sort_values("decile").reset_index(drop=True)
    share = frame["denominator"] / frame["denominator"].sum()
    frame["rank_to"] = share.cumsum()
    frame["rank_from"] = frame["rank_to"] - share
    frame["rank"] = frame["rank_to"] - share / 2
    frame["decile"] = frame["decile"].astype(int)
    return frame


def slope_index(deciles: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame | None:
    """``stats.sii`` over the deciles (rates drawn on the log scale where every limit is
    above zero), or None with fewer than :data:`MIN_DECILES` deciles."""
    if len(deciles) < MIN_DECILES:
        return None
    limits = deciles[["lower95_0cl", "upper95_0cl"]].apply(pd.to_numeric, errors="coerce")
    positive = bool((limits.to_numpy() > 0).all())
    return sii(
        deciles.assign(lower=limits["lower95_0cl"], upper=limits["upper95_0cl"]),
        quantile="decile",
        population="denominator",
        value="value",
        value_type="rate" if positive else "normal",
        lower_cl="lower",
        upper_cl="upper",
        repetitions=10_000,
        seed=seed,
    )


def inequality_chart(
    deciles: pd.DataFrame,
    index: pd.DataFrame | None,
    *,
    title: str,
    unit: str = "Value",
    width: int = 520,
    height: int = 240,
) -> dict[str, Any]:
    """Bars by decile (:func:`decile_frame`) and the SII line (:func:`slope_index`)."""
    frame = deciles.assign(
        label=[f"{d}" for d in deciles["decile"]],
        shown=[number(v) for v in deciles["value"].to_numpy(float)],
    )
    columns = ["decile", "label", "shown", "value", "lower95_0cl", "upper95_0cl",
               "rank", "rank_from", "rank_to"]  # fmt: skip
    x_title = "Relative rank of deprivation: most deprived (0) to least deprived (1)"
    x = {"type": "quantitative", "scale": {"domain": [0, 1]}}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "color": BAR, "stroke": "#FFFFFF", "strokeWidth": 1},
         "encoding": {"x": {"field": "rank_from", **x, "title": x_title},
                      "x2": {"field": "rank_to"},
                      "y": {"field": "value", "type": "quantitative", "title": unit},
                      "y2": {"datum": 0},
                      "tooltip": [{"field": "decile", "title": "Decile"},
                                  {"field": "shown", "title": "Value"}]}},
        {"mark": {"type": "rule", "color": style.BENCHMARK},
         "encoding": {"x": {"field": "rank", **x}, "y": {"field": "lower95_0cl",
                                                          "type": "quantitative"},
                      "y2": {"field": "upper95_0cl"}}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -4, "fontSize": 10,
                  "fontWeight": "bold"},
         "encoding": {"x": {"field": "rank", **x}, "y": {"value": height},
                      "text": {"field": "label"}}},
        {"mark": {"type": "text", "align": "left", "baseline": "middle", "angle": 270,
                  "dx": 4, "fontSize": 10},
         "encoding": {"x": {"field": "rank", **x},
                      "y": {"field": "upper95_0cl", "type": "quantitative"},
                      "text": {"field": "shown"}}},
    ]  # fmt: skip
    subtitle = [
        "Bars: value in each deprivation decile (numbered at the foot, 1 = most deprived), "
        "as wide as its share of the population; black lines: 95% confidence intervals."
    ]
    if index is None:
        subtitle.append(f"No slope index: it needs at least {MIN_DECILES} deciles with values.")
    else:
        s, r = index.iloc[0], (index.iloc[1] if len(index) > 1 else None)
        start, end = float(s["intercept"]), float(s["intercept"]) + float(s["value"])
        line = pd.DataFrame({"rank": [0.0, 1.0], "fitted": [start, end]})
        layers.append(
            {"data": {"values": records(line)},
             "mark": {"type": "line", "color": style.BENCHMARK, "strokeDash": [8, 4],
                      "strokeWidth": 2},
             "encoding": {"x": {"field": "rank", **x},
                          "y": {"field": "fitted", "type": "quantitative"}}}
        )  # fmt: skip
        text = (
            f"Dashed line: slope index of inequality (SII) {number(float(s['value']))} "
            f"(95% CI {number(float(s['lower95_0cl']))} to {number(float(s['upper95_0cl']))})"
        )
        if r is not None:
            text += (
                f"; relative index (RII) {number(float(r['value']), 2)} "
                f"({number(float(r['lower95_0cl']), 2)} to {number(float(r['upper95_0cl']), 2)})"
            )
        subtitle.append(text + ".")
    heading = {"text": title, "subtitle": subtitle}
    body = {"width": width, "height": height, "layer": layers}
    return style.spec(heading, body, data=records(frame[columns]))
