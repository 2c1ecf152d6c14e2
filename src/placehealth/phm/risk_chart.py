"""The risk model's calibration plot: observed against predicted by tenth of predicted risk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placehealth.phm.risk_model import Model


def calibration_chart(model: Model, path: Path) -> list[Path]:
    """Observed against predicted by tenth (altair), saved as HTML and, if possible, PNG/SVG."""
    import altair as alt

    table = pd.DataFrame(model.metrics.get("calibration_table", []))
    top = float(max(table["mean_predicted"].max(), table["observed_rate"].max()) * 1.05)
    diagonal = (
        alt.Chart(pd.DataFrame({"x": [0.0, top], "y": [0.0, top]}))
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="x:Q", y="y:Q")
    )
    points = (
        alt.Chart(table)
        .mark_line(point=True)
        .encode(
            x=alt.X("mean_predicted:Q", title="Mean predicted risk"),
            y=alt.Y("observed_rate:Q", title="Observed emergency admission rate"),
            tooltip=["tenth", "people", "mean_predicted", "observed_rate"],
        )
    )
    chart = (diagonal + points).properties(
        title=f"Calibration by tenth of predicted risk, validation {model.validate_index}",
        width=420,
        height=420,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in (".html", ".png", ".svg"):
        out = path.with_suffix(suffix)
        try:
            chart.save(str(out))
        except (ValueError, ImportError, RuntimeError):  # PNG/SVG need vl-convert
            continue
        written.append(out)
    return written
