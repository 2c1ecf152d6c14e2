"""Benchmarking as Fingertips does it: against a comparator's value, and by quintiles.

**Against a value.** An area is *higher* than the comparator where its whole
confidence interval lies above the comparator's value, *lower* where it lies
below, otherwise *similar*; an interval that touches the value is similar.
Tested at 95% and at 99.8% (either, or both with 99.8% the stronger finding).
Polarity turns higher and lower into better and worse; an indicator with no
judgement (``neutral``, or no polarity) stays higher or lower. No value, no
interval at a level tested, or no comparator value: not compared.

**By quintiles.** Areas of one comparison group (area type, indicator, period,
sex, age) are put into fifths by value with :func:`placehealth.stats.quantiles`
(PHE's ranking); with polarity the fifths read Best … Worst, without it
Lowest … Highest.

The category keys (``better_998``, ``higher_95``, ``similar``, ``not_compared``…)
are what the charts colour by; :func:`fingertips_label` spells them as a
Fingertips download does ("Better 95%", "Similar", "Not compared").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from placehealth.catalogue.model import Polarity
from placehealth.errors import ValidationError
from placehealth.stats.quantiles import quantiles

LIMITS = {"95": ("lower95_0cl", "upper95_0cl"), "998": ("lower99_8cl", "upper99_8cl")}
LEVELS = tuple(LIMITS)
NOT_COMPARED = "not_compared"
_LEVEL_TEXT = {"95": "95%", "998": "99.8%"}
QUINTILES_POLARITY = ("Best", "Better", "Middle", "Worse", "Worst")
QUINTILES_NEUTRAL = ("Lowest", "Low", "Middle", "High", "Highest")


def levels_of(text: str | Sequence[str]) -> tuple[str, ...]:
    """'95', '99.8', 'both' (or a list of them) as level keys ('95', '998')."""
    names = [text] if isinstance(text, str) else list(text)
    out: list[str] = []
    for name in names:
        key = {"95": "95", "99.8": "998", "998": "998"}.get(str(name).strip().rstrip("%"))
        if str(name).strip() == "both":
            out.extend(LEVELS)
        elif key is None:
            raise ValidationError(
                f"unknown confidence level '{name}' for benchmarking", hint="use 95, 99.8 or both"
            )
        else:
            out.append(key)
    return tuple(sorted(set(out), key=LEVELS.index))


def compare_by_interval(
    frame: pd.DataFrame,
    benchmark: float | npt.ArrayLike,
    polarity: str | npt.ArrayLike | None,
    levels: Sequence[str] = LEVELS,
) -> npt.NDArray[np.str_]:
    """The category key of each row against ``benchmark`` (one value or one per row).

    ``frame`` has ``value`` and the limit columns of each level tested;
    ``polarity`` a catalogue polarity (``higher_is_better``, ``lower_is_better``,
    ``neutral``), one or one per row.
    """
    n = len(frame)
    bench = np.broadcast_to(np.asarray(benchmark, dtype=float), (n,))
    value = _numbers(frame["value"])
    out = np.full(n, "similar", dtype=object)
    known = ~np.isnan(value) & ~np.isnan(bench)
    for level in sorted(levels, key=LEVELS.index):  # 99.8% last, so it wins where both hold
        low, high = (_numbers(frame[c]) if c in frame else np.full(n, np.nan)
                     for c in LIMITS[level])  # fmt: skip
        known &= ~np.isnan(low) & ~np.isnan(high)
        out[low > bench] = f"higher_{level}"
        out[high < bench] = f"lower_{level}"
    pol = np.broadcast_to(np.asarray(polarity if polarity is not None else "", dtype=object), (n,))
    text = out.astype(str)
    higher = np.char.startswith(text, "higher")
    lower = np.char.startswith(text, "lower")
    strength = np.char.partition(text, "_")[:, 2]
    good_high = pol == Polarity.HIGHER.value
    good_low = pol == Polarity.LOWER.value
    better = (higher & good_high) | (lower & good_low)
    worse = (higher & good_low) | (lower & good_high)
    out[better] = "better_" + strength[better]
    out[worse] = "worse_" + strength[worse]
    out[~known] = NOT_COMPARED
    return out.astype(str)


def fingertips_label(keys: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """'better_95' -> 'Better 95%', 'similar' -> 'Similar', 'not_compared' -> 'Not compared'."""
    text = np.asarray(keys, dtype=str)
    word, _, level = np.char.partition(text, "_").T
    spelled = np.array([_LEVEL_TEXT.get(str(lv), "") for lv in level], dtype=object)
    label = np.char.add(np.char.capitalize(word.astype(str)), np.where(spelled == "", "", " "))
    label = np.char.add(label, spelled.astype(str))
    return np.where(text == NOT_COMPARED, "Not compared", label).astype(str)


def quintile_labels(
    frame: pd.DataFrame, by: Sequence[str], polarity: pd.Series | str | None
) -> pd.Series:
    """Each row's fifth within its ``by`` group, as Fingertips names it (blank: no value).

    Quintile 1 holds the lowest values; with polarity it is read Best where low is
    good and Worst where high is good. Groups of fewer than five areas get none.
    """
    pol = pd.Series(polarity if polarity is not None else "", index=frame.index).astype(str)
    numbers = pd.to_numeric(frame["value"], errors="coerce")
    ranked = quantiles(
        frame.assign(_value=numbers, _order=range(len(frame))), "_value", list(by), n=5,
        invert=False,
    ).set_index("_order").reindex(range(len(frame)))  # fmt: skip
    q = ranked["quantile"].to_numpy(dtype=float)
    has = ~np.isnan(q)
    idx = np.where(has, q, 1).astype(int) - 1
    neutral = np.array(QUINTILES_NEUTRAL, dtype=object)[idx]
    low_good = np.array(QUINTILES_POLARITY, dtype=object)[idx]
    high_good = np.array(QUINTILES_POLARITY[::-1], dtype=object)[idx]
    text = pol.to_numpy()
    label = np.where(text == Polarity.LOWER.value, low_good,
                     np.where(text == Polarity.HIGHER.value, high_good, neutral))  # fmt: skip
    return pd.Series(np.where(has, label, None), index=frame.index, dtype=object)


def _numbers(column: pd.Series) -> npt.NDArray[np.float64]:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


SERIES = ["indicator_id", "period", "sex", "age_band"]
COMPARED = "Compared to England value or percentiles"
PERCENTILES = "Compared to percentiles"
TREND = "Recent Trend"


def aligned_age_bands(
    values: pd.DataFrame, comparator: pd.DataFrame, keys: Sequence[str] = ("indicator_id",)
) -> pd.Series:
    """The values' age bands named as the comparator names them, where a series (``keys``)
    has one band on each side ('all ages' beside a download's 'All ages', '0' beside it
    for life expectancy at birth); other bands are kept as they are."""
    bands = values["age_band"].astype(str)

    def key(frame: pd.DataFrame) -> pd.Series:
        out = frame[keys[0]].astype(str)
        for column in keys[1:]:
            out = out + "|" + frame[column].astype(str)
        return out

    theirs_key = key(comparator)
    count = comparator["age_band"].groupby(theirs_key).nunique()
    theirs = comparator["age_band"].groupby(theirs_key).first()[count == 1].astype(str)
    ours_key = key(values)
    single = bands.groupby(ours_key).transform("nunique") == 1
    mapped = ours_key.map(theirs)
    return bands.where(~(single & mapped.notna()), mapped)


def benchmark_table(
    values: pd.DataFrame,
    comparator: pd.DataFrame,
    *,
    levels: Sequence[str] = LEVELS,
    comparator_name: str = "England",
) -> pd.DataFrame:
    """Values in the long format with Fingertips' benchmarking columns beside them.

    ``comparator`` holds one value per :data:`SERIES` (e.g. England's, from a Fingertips
    download; age bands matched by :func:`aligned_age_bands`); every area is compared
    with it by interval at ``levels`` with the row's ``polarity``. Quintiles rank the
    areas of one type within a series. The recent trend is each area's series over
    periods (:func:`placehealth.stats.trend.recent_trend`: proportions by their counts
    where the method is Wilson, else by value and limits), on the latest period's row.
    """
    from placehealth.stats.trend import TrendType, recent_trend

    out = values.reset_index(drop=True).copy()
    for column in SERIES:
        out[column] = out[column].astype(str)
    right = comparator[[*SERIES, "value"]].astype({c: str for c in SERIES})
    right = right.drop_duplicates(SERIES).rename(
        columns={"value": "comparator_value", "age_band": "_band"}
    )
    out["_band"] = aligned_age_bands(out, right.rename(columns={"_band": "age_band"}))
    match = [c if c != "age_band" else "_band" for c in SERIES]
    out = out.merge(right, on=match, how="left").drop(columns="_band")
    polarity = out["polarity"] if "polarity" in out.columns else None
    keys = compare_by_interval(out, out["comparator_value"], polarity, levels)
    out["comparator"] = out["comparator_value"].notna().map({True: comparator_name, False: None})
    out[COMPARED] = fingertips_label(keys)
    out[PERCENTILES] = quintile_labels(out, ["area_type", *SERIES], polarity).fillna("Not compared")
    by = ["area_type", "area_code", "indicator_id", "sex", "age_band"]
    proportion = out.get("method", pd.Series("", index=out.index)).astype(str) == "Wilson"
    trends = []
    with_polarity = "polarity" if polarity is not None else None
    for is_proportion, part in out.groupby(proportion.to_numpy(), sort=False):
        kind: TrendType = "proportion" if is_proportion else "other"
        trends.append(recent_trend(part, "period", by, value_type=kind, polarity=with_polarity))
    trend = pd.concat(trends, ignore_index=True)[[*by, "period", "recent_trend"]]
    out = out.merge(trend.rename(columns={"recent_trend": TREND}), on=[*by, "period"], how="left")
    return out
