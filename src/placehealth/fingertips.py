"""Fingertips downloads (OHID's public health profiles) read as they come, and written back.

A download has one row per indicator, area, sex, age, category and period under the
headings in :data:`HEADINGS`. Reading it:

- matches each indicator to the catalogue by its Fingertips id (the catalogue's
  ``fingertips:``), else by name; rows of indicators the catalogue does not hold are
  left out and listed in ``frame.attrs["skipped"]`` (a whole profile is many indicators);
- keeps one sex: **persons** by default — an indicator's Persons rows where it has them,
  otherwise its rows as they are (life expectancy comes as Male and Female only), labelled
  by sex and never added or averaged into persons; ``sex`` chooses male, female or all;
- keeps one age: **All ages** by default, else the indicator's only age band (under 75s,
  65 and over); several bands and no "All ages" stop with a message naming them, so a
  band is never picked silently; ``age`` chooses a band, or all;
- leaves out rows for a category (deprivation decile, ethnic group): they are not the
  area's value;
- keeps blank (suppressed) values as blanks with their ``Value note``, rather than
  refusing the file.

:func:`write_fingertips` writes values back in the same layout (headings and order), so a
download read and written comes back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.catalogue.model import Catalogue
from placehealth.errors import ValidationError
from placehealth.tables import read_table, require_columns, write_table

# The download's columns, in order. The "Compared to <parent> value or percentiles"
# heading after England's names the parent area type, so it varies between downloads.
HEADINGS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
    "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value",
    "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit",
    "Count", "Denominator", "Value note", "Recent Trend",
    "Compared to England value or percentiles", "Compared to percentiles",
    "Time period Sortable", "New data", "Compared to goal", "Time period range",
]  # fmt: skip
REQUIRED = ["Indicator ID", "Indicator Name", "Area Code", "Area Name", "Time period", "Value"]
# Fingertips heading -> our column (DESIGN §4 long format); others are kept as they are
COLUMNS = {
    "Indicator ID": "fingertips_id",
    "Indicator Name": "indicator_name",
    "Area Code": "area_code",
    "Area Name": "area",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age_band",
    "Time period": "period",
    "Value": "value",
    "Lower CI 95.0 limit": "lower",
    "Upper CI 95.0 limit": "upper",
    "Count": "count",  # not "numerator": a standardised rate is not count / denominator
    "Denominator": "denominator",
    "Value note": "value_note",
}
NUMBERS = ["value", "lower", "upper", "count", "denominator"]
SEXES = ("persons", "male", "female", "all")
ALL_AGES = "all ages"
_SEX = {"persons": "persons", "male": "male", "female": "female"}
_SEX_OUT = {"persons": "Persons", "male": "Male", "female": "Female"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def is_fingertips(columns: pd.Index | list[str]) -> bool:
    """Whether a table has a Fingertips download's headings."""
    return "Indicator ID" in columns or "Time period" in columns


def read_fingertips(
    path: Path,
    catalogue: Catalogue,
    *,
    sex: str = "persons",
    age: str | None = None,
    raw: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A Fingertips download as our columns (``indicator``, ``area``, ``area_code``,
    ``period``, ``value``, ``lower``, ``upper``, ``sex``, ``age_band``, ``value_note``, …),
    filtered to one sex and age band (see the module docstring); other Fingertips
    columns are kept under their own headings for :func:`write_fingertips`.

    ``age``: None for All ages (else the only band), a band as Fingertips writes it
    ("65+ yrs"), or "all".
    """
    if sex not in SEXES:
        raise ValidationError(f"unknown sex '{sex}'", hint="use " + ", ".join(SEXES))
    table = read_table(path) if raw is None else raw
    require_columns(table, REQUIRED, file=path)
    order = [str(c) for c in table.columns]
    frame = table.rename(columns=COLUMNS)
    frame.insert(0, "row", np.arange(len(frame)) + 2)  # the file's line, for messages
    frame = frame[_not_a_category(frame)]
    frame["indicator"] = _indicators(frame, catalogue)
    skipped = _skipped(frame)
    frame = frame[frame["indicator"].notna()]
    if frame.empty and len(table):
        raise ValidationError(
            f"no indicator in this Fingertips download is in the catalogue ({skipped[0]}, …)",
            file=path,
            hint="add 'fingertips: <Indicator ID>' to the catalogue entry it measures",
        )
    frame = _numbers(frame, path)
    frame = _labels(frame, path)
    frame = _one_sex(frame, sex)
    frame = _one_age(frame, age, path)
    frame = frame.drop(columns="row").reset_index(drop=True)
    frame.attrs = {"fingertips_columns": order, "skipped": skipped}
    return frame


def write_fingertips(frame: pd.DataFrame, path: Path, catalogue: Catalogue | None = None) -> Path:
    """Write values in a Fingertips download's layout (CSV or Excel, by suffix).

    Headings in the order the download had (``frame.attrs``), else :data:`HEADINGS`;
    a column the frame lacks is written blank. Indicator id and name come from the
    catalogue for rows that carry only our indicator id.
    """
    headings = frame.attrs.get("fingertips_columns") or HEADINGS
    out = pd.DataFrame(index=frame.index)
    for heading in headings:
        column = COLUMNS.get(heading, heading)
        out[heading] = frame[column] if column in frame.columns else None
    if catalogue is not None and "indicator" in frame.columns:
        indicators = catalogue.indicators.values()
        ids = frame["indicator"].map({i.id: i.fingertips for i in indicators})
        names = frame["indicator"].map({i.id: i.name for i in indicators})
        out["Indicator ID"] = (
            out["Indicator ID"].astype(object).where(out["Indicator ID"].notna(), ids)
        )
        out["Indicator Name"] = (
            out["Indicator Name"].astype(object).where(out["Indicator Name"].notna(), names)
        )
    if "Sex" in out.columns:
        out["Sex"] = out["Sex"].map(lambda s: _SEX_OUT.get(s, s))
    if "Age" in out.columns:
        out["Age"] = out["Age"].where(out["Age"] != ALL_AGES, "All ages")
    if "Time period" in out.columns:
        out["Time period"] = out["Time period"].astype(str).map(fingertips_period)
    return write_table(out.reset_index(drop=True), path)


def period_label(label: str) -> str:
    """A Fingertips time period as our period label: '2010/11 - 12/13' (pooled financial
    years) -> '2010/11-2012/13'; 'Apr 2020 - Mar 2021' -> '2020-04..2021-03'. Others
    ('2017', '2015/16', '2015 - 17', '2017/18 Q1') are read as written."""
    if m := _POOLED_FY.fullmatch(label):
        first, last = int(m[1]), int(m[3])
        end = first // 100 * 100 + last + (100 if last < first % 100 else 0)
        return f"{m[1]}/{m[2]}-{end}/{m[4]}"
    if m := _MONTH_RANGE.fullmatch(label):
        start = f"{m[2]}-{_MONTHS.index(m[1]) + 1:02d}"
        return f"{start}..{m[4]}-{_MONTHS.index(m[3]) + 1:02d}"
    return label


def fingertips_period(label: str) -> str:
    """The inverse of :func:`period_label`: our label as Fingertips writes it."""
    if m := re.fullmatch(r"(\d{4})/(\d{2})-(\d{2})(\d{2})/(\d{2})", label):
        return f"{m[1]}/{m[2]} - {m[4]}/{m[5]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})", label):
        return f"{_MONTHS[int(m[2]) - 1]} {m[1]} - {_MONTHS[int(m[4]) - 1]} {m[3]}"
    return label


_POOLED_FY = re.compile(r"(\d{4})/(\d{2}) - (\d{2})/(\d{2})")
_MONTH_RANGE = re.compile(r"([A-Z][a-z]{2}) (\d{4}) - ([A-Z][a-z]{2}) (\d{4})")


def _by_value(series: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` applied to each distinct value once and spread back (a column of a million
    rows holds a few dozen sexes, ages, names or periods)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return pd.Series(mapped[codes] if len(codes) else [], index=series.index, dtype=object)


def _text(value: object) -> str:
    """A cell as stripped text; a missing cell is empty."""
    return (
        ""
        if value is None or (isinstance(value, float) and np.isnan(value))
        else str(value).strip()
    )


def _not_a_category(frame: pd.DataFrame) -> np.ndarray:
    """Rows that are the area's own value, not one of its categories."""
    if "Category Type" not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return (_by_value(frame["Category Type"], _text) == "").to_numpy()


def _indicators(frame: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    """Catalogue ids by Fingertips id, else by the indicator's name (unique values only)."""
    ids = pd.to_numeric(frame["fingertips_id"], errors="coerce")
    found = ids.map({float(k): v.id for k, v in catalogue.by_fingertips.items()})
    by_name = {ind.name.strip().lower(): ind.id for ind in catalogue.indicators.values()}
    names = _by_value(frame["indicator_name"], lambda v: by_name.get(_text(v).lower()))
    return found.astype(object).where(found.notna(), names)


def _skipped(frame: pd.DataFrame) -> list[str]:
    """'<id> <name>' of each indicator left out (not in the catalogue)."""
    out = frame.loc[frame["indicator"].isna(), ["fingertips_id", "indicator_name"]]
    out = out.drop_duplicates()
    return (
        out["fingertips_id"].astype(str) + " '" + out["indicator_name"].astype(str) + "'"
    ).tolist()


def _numbers(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Numeric columns as floats; a blank stays blank (suppressed), text is an error."""
    out = frame.copy()
    for column in NUMBERS:
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce")
        suspect = numbers.isna() & out[column].notna()  # blank or text: look closer
        bad = pd.Series(False, index=out.index)
        if suspect.any():
            bad[suspect] = _by_value(out.loc[suspect, column], _text) != ""
        if bad.any():
            at = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValidationError(
                f"'{out[column].iloc[at]}' is not a number",
                file=path,
                row=int(out["row"].iloc[at]),
                column=next(k for k, v in COLUMNS.items() if v == column),
                hint="leave a suppressed value blank (its reason goes in 'Value note')",
            )
        out[column] = numbers.astype(float)
    if "value_note" in out.columns:
        out["value_note"] = out["value_note"].astype(object).where(out["value_note"].notna(), None)
    return out


def _labels(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Sex as persons/male/female, age 'all ages' or the band, periods as our labels."""
    out = frame.copy()
    if "sex" in out.columns:
        sex = _by_value(out["sex"], lambda v: _SEX.get(_text(v).lower()))
        if sex.isna().any():
            at = int(np.flatnonzero(sex.isna().to_numpy())[0])
            raise ValidationError(
                f"unknown sex '{out['sex'].iloc[at]}'",
                file=path,
                row=int(out["row"].iloc[at]),
                column="Sex",
                hint="Fingertips writes Persons, Male or Female",
            )
        out["sex"] = sex
    else:
        out["sex"] = "persons"
    if "age_band" in out.columns:
        out["age_band"] = _by_value(
            out["age_band"], lambda v: ALL_AGES if _text(v).lower() in ("", ALL_AGES) else _text(v)
        )
    else:
        out["age_band"] = ALL_AGES
    out["period"] = _by_value(out["period"], lambda v: period_label(_text(v)))
    return out


def _one_sex(frame: pd.DataFrame, sex: str) -> pd.DataFrame:
    if sex == "all":
        return frame
    if sex != "persons":
        return frame[frame["sex"] == sex]
    # persons where the indicator has persons rows; else its rows by sex, as they are
    has_persons = frame.groupby("indicator")["sex"].transform(lambda s: (s == "persons").any())
    return frame[(frame["sex"] == "persons") | ~has_persons.astype(bool)]


def _one_age(frame: pd.DataFrame, age: str | None, path: Path) -> pd.DataFrame:
    if age is not None and age.strip().lower() == "all":
        return frame
    wanted = ALL_AGES if age is None or age.strip().lower() == ALL_AGES else age.strip()
    grouped = frame.groupby("indicator")["age_band"]
    has_wanted = grouped.transform(lambda a: (a == wanted).any()).astype(bool)
    bands = grouped.transform("nunique")
    keep = (has_wanted & (frame["age_band"] == wanted)) | (~has_wanted & (bands == 1))
    unclear = ~has_wanted & (bands > 1)
    if unclear.any():
        at = int(np.flatnonzero(unclear.to_numpy())[0])
        indicator = frame["indicator"].iloc[at]
        found = sorted(frame.loc[frame["indicator"] == indicator, "age_band"].unique())
        raise ValidationError(
            f"indicator {frame['fingertips_id'].iloc[at]} '{frame['indicator_name'].iloc[at]}' "
            f"has age bands {', '.join(found)} and no '{wanted}'",
            file=path,
            row=int(frame["row"].iloc[at]),
            column="Age",
            hint=f"choose one with --age (e.g. --age '{found[0]}'), or --age all to keep "
            "every band",
        )
    return frame[keep.to_numpy()]
