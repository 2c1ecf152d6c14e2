"""Status of ambitions against actuals: on or off trajectory, and where the trend leads.

Actuals are set beside the trajectory only like with like or through a stated
conversion (:mod:`placehealth.plans.compare`); anything else is "not comparable"
with the reason. The forecast is a linear trend with a prediction interval at the
target period (:mod:`placehealth.plans.forecast`). Vectorised over rows: the rules
are worked out once per distinct period and series are summarised with group-bys,
so thousands of area series cost one pass over the data.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from placehealth.catalogue.comparators import Comparators, load_comparators
from placehealth.catalogue.model import Aggregation, Catalogue, Indicator, Polarity, value_range
from placehealth.errors import ValidationError
from placehealth.fingertips import ALL_AGES, SEXES, is_fingertips, read_fingertips
from placehealth.periods import Period, decimal_year, is_period, midpoint, parse_period, readings
from placehealth.plans.comparators import (
    Resolved,
    comparator_rows,
    comparator_series,
    keys_of,
    resolve,
)
from placehealth.plans.compare import PER_YEAR, Points, compare, pool_rows
from placehealth.plans.forecast import (
    LIKELY,
    MIN_POINTS,
    TOO_FEW,
    UNLIKELY,
    linear_forecast,
    non_overlapping,
    verdict,
)
from placehealth.plans.load import Plan
from placehealth.plans.model import Ambition
from placehealth.plans.trajectory import Trajectory, compute, polarity_of
from placehealth.tables import file_row, read_table, refuse_first, refuse_rows, require_columns

_SEXES = {"persons": "persons", "person": "persons", "all": "persons", "p": "persons",
          "people": "persons", "m": "male", "male": "male", "males": "male", "f": "female",
          "female": "female", "females": "female"}  # fmt: skip
_ALIASES = {
    "lower95_0cl": "lower",
    "upper95_0cl": "upper",
    "lower_ci": "lower",
    "upper_ci": "upper",
}
_SHORT_RANGE = re.compile(r"\d{4}-\d{2}")  # "2009-11": a pooled window or a month


def read_actuals(
    path: Path,
    catalogue: Catalogue,
    *,
    sex: str = "persons",
    age: str | None = None,
    sheet: str | int | None = None,
    header_row: int = 1,
) -> pd.DataFrame:
    """Read actuals (ours, the engine's or a Fingertips download) into indicator, area,
    period, value, CIs, sex and age band.

    ``sex`` and ``age`` choose the rows of a Fingertips download (persons and all ages
    by default; see :mod:`placehealth.fingertips`); in other files ``sex`` male or
    female, or a named ``age`` band, keeps only those rows. ``sheet`` and
    ``header_row`` choose the table in an Excel export (see ``read_table``).
    """
    if sex not in SEXES:
        raise ValidationError(f"unknown sex '{sex}'", hint="use " + ", ".join(SEXES))
    raw = read_table(path, sheet=sheet, header_row=header_row)
    if "indicator_id" in raw.columns and "indicator" not in raw.columns:
        raw = from_long_format(raw, path)
    if is_fingertips(raw.columns):
        frame = read_fingertips(path, catalogue, sex=sex, age=age, raw=raw)
        frame = frame[frame["value"].notna()]  # a suppressed value has nothing to compare
    else:
        frame = raw.rename(columns=_ALIASES)
        require_columns(frame, ["indicator", "area", "period", "value"], file=path)
        frame["indicator"] = frame["indicator"].astype(str)
        known = frame["indicator"].isin(list(catalogue.indicators))
        refuse_first(
            ~known, frame["indicator"], "unknown indicator '{value}'", file=path,
            column="indicator", hint="use an indicator id from the catalogue",
        )  # fmt: skip
    for column in ("value", "lower", "upper"):
        if column in frame.columns:
            numbers = pd.to_numeric(frame[column], errors="coerce")
            bad_mask = numbers.isna() & frame[column].notna()
            if column == "value":
                bad_mask |= frame[column].isna()
            refuse_first(
                bad_mask, frame[column], "'{value}' is not a number", file=path, column=column,
                hint="values must be numeric; leave confidence limits empty if unknown",
            )  # fmt: skip
            frame[column] = numbers.astype(float)
    frame["period"] = frame["period"].astype(str)
    frame["area"] = frame["area"].astype(str)
    _normalise_sex_and_age(frame, path)
    if not is_fingertips(raw.columns):
        if sex in ("male", "female"):
            frame = frame[frame["sex"] == sex]
        if age is not None and age.strip().lower() != "all":
            wanted = ALL_AGES if age.strip().lower() == ALL_AGES else age.strip()
            frame = frame[frame["age_band"] == wanted]
    frame = frame.copy()
    _attach_dates(frame, path)
    return frame.reset_index(drop=True)


def _normalise_sex_and_age(frame: pd.DataFrame, path: Path) -> None:
    """sex as persons/male/female and age_band with 'all ages' for blanks, whoever wrote it
    (the engine writes F and M; Fingertips Persons, Male, Female and 'All ages')."""
    if "sex" in frame.columns:
        raw = frame["sex"].astype(str).str.strip().str.lower()
        sex = raw.map(_SEXES).where(~frame["sex"].isna(), "persons")
        refuse_first(
            sex.isna(), frame["sex"], "unknown sex '{value}'", file=path, column="sex",
            hint="use persons, male or female (or F, M)",
        )  # fmt: skip
        frame["sex"] = sex.astype(str)
    else:
        frame["sex"] = "persons"
    if "age_band" in frame.columns:
        age = frame["age_band"].astype(str).str.strip()
        blank = frame["age_band"].isna() | age.str.lower().isin(["", "all ages", "all", "nan"])
        frame["age_band"] = age.where(~blank, ALL_AGES)
    else:
        frame["age_band"] = ALL_AGES


def from_long_format(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Indicator values as the engine writes them (DESIGN §4), by area code, sex and age."""
    require_columns(raw, ["indicator_id", "area_code", "period", "value"], file=path)
    keep = pd.to_numeric(raw["value"], errors="coerce").notna().to_numpy()  # suppressed, or none
    frame = raw.loc[keep].rename(columns={"indicator_id": "indicator"})
    if "period_kind" not in frame.columns:
        frame = frame.assign(period_kind=_engine_kinds(frame["period"]))
    return frame.assign(area=frame["area_code"].astype(str))


def _engine_kinds(periods: pd.Series) -> np.ndarray:
    """'pooled' for each label that reads two ways ("2009-11"), else ''.

    The engine writes years, financial years and pooled windows, never months, so an
    ambiguous label is a pooled window. A values file has a few hundred distinct labels
    over hundreds of thousands of rows: each is read once and mapped back by its code.
    """
    codes, labels = pd.factorize(periods.astype(str), use_na_sentinel=False)
    pooled = np.fromiter(
        (_SHORT_RANGE.fullmatch(label) is not None and len(readings(label)) != 1
         for label in labels),
        dtype=bool, count=len(labels),
    )  # fmt: skip
    return np.where(pooled, "pooled", "")[codes]


def _attach_dates(frame: pd.DataFrame, path: Path) -> None:
    """Start, end, midpoint and kind of every row's period.

    A ``period_kind`` column (month, pooled, fy, at) says how to read labels that
    could be read two ways ("2009-11"); without it such a label is refused.
    """
    if "period_kind" in frame.columns:
        kinds = frame["period_kind"].astype(object).fillna("").astype(str).str.strip()
        frame["period"] = np.where(kinds != "", kinds + ":" + frame["period"], frame["period"])
    labels = frame["period"].unique()
    starts, ends, kinds_of, months = {}, {}, {}, {}
    for label in labels:  # unique labels only: a few hundred at most
        try:
            period = parse_period(label)
        except ValidationError as exc:
            at = frame.index[(frame["period"] == label).to_numpy()]
            rows = [file_row(frame, int(i)) for i in at]
            refuse_rows(rows, [exc.message] * len(rows), file=path, column="period", hint=exc.hint)
            continue  # noted for a preview (every_problem): the rows stay without dates
        starts[label], ends[label] = period.start, period.end
        kinds_of[label], months[label] = period.kind, period.months
    frame["start"] = pd.to_datetime(frame["period"].map(starts))
    frame["end"] = pd.to_datetime(frame["period"].map(ends))
    frame["period_kind"] = frame["period"].map(kinds_of)
    frame["months"] = frame["period"].map(months).fillna(0).astype(int)
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2


COLUMNS = ["document", "ambition", "indicator", "area", "latest_period", "actual", "lower",
           "upper", "compared", "expected", "expected_period", "difference", "status",
           "comparison", "comparator", "comparator_value", "forecast_end", "forecast_lower",
           "forecast_upper", "forecast_period", "forecast_method", "forecast_verdict", "target",
           "target_period", "forecast_meets_target"]  # fmt: skip


def _decimal_year(dates: pd.Series) -> np.ndarray:
    return (dates.dt.year + (dates.dt.day_of_year - 1) / 365.25).to_numpy(dtype=float)


def plan_status(
    plans: list[Plan],
    catalogue: Catalogue,
    actuals: pd.DataFrame,
    *,
    area: str | None = None,
    all_areas: bool = False,
    population: float | None = None,
    comparators: Comparators | None = None,
) -> pd.DataFrame:
    """One row per ambition × area: latest comparable actual, expected value, status, the
    conversion made (or why none could be), and a forecast at the target period.

    ``population``: the population the actuals' counts come from, when it is not the
    plan's (a synthetic sample, a neighbourhood); counts are then compared as rates.
    ``comparators``: the named comparator areas and peer groups (default: the packaged
    ones); a gap is computed against the ambition's comparator.
    """
    comparators = comparators or load_comparators()
    out = []
    actuals = actuals.reset_index(drop=True)  # row positions below, whatever the index was
    area_keys = actuals["area"].str.lower()
    if "area_code" in actuals.columns:
        code_keys = actuals["area_code"].astype(str).str.lower()
    else:
        code_keys = area_keys
    by_indicator = {k: v.index.to_numpy() for k, v in actuals.groupby("indicator", sort=False)}
    sexes = actuals["sex"].to_numpy() if "sex" in actuals.columns else None
    ages = actuals["age_band"].to_numpy() if "age_band" in actuals.columns else None
    for plan in plans:
        for a in plan.ambitions:
            t = compute(a, catalogue)
            indicator = catalogue[a.indicator]
            where = area or a.area or plan.document.area
            wanted = where.lower()
            source = indicator.gap_of or a.indicator
            rows = by_indicator.get(source, np.array([], dtype=int))
            rows, reason = _same_sex_and_age(rows, sexes, ages, a, source)
            in_area = (area_keys.to_numpy()[rows] == wanted) | (
                code_keys.to_numpy()[rows] == wanted
            )
            comparator = resolve(a, indicator, comparators)
            comparison_series, comparator_missing = pd.DataFrame(), ""
            if comparator is not None:
                place_keys = comparators.area_keys(where) | {wanted}
                of = comparator_rows(actuals, rows, comparator, place_keys)
                comparison_series, comparator_missing = comparator_series(
                    actuals, rows, comparator, place_keys, polarity_of(a, indicator)
                )
                places = rows[~of] if comparator.area_keys else rows
            else:
                places = rows
            places = places if all_areas else rows[in_area]
            if indicator.gap_of is not None and comparator is not None:
                series, why = _gap_series(
                    actuals, places, comparison_series, comparator_missing, indicator
                )
                reason = reason or why
            else:
                series = actuals.iloc[places]
            base = {
                "document": plan.document.id,
                "ambition": a.id,
                "indicator": a.indicator,
                "target": a.target.value if a.target else t.target,
                "target_period": a.target.period
                if a.target
                else (t.periods[-1] if t.periods else None),
            }
            dated = [
                (p, v)
                for p, v in zip(t.periods, t.values, strict=True)
                if is_period(p) and np.isfinite(v)
            ]
            if "index" in t.extras:
                reason = "the plan gives changes without a baseline (an index, not the measure)"
            elif not dated:
                reason = "the plan gives no dated values to compare with"
            if series.empty or reason:
                missing = f"no actuals for '{source}' in {where}" + (
                    f" (the gap to {comparator.label} is computed from it)"
                    if comparator is not None and indicator.gap_of
                    else ""
                )
                done = _without_comparison(series, base, where, reason, missing)
                out.append(_with_comparator(done, comparator, comparison_series,
                                            comparator_missing))  # fmt: skip
                continue
            scale, note = _population_scale(t, indicator, population)
            done = _series_status(
                series,
                Points.of(
                    [p for p, _ in dated],
                    np.asarray([v for _, v in dated], dtype=float),
                    a.baseline.period if a.baseline and a.baseline.value is not None else None,
                ),
                a,
                indicator,
                polarity_of(a, indicator),
                base,
                scale,
                note,
                t.multiplier or 1.0,
            )
            out.append(_with_comparator(done, comparator, comparison_series, comparator_missing))
    result = pd.concat(out, ignore_index=True)
    for column in COLUMNS:
        if column not in result.columns:
            result[column] = np.nan
    return result[COLUMNS]


def _same_sex_and_age(
    rows: np.ndarray,
    sexes: np.ndarray | None,
    ages: np.ndarray | None,
    ambition: Ambition,
    source: str,
) -> tuple[np.ndarray, str]:
    """The rows for the ambition's sex and age: its ``age`` if it names one, else all ages,
    else the indicator's only age band (the engine's life expectancy at birth is band '0')."""
    if sexes is not None:
        found = sorted(set(sexes[rows].tolist()))
        rows = rows[sexes[rows] == ambition.sex]
        if rows.size == 0 and found:
            return rows, (
                f"the actuals give '{source}' for {' and '.join(found)}, not "
                f"{ambition.sex} (give {ambition.sex} rows, or one ambition per sex with sex:)"
            )
    if ages is None or rows.size == 0:
        return rows, ""
    bands = ages[rows]
    if ambition.age is not None:
        return rows[bands == ambition.age], ""
    if (bands == ALL_AGES).any():
        return rows[bands == ALL_AGES], ""
    found = sorted(set(bands.tolist()))
    if len(found) == 1:
        return rows, ""
    return rows[:0], (
        f"the actuals give age bands {', '.join(found[:5])} but no 'all ages': "
        "say which band the ambition means with age:"
    )


def _gap_series(
    actuals: pd.DataFrame,
    place: np.ndarray,
    comparator: pd.DataFrame,
    missing: str,
    indicator: Indicator,
) -> tuple[pd.DataFrame, str]:
    """The gap (comparator less place) for every period both have, or why there is none."""
    if place.size and missing:
        return actuals.iloc[:0], (
            f"{missing} (the gap needs its '{indicator.gap_of}' rows, "
            "e.g. from a Fingertips download)"
        )
    if comparator.empty:
        return actuals.iloc[:0], ""
    ours = actuals.iloc[place].drop(columns=["lower", "upper"], errors="ignore")
    keys = keys_of(actuals)
    both = ours.merge(comparator[[*keys, "value"]], on=keys, suffixes=("", "_comparator"))
    both["value"] = both["value_comparator"] - both["value"]
    return both.drop(columns="value_comparator"), ""


def _with_comparator(
    done: pd.DataFrame, comparator: Resolved | None, series: pd.DataFrame, missing: str
) -> pd.DataFrame:
    """The comparator's name and its value for each row's latest period."""
    if comparator is None:
        return done
    if missing:
        return done.assign(comparator=missing.removeprefix("comparator "), comparator_value=np.nan)
    if "latest_period" not in done.columns or series.empty:
        return done.assign(comparator=comparator.label, comparator_value=np.nan)
    by_period = series.drop_duplicates("period").set_index("period")["value"]
    return done.assign(
        comparator=comparator.label,
        comparator_value=done["latest_period"].map(by_period).astype(float),
    )


def _without_comparison(
    series: pd.DataFrame, base: dict[str, Any], where: str, reason: str, missing: str
) -> pd.DataFrame:
    """One row per area saying why nothing was compared, with the latest actual if any."""
    if series.empty:
        return pd.DataFrame(
            [{**base, "area": where, "status": "not comparable" if reason else "no data",
              "comparison": reason or missing}]
        )  # fmt: skip
    latest = series.sort_values(["area", "end", "months", "value"]).groupby("area").tail(1)
    return pd.DataFrame(
        {
            **base,
            "area": latest["area"].to_numpy(),
            "latest_period": latest["period"].to_numpy(),
            "actual": latest["value"].to_numpy(),
            "status": "not comparable",
            "comparison": reason,
        }
    )


def _population_scale(
    t: Trajectory, indicator: Indicator, population: float | None
) -> tuple[float | None, str]:
    """How counts from ``population`` are put on the plan's scale (or why they cannot be)."""
    if population is None or indicator.kind not in (
        Aggregation.FLOW_COUNT,
        Aggregation.STOCK_COUNT,
    ):
        return 1.0, ""
    plan_population = t.denominator
    if plan_population is None:
        return None, (
            f"counts from a population of {population:,.0f} cannot be set against the plan's: "
            "the plan states no population to convert them through"
        )
    return plan_population / population, (
        f"counts from a population of {population:,.0f} scaled × {plan_population:,.0f}"
        f"/{population:,.0f} to the plan's population (compared as rates)"
    )


def _series_status(
    rows: pd.DataFrame,
    points: Points,
    ambition: Ambition,
    indicator: Indicator,
    polarity: Polarity,
    base: dict[str, Any],
    scale: float | None,
    note: str,
    multiplier: float,
) -> pd.DataFrame:
    aggregation = indicator.kind
    # areas as integer codes: sorting and grouping integers is far cheaper than strings
    codes, names = pd.factorize(rows["area"], sort=True)
    rows = rows.assign(area=codes)
    pooled = pool_rows(rows, points, aggregation, multiplier)
    frame = pd.concat([rows, pooled], ignore_index=True) if len(pooled) else rows
    profile = list(ambition.profile.weights) if ambition.profile is not None else None
    frame = frame.reset_index(drop=True)
    compared, rules = compare(frame, points, aggregation, profile=profile, scale=scale,
                              population_note=note)  # fmt: skip
    frame = frame.join(compared)
    priority = np.where(frame["comparable"], 2, np.where(frame["before"], 1, 0))
    like = frame["like"].to_numpy()
    # one integer key: area, then comparable > not yet due > other, then latest end, then
    # like with like, then the longer period; the value breaks exact ties
    end_day = frame["end"].to_numpy().astype("datetime64[D]").astype(np.int64)
    key = frame["area"].to_numpy().astype(np.int64) * 3 + priority
    key = ((key << 17) + (end_day - end_day.min())) * 2 + like
    key = (key << 9) + frame["months"].to_numpy().astype(np.int64)
    order = np.lexsort((frame["value"].to_numpy(), key))
    ranked = frame["area"].to_numpy()[order]
    last = order[np.r_[ranked[1:] != ranked[:-1], True]]  # the last row of each area
    latest = frame.iloc[last].set_index("area")
    rule = latest["rule"].to_numpy()
    latest = latest.assign(
        comparison=rules["comparison"].to_numpy()[rule],
        expected_period=rules["expected_period"].to_numpy()[rule],
    )
    diff = latest["compared"] - latest["expected"]
    within_ci = (latest["expected"] >= latest["compared_lower"]) & (
        latest["expected"] <= latest["compared_upper"]
    )
    if polarity == Polarity.HIGHER:
        good = diff >= 0
    elif polarity == Polarity.LOWER:
        good = diff <= 0
    else:
        good = diff.abs() <= 1e-9
    status = np.where(good | within_ci, "on track", "off track")
    status = np.where(latest["before"], "not yet due", status)
    status = np.where(~latest["comparable"] & ~latest["before"], "not comparable", status)
    planned = [p for p in points.periods if points.baseline_end is None
               or np.datetime64(p.end, "ns") > points.baseline_end]  # fmt: skip
    first = planned[0].label if planned else points.periods[-1].label
    comparison = np.where(
        latest["before"],
        "before the first planned period (" + first + ")",
        latest["comparison"],
    )
    forecast = _forecast(frame, points, ambition, indicator, polarity, base, scale)
    if scale is None and indicator.kind in (Aggregation.FLOW_COUNT, Aggregation.STOCK_COUNT):
        forecast = forecast.assign(forecast_method=note, forecast_verdict="not comparable")
    forecast = forecast.reindex(latest.index)
    return pd.DataFrame(
        {
            **base,
            "area": np.asarray(names)[latest.index.to_numpy()],
            "latest_period": latest["period"].to_numpy(),
            "actual": latest["value"].to_numpy(),
            "lower": latest["lower"].to_numpy() if "lower" in latest else np.nan,
            "upper": latest["upper"].to_numpy() if "upper" in latest else np.nan,
            "compared": latest["compared"].to_numpy(),
            "expected": latest["expected"].to_numpy(),
            "expected_period": latest["expected_period"].to_numpy(),
            "difference": diff.to_numpy(),
            "status": status,
            "comparison": comparison,
            **{c: forecast[c].to_numpy() for c in forecast.columns},
        }
    )


def _forecast(
    frame: pd.DataFrame,
    points: Points,
    ambition: Ambition,
    indicator: Indicator,
    polarity: Polarity,
    base: dict[str, Any],
    scale: float | None,
) -> pd.DataFrame:
    """A linear trend over non-overlapping points, at the target period (see forecast.py)."""
    aggregation = indicator.kind
    label = base["target_period"]
    goal = parse_period(label) if label is not None and is_period(label) else points.periods[-1]
    at = decimal_year(midpoint(goal))
    areas = pd.Index(sorted(frame["area"].unique()), name="area")
    chosen = pd.Series(0, index=areas)
    for months in dict.fromkeys([goal.months, 12, 1, 3]):
        if months < 1:
            continue
        sub = frame[(frame["months"] == months) & ~frame["area"].isin(areas[chosen > 0])]
        if sub.empty:
            continue
        kept = sub[non_overlapping(sub)]
        n = kept.groupby("area")["value"].count()
        chosen.loc[n[n >= MIN_POINTS].index] = months
    wanted = np.zeros(int(frame["area"].max()) + 1, dtype=int)
    wanted[chosen.index.to_numpy()] = chosen.to_numpy()
    use = frame[(frame["months"].to_numpy() == wanted[frame["area"].to_numpy()])
                & (frame["months"] > 0).to_numpy()]  # fmt: skip
    use = use[non_overlapping(use)].sort_values(["area", "start"], kind="stable")
    counts = aggregation in (Aggregation.FLOW_COUNT, Aggregation.STOCK_COUNT)
    if (counts and scale is None) or base["target"] is None:
        use = use.iloc[:0]
    factor = _forecast_factor(use, goal, aggregation) * (scale if counts and scale else 1.0)
    points_frame = pd.DataFrame(
        {"area": use["area"], "x": _decimal_year(use["start"] + (use["end"] - use["start"]) / 2),
         "y": use["value"].to_numpy(dtype=float) * factor}
    )  # fmt: skip
    fitted = linear_forecast(points_frame, at, value_range(indicator.unit)).reindex(areas)
    fitted["points"] = fitted["points"].fillna(0).astype(int)
    first = use.groupby("area")["period"].first().reindex(areas)
    last = use.groupby("area")["period"].last().reindex(areas)
    words = chosen.map({1: "monthly", 3: "quarterly", 12: "yearly"}).fillna(
        chosen.astype(str) + "-month"
    )
    enough = fitted["forecast"].notna()
    method = np.where(
        enough,
        "linear trend over " + fitted["points"].astype(str) + " non-overlapping "
        + words + " points (" + first.astype(str) + " to " + last.astype(str)
        + "), 95% prediction interval, for " + goal.label,
        "no target to forecast to"
        if base["target"] is None
        else TOO_FEW + " (at least " + str(MIN_POINTS) + " non-overlapping points of one kind)",
    )  # fmt: skip
    target = base["target"]
    judged = verdict(fitted["forecast_lower"], fitted["forecast_upper"], target, polarity)
    meets = judged.map({LIKELY: True, UNLIKELY: False}).astype(object)
    return pd.DataFrame(
        {
            "forecast_end": fitted["forecast"],
            "forecast_lower": fitted["forecast_lower"],
            "forecast_upper": fitted["forecast_upper"],
            "forecast_period": enough.map({True: goal.label, False: None}),
            "forecast_method": method,
            "forecast_verdict": judged,
            "forecast_meets_target": meets.where(meets.notna(), np.nan),
        },
        index=areas,
    )


def _forecast_factor(use: pd.DataFrame, goal: Period, aggregation: Aggregation) -> np.ndarray:
    """Puts each point on the target period's scale: rates and flow counts by length."""
    months = use["months"].to_numpy(dtype=float)
    if aggregation == Aggregation.FLOW_COUNT:
        return goal.months / np.maximum(months, 1)
    if aggregation in PER_YEAR:
        basis = goal.months if 0 < goal.months <= 12 else 12
        annualised = (
            use["annualised"].fillna(False).astype(bool).to_numpy()
            if "annualised" in use.columns
            else np.zeros(len(use), dtype=bool)
        )
        per = np.where(annualised | (months > 12), 12.0, months)
        return basis / np.maximum(per, 1)
    return np.ones(len(use))
