"""Indicator values through the publishing step: sexes within persons, age bands within all
ages, calendar years within pooled windows, and areas within the place, each protected."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placehealth.engine.indicators.context import VALUE_COLUMNS
from placehealth.publish import DISCLOSURE
from placehealth.publish.indicators import publish_indicators
from tests.publish.solver import disclosed

LSOA = pd.DataFrame({"lsoa": ["L1", "L2"], "neighbourhood": ["N1", "N1"], "imd_decile": [1, 2]})
PRACTICE = pd.DataFrame({"practice_code": ["G1"], "pcn": ["C1"]})


def values(rows: list[tuple[str, str, str, str, str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*VALUE_COLUMNS[:6], "numerator"])
    frame["denominator"] = 1000.0
    frame["value"] = frame["numerator"] / frame["denominator"]
    for column in VALUE_COLUMNS:
        if column not in frame.columns:
            frame[column] = np.nan
    frame["suppressed"] = False
    return frame[VALUE_COLUMNS]


def test_a_sex_is_not_persons_minus_the_other_sex() -> None:
    frame = values([
        ("x", "place", "P", "2017/18", "F", "all ages", 3),
        ("x", "place", "P", "2017/18", "M", "all ages", 50),
        ("x", "place", "P", "2017/18", "persons", "all ages", 53),
    ])  # fmt: skip
    out = publish_indicators(frame, LSOA, PRACTICE, place="P").frame
    assert out["numerator"].isna().tolist() == [True, True, False]
    assert out["value"].isna().tolist() == [True, True, False]
    assert out[DISCLOSURE].iloc[0].startswith("numerator hidden: 1-7")
    assert disclosed(np.array([3, 50, 53]), [(2, [0, 1])], out["numerator"].isna().to_numpy()) == []


def test_an_age_band_is_not_all_ages_minus_the_other_bands() -> None:
    frame = values([
        ("x", "place", "P", "2017/18", "persons", "0-4", 20),
        ("x", "place", "P", "2017/18", "persons", "5-9", 5),
        ("x", "place", "P", "2017/18", "persons", "10-14", 30),
        ("x", "place", "P", "2017/18", "persons", "all ages", 55),
    ])  # fmt: skip
    out = publish_indicators(frame, LSOA, PRACTICE, place="P").frame
    assert out["numerator"].isna().tolist() == [True, True, False, False]


def test_a_calendar_year_is_not_its_pooled_window_minus_the_other_years() -> None:
    frame = values([
        ("infant-deaths", "place", "P", "2015", "persons", "all ages", 2),
        ("infant-deaths", "place", "P", "2016", "persons", "all ages", 10),
        ("infant-deaths", "place", "P", "2017", "persons", "all ages", 12),
        ("infant-mortality", "place", "P", "2015-17", "persons", "all ages", 24),
    ])  # fmt: skip
    out = publish_indicators(frame, LSOA, PRACTICE, place="P").frame
    assert out["numerator"].isna().tolist() == [True, True, False, False]


def test_lsoas_are_protected_in_their_neighbourhood_and_their_decile_at_once() -> None:
    frame = values([
        ("x", "lsoa", "L1", "2017/18", "persons", "all ages", 4),
        ("x", "lsoa", "L2", "2017/18", "persons", "all ages", 40),
        ("x", "neighbourhood", "N1", "2017/18", "persons", "all ages", 44),
        ("x", "imd_decile", "1", "2017/18", "persons", "all ages", 4),
        ("x", "imd_decile", "2", "2017/18", "persons", "all ages", 40),
        ("x", "place", "P", "2017/18", "persons", "all ages", 44),
    ])  # fmt: skip
    out = publish_indicators(frame, LSOA, PRACTICE, place="P").frame
    hidden = out["numerator"].isna().to_numpy()
    truth = np.array([4, 40, 44, 4, 40, 44])
    reader = [(2, [0, 1]), (5, [2]), (5, [3, 4]), (3, [0]), (4, [1]), (5, [0, 1])]
    assert hidden[0] and hidden[3]  # the LSOA and its decile are both 4
    assert disclosed(truth, reader, hidden) == []
    assert not out["numerator"].dropna().between(1, 7).any()


def test_a_population_hidden_under_one_indicator_is_hidden_under_all() -> None:
    frame = values([
        ("x", "lsoa", "L1", "2017/18", "persons", "all ages", 20),
        ("x", "lsoa", "L2", "2017/18", "persons", "all ages", 30),
        ("x", "neighbourhood", "N1", "2017/18", "persons", "all ages", 50),
        ("y", "lsoa", "L1", "2017/18", "persons", "all ages", 20),
        ("y", "lsoa", "L2", "2017/18", "persons", "all ages", 30),
        ("y", "neighbourhood", "N1", "2017/18", "persons", "all ages", 50),
    ])  # fmt: skip
    frame["denominator"] = [5.0, 400.0, 405.0, 5.0, 400.0, 405.0]
    frame.loc[3:, "area_code"] = ["L1", "L2", "N1"]
    # y's neighbourhood row is absent, so its L2 would not need a partner on its own
    frame = frame.drop(index=5)
    out = publish_indicators(frame, LSOA, PRACTICE, place="P").frame
    assert out["denominator"].isna().tolist() == [True, True, False, True, True]
