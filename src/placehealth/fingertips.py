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
from placehealth.tables import file_row, read_table, refuse_first, require_columns, write_table

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
    # which rows to keep is worked out on a few columns; the wide frame is cut once
    keep = np.array(_not_a_category(frame), dtype=bool)  # a writable copy
    indicator = _indicators(frame, catalogue)
    skipped = _skipped(frame, indicator, keep)
    keep &= indicator.notna().to_numpy()
    if not keep.any() and len(table):
        raise ValidationError(
            f"no indicator in this Fingertips download is in the catalogue ({skipped[0]}, …)",
            file=path,
            hint="add 'fingertips: <Indicator ID>' to the catalogue entry it measures",
        )
    sexes = _sexes(frame, keep, path)
    ages = _ages(frame)
    keep &= _one_sex(indicator, sexes, keep, sex)
    keep &= _one_age(frame, indicator, ages, keep, age, path)
    out = frame.loc[keep].assign(
        indicator=indicator[keep], sex=sexes[keep], age_band=ages[keep],
        period=_by_value(frame.loc[keep, "period"], lambda v: period_label(_text(v))),
    )  # fmt: skip
    lines = np.flatnonzero(keep) + int(frame.attrs.get("first_row", 2))  # file rows kept
    out = _numbers(out, lines, path).reset_index(drop=True)
    out.attrs = {"fingertips_columns": order, "skipped": skipped}
    return out


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


def _skipped(frame: pd.DataFrame, indicator: pd.Series, keep: np.ndarray) -> list[str]:
    """'<id> <name>' of each indicator left out (not in the catalogue)."""
    out = frame.loc[keep & indicator.isna().to_numpy(), ["fingertips_id", "indicator_name"]]
    out = out.drop_duplicates()
    labels = out["fingertips_id"].astype(str) + " '" + out["indicator_name"].astype(str) + "'"
    return labels.tolist()


def _numbers(frame: pd.DataFrame, lines: np.ndarray, path: Path) -> pd.DataFrame:
    """Numeric columns as floats; a blank stays blank (suppressed), text is an error
    naming its line of the file (``lines``)."""
    out = frame
    for column in NUMBERS:
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce")
        suspect = (numbers.isna() & out[column].notna()).to_numpy()  # blank or text?
        bad = np.zeros(len(out), dtype=bool)
        if suspect.any():
            bad[suspect] = (_by_value(out.loc[suspect, column], _text) != "").to_numpy()
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            raise ValidationError(
                f"'{out[column].iloc[at]}' is not a number",
                file=path,
                row=int(lines[at]),
                column=next(k for k, v in COLUMNS.items() if v == column),
                hint="leave a suppressed value blank (its reason goes in 'Value note')",
            )
        out = out.assign(**{column: numbers.astype(float)})
    if "value_note" in out.columns:
        notes = out["value_note"].astype(object)
        out = out.assign(value_note=notes.where(notes.notna(), None))
    return out


def _sexes(frame: pd.DataFrame, keep: np.ndarray, path: Path) -> pd.Series:
    """Sex as persons, male or female (an unknown one, in a row kept, is an error)."""
    if "sex" not in frame.columns:
        return pd.Series("persons", index=frame.index, dtype=object)
    sex = _by_value(frame["sex"], lambda v: _SEX.get(_text(v).lower()))
    refuse_first(
        keep & sex.isna().to_numpy(), frame["sex"], "unknown sex '{value}'", file=path,
        column="Sex", hint="Fingertips writes Persons, Male or Female",
    )  # fmt: skip
    return sex


def _ages(frame: pd.DataFrame) -> pd.Series:
    """Age bands as written, 'all ages' for All ages or a blank."""
    if "age_band" not in frame.columns:
        return pd.Series(ALL_AGES, index=frame.index, dtype=object)
    return _by_value(
        frame["age_band"], lambda v: ALL_AGES if _text(v).lower() in ("", ALL_AGES) else _text(v)
    )


def _one_sex(indicator: pd.Series, sexes: pd.Series, keep: np.ndarray, sex: str) -> np.ndarray:
    """Rows of the chosen sex; for persons, an indicator's Persons rows where it has any,
    else its rows by sex as they are (never added together)."""
    if sex == "all":
        return np.ones(len(sexes), dtype=bool)
    if sex != "persons":
        return (sexes == sex).to_numpy()
    persons = (sexes == "persons").to_numpy()
    with_persons = indicator[keep & persons].unique()
    return persons | ~indicator.isin(with_persons).to_numpy()


def _one_age(
    frame: pd.DataFrame,
    indicator: pd.Series,
    ages: pd.Series,
    keep: np.ndarray,
    age: str | None,
    path: Path,
) -> np.ndarray:
    """Rows of the chosen age band, else an indicator's only band; several bands and not
    the chosen one is an error naming them."""
    if age is not None and age.strip().lower() == "all":
        return np.ones(len(ages), dtype=bool)
    wanted = ALL_AGES if age is None or age.strip().lower() == ALL_AGES else age.strip()
    is_wanted = (ages == wanted).to_numpy()
    with_wanted = indicator.isin(indicator[keep & is_wanted].unique()).to_numpy()
    bands = ages[keep].groupby(indicator[keep]).nunique()
    single = indicator.isin(bands.index[bands == 1]).to_numpy()
    unclear = keep & ~with_wanted & ~single
    if unclear.any():
        at = int(np.flatnonzero(unclear)[0])
        found = sorted(ages[keep & (indicator == indicator.iloc[at]).to_numpy()].unique())
        raise ValidationError(
            f"indicator {frame['fingertips_id'].iloc[at]} '{frame['indicator_name'].iloc[at]}' "
            f"has age bands {', '.join(found)} and no '{wanted}'",
            file=path,
            row=file_row(frame, at),
            column="Age",
            hint=f"choose one with --age (e.g. --age '{found[0]}'), or --age all to keep "
            "every band",
        )
    return (with_wanted & is_wanted) | (~with_wanted & single)
