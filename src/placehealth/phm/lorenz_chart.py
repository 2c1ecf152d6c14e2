"""The Lorenz curve of hospital use as a chart, against the line of equality."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_lorenz_chart(curve: pd.DataFrame, path: Path, title: str) -> Path:
    """The curve (people_share, quantity_share) drawn with altair and written by the one
    chart writer (:func:`placehealth.reports.charts.write_chart`): .svg, .png or .html."""
    import altair as alt

    from placehealth.reports.charts import check_chart_path, write_chart

    check_chart_path(path)
    base = alt.Chart(curve).encode(
        x=alt.X(
            "people_share:Q", title="Share of people (lightest first)", axis=alt.Axis(format="%")
        ),
        y=alt.Y("quantity_share:Q", title="Share of the total", axis=alt.Axis(format="%")),
    )
    equality = (
        alt.Chart(pd.DataFrame({"people_share": [0.0, 1.0], "quantity_share": [0.0, 1.0]}))
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="people_share:Q", y="quantity_share:Q")
    )
    layered = (equality + base.mark_line()).properties(
        title=f"Lorenz curve: {title}", width=400, height=400
    )
    return write_chart(layered.to_dict(), path)
