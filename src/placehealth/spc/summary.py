"""One row per series of an XmR chart: where it is now and what its icons mean, in words.

Like NHSRplotthedots' ``summary()`` of a chart (the centre line, the limits, how many
points of each kind, the variation type and the assurance type), with the latest
point beside it and the icons said in words, so a board paper can quote the row.
The limits are those in force at the latest point; ``limits_from`` says from when
(the start of the latest rebase group, or of the series).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placehealth.reports.icons import SPC_ASSURANCE, assurance_text, variation_text

COUNTED = {  # point types counted per series, as the reference's summary counts them
    "common_cause": ["common_cause"],
    "special_cause_improvement": ["special_cause_improvement"],
    "special_cause_concern": ["special_cause_concern"],
    "special_cause_neutral": ["special_cause_neutral_high", "special_cause_neutral_low"],
}
LIMITS = ("mean", "lpl", "upl")
NO_LIMITS = "Assurance: none, too few points for process limits to set the target against"
NO_DIRECTION = "Assurance: none, neither direction is an improvement"


def series_summary(
    result: pd.DataFrame,
    value: str,
    date: str,
    by: str | Sequence[str] | None = None,
    *,
    target: float | str | None = None,
) -> pd.DataFrame:
    """Per series of :func:`placehealth.spc.xmr` output (sorted by series and date, as it
    comes): points, latest date and value, the limits in force, counts of each kind of
    point, the variation and assurance types and their meaning in words.

    ``target`` is the target the chart was given: a value, or a column of targets.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    data = result.reset_index(drop=True)
    series = _series_codes(data, keys)
    dates = pd.to_datetime(data[date])
    segment = limit_groups(data, keys)
    frame = pd.DataFrame({"_series": series, "_segment": segment, "_date": dates})
    kind = data["point_type"].to_numpy()
    for column, kinds in COUNTED.items():
        frame[column] = np.isin(kind, kinds)
    grouped = frame.groupby("_series", sort=True)
    last = data.groupby(series, sort=True).tail(1).reset_index(drop=True)
    last_rows = grouped.tail(1).reset_index(drop=True)
    in_force = frame[frame["_segment"].isin(last_rows["_segment"])]
    out = last[keys].copy() if keys else pd.DataFrame(index=range(len(last)))
    out["points"] = grouped.size().to_numpy()
    out["latest_date"] = last_rows["_date"].to_numpy()
    out["latest_value"] = last[value].to_numpy(dtype=float)
    for column in LIMITS:
        out[column] = last[column].to_numpy(dtype=float)
    out["limits_from"] = in_force.groupby("_series", sort=True)["_date"].min().to_numpy()
    for column in COUNTED:
        out[column] = grouped[column].sum().to_numpy()
    if target is not None:
        out["target"] = (
            pd.to_numeric(last[target], errors="coerce").to_numpy()
            if isinstance(target, str)
            else float(target)
        )
    out["variation_type"] = last["point_type"].to_numpy()
    out["variation_icon"] = last["variation_icon"].to_numpy()
    # words for each series (not each point), from the icons' own text alternatives
    out["variation"] = [variation_text(variation_key(k)) for k in last["variation_icon"]]
    out["assurance_type"] = last["assurance_icon"].to_numpy()
    words = [assurance_text(SPC_ASSURANCE.get(str(k))) for k in last["assurance_icon"]]
    if target is not None:  # a target without assurance: say which reason
        none = last["assurance_icon"].isna().to_numpy() & out["target"].notna().to_numpy()
        short = np.isnan(out["lpl"].to_numpy(dtype=float))
        why = np.where(short, NO_LIMITS, NO_DIRECTION)
        words = list(np.where(none, why, np.array(words, dtype=object)))
    out["assurance"] = words
    return out


def limit_groups(result: pd.DataFrame, by: Sequence[str] = ()) -> np.ndarray:
    """A number for each run of points under the same mean and limits (a rebase group).

    Read from the chart's own columns, so it holds however the groups were made
    (rebase dates, fixed limits); numbered 1, 2, … down the sorted rows. Two
    adjacent groups under identical limits are one run, which draws and reads the same.
    """
    series = _series_codes(result, list(by))
    limits = result[list(LIMITS)].to_numpy(dtype=float)
    same = np.r_[False, series[1:] == series[:-1]]
    unchanged = (limits[1:] == limits[:-1]) | (np.isnan(limits[1:]) & np.isnan(limits[:-1]))
    return np.cumsum(~(same & np.r_[False, unchanged.all(axis=1)]))


def _series_codes(data: pd.DataFrame, keys: list[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(data), dtype=np.intp)
    return data.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()


def variation_key(key: object) -> str | None:
    """The variation icon's key; a series too short for limits has none."""
    return key if isinstance(key, str) and key != "insufficient_data" else None
