"""Indicator values (``placehealth indicators compute``, the demo's indicators.csv), published.

The cells are the numerators and the denominators of every indicator, area,
period, sex and age band. What adds up, and so is protected together:

- areas: LSOAs within neighbourhoods and within deprivation deciles, deciles within
  quintiles, practices within PCNs, and every area type within the place;
- sexes within persons, and age bands within all ages, where both are published;
- pooled windows: a pooled count (infant mortality, 2015-17) is the sum of the
  calendar-year counts published for the same years (infant deaths).

A numerator that is not a whole count (years of life lost) adds up like one and a
few years can be one death, so it is protected the same way, rounded up.

One population is often the denominator of several indicators: where it is
hidden under one, it is hidden under all.

Values and confidence limits are blanked wherever the numerator or denominator is
hidden (with the denominator they would give the numerator back). Indicator
periods are fixed (financial years, pooled calendar years), so counts are not
rounded: the published rate would give the exact count back anyway.

Each row also says what it is for a reader: the area's name, the indicator's unit
and polarity (from the catalogue), and a value note for every blank value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from placehealth.catalogue.load import load_catalogue
from placehealth.catalogue.model import Catalogue
from placehealth.publish.linked import Hierarchy
from placehealth.publish.published import Published, suppress_long
from placehealth.publish.rules import DERIVED as DERIVED_RULE
from placehealth.publish.rules import DISCLOSURE

KEYS = ["indicator_id", "area_type", "area_code", "period", "sex", "age_band"]
SERIES = ("indicator_id", "period", "sex", "age_band")
DERIVED = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
COUNTS = ["numerator", "denominator"]
PERSONS, ALL_AGES = "persons", "all ages"
POOLED_FROM = {"infant-mortality": "infant-deaths"}  # pooled windows of calendar-year counts
YEARS = "numerator (years)"
SUPPRESSED = "suppressed by disclosure control: "  # then the disclosure column's reason
NOT_CALCULATED = "not calculated"  # a blank no rule explains; the tests allow none
_DERIVED = r"(?:; )?[^;]*" + re.escape(DERIVED_RULE.format(what=""))


def publish_indicators(
    values: pd.DataFrame,
    lsoa: pd.DataFrame,
    practice: pd.DataFrame,
    *,
    place: str,
    names: pd.DataFrame | None = None,
    catalogue: Catalogue | None = None,
) -> Published:
    """The long table of indicator values with small counts and what they give away hidden.

    ``names`` (area_type, area_code, area_name; ``placehealth.engine.geography.area_names``)
    names each area, the code standing in where it has none; ``catalogue`` (default:
    the packaged one) gives each indicator's unit and polarity.
    """
    frame = values.copy()
    frame["area_code"] = frame["area_code"].astype(str)
    numerator = pd.to_numeric(frame["numerator"], errors="coerce")
    whole = (numerator.isna() | (numerator == np.round(numerator))).to_numpy()
    # years of life lost add up like counts, and a few years is one death: protected alike
    frame[YEARS] = np.where(whole, np.nan, np.ceil(numerator))
    frame["numerator"] = numerator.where(whole)
    published = suppress_long(
        frame,
        [*COUNTS, YEARS],
        keys=KEYS,
        hierarchies=[_areas(lsoa, practice, place), _series(frame)],
        derived=[c for c in DERIVED if c in frame.columns],
        shared={"denominator": ["area_type", "area_code", "period", "sex", "age_band"]},
    )
    years = published.pop(YEARS).notna().to_numpy()
    out = published["numerator"].astype("Float64")
    out[~whole] = numerator.to_numpy()[~whole]
    published["numerator"] = as_counts(out.where(whole | years))
    return Published(_described(published, names, catalogue or load_catalogue()))


def as_counts(numbers: pd.Series) -> pd.Series:
    """Whole numbers as integers, blanks kept blank: 5573, not 5573.0.

    A nullable integer column when every number is whole; where some are not
    (years of life lost), whole ones become integers and the rest stay decimals.
    """
    present = numbers.dropna().to_numpy(dtype=float)
    if (present == np.round(present)).all():
        return numbers.astype("Int64")
    whole = numbers.notna() & (numbers == numbers.round())
    mixed = numbers.astype(object).where(numbers.notna(), None)
    mixed[whole.to_numpy(dtype=bool)] = numbers[whole].astype("Int64").astype(object)
    return mixed


def _described(
    frame: pd.DataFrame, names: pd.DataFrame | None, catalogue: Catalogue
) -> pd.DataFrame:
    """Area name, unit, polarity and a note for every blank value, beside the numbers."""
    out = frame.copy()
    area_name = out["area_code"]
    if names is not None:
        keyed = names.drop_duplicates(["area_type", "area_code"]).astype(str)
        found = out[["area_type", "area_code"]].merge(keyed, how="left", validate="m:1")
        area_name = found["area_name"].fillna(out["area_code"]).set_axis(out.index)
    out.insert(_after(out, "area_code"), "area_name", area_name)
    ids = out["indicator_id"].astype(str)
    known = {i: catalogue[i] for i in ids.unique() if i in catalogue}
    at = _after(out, "value")
    out.insert(at, "unit", ids.map({i: ind.unit_label for i, ind in known.items()}))
    out.insert(at + 1, "polarity", ids.map({i: str(ind.polarity) for i, ind in known.items()}))
    blank = out["value"].isna()
    hidden = blank & out["suppressed"].astype(bool)
    engine = out["value_note"] if "value_note" in out.columns else None
    note = pd.Series(None, index=out.index, dtype=object)
    if engine is not None:
        note = engine.where(blank & engine.notna(), None)
    # the counts hidden say why; "value … blank: from a hidden count" repeats the blank
    reason = SUPPRESSED + out[DISCLOSURE].astype(str).str.replace(_DERIVED, "", regex=True)
    note = note.mask(hidden, np.where(note.notna(), reason + "; " + note.astype(str), reason))
    note = note.mask(blank & note.isna(), NOT_CALCULATED)
    out = out.drop(columns=["value_note"], errors="ignore")
    out.insert(_after(out, "value"), "value_note", note)
    return out


def _after(frame: pd.DataFrame, column: str) -> int:
    return list(frame.columns).index(column) + 1


def _areas(lsoa: pd.DataFrame, practice: pd.DataFrame, place: str) -> Hierarchy:
    """LSOA → neighbourhood, LSOA → decile, practice → PCN, each area type → the place."""
    parts = []

    def link(kind: str, codes: pd.Series, parent: str, parents: pd.Series | str) -> None:
        parts.append(pd.DataFrame({"area_type": kind, "area_code": codes.astype(str),
                                   "parent_area_type": parent, "parent_area_code": parents,
                                   "family": f"{kind}>{parent}"}))  # fmt: skip

    decile = lsoa["imd_decile"].astype("Int64").astype(str)
    link("lsoa", lsoa["lsoa"], "neighbourhood", lsoa["neighbourhood"].astype(str))
    link("lsoa", lsoa["lsoa"], "imd_decile", decile)
    # deprivation quintiles (indicators inequalities): deciles 2q-1 and 2q make quintile q
    deciles = pd.Series(range(1, 11))
    link("imd_decile", deciles.astype(str), "imd_quintile", ((deciles + 1) // 2).astype(str))
    link("imd_quintile", pd.Series(range(1, 6)).astype(str), "place", place)
    link("practice", practice["practice_code"], "pcn", practice["pcn"].astype(str))
    for kind, codes in (("lsoa", lsoa["lsoa"]), ("neighbourhood", lsoa["neighbourhood"]),
                        ("imd_decile", decile), ("practice", practice["practice_code"]),
                        ("pcn", practice["pcn"])):  # fmt: skip
        link(kind, codes.drop_duplicates(), "place", place)
    return Hierarchy(("area_type", "area_code"), pd.concat(parts, ignore_index=True))


def _series(frame: pd.DataFrame) -> Hierarchy:
    """Sexes within persons, bands within all ages, calendar years within pooled windows."""
    series = frame[list(SERIES)].drop_duplicates().astype(str)

    def up(rows: pd.DataFrame, column: str, to: str, family: str) -> pd.DataFrame:
        parent = {f"parent_{c}": rows[c] for c in SERIES}
        return rows.assign(**(parent | {f"parent_{column}": to}), family=family)

    by_sex = up(series[series["sex"] != PERSONS], "sex", PERSONS, "sex")
    by_age = up(series[series["age_band"] != ALL_AGES], "age_band", ALL_AGES, "age")
    pooled = []
    for window, years in POOLED_FROM.items():
        windows = series[series["indicator_id"] == window]
        yearly = series[series["indicator_id"] == years]
        first = pd.to_numeric(windows["period"].str[:4], errors="coerce")
        span = windows.assign(first=first, last=first + 2)
        joined = yearly.merge(span, on=["sex", "age_band"], suffixes=("", "_w"))
        year = pd.to_numeric(joined["period"], errors="coerce")
        inside = joined[(year >= joined["first"]) & (year <= joined["last"])]
        pooled.append(
            pd.DataFrame(
                {
                    **{c: inside[c] for c in SERIES},
                    "parent_indicator_id": window,
                    "parent_period": inside["period_w"],
                    "parent_sex": inside["sex"],
                    "parent_age_band": inside["age_band"],
                    "family": "pooled",
                }
            )
        )
    return Hierarchy(SERIES, pd.concat([by_sex, by_age, *pooled], ignore_index=True))
