"""Status of ambitions against actuals: on or off trajectory, and where the trend leads.

Vectorised over rows: actuals are joined to each ambition's trajectory with
``searchsorted`` on period dates and summarised per series with group-bys, so
thousands of area series cost one pass over the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Catalogue, Polarity, Unit
from placehealth.errors import ValidationError
from placehealth.periods import is_period, parse_period, readings
from placehealth.plans.load import Plan
from placehealth.plans.trajectory import compute, polarity_of
from placehealth.tables import read_table, require_columns

# Fingertips downloads use these headings; ours are the DESIGN §4 long format.
_FINGERTIPS = {
    "Indicator ID": "indicator_code",
    "Indicator Name": "indicator_name",
    "Area Code": "area_code",
    "Area Name": "area",
    "Time period": "period",
    "Value": "value",
    "Lower CI 95.0 limit": "lower",
    "Upper CI 95.0 limit": "upper",
}
_ALIASES = {
    "lower95_0cl": "lower",
    "upper95_0cl": "upper",
    "lower_ci": "lower",
    "upper_ci": "upper",
}


def read_actuals(path: Path, catalogue: Catalogue) -> pd.DataFrame:
    """Read actuals (ours or a Fingertips download) into indicator, area, period, value, CIs."""
    raw = read_table(path)
    if "indicator_id" in raw.columns and "indicator" not in raw.columns:
        raw = _from_long_format(raw, path)
    if "Indicator ID" in raw.columns or "Time period" in raw.columns:
        require_columns(raw, ["Indicator Name", "Area Name", "Time period", "Value"], file=path)
        frame = raw.rename(columns=_FINGERTIPS)[
            [c for c in _FINGERTIPS.values() if c in raw.rename(columns=_FINGERTIPS).columns]
        ]
        frame["indicator"] = _match_fingertips(frame, catalogue, path)
    else:
        frame = raw.rename(columns=_ALIASES)
        require_columns(frame, ["indicator", "area", "period", "value"], file=path)
        frame["indicator"] = frame["indicator"].astype(str)
        known = frame["indicator"].isin(list(catalogue.indicators))
        if not known.all():
            bad = int(np.flatnonzero(~known.to_numpy())[0])
            raise ValidationError(
                f"unknown indicator '{frame['indicator'].iloc[bad]}'",
                file=path,
                row=bad + 2,
                column="indicator",
                hint="use an indicator id from the catalogue",
            )
    for column in ("value", "lower", "upper"):
        if column in frame.columns:
            numbers = pd.to_numeric(frame[column], errors="coerce")
            bad_mask = numbers.isna() & frame[column].notna()
            if column == "value":
                bad_mask |= frame[column].isna()
            if bad_mask.any():
                bad = int(np.flatnonzero(bad_mask.to_numpy())[0])
                raise ValidationError(
                    f"'{frame[column].iloc[bad]}' is not a number",
                    file=path,
                    row=bad + 2,
                    column=column,
                    hint="values must be numeric; leave confidence limits empty if unknown",
                )
            frame[column] = numbers.astype(float)
    frame["period"] = frame["period"].astype(str)
    frame["area"] = frame["area"].astype(str)
    _attach_dates(frame, path)
    return frame.reset_index(drop=True)


def _from_long_format(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Indicator values as the engine writes them (DESIGN §4): persons, all ages, by area code."""
    require_columns(raw, ["indicator_id", "area_code", "period", "value"], file=path)
    keep = np.ones(len(raw), dtype=bool)
    if "sex" in raw.columns:
        keep &= raw["sex"].astype(str).str.lower().isin(["persons", "all", "nan"]).to_numpy()
    if "age_band" in raw.columns:
        keep &= raw["age_band"].astype(str).str.lower().isin(["all ages", "nan"]).to_numpy()
    keep &= pd.to_numeric(raw["value"], errors="coerce").notna().to_numpy()  # suppressed, or none
    frame = raw.loc[keep].rename(columns={"indicator_id": "indicator"})
    # the engine writes years, financial years and pooled windows ("2016-18"), never months
    periods = frame["period"].astype(str)
    pooled = periods.str.fullmatch(r"\d{4}-\d{2}") & ~periods.map(_one_reading)
    if "period_kind" not in frame.columns:
        frame = frame.assign(period_kind=np.where(pooled, "pooled", ""))
    return frame.assign(area=frame["area_code"].astype(str))


def _one_reading(label: str) -> bool:
    return len(readings(label)) == 1


def _match_fingertips(frame: pd.DataFrame, catalogue: Catalogue, path: Path) -> pd.Series:
    by_name = {ind.name.strip().lower(): ind.id for ind in catalogue.indicators.values()}
    names = frame["indicator_name"].astype(str).str.strip().str.lower().map(by_name)
    if "indicator_code" in frame.columns:
        unique = frame["indicator_code"].astype(str).unique()
        by_code = {c: found[0].id for c in unique if (found := catalogue.lookup_code(c))}
        names = names.fillna(frame["indicator_code"].astype(str).map(by_code))
    if names.isna().any():
        bad = int(np.flatnonzero(names.isna().to_numpy())[0])
        raise ValidationError(
            f"indicator '{frame['indicator_name'].iloc[bad]}' is not in the catalogue",
            file=path,
            row=bad + 2,
            column="Indicator Name",
            hint="add a 'fingertips' code with its Indicator ID to the catalogue entry",
        )
    return names


def _attach_dates(frame: pd.DataFrame, path: Path) -> None:
    """Start, end, midpoint and kind of every row's period.

    A ``period_kind`` column (month, pooled, fy, at) says how to read labels that
    could be read two ways ("2009-11"); without it such a label is refused.
    """
    if "period_kind" in frame.columns:
        kinds = frame["period_kind"].fillna("").astype(str).str.strip()
        frame["period"] = np.where(kinds != "", kinds + ":" + frame["period"], frame["period"])
    labels = frame["period"].unique()
    starts, ends, kinds_of, months = {}, {}, {}, {}
    for label in labels:  # unique labels only: a few hundred at most
        try:
            period = parse_period(label)
        except ValidationError as exc:
            bad = int(np.flatnonzero((frame["period"] == label).to_numpy())[0])
            raise ValidationError(
                exc.message, file=path, row=bad + 2, column="period", hint=exc.hint
            ) from None
        starts[label], ends[label] = period.start, period.end
        kinds_of[label], months[label] = period.kind, period.months
    frame["start"] = pd.to_datetime(frame["period"].map(starts))
    frame["end"] = pd.to_datetime(frame["period"].map(ends))
    frame["period_kind"] = frame["period"].map(kinds_of)
    frame["months"] = frame["period"].map(months).astype(int)
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2


def _decimal_year(dates: pd.Series) -> np.ndarray:
    return (dates.dt.year + (dates.dt.day_of_year - 1) / 365.25).to_numpy(dtype=float)


def plan_status(
    plans: list[Plan],
    catalogue: Catalogue,
    actuals: pd.DataFrame,
    *,
    area: str | None = None,
    all_areas: bool = False,
) -> pd.DataFrame:
    """One row per ambition × area: latest actual, expected value, status, trend forecast."""
    out = []
    area_keys = actuals["area"].str.lower()
    if "area_code" in actuals.columns:
        code_keys = actuals["area_code"].astype(str).str.lower()
    else:
        code_keys = area_keys
    by_indicator = {k: v.index.to_numpy() for k, v in actuals.groupby("indicator", sort=False)}
    for plan in plans:
        for a in plan.ambitions:
            t = compute(a, catalogue)
            indicator = catalogue[a.indicator]
            wanted = (area or a.area or plan.document.area).lower()
            rows = by_indicator.get(a.indicator, np.array([], dtype=int))
            if not all_areas and rows.size:
                mask = (area_keys.to_numpy()[rows] == wanted) | (
                    code_keys.to_numpy()[rows] == wanted
                )
                rows = rows[mask]
            base = {
                "document": plan.document.id,
                "ambition": a.id,
                "indicator": a.indicator,
                "target": a.target.value if a.target else t.target,
                "target_period": a.target.period
                if a.target
                else (t.periods[-1] if t.periods else None),
            }
            # an index-only trajectory (no printed baseline) cannot be set against actuals
            usable = "index" not in t.extras
            dated = [(p, v) for p, v in zip(t.periods, t.values, strict=True) if is_period(p)]
            dated = dated if usable else []
            if rows.size == 0 or not dated:
                out.append(
                    pd.DataFrame(
                        [
                            {
                                **base,
                                "area": area or a.area or plan.document.area,
                                "status": "no data",
                            }
                        ]
                    )
                )
                continue
            out.append(
                _series_status(
                    actuals.iloc[rows],
                    [p for p, _ in dated],
                    np.asarray([v for _, v in dated], dtype=float),
                    a,
                    indicator.unit,
                    polarity_of(a, indicator),
                    base,
                )
            )
    result = pd.concat(out, ignore_index=True)
    columns = ["document", "ambition", "indicator", "area", "latest_period", "actual", "lower",
               "upper", "expected", "difference", "status", "forecast_end", "target",
               "target_period", "forecast_meets_target"]  # fmt: skip
    for column in columns:
        if column not in result.columns:
            result[column] = np.nan
    return result[columns]


def _series_status(
    rows: pd.DataFrame,
    periods: list[str],
    values: np.ndarray,
    ambition,
    unit: Unit,
    polarity: Polarity,
    base: dict[str, Any],
) -> pd.DataFrame:
    parsed = [parse_period(p) for p in periods]
    starts = pd.to_datetime([p.start for p in parsed]).to_numpy()
    ends = pd.to_datetime([p.end for p in parsed]).to_numpy()
    order = np.argsort(starts, kind="stable")
    starts, ends, values = starts[order], ends[order], values[order]
    mids = rows["mid"].to_numpy()
    slot = np.searchsorted(starts, mids, side="right") - 1
    inside = (slot >= 0) & (mids <= ends[np.clip(slot, 0, None)])
    after_end = mids > ends[-1]
    expected = np.where(inside, values[np.clip(slot, 0, None)], np.nan)
    expected = np.where(after_end, values[-1], expected)
    if unit == Unit.COUNT:
        # a count for a month is a share of the year's count
        traj_days = (ends - starts).astype("timedelta64[D]").astype(float) + 1
        actual_days = (rows["end"] - rows["start"]).dt.days.to_numpy(dtype=float) + 1
        share = actual_days / traj_days[np.clip(slot, 0, None)]
        if ambition.profile is not None and len(ambition.profile.weights) == 12:
            weights = np.asarray(ambition.profile.weights, float)
            month_share = weights / weights.sum()
            fy_month = (rows["start"].dt.month.to_numpy() - 4) % 12
            share = np.where(actual_days < 32, month_share[fy_month], share)
        expected = expected * np.minimum(share, 1.0)
    frame = rows.assign(expected=expected, x=_decimal_year(rows["mid"]))
    first_due = starts[1] if len(starts) > 1 else starts[0]
    frame["due"] = frame["start"].to_numpy() >= first_due
    # the trend over every actual of the series (least squares, vectorised)
    grouped = frame.groupby("area", sort=True)
    n = grouped["value"].count()
    sx, sy = grouped["x"].sum(), grouped["value"].sum()
    sxx = grouped["x"].apply(lambda s: float((s * s).sum()))
    sxy = (frame["x"] * frame["value"]).groupby(frame["area"]).sum()
    denom = n * sxx - sx * sx
    slope = np.where(denom > 0, (n * sxy - sx * sy) / denom.where(denom > 0, 1), 0.0)
    intercept = (sy - slope * sx) / n
    end_x = _decimal_year(pd.Series([pd.Timestamp(ends[-1])]))[0]
    latest = (
        frame.sort_values(["area", "start"]).groupby("area", sort=True).tail(1).set_index("area")
    )
    forecast = intercept + slope * end_x
    if unit == Unit.COUNT:
        # a monthly or quarterly count's trend, restated for the target's whole period
        last_days = float((ends[-1] - starts[-1]).astype("timedelta64[D]").astype(float)) + 1
        per_actual = (frame["end"] - frame["start"]).dt.days.groupby(frame["area"]).median() + 1
        forecast = forecast * (last_days / per_actual)
    latest = latest.assign(forecast_end=forecast)
    diff = latest["value"] - latest["expected"]
    lower = latest["lower"] if "lower" in latest else pd.Series(np.nan, index=latest.index)
    upper = latest["upper"] if "upper" in latest else pd.Series(np.nan, index=latest.index)
    within_ci = (latest["expected"] >= lower) & (latest["expected"] <= upper)
    if polarity == Polarity.HIGHER:
        good = diff >= 0
    elif polarity == Polarity.LOWER:
        good = diff <= 0
    else:
        good = diff.abs() <= 1e-9
    status = np.where(good | within_ci, "on track", "off track")
    status = np.where(~latest["due"], "not yet due", status)
    status = np.where(latest["expected"].isna() & latest["due"], "no data", status)
    target = base["target"]
    if target is not None and polarity != Polarity.NEUTRAL:
        meets = (
            (latest["forecast_end"] >= target)
            if polarity == Polarity.HIGHER
            else (latest["forecast_end"] <= target)
        )
    else:
        meets = pd.Series(np.nan, index=latest.index)
    return pd.DataFrame(
        {
            **base,
            "area": latest.index,
            "latest_period": latest["period"].to_numpy(),
            "actual": latest["value"].to_numpy(),
            "lower": lower.to_numpy(),
            "upper": upper.to_numpy(),
            "expected": latest["expected"].to_numpy(),
            "difference": diff.to_numpy(),
            "status": status,
            "forecast_end": latest["forecast_end"].to_numpy(),
            "forecast_meets_target": meets.to_numpy(),
        }
    )
