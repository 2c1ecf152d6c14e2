"""The place at a glance: every indicator's latest value, how it compares, where it is heading.

For each indicator (persons; each sex where the indicator has no persons value)
the place's latest published value is set against:

- **England** (or another comparator area), when the outputs carry its values:
  better, similar or worse, at 95% and at 99.8% confidence, by whether the
  comparator's value lies outside the place's interval (the Fingertips rule, defined
  once in :mod:`placehealth.charts.significance`);
- **its own neighbourhoods**: how many are significantly better (at 95% or
  99.8%), similar and worse than the place;
- **its previous value** of the same kind of period: increasing or decreasing
  when the two 95% intervals do not overlap, else no significant change;
- **the plans**: the status of every ambition set against the indicator.

Everything is computed over whole columns (merges and masks), so a place with
thousands of areas costs the same few passes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from placehealth.catalogue.comparators import Comparators, load_comparators
from placehealth.charts.significance import significance as compare_by_interval
from placehealth.charts.style import BY_KEY
from placehealth.periods import parse_period
from placehealth.services.site_outputs import SiteOutputs

PLACE = "place"
NEIGHBOURHOOD = "neighbourhood"
PERSONS = "persons"
KEYS = ["indicator_id", "sex", "age_band"]
LOW95, HIGH95 = "lower95_0cl", "upper95_0cl"
LOW998, HIGH998 = "lower99_8cl", "upper99_8cl"
HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NOT_COMPARED = "not compared"
NOT_COMPARED_LABEL = BY_KEY["not_compared"].label
ARROWS = {"increasing": "↑", "decreasing": "↓", "no significant change": "→", NOT_COMPARED: ""}

COLUMNS = [
    "indicator_id", "indicator", "unit", "polarity", "sex", "period", "value", LOW95, HIGH95,
    "comparator", "comparator_value", "significance", "neighbourhoods_better",
    "neighbourhoods_similar", "neighbourhoods_worse", "trend", "trend_arrow",
    "trend_meaning", "plan_status",
]  # fmt: skip


def period_order(labels: Iterable[object]) -> dict[str, tuple[str, dt.date, dt.date]]:
    """A sort key for each period label: its kind, then its start and end dates."""
    order = {}
    for label in {str(x) for x in labels}:
        period = parse_period(label)
        order[label] = (period.kind, period.start, period.end)
    return order


def significance(frame: pd.DataFrame, benchmark: str) -> pd.Series:
    """Each row against the ``benchmark`` column, by the one comparison rule
    (:func:`placehealth.charts.significance.significance`), as its label: 'Better (99.8%)'."""
    keys = compare_by_interval(frame, frame[benchmark].to_numpy(dtype=float), frame["polarity"])
    return pd.Series([BY_KEY[k].label for k in keys], index=frame.index, dtype=object)


def latest_place_values(values: pd.DataFrame, area_type: str = PLACE) -> pd.DataFrame:
    """The latest row of each series of ``area_type`` (persons, or each sex where there is no
    persons row), with the previous row of the same kind of period beside it."""
    rows = values[values["area_type"] == area_type]
    has_persons = rows.groupby("indicator_id")["sex"].transform(lambda s: (s == PERSONS).any())
    rows = rows[(rows["sex"] == PERSONS) | ~has_persons].copy()
    order = period_order(rows["period"])
    rows["_kind"] = rows["period"].map(lambda p: order[str(p)][0])
    rows["_order"] = rows["period"].map(lambda p: order[str(p)][1:])
    rows = rows.sort_values([*KEYS, "_order"])
    last = rows.groupby(KEYS, sort=False).tail(1)
    kinds = last[[*KEYS, "_kind"]]
    same_kind = rows.drop(last.index).merge(kinds, on=[*KEYS, "_kind"])  # keeps the order
    previous = same_kind.groupby(KEYS, sort=False).tail(1)[[*KEYS, "value", LOW95, HIGH95]]
    previous = previous.rename(
        columns={"value": "previous_value", LOW95: "previous_lower", HIGH95: "previous_upper"}
    )
    return last.drop(columns=["_kind", "_order"]).merge(previous, on=KEYS, how="left")


def trend(latest: pd.DataFrame) -> pd.DataFrame:
    """Direction since the previous period, and what it means by the indicator's polarity."""
    rising = (latest[LOW95] > latest["previous_upper"]).to_numpy(bool)
    falling = (latest[HIGH95] < latest["previous_lower"]).to_numpy(bool)
    known = (
        latest[[LOW95, HIGH95, "previous_lower", "previous_upper"]].notna().all(axis=1).to_numpy()
    )
    direction = np.select(
        [~known, rising, falling],
        [NOT_COMPARED, "increasing", "decreasing"],
        "no significant change",
    )
    polarity = latest["polarity"].astype(str).to_numpy()
    good = (rising & (polarity == HIGHER_IS_BETTER)) | (falling & (polarity == LOWER_IS_BETTER))
    bad = (rising & (polarity == LOWER_IS_BETTER)) | (falling & (polarity == HIGHER_IS_BETTER))
    meaning = np.select([good, bad], ["getting better", "getting worse"], "")
    return pd.DataFrame(
        {
            "trend": direction,
            "trend_arrow": [ARROWS[d] for d in direction],
            "trend_meaning": meaning,
        },
        index=latest.index,
    )


def comparator_values(
    values: pd.DataFrame, latest: pd.DataFrame, name: str, comparators: Comparators
) -> pd.Series:
    """The comparator area's value for each latest row's indicator, sex, age and period."""
    keys = comparators.area_keys(name)
    code = values["area_code"].astype(str).str.strip().str.lower()
    area = values["area_name"].astype(str).str.strip().str.lower()
    theirs = values[code.isin(keys) | area.isin(keys)]
    theirs = theirs[[*KEYS, "period", "value"]].rename(columns={"value": "comparator_value"})
    theirs = theirs.drop_duplicates([*KEYS, "period"])
    merged = latest[[*KEYS, "period"]].merge(theirs, on=[*KEYS, "period"], how="left")
    return pd.Series(merged["comparator_value"].to_numpy(), index=latest.index)


def neighbourhood_counts(values: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """How many neighbourhoods are better, similar and worse than the place (at 95% or more)."""
    areas = values[values["area_type"] == NEIGHBOURHOOD]
    place = latest[[*KEYS, "period", "value"]].rename(columns={"value": "place_value"})
    areas = areas.merge(place, on=[*KEYS, "period"])
    keys = compare_by_interval(areas, areas["place_value"].to_numpy(dtype=float), areas["polarity"])
    verdict = pd.Series(keys, index=areas.index).str.partition("_")[0]
    counts = pd.crosstab([areas[k] for k in KEYS], verdict).reindex(
        columns=["better", "similar", "worse"], fill_value=0
    )
    counts.columns = [f"neighbourhoods_{c}" for c in counts.columns]
    merged = latest[KEYS].merge(counts.reset_index(), on=KEYS, how="left")
    return merged.drop(columns=KEYS).set_axis(latest.index).fillna(0).astype(int)


def plan_status_by_indicator(status: pd.DataFrame) -> pd.Series:
    """Each indicator's ambitions and their status: 'one-liverpool-2019/x: on track; ...'."""
    if status.empty or not {"indicator", "status"} <= set(status.columns):
        return pd.Series(dtype=object)
    text = (
        status["document"].astype(str)
        + "/"
        + status["ambition"].astype(str)
        + ": "
        + status["status"].astype(str)
    )
    return text.groupby(status["indicator"].astype(str)).agg("; ".join)


def place_overview(
    outputs: SiteOutputs,
    names: dict[str, str],
    *,
    comparator: str = "England",
    comparators: Comparators | None = None,
) -> pd.DataFrame:
    """One row per indicator series: the columns of :data:`COLUMNS`.

    ``names`` gives each indicator id its catalogue name (an id not in it keeps the id).
    With the packaged comparators the result is kept until the outputs change on disk,
    so a page that shows it costs a copy.
    """
    if comparators is not None:
        return _overview(outputs, names, comparator, comparators)
    key = tuple(sorted(names.items()))
    return _kept(outputs, outputs.version, key, comparator).copy()


@functools.lru_cache(maxsize=8)
def _kept(
    outputs: SiteOutputs, _version: object, names: tuple[tuple[str, str], ...], comparator: str
) -> pd.DataFrame:
    return _overview(outputs, dict(names), comparator, load_comparators())


def _overview(
    outputs: SiteOutputs, names: dict[str, str], comparator: str, comparators: Comparators
) -> pd.DataFrame:
    values = outputs.indicators
    latest = latest_place_values(values)
    latest["indicator"] = latest["indicator_id"].map(names).fillna(latest["indicator_id"])
    latest["comparator"] = comparator
    latest["comparator_value"] = comparator_values(values, latest, comparator, comparators)
    latest["significance"] = significance(latest, "comparator_value")
    latest = latest.join(neighbourhood_counts(values, latest)).join(trend(latest))
    status = plan_status_by_indicator(outputs.plan_status)
    latest["plan_status"] = latest["indicator_id"].map(status).fillna("")
    return latest[COLUMNS].reset_index(drop=True)
