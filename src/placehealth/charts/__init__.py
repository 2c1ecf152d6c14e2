"""Charts of indicator values for the overview and indicator pages, the board pack and the CLI.

Each chart is a pure function from small, already aggregated frames to a Vega-Lite
spec (a plain dict): the same spec goes into a web page with vega-embed and into a
PNG or SVG through vl-convert (:mod:`placehealth.charts.export`). Charts never see
record-level data: they take the long indicator table (``placehealth.publish``), a
few hundred rows at most per chart.

Every chart stays readable in grey: significance is carried by a word and a shape
as well as by colour, from a colour-blind-safe palette (:mod:`placehealth.charts.style`).
"""

from placehealth.charts.compare import compare_chart
from placehealth.charts.export import export_chart
from placehealth.charts.inequality import inequality_chart
from placehealth.charts.map import map_chart
from placehealth.charts.significance import significance
from placehealth.charts.spine import spine_chart
from placehealth.charts.trend import trend_chart

__all__ = [
    "compare_chart",
    "export_chart",
    "inequality_chart",
    "map_chart",
    "significance",
    "spine_chart",
    "trend_chart",
]
