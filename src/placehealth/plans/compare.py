"""Set actuals beside a trajectory only like with like, or through a stated conversion.

Each actual row is matched to the trajectory period with the same dates (like with
like) or, failing that, to the shortest trajectory period that contains it; the
measure's aggregation then decides what may be done:

- a **rate** over part of the period is scaled to the period's length (a part-year
  rate annualised: × 12 / months), unless the actuals say it is already annualised;
- a **proportion** or **level** is set beside the period's value as it is;
- a **flow count** is set beside its share of the period's count (by the ambition's
  seasonal profile when it has one);
- a **stock count** is set beside the trajectory interpolated at the actual's date;
- a pooled window is compared only with a value for the same window, which may be
  pooled from every year of it (counts summed; rates from summed numerators and
  denominators, else averaged).

Counts from a population of another size are compared as rates through the plan's
population. Everything else is "not comparable", with the reason. Each conversion
is written out in the ``comparison`` column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Aggregation
from placehealth.periods import Period, parse_period

LIKE = "like with like"
PER_YEAR = (Aggregation.RATE, Aggregation.POOLED)


@dataclass(frozen=True)
class Points:
    """A trajectory's dated points, in time order, and where its baseline ends."""

    periods: list[Period]
    values: np.ndarray
    baseline_end: np.datetime64 | None

    @classmethod
    def of(cls, labels: list[str], values: np.ndarray, baseline: str | None) -> Points:
        parsed = [parse_period(p) for p in labels]
        order = sorted(range(len(parsed)), key=lambda k: parsed[k])
        base = parse_period(baseline) if baseline is not None and baseline in labels else None
        return cls(
            [parsed[k] for k in order],
            np.asarray(values, dtype=float)[order],
            np.datetime64(base.end, "ns") if base is not None else None,
        )

    @property
    def starts(self) -> np.ndarray:
        return np.array([np.datetime64(p.start, "ns") for p in self.periods])

    @property
    def ends(self) -> np.ndarray:
        return np.array([np.datetime64(p.end, "ns") for p in self.periods])

    @property
    def months(self) -> np.ndarray:
        return np.array([p.months for p in self.periods])


def stock_at(ends: np.ndarray, values: np.ndarray, when: np.ndarray) -> np.ndarray:
    """A stock's expected count at each date in ``when``: linear between the trajectory's
    dated counts (a count at a date is never a share of a year), NaN outside them.

    The one rule for stocks: plan status, the board pack's chart and the synthetic
    actuals all use it.
    """
    dates = np.asarray(ends).astype("datetime64[D]").astype(float)
    at = np.asarray(when).astype("datetime64[D]").astype(float)
    inside = (at >= dates[0]) & (at <= dates[-1])
    return np.where(inside, np.interp(at, dates, values), np.nan)


def pool_rows(
    rows: pd.DataFrame, points: Points, aggregation: Aggregation, multiplier: float
) -> pd.DataFrame:
    """Pooled rows for each trajectory window longer than a year, from every year of it.

    Only where an area has all the window's yearly rows (aligned with the window) and no
    row for the window itself. Counts are summed; rates and proportions come from summed
    numerators and denominators when every year has them, else the yearly mean.
    """
    if aggregation == Aggregation.STOCK_COUNT:
        return rows.iloc[:0]
    parts = []
    yearly = rows[rows["months"] == 12]
    for period in {p for p in points.periods if p.months > 12}:
        start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
        inside = yearly[
            (yearly["start"] >= start)
            & (yearly["end"] <= end)
            & (yearly["start"].dt.month == period.start.month)
        ]
        if inside.empty:
            continue
        have = rows.loc[(rows["start"] == start) & (rows["end"] == end), "area"].unique()
        inside = inside[~inside["area"].isin(have)]
        grouped = inside.groupby("area", sort=True)
        years = grouped["value"].count()
        full = years[years == period.months // 12].index
        if full.empty:
            continue
        inside = inside[inside["area"].isin(full)]
        grouped = inside.groupby("area", sort=True)
        first = grouped.first()
        if aggregation == Aggregation.FLOW_COUNT:
            value, how = grouped["value"].sum(), "summed"
        elif {"numerator", "denominator"} <= set(inside.columns) and inside[
            ["numerator", "denominator"]
        ].notna().all(axis=None):
            sums = grouped[["numerator", "denominator"]].sum()
            value = sums["numerator"] / sums["denominator"] * multiplier
            how = "from summed numerators and denominators"
        else:
            value, how = grouped["value"].mean(), "averaged"
        n = period.months // 12
        parts.append(
            pd.DataFrame(
                {
                    "area": value.index,
                    "indicator": first["indicator"].to_numpy(),
                    "period": period.label,
                    "value": value.to_numpy(),
                    "start": start,
                    "end": end,
                    "period_kind": period.kind,
                    "months": period.months,
                    "pooled": f"pooled from {n} yearly values ({how})",
                }
            )
        )
    if not parts:
        return rows.iloc[:0]
    return pd.concat(parts, ignore_index=True)


def compare(
    rows: pd.DataFrame,
    points: Points,
    aggregation: Aggregation,
    *,
    profile: list[float] | None = None,
    scale: float | None = 1.0,
    population_note: str = "",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per actual row: expected value, the actual as compared, and ``rule``, a row of the
    second frame that holds the conversion made or the reason none could be.

    ``scale`` multiplies counts from a population of another size (None: they cannot be
    compared; ``population_note`` says why or how). The rules depend only on a row's
    period, so they are worked out once per distinct period and spread to the rows.
    """
    cols = [c for c in ("period", "annualised", "pooled") if c in rows.columns]
    codes = rows.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(rows))).groupby(codes).first().to_numpy()
    rules = _rules(rows.iloc[first], points, aggregation, profile, scale, population_note)
    factor = rules["factor"].to_numpy()[codes]
    ok = rules["comparable"].to_numpy()[codes]

    def scaled(column: str) -> np.ndarray:
        if column not in rows.columns:
            return np.full(len(rows), np.nan)
        return np.where(ok, rows[column].to_numpy(dtype=float) * factor, np.nan)

    out = pd.DataFrame(
        {
            "rule": codes,
            "expected": rules["expected"].to_numpy()[codes],
            "comparable": ok,
            "before": rules["before"].to_numpy()[codes],
            "like": rules["comparison"].to_numpy()[codes] == LIKE,
            "compared": scaled("value"),
            "compared_lower": scaled("lower"),
            "compared_upper": scaled("upper"),
        },
        index=rows.index,
    )
    return out, rules


def _rules(
    rows: pd.DataFrame,
    points: Points,
    aggregation: Aggregation,
    profile: list[float] | None,
    scale: float | None,
    population_note: str,
) -> pd.DataFrame:
    n = len(rows)
    starts, ends, months = points.starts, points.ends, points.months
    r_start = rows["start"].to_numpy()
    r_end = rows["end"].to_numpy()
    r_months = rows["months"].to_numpy()
    exact = (r_start[:, None] == starts[None, :]) & (r_end[:, None] == ends[None, :])
    contains = (starts[None, :] <= r_start[:, None]) & (r_end[:, None] <= ends[None, :])
    # the shortest containing period (exact matches first)
    rank = np.where(exact, -1, np.where(contains, months[None, :], np.iinfo(np.int64).max))
    slot = rank.argmin(axis=1)
    matched = rank[np.arange(n), slot] < np.iinfo(np.int64).max
    is_exact = exact[np.arange(n), slot]
    t_months = months[slot]
    expected = np.where(matched, points.values[slot], np.nan)
    factor = np.ones(n)
    reason = np.full(n, "", dtype=object)
    conversion = np.full(n, LIKE, dtype=object)

    labels = np.array([p.label for p in points.periods], dtype=object)
    describe = np.array([p.describe() for p in points.periods], dtype=object)
    row_desc = rows["period"].astype(str).to_numpy(dtype=object)
    inexact = matched & ~is_exact
    if aggregation == Aggregation.STOCK_COUNT:
        dates = points.ends.astype("datetime64[D]").astype(float)
        when = r_end.astype("datetime64[D]").astype(float)
        expected = stock_at(points.ends, points.values, r_end)
        inside = matched = ~np.isnan(expected)
        conversion = np.where(
            inside, "stock interpolated between the trajectory's dates at " + row_desc + "'s end",
            conversion,
        )  # fmt: skip
        slot = np.clip(np.searchsorted(dates, when, side="left"), 0, len(dates) - 1)
    elif aggregation in PER_YEAR:
        annualised = rows["annualised"].fillna(False).astype(bool).to_numpy() if (
            "annualised" in rows.columns) else np.zeros(n, dtype=bool)  # fmt: skip
        basis = np.where(annualised, 12, r_months).astype(float)
        scaled = inexact & (t_months <= 12)
        factor = np.where(scaled, t_months / np.maximum(basis, 1), 1.0)
        conversion = np.where(
            scaled & annualised,
            "annualised rate for " + row_desc + " set beside the " + describe[slot] + "'s rate"
            + np.where(t_months == 12, "", " × " + t_months.astype(str) + "/12"),
            conversion,
        )  # fmt: skip
        conversion = np.where(
            scaled & ~annualised,
            "rate for " + row_desc + " scaled × " + t_months.astype(str) + "/"
            + r_months.astype(str) + " to the " + describe[slot],
            conversion,
        )  # fmt: skip
    elif aggregation in (Aggregation.PROPORTION, Aggregation.LEVEL):
        word = "proportion" if aggregation == Aggregation.PROPORTION else "level"
        conversion = np.where(
            inexact,
            f"{word} for " + row_desc + " set beside the " + describe[slot]
            + f"'s (a {word} does not scale with time)",
            conversion,
        )  # fmt: skip
    elif aggregation == Aggregation.FLOW_COUNT:
        days = (r_end - r_start).astype("timedelta64[D]").astype(float) + 1
        t_days = (ends - starts).astype("timedelta64[D]").astype(float) + 1
        share = days / t_days[slot]
        how = "days"
        if profile is not None and len(profile) == 12:
            weights = np.asarray(profile, float) / np.sum(profile)
            fy_month = (rows["start"].dt.month.to_numpy() - 4) % 12
            monthly = (r_months == 1) & (t_months == 12)
            share = np.where(monthly, weights[fy_month], share)
            how = "seasonal profile" if monthly.any() else how
        expected = np.where(inexact, expected * share, expected)
        conversion = np.where(
            inexact,
            "the " + describe[slot] + "'s count × " + np.char.mod("%.3f", share).astype(object)
            + f" ({how}) for " + row_desc,
            conversion,
        )  # fmt: skip
    # windows longer than a year: only the same window, or one pooled from all its years
    pooled_t = inexact & (t_months > 12) & (aggregation != Aggregation.STOCK_COUNT)
    reason = np.where(
        pooled_t,
        "a " + rows["period_kind"].astype(str).str.replace("_", " ").to_numpy(dtype=object)
        + " (" + row_desc + ") inside the " + describe[slot] + " " + labels[slot]
        + ": a pooled window needs every year of it",
        reason,
    )  # fmt: skip
    if "pooled" in rows.columns:
        pooled_note = rows["pooled"].fillna("").to_numpy(dtype=object)
        conversion = np.where(pooled_note != "", pooled_note, conversion)
    before = _before(points, r_start, r_end)
    after = r_start > ends[-1]
    straddles = ~matched & ~before & ~after
    reason = np.where(
        straddles & (reason == ""),
        rows["period_kind"].astype(str).str.replace("_", " ").to_numpy(dtype=object)
        + " " + row_desc + " does not fit inside any trajectory period",
        reason,
    )  # fmt: skip
    reason = np.where(after & (reason == ""), "after the plan's last period", reason)
    counts = aggregation in (Aggregation.FLOW_COUNT, Aggregation.STOCK_COUNT)
    if counts and scale is None:  # nothing can be compared, before the plan or after
        reason = np.where(matched | before, population_note, reason)
        before = np.zeros(n, dtype=bool)
    elif counts and scale != 1.0:
        factor = factor * float(scale or 1.0)
        conversion = conversion + "; " + population_note
    comparable = matched & (reason == "") & ~before
    return pd.DataFrame(
        {
            "expected": np.where(comparable, expected, np.nan),
            "expected_period": np.where(comparable, labels[slot], None),
            "comparison": np.where(comparable, conversion, np.where(before, "", reason)),
            "comparable": comparable,
            "before": before & ~comparable,
            "factor": factor,
        }
    )


def _before(points: Points, r_start: np.ndarray, r_end: np.ndarray) -> np.ndarray:
    """Rows for the baseline or earlier: the first planned period has not begun."""
    if points.baseline_end is not None:
        return r_end <= points.baseline_end
    return r_start < points.starts[0]
