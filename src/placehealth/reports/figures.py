"""SPC icons and charts for the ambitions of a pack.

SPC runs once over every series of the pack (``placehealth.spc.xmr`` with
``by=``), not per ambition, so a 50-ambition pack costs one vectorised pass;
charts are Vega-Lite specs from :mod:`placehealth.reports.charts`, rendered
offline to inline SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html import escape
from typing import Any, Literal

import numpy as np
import pandas as pd

from placehealth import spc
from placehealth.catalogue.model import Polarity
from placehealth.reports import charts
from placehealth.reports.icons import SPC_ASSURANCE
from placehealth.reports.pack import AmbitionView, PackData
from placehealth.spc.xmr import RUN

_IMPROVEMENT = {
    Polarity.HIGHER: "increase",
    Polarity.LOWER: "decrease",
    Polarity.NEUTRAL: "neutral",
}
_KEY = "_series"
_SEGMENT = "_segment"  # limits restart at each rebase the actuals mark
# PNG pixels per chart pixel: 1.5 prints a 100 mm chart at about 150 dpi; 2 looks no
# sharper on paper and takes WeasyPrint about half as long again to embed
PNG_SCALE = 1.5


def attach_spc(data: PackData) -> None:
    """Set each view's XmR chart, variation and assurance from its monthly series.

    Limits restart at each rebase the actuals mark, so a known step change does not
    make every earlier point special cause; unmarked step changes are found and offered
    for review (``step_changes``). Assurance sets the trajectory value for the report
    month (what the board holds the ambition to now) against the process limits of the
    latest segment, and only where the pair is comparable.
    """
    frames = [
        pd.DataFrame(
            {
                _KEY: index,
                _SEGMENT: np.cumsum(view.series["rebase"].to_numpy(dtype=bool)),
                "date": view.series["start"].to_numpy(),
                "value": view.series["value"].to_numpy(dtype=float),
                "expected": view.series["expected"].to_numpy(dtype=float),
                "improvement": _IMPROVEMENT[view.polarity],
                "assure_at": np.nan
                if view.trajectory_now is None or not view.comparable
                else view.trajectory_now,
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
        by=[_KEY, _SEGMENT],
        improvement="improvement",
        target="assure_at",
    )
    steps = step_changes(result)
    for _, chart in result.groupby(_KEY, sort=False):
        last = chart.iloc[-1]
        index = int(last[_KEY])
        view = data.ambitions[index]
        view.spc = chart.drop(columns=[_KEY, _SEGMENT, "assure_at"]).reset_index(drop=True)
        view.step_changes = steps.get(index, [])
        variation = last["variation_icon"]
        view.variation = None if variation == "insufficient_data" else str(variation)
        view.assurance = SPC_ASSURANCE.get(str(last["assurance_icon"]))


def step_changes(result: pd.DataFrame, run: int = RUN) -> dict[int, list[str]]:
    """Months where a series steps from one side of its mean to the other and stays:
    at least ``run`` points on each side, within one set of limits. Offered for review
    (a known change is marked as a rebase in the actuals), never applied unasked."""
    key = result[_KEY].to_numpy()
    group = pd.factorize(pd.MultiIndex.from_arrays([key, result[_SEGMENT].to_numpy()]))[0]
    has_limits = result["upl"].notna().to_numpy()
    side = (result["value"] > result["mean"]).to_numpy()
    start = np.r_[True, (group[1:] != group[:-1]) | (side[1:] != side[:-1])]
    run_id = np.cumsum(start) - 1
    length = np.bincount(run_id)
    first = np.flatnonzero(start)
    previous_long = np.r_[False, length[:-1] >= run]
    same_group = np.r_[False, group[first[1:]] == group[first[:-1]]]
    hit = first[(length >= run) & previous_long & same_group & has_limits[first]]
    months = pd.DatetimeIndex(result["date"].to_numpy()[hit]).strftime("%Y-%m")
    out: dict[int, list[str]] = {}
    for k, month in zip(key[hit], months, strict=True):
        out.setdefault(int(k), []).append(str(month))
    return out


def attach_charts(
    data: PackData,
    *,
    scale: float = 1.0,
    image: Literal["svg", "png"] = "svg",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Render each view's charts: the SPC chart, and for exceptions also the actuals
    against the trajectory.

    ``image="svg"`` inlines SVG (crisp and self-contained, for HTML); ``"png"``
    keeps PNGs (``PNG_SCALE``) in ``data.images``, referred to as ``chart:N``,
    which WeasyPrint lays out several times faster than SVG (for PDF).
    ``scale`` sizes the charts. Charts render on two threads (vl-convert releases
    the GIL), each a separate spec so one bad series cannot spoil the others.
    """
    jobs = [
        (view, name, spec)
        for view in data.ambitions
        if not view.series.empty
        for name, spec in chart_specs(view, scale).items()
    ]
    for view in data.ambitions:
        view.charts = {}
    data.images = {}

    def render(job: tuple[AmbitionView, str, dict[str, Any]]) -> str:
        spec = job[2]
        if image == "svg":
            return charts.to_svg(spec)
        url = f"chart:{id(spec)}"
        data.images[url] = charts.to_png(spec, scale=PNG_SCALE)
        return f'<img src="{url}" alt="{escape(str(spec.get("title") or "chart"))}">'

    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = pool.map(render, jobs)
        for done, ((view, name, _), markup) in enumerate(zip(jobs, rendered, strict=True), 1):
            view.charts[name] = markup
            if progress is not None:
                progress(done, len(jobs))


def chart_specs(view: AmbitionView, scale: float = 1.0) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs: ``spc`` (when it has one) and, for an exception, ``trajectory``."""
    width, height = int(400 * scale), int(185 * scale)
    out = {}
    if view.spc is not None:
        out["spc"] = _month_axis(
            charts.spc_chart(
                view.spc,
                title="SPC (XmR): limits dotted, trajectory bold dashes",
                y_title=view.unit_label,
                width=width,
                height=height,
            )
        )
    if view.is_exception or view.spc is None:
        out["trajectory"] = _month_axis(
            charts.trajectory_chart(
                view.series,
                title="Actuals and 95% interval against the trajectory",
                width=width,
                height=height,
            )
        )
    return out


def _month_axis(spec: dict[str, Any]) -> dict[str, Any]:
    """Label time axes with month and year ('Apr 15'): a pack spans several years; keep
    the legend as narrow as the plot, so charts side by side scale alike."""
    spec["config"] = {**spec.get("config", {}), "legend": {"orient": "bottom", "columns": 3}}
    for layer in spec.get("layer", []):
        x = layer.get("encoding", {}).get("x")
        if isinstance(x, dict) and x.get("type") == "temporal":
            x["axis"] = {"format": "%b %y", "labelAngle": 0, "tickCount": 8}
    return spec
