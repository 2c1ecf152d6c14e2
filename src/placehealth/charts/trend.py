"""An indicator's trend for one area: its values over time, the plan's trajectory, and SPC.

With enough points for Making Data Count (``placehealth.spc.MIN_POINTS``) the chart is
the board pack's XmR chart (``placehealth.reports.charts.spc_chart``): limits, special
cause marked by colour and shape, the trajectory as bold dashes, and the variation
icon's words in the subtitle. With fewer (yearly indicators have a handful) it is the
pack's actuals-against-trajectory chart with the 95% interval, and says why there are
no limits rather than drawing unreliable ones.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from placehealth import spc
from placehealth.catalogue.model import Polarity
from placehealth.periods import parse_period
from placehealth.reports import charts as pack_charts
from placehealth.reports.icons import variation_text

IMPROVEMENT = {Polarity.HIGHER.value: "increase", Polarity.LOWER.value: "decrease"}
TOO_FEW = (
    "{n} points: too few for SPC limits (Making Data Count needs {need}). "
    "Solid line: value; shaded: 95% confidence interval{trajectory}."
)


def trend_frame(rows: pd.DataFrame, trajectory: pd.DataFrame | None = None) -> pd.DataFrame:
    """The area's values in time order, one row per period, with ``start`` (the period's
    first day) and, where the plan has one for the period, ``expected``; trajectory
    periods of another kind than the values' (a half-year beside years) are left out."""
    frame = rows.assign(
        period=rows["period"].astype(str),
        value=pd.to_numeric(rows["value"], errors="coerce"),
        lower=pd.to_numeric(rows["lower95_0cl"], errors="coerce"),
        upper=pd.to_numeric(rows["upper95_0cl"], errors="coerce"),
    )
    periods = [parse_period(p) for p in frame["period"]]
    frame["start"] = pd.to_datetime([p.start for p in periods])
    frame = frame.sort_values("start")[["period", "start", "value", "lower", "upper"]]
    if trajectory is not None and not trajectory.empty:
        kinds = {p.kind for p in periods}
        planned = [(str(p), parse_period(str(p))) for p in trajectory["period"]]
        same = [kind.kind in kinds for _, kind in planned]  # a half-year is not a year
        plan = pd.DataFrame({
            "start": pd.to_datetime([p.start for _, p in planned]),
            "label": [label for label, _ in planned],
            "expected": pd.to_numeric(trajectory["expected"], errors="coerce").to_numpy(),
        })[same]  # fmt: skip
        frame = frame.merge(plan, on="start", how="outer").sort_values("start")
        frame["period"] = frame["period"].fillna(frame["label"])
        frame = frame.drop(columns="label")
    return frame.reset_index(drop=True)


def trend_chart(
    frame: pd.DataFrame,
    *,
    polarity: str | None,
    title: str,
    unit: str = "Value",
    width: int = 520,
    height: int = 220,
) -> dict[str, Any]:
    """The trend chart of :func:`trend_frame`'s rows."""
    points = frame[frame["value"].notna()]
    has_plan = "expected" in frame.columns and frame["expected"].notna().any()
    if len(points) >= spc.MIN_POINTS:
        result = spc.xmr(
            frame.dropna(subset=["value"]),
            value="value",
            date="start",
            improvement=IMPROVEMENT.get(str(polarity), "neutral"),
        )
        spec = pack_charts.spc_chart(result, value="value", date="start", title=title,
                                     y_title=unit, width=width, height=height)  # fmt: skip
        icon = str(result["variation_icon"].iloc[-1])
        words = variation_text(None if icon == "insufficient_data" else icon)
        key = pack_charts.SPC_KEY.replace("Red dashed line: target", "Bold dashes: trajectory")
        spec["title"] = {"text": title, "subtitle": [words, key]}
        return spec
    spec = pack_charts.trajectory_chart(frame, title=title, date="period", width=width,
                                        height=height)  # fmt: skip
    labels = list(frame["period"])
    for layer in spec["layer"]:
        x = layer["encoding"]["x"]
        x.update({"type": "ordinal", "sort": labels, "axis": {"labelAngle": 0}})
        layer["encoding"]["y"]["title"] = unit
        for tip in layer["encoding"].get("tooltip", []):
            if tip.get("field") == "period":  # a label, not a date to parse
                tip.update({"type": "nominal", "title": "Period"})
    note = TOO_FEW.format(
        n=len(points), need=spc.MIN_POINTS,
        trajectory="; bold dashes: the plan's trajectory" if has_plan else "",
    )  # fmt: skip
    spec["title"] = {"text": title, "subtitle": note}
    return spec
