"""Inequalities from the warehouse: values by deprivation, slope and relative indices, gaps.

- :func:`by_deprivation`: life expectancy and condition-free life expectancy at birth
  (Sullivan's method, the state being any recorded long-term condition) by sex, for
  the place and each IMD decile and quintile (quintile q = deciles 2q-1 and 2q). The
  engine counts deaths, people and people with a condition at (LSOA, year, sex, life-
  table band) grain on DuckDB or Spark; deciles and quintiles are sums of those.
- :func:`inequality_indices`: the slope index of inequality (SII) and relative index
  (RII) with simulated limits (:func:`placehealth.stats.sii`) for every indicator,
  period, sex and age that has a value with limits in all ten deciles. Proportions
  are drawn on the logit scale from their counts, rates on the log scale, everything
  else (life expectancy, a series with a decile at zero) on its own scale.
- :func:`comparator_gaps`: the comparator's value less the place's (England's life
  expectancy less the place's: the seeds' "gap with England"), and the same for the
  SII where the comparator's is known.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from placehealth import stats
from placehealth.engine import tables as t
from placehealth.engine.expressions import age_at, band_label, life_table_band
from placehealth.engine.indicators.context import CONFIDENCE, Context, long_format, pool
from placehealth.engine.indicators.mortality import deaths
from placehealth.engine.indicators.standardise import complete_bands
from placehealth.engine.population import GRAIN, count_events, persons
from placehealth.stats.confidence import wilson
from placehealth.stats.healthy_life import sullivan
from placehealth.stats.life_expectancy import LABELS as LIFE_TABLE_LABELS
from placehealth.tables import read_table

DECILE, QUINTILE = "imd_decile", "imd_quintile"
LIFE_EXPECTANCY = "life-expectancy-birth"
CONDITION_FREE = "condition-free-life-expectancy"
SII, RII, GAP = "slope index of inequality", "relative index of inequality", "gap to comparator"
KEYS = ["area_type", "area_code", "period", "sex"]
SERIES = ["indicator_id", "period", "sex", "age_band"]
_LIMITS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
COLUMNS = [
    "indicator_id", "measure", "area_type", "area_code", "period", "sex", "age_band",
    "value", *_LIMITS, "comparator", "comparator_value", "method",
]  # fmt: skip


def by_deprivation(ctx: Context) -> pd.DataFrame:
    """Life expectancy and condition-free life expectancy at birth by sex, in the long
    format, for the place, each decile and each quintile."""
    keys = ["year", "age_start", "sex"]
    died = count_events(
        ctx.backend, deaths(ctx), "date_of_death", years=ctx.calendar_years, basis="calendar",
        banding="life", name="deaths",
    )  # fmt: skip
    rolled = ctx.with_population(died, "deaths", keys, "calendar", "life")
    ill = ctx.roll_up(prevalent(ctx), ["prevalent"], keys)
    rolled = rolled.merge(ill, on=["area_type", "area_code", *keys], how="left")
    rolled["prevalent"] = rolled["prevalent"].fillna(0)
    rolled = with_quintiles(rolled[rolled["area_type"].isin(["place", DECILE])])
    counts = ["deaths", "population", "prevalent"]
    pooled = pool(rolled, ctx.pooled, counts)
    pooled["age_band"] = pooled.pop("age_start").astype(int).map(lambda s: band_label(s, 0))
    full = complete_bands(pooled, KEYS, LIFE_TABLE_LABELS, counts)
    le = stats.life_expectancy(
        full, "deaths", "population", KEYS, age_band="age_band", ages=[0],
        confidence=CONFIDENCE, invalid="suppress",
    )  # fmt: skip
    free = sullivan(full, "deaths", "population", "prevalent", KEYS, confidence=CONFIDENCE)
    frames = [long_format(le, LIFE_EXPECTANCY), long_format(free, CONDITION_FREE)]
    out = pd.concat(frames, ignore_index=True)
    out["age_band"] = "0"
    return out


def prevalent(ctx: Context) -> pd.DataFrame:
    """People alive on each calendar year's 30 June with a long-term condition recorded
    by then, at the population grain in life-table bands (one row per person and year)."""
    from placehealth.engine.indicators.context import midpoint_frame

    b = ctx.backend
    records = b.table(t.CONDITION).select("person_key", "recorded_date")
    alive = (
        persons(b)
        .join(midpoint_frame(ctx, "calendar"), how="cross")
        .filter(
            nw.col("birth_month") <= nw.col("mid"),
            nw.col("death_date").is_null() | (nw.col("death_date") > nw.col("mid")),
        )
    )
    having: Any = (
        alive.join(records, on="person_key")
        .filter(nw.col("recorded_date") <= nw.col("mid"))
        .unique(["person_key", "year"])
        .with_columns(age_start=life_table_band(age_at("birth_month", "mid")))
        .group_by(GRAIN)
        .agg(nw.len().alias("prevalent"))
    )
    return b.collect(having)


def with_quintiles(rolled: pd.DataFrame) -> pd.DataFrame:
    """Quintile rows (deciles 1-2 → 1 … 9-10 → 5) summed from the decile rows, added."""
    deciles = rolled[rolled["area_type"] == DECILE]
    code = (pd.to_numeric(deciles["area_code"]).astype(int) + 1) // 2
    values = [c for c in ("deaths", "population", "prevalent") if c in rolled.columns]
    by = [c for c in rolled.columns if c not in ("area_type", "area_code", *values)]
    quint = deciles.assign(area_code=code.astype(str)).groupby(["area_code", *by], observed=True)
    summed = quint[values].sum().reset_index().assign(area_type=QUINTILE)
    return pd.concat([rolled, summed[rolled.columns]], ignore_index=True)


def inequality_indices(
    values: pd.DataFrame, *, repetitions: int = 10_000, seed: int = 1
) -> pd.DataFrame:
    """SII and RII per indicator, period, sex and age band with values in all ten deciles.

    ``values`` is the long format (e.g. published values: a decile blanked by disclosure
    control leaves its series out). Rows: :data:`COLUMNS`, area type ``place``.
    """
    rows = values[values["area_type"] == DECILE].copy()
    numbers = ["value", "numerator", "denominator", "lower95_0cl", "upper95_0cl"]
    for column in numbers:
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    rows = rows.dropna(subset=["value", "denominator", "lower95_0cl", "upper95_0cl"])
    rows = rows[rows["denominator"] > 0]
    rows["decile"] = pd.to_numeric(rows["area_code"], errors="coerce")
    rows = rows[rows["decile"].between(1, 10)]
    complete = rows.groupby(SERIES, observed=True)["decile"].transform("nunique") == 10
    rows = rows[complete]
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    kind = _value_type(rows)
    parts = []
    for value_type, part in rows.groupby(kind, observed=True):
        parts.append(_sii(part, str(value_type), repetitions, seed))
    out = pd.concat(parts, ignore_index=True)
    out["area_type"] = "place"
    out["area_code"] = ""
    out["comparator"] = None
    out["comparator_value"] = np.nan
    return out[COLUMNS].sort_values([*SERIES, "measure"], kind="stable").reset_index(drop=True)


def _value_type(rows: pd.DataFrame) -> pd.Series:
    """'proportion' (Wilson limits), 'rate' (positive values and limits throughout the
    series) or 'normal', one per series."""
    method = rows["method"].astype(str)
    series = [rows[c] for c in SERIES]
    positive = (rows["value"] > 0) & (rows["lower95_0cl"] > 0)
    inside = (rows["numerator"] > 0) & (rows["numerator"] < rows["denominator"])
    is_rate = method.str.contains("Byars|Exact|Dobson", regex=True) & positive.groupby(
        series, observed=True
    ).transform("all")
    # a decile at 0% or 100% has no logit: the series is drawn on its own scale
    is_proportion = (method == "Wilson") & inside.groupby(series, observed=True).transform("all")
    kind = np.where(is_proportion, "proportion", np.where(is_rate, "rate", "normal"))
    return pd.Series(kind, index=rows.index)


def _sii(rows: pd.DataFrame, value_type: str, repetitions: int, seed: int) -> pd.DataFrame:
    """stats.sii on one kind of series, back in the indicator's own units."""
    frame = rows.copy()
    scale = pd.Series(1.0, index=frame.index)
    if value_type == "proportion":
        # Wilson limits of the fraction, from the counts; results scaled back (e.g. to %)
        x, n = frame["numerator"].to_numpy(float), frame["denominator"].to_numpy(float)
        lower, upper = wilson(x, n, 0.95)
        frame["lower95_0cl"], frame["upper95_0cl"] = lower, upper
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = rows["value"] / (rows["numerator"] / rows["denominator"])
        scale = ratio.groupby(rows["indicator_id"]).transform("median").fillna(1.0)
        frame["value"] = x / n
    result = stats.sii(
        frame, "decile", "denominator", SERIES, value="value", value_type=value_type,  # type: ignore[arg-type]
        lower_cl="lower95_0cl", upper_cl="upper95_0cl", repetitions=repetitions,
        confidence=CONFIDENCE, rii=True, seed=seed,
    )  # fmt: skip
    is_sii = result["statistic"].str.startswith("slope")
    factor = result[SERIES].merge(
        pd.DataFrame({"indicator_id": rows["indicator_id"], "scale": scale}).drop_duplicates(
            "indicator_id"
        ),
        on="indicator_id",
        how="left",
    )["scale"]
    for column in ["value", *_LIMITS]:
        result[column] = np.where(is_sii, result[column] * factor.to_numpy(), result[column])
    result["measure"] = np.where(is_sii, SII, RII)
    result["method"] = f"{result['method'].iloc[0]}; {value_type} scale, across IMD deciles"
    return result


def quintile_names() -> pd.DataFrame:
    """'IMD quintile 1 (most deprived)' … 'IMD quintile 5 (least deprived)'."""
    ends = {1: " (most deprived)", 5: " (least deprived)"}
    return pd.DataFrame({"area_type": QUINTILE, "area_code": [str(q) for q in range(1, 6)],
                         "area_name": [f"IMD quintile {q}{ends.get(q, '')}"
                                       for q in range(1, 6)]})  # fmt: skip


def england() -> pd.DataFrame:
    """England's values shipped with the package (engine/comparators/england.csv)."""
    path = resources.files("placehealth.engine").joinpath("comparators/england.csv")
    with resources.as_file(path) as file:
        return read_table(file)


def comparator_gaps(
    place: pd.DataFrame, comparator: pd.DataFrame, name: str = "England"
) -> pd.DataFrame:
    """The comparator's value less the place's, for each series both have.

    ``place`` has :data:`SERIES`, ``measure`` (blank for the indicator's own value)
    and ``value``; ``comparator`` the same (``measure`` may be absent: the values).
    """
    from placehealth.stats.benchmark import aligned_age_bands

    left = place.drop(columns=["comparator", "comparator_value"], errors="ignore")
    left = left.assign(measure=left.get("measure", pd.Series("value", index=left.index)))
    right = comparator.assign(
        measure=comparator.get("measure", pd.Series("value", index=comparator.index))
    )
    for frame in (left, right):
        frame["measure"] = frame["measure"].fillna("value").replace("", "value")
        frame["age_band"] = frame["age_band"].astype(str)
        frame["period"] = frame["period"].astype(str)
    right = right.rename(columns={"value": "comparator_value"})
    left["age_band"] = aligned_age_bands(left, right, ["indicator_id", "measure"])
    both = left.merge(right[[*SERIES, "measure", "comparator_value"]], on=[*SERIES, "measure"])
    both["comparator_value"] = pd.to_numeric(both["comparator_value"], errors="coerce")
    out = both.assign(
        value=both["comparator_value"] - pd.to_numeric(both["value"], errors="coerce"),
        measure=GAP + ": " + both["measure"].where(both["measure"] != "value", "value"),
        comparator=name,
        method=name + "'s value less the place's",
    )
    for column in _LIMITS:
        out[column] = np.nan
    out["area_type"] = "place"
    out["area_code"] = out.get("area_code", "")
    return out.reindex(columns=COLUMNS)
