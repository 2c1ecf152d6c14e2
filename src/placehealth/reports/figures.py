"""SPC icons and charts for the ambitions of a pack.

SPC runs once over every series of the pack (``placehealth.spc.xmr`` with
``by=``), not per ambition, so a 50-ambition pack costs one vectorised pass;
charts are Vega-Lite specs from :mod:`placehealth.reports.charts`, rendered
offline to inline SVG.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from placehealth import spc
from placehealth.catalogue.model import Polarity, Unit
from placehealth.reports import charts
from placehealth.reports.pack import AmbitionView, PackData

_IMPROVEMENT = {
    Polarity.HIGHER: "increase",
    Polarity.LOWER: "decrease",
    Polarity.NEUTRAL: "neutral",
}
# spc.summary's assurance names → the icons' keys; "insufficient_data" has no icon
_ASSURANCE = {"consistent_pass": "pass", "consistent_fail": "fail", "inconsistent": "inconsistent"}
_KEY = "_series"


def attach_spc(data: PackData) -> None:
    """Set each view's XmR chart, variation and assurance from its monthly series.

    Assurance sets the trajectory value for the report month (what the board holds
    the ambition to now) against the process limits.
    """
    frames = [
        pd.DataFrame(
            {
                _KEY: index,
                "date": view.series["start"].to_numpy(),
                "value": view.series["value"].to_numpy(dtype=float),
                "expected": view.series["expected"].to_numpy(dtype=float),
                "improvement": _IMPROVEMENT[view.polarity],
                "assure_at": np.nan if view.trajectory_now is None else view.trajectory_now,
            }
        )
        for index, view in enumerate(data.ambitions)
        if not view.series.empty
    ]
    if not frames:
        return
    result = spc.xmr(
        pd.concat(frames, ignore_index=True),
        value="value",
        date="date",
        by=_KEY,
        improvement="improvement",
        target="assure_at",
    )
    for _, chart in result.groupby(_KEY, sort=False):
        last = chart.iloc[-1]
        view = data.ambitions[int(last[_KEY])]
        view.spc = chart.drop(columns=[_KEY, "assure_at"]).reset_index(drop=True)
        variation = last["variation_icon"]
        view.variation = None if variation == "insufficient_data" else str(variation)
        view.assurance = _ASSURANCE.get(str(last["assurance_icon"]))


def attach_charts(
    data: PackData,
    *,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Render each view's SPC chart and its actuals against the trajectory as SVG.

    ``scale`` sizes the charts (0.5 draws them at half the width and height, which
    also halves the work of laying them out in a PDF).
    """
    views = [v for v in data.ambitions if not v.series.empty]
    for done, view in enumerate(views, start=1):
        view.charts = chart_svgs(view, scale)
        if progress is not None:
            progress(done, len(views))


def chart_svgs(view: AmbitionView, scale: float = 1.0) -> dict[str, str]:
    """The view's charts as SVG text: ``spc`` (when it has one) and ``trajectory``."""
    width, height = int(560 * scale), int(190 * scale)
    out = {}
    if view.spc is not None:
        spec = charts.spc_chart(
            view.spc,
            title="SPC chart (XmR) with the trajectory (dashed)",
            y_title=axis_title(view),
            width=width,
            height=height,
        )
        out["spc"] = charts.to_svg(spec)
    spec = charts.trajectory_chart(
        view.series, title="Actuals and 95% interval against the trajectory", width=width,
        height=height,
    )  # fmt: skip
    out["trajectory"] = charts.to_svg(spec)
    return out


def axis_title(view: AmbitionView) -> str:
    """What the y axis measures, in the indicator's unit."""
    if view.unit == Unit.RATE and view.multiplier:
        return f"per {view.multiplier:,.0f}"
    if view.unit == Unit.COUNT:
        return "count"
    return {Unit.PERCENT: "%", Unit.YEARS: "years"}.get(view.unit, str(view.unit))
