"""The risk heat map: likelihood across, consequence up, each cell in its band's colour
with the number of risks in it, in the charts package's look (its fonts, title and
accessible description), drawn by the same renderer as every other chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from placehealth.charts.style import BENCHMARK, spec

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.finance.risks_model import Matrix

CELL = 64  # pixels per matrix cell


def heatmap_chart(grid: pd.DataFrame, matrix: Matrix, title: str) -> dict[str, Any]:
    """A Vega-Lite spec of ``grid`` (:func:`risks_register.heat_counts`): one square per
    likelihood × consequence, coloured by band, labelled with its count of risks."""
    scored = int(grid["risks"].sum())
    data = [
        {
            "likelihood": f"{r['likelihood']} {matrix.likelihood[r['likelihood'] - 1].label}",
            "consequence": f"{r['consequence']} {matrix.consequence[r['consequence'] - 1].label}",
            "band": r["band"],
            "score": int(r["score"]),
            "risks": int(r["risks"]),
            "label": str(r["risks"]) if r["risks"] else "",
            "names": r["names"],
        }
        for r in grid.to_dict("records")
    ]  # one record per cell of the matrix (25), not per risk
    x_order = [f"{x.level} {x.label}" for x in matrix.likelihood]
    y_order = [f"{x.level} {x.label}" for x in reversed(matrix.consequence)]
    bands = [b for b in matrix.bands if b.name in set(grid["band"])]
    colour = {
        "field": "band",
        "type": "nominal",
        "title": "Rating band",
        "scale": {"domain": [b.name for b in bands], "range": [b.colour for b in bands]},
        "sort": [b.name for b in bands],
    }
    x = {"field": "likelihood", "type": "ordinal", "sort": x_order, "title": "Likelihood",
         "axis": {"labelAngle": 0, "grid": False, "ticks": False}}  # fmt: skip
    y = {"field": "consequence", "type": "ordinal", "sort": y_order, "title": "Consequence",
         "axis": {"grid": False, "ticks": False}}  # fmt: skip
    tooltip = [{"field": f} for f in ("likelihood", "consequence", "score", "band", "risks",
                                      "names")]  # fmt: skip
    body = {
        "width": CELL * matrix.max_likelihood,
        "height": CELL * matrix.max_consequence,
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#FFFFFF", "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
            },
            {
                "mark": {
                    "type": "text",
                    "fontSize": 18,
                    "fontWeight": "bold",
                    "color": BENCHMARK,
                },
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
    }
    heading = {
        "text": title,
        "subtitle": [
            f"{scored} scored risks by likelihood × consequence; the number in a cell counts "
            "its risks; colour is the matrix's rating band"
        ],
    }
    return spec(heading, body, data=data)
