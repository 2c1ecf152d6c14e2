"""Indicator values say what they are: area name, unit, polarity, and why a value is blank.

issue 13, "Why": indicator values carried no area name, unit, polarity or value note,
blanks had no reason, and numerators printed as 5573.0.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from placehealth.catalogue.load import load_catalogue
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.geography import area_names, decile_name
from placehealth.engine.indicators import Context, compute_all
from placehealth.engine.indicators.context import (
    NO_DENOMINATOR,
    NO_RATE,
    TOO_FEW_EVENTS,
    value_notes,
)
from placehealth.publish.indicators import NOT_CALCULATED, SUPPRESSED, as_counts, publish_indicators
from placehealth.tables import serialise_table
from tests.engine.tiny import write_warehouse
from tests.publish.test_indicators import LSOA, PRACTICE, values


def test_indicators_csv_names_areas_and_gives_unit_and_polarity(
    indicator_csv: tuple[Path, Path],
) -> None:
    _, path = indicator_csv
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    columns = list(frame.columns)
    assert columns[:4] == ["indicator_id", "area_type", "area_code", "area_name"]
    assert columns[columns.index("value") + 1 : columns.index("value") + 4] == [
        "value_note", "unit", "polarity",
    ]  # fmt: skip
    catalogue = load_catalogue()
    for indicator_id, rows in frame.groupby("indicator_id"):
        indicator = catalogue[str(indicator_id)]
        assert set(rows["unit"]) == {indicator.unit_label}, indicator_id
        assert set(rows["polarity"]) == {str(indicator.polarity)}, indicator_id
    admissions = frame[frame["indicator_id"] == "emergency-admissions"]
    assert set(admissions["unit"]) == {"per 100,000"}
    assert set(admissions["polarity"]) == {"lower_is_better"}
    named = frame[frame["area_type"].isin(["neighbourhood", "practice", "pcn", "lsoa"])]
    assert named["area_name"].notna().all()
    assert (named["area_name"] != named["area_code"].astype(str)).all()  # a name, not the code
    deciles = frame[frame["area_type"] == "imd_decile"]
    assert set(deciles.loc[deciles["area_code"].astype(str) == "1", "area_name"]) == {
        decile_name(1)
    }
    assert set(frame.loc[frame["area_type"] == "place", "area_name"]) == {"Liverpool"}


def test_every_blank_value_in_indicators_csv_says_why(indicator_csv: tuple[Path, Path]) -> None:
    _, path = indicator_csv
    frame = pd.read_csv(path)
    blank = frame["value"].isna()
    assert blank.sum() > 100
    notes = frame.loc[blank, "value_note"]
    assert notes.notna().all()
    assert not (notes == NOT_CALCULATED).any()  # each blank has a real reason
    assert frame.loc[~blank, "value_note"].isna().all()  # and only blanks have one
    hidden = blank & frame["suppressed"]
    assert notes[hidden[blank]].str.startswith(SUPPRESSED).all()
    assert not notes.str.contains("blank: from a hidden count").any()  # said once, plainly
    shown = frame.loc[blank & ~frame["suppressed"], "value_note"]
    assert shown.str.startswith(TOO_FEW_EVENTS).any()  # e.g. a DSR of fewer than 10 deaths


def test_numerators_in_indicators_csv_are_written_as_integers(
    indicator_csv: tuple[Path, Path],
) -> None:
    _, path = indicator_csv
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    counts = raw.loc[raw["indicator_id"] != "pyll-amenable", "numerator"]
    assert (counts == "").sum() > 100  # hidden counts stay blank …
    assert counts[counts != ""].str.fullmatch(r"\d+").all()  # … and the rest are integers
    assert raw["denominator"][raw["denominator"] != ""].str.fullmatch(r"\d+").all()


def test_whole_numerators_print_as_integers_and_years_keep_their_decimals() -> None:
    assert as_counts(pd.Series([5573.0, np.nan, 12.0])).dtype == "Int64"
    years = as_counts(pd.Series([5573.0, 2.5, np.nan]))
    csv = serialise_table(pd.DataFrame({"numerator": years, "x": 1}), ".csv", bom=False)
    assert csv.decode().splitlines() == ["numerator,x", "5573,1", "2.5,1", ",1"]
    back = pd.read_parquet(io.BytesIO(serialise_table(pd.DataFrame({"n": years}), ".parquet")))
    assert back["n"].tolist()[:2] == [5573.0, 2.5]


def test_a_hidden_count_gives_the_disclosure_reason_and_the_engine_reason_is_kept() -> None:
    frame = values([
        ("emergency-admissions", "place", "P", "2017/18", "F", "all ages", 3),
        ("emergency-admissions", "place", "P", "2017/18", "M", "all ages", 50),
        ("emergency-admissions", "place", "P", "2017/18", "persons", "all ages", 53),
    ])  # fmt: skip
    frame.loc[1, "value"] = np.nan
    frame["value_note"] = pd.Series([None, TOO_FEW_EVENTS + "10", None], dtype=object)
    names = pd.DataFrame({"area_type": ["place"], "area_code": ["P"], "area_name": ["Pville"]})
    out = publish_indicators(frame, LSOA, PRACTICE, place="P", names=names).frame
    assert out["value_note"].tolist() == [
        SUPPRESSED + "numerator hidden: 1-7",
        SUPPRESSED + "numerator hidden: protects another hidden count; " + TOO_FEW_EVENTS + "10",
        None,
    ]
    assert out["area_name"].tolist() == ["Pville"] * 3
    assert out["numerator"].tolist() == [pd.NA, pd.NA, 53]
    assert out["unit"].tolist() == ["per 100,000"] * 3


def test_an_area_without_a_name_is_shown_by_its_code() -> None:
    frame = values([("ae-attendances", "lsoa", "L1", "2017/18", "persons", "all ages", 20)])
    out = publish_indicators(frame, LSOA, PRACTICE, place="P", names=None).frame
    assert out["area_name"].tolist() == ["L1"]


def test_the_engine_says_why_a_value_is_blank(tmp_path: Path) -> None:
    backend = DuckDBBackend(write_warehouse(tmp_path / "tiny.duckdb"))
    try:
        ctx = Context(backend, years=[2015, 2016], pooled=[(2015, 2017)], place="Tinytown")
        result = compute_all(ctx)
        names = area_names(backend, "Tinytown")
    finally:
        backend.close()
    blank = result["value"].isna()
    assert result.loc[blank, "value_note"].notna().all()
    assert result.loc[~blank, "value_note"].isna().all()
    notes = set(result.loc[blank, "value_note"])
    assert TOO_FEW_EVENTS + "10" in notes  # tiny.py has fewer than 10 deaths anywhere
    assert NO_RATE in notes  # and deaths in a band where tiny.py has no one alive
    few = result[result["value_note"] == TOO_FEW_EVENTS + "10"]
    assert (few["numerator"] < 10).all()
    assert set(names["area_type"]) >= {"place", "imd_decile"}


def test_value_notes_in_order_of_the_reason() -> None:
    frame = pd.DataFrame(
        {"value": [np.nan, np.nan, np.nan, 5.0, np.nan], "denominator": [0, 40, 6000, 9, np.nan]}
    )
    statistic = pd.Series(["", "dsr NA for total count < 10", "", "", ""])
    note = pd.Series(["", "", "total population of 5,000 or less", "", ""])
    assert value_notes(frame, note, statistic).tolist() == [
        NO_DENOMINATOR, TOO_FEW_EVENTS + "10", "total population of 5,000 or less", None,
        NO_DENOMINATOR,
    ]  # fmt: skip
