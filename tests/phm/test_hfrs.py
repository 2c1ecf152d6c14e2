"""Hospital Frailty Risk Score (Gilbert et al., Lancet 2018; 391:1775–82) on hand-made records.

Every expected score below is added up by hand from the paper's points.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.phm import hfrs, hfrs_table
from tests.phm.conftest import MakeFrame, collect

D = dt.date
INDEX = D(2020, 6, 30)

# The paper's appendix table: 109 three-character categories and their points.
PUBLISHED = {
    "F00": 7.1, "G81": 4.4, "G30": 4.0, "I69": 3.7, "R29": 3.6, "N39": 3.2, "F05": 3.2,
    "W19": 3.2, "S00": 3.2, "R31": 3.0, "B96": 2.9, "R41": 2.7, "R26": 2.6, "I67": 2.6,
    "R56": 2.6, "R40": 2.5, "T83": 2.4, "S06": 2.4, "S42": 2.3, "E87": 2.3, "M25": 2.3,
    "E86": 2.3, "R54": 2.2, "Z50": 2.1, "F03": 2.1, "W18": 2.1, "Z75": 2.0, "F01": 2.0,
    "S80": 2.0, "L03": 2.0, "H54": 1.9, "E53": 1.9, "Z60": 1.8, "G20": 1.8, "R55": 1.8,
    "S22": 1.8, "K59": 1.8, "N17": 1.8, "L89": 1.7, "Z22": 1.7, "B95": 1.7, "L97": 1.6,
    "R44": 1.6, "K26": 1.6, "I95": 1.6, "N19": 1.6, "A41": 1.6, "Z87": 1.5, "J96": 1.5,
    "X59": 1.5, "M19": 1.5, "G40": 1.5, "M81": 1.4, "S72": 1.4, "S32": 1.4, "E16": 1.4,
    "R94": 1.4, "N18": 1.4, "R33": 1.3, "R69": 1.3, "N28": 1.3, "R32": 1.2, "G31": 1.2,
    "Y95": 1.2, "S09": 1.2, "R45": 1.2, "G45": 1.2, "Z74": 1.1, "M79": 1.1, "W06": 1.1,
    "S01": 1.1, "A04": 1.1, "A09": 1.1, "J18": 1.1, "J69": 1.0, "R47": 1.0, "E55": 1.0,
    "Z93": 1.0, "R02": 1.0, "R63": 0.9, "H91": 0.9, "W10": 0.9, "W01": 0.9, "E05": 0.9,
    "M41": 0.9, "R13": 0.8, "Z99": 0.8, "U80": 0.8, "M80": 0.8, "K92": 0.8, "I63": 0.8,
    "N20": 0.7, "F10": 0.7, "Y84": 0.7, "R00": 0.7, "J22": 0.7, "Z73": 0.6, "R79": 0.6,
    "Z91": 0.5, "S51": 0.5, "F32": 0.5, "M48": 0.5, "E83": 0.4, "M15": 0.4, "D64": 0.4,
    "L08": 0.4, "R11": 0.3, "K52": 0.3, "R50": 0.1,
}  # fmt: skip


def test_the_table_has_the_109_published_categories_and_points() -> None:
    table = hfrs_table()
    assert len(table.categories) == 109
    assert len({c.code for c in table.categories}) == 109
    assert len(PUBLISHED) == 109
    assert table.points() == PUBLISHED
    assert "Lancet 2018; 391: 1775–82" in table.source
    assert (table.bands.low_below, table.bands.high_above) == (5.0, 15.0)


def records(rows: list[tuple[str, str, dt.date]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_key", "code", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


HAND_MADE = records(
    [
        # a: F00 coded three ways (once: 7.1) + W19 (3.2) = 10.3; the rest do not count
        ("a", "F00.1", D(2019, 1, 5)),
        ("a", "F00", D(2020, 3, 1)),
        ("a", "f00.9 ", D(2020, 4, 1)),
        ("a", "F00.0", D(2020, 4, 1)),
        ("a", "W19.X", D(2020, 6, 30)),  # on the index date: counted
        ("a", "R50.9", D(2018, 6, 29)),  # a day before the two-year look-back
        ("a", "G81.1", D(2020, 7, 1)),  # after the index date
        ("a", "I10", D(2020, 1, 1)),  # not an HFRS category
        # b: G30 4.0 + J69 1.0 = 5.0 exactly: intermediate
        ("b", "G30.1", D(2019, 5, 5)),
        ("b", "J69.0", D(2018, 6, 30)),  # on the first day of the look-back: counted
        # c: G30 4.0 + R63 0.9 = 4.9: low
        ("c", "G309", D(2020, 1, 1)),
        ("c", "R63.4", D(2020, 1, 1)),
        # d: F00 7.1 + G81 4.4 + R26 2.6 + R63 0.9 = 15.0 exactly: intermediate
        ("d", "F001", D(2020, 1, 1)),
        ("d", "G811", D(2020, 1, 1)),
        ("d", "R268", D(2020, 1, 1)),
        ("d", "R630", D(2020, 1, 1)),
        # e: F00 7.1 + G81 4.4 + R26 2.6 + E55 1.0 = 15.1: high
        ("e", "F00.1", D(2020, 1, 1)),
        ("e", "G81.1", D(2020, 1, 1)),
        ("e", "R26.8", D(2020, 1, 1)),
        ("e", "E55.9", D(2020, 1, 1)),
        # f: only codes outside the window: a row with 0
        ("f", "F00.1", D(2017, 1, 1)),
        # g: R50 0.1 ten times over = 0.1 (not 1.0)
        *[("g", "R50.9", D(2020, 1, day)) for day in range(1, 11)],
    ]
)


def test_hand_made_records_score_as_counted_by_hand(make_frame: MakeFrame) -> None:
    result = collect(hfrs(make_frame(HAND_MADE), INDEX))
    expected = {
        "a": (10.3, "intermediate"),
        "b": (5.0, "intermediate"),
        "c": (4.9, "low"),
        "d": (15.0, "intermediate"),
        "e": (15.1, "high"),
        "f": (0.0, "low"),
        "g": (0.1, "low"),
    }
    assert list(result.index) == sorted(expected)
    for person, (score, band) in expected.items():
        assert result.loc[person, "hfrs"] == pytest.approx(score, abs=1e-9), person
        assert result.loc[person, "hfrs_band"] == band, person


def test_a_longer_look_back_reaches_older_codes(make_local_frame: MakeFrame) -> None:
    result = collect(hfrs(make_local_frame(HAND_MADE), INDEX, lookback_years=4))
    # a: + R50 0.1 from 2018-06-29 = 10.4; f: + F00 7.1 from 2017 = 7.1
    assert result.loc["a", "hfrs"] == pytest.approx(10.4)
    assert result.loc["f", "hfrs"] == pytest.approx(7.1)
    assert result.loc["f", "hfrs_band"] == "intermediate"


def test_people_without_diagnoses_score_zero(make_local_frame: MakeFrame) -> None:
    people = pd.DataFrame({"person_key": ["a", "z"]})
    result = collect(hfrs(make_local_frame(HAND_MADE), INDEX, people=make_local_frame(people)))
    assert list(result.index) == ["a", "z"]
    assert result.loc["z", "hfrs"] == 0.0
    assert result.loc["z", "hfrs_band"] == "low"


def test_dates_as_dates_and_a_leap_day_index(make_local_frame: MakeFrame) -> None:
    frame = HAND_MADE.assign(date=HAND_MADE["date"].dt.date)
    # 29 February 2020 looks back to 28 February 2018
    leap = pd.DataFrame(
        [("h", "F05.0", D(2018, 2, 28)), ("i", "F05.0", D(2018, 2, 27))],
        columns=["person_key", "code", "date"],
    )
    result = collect(hfrs(make_local_frame(pd.concat([frame, leap])), D(2020, 2, 29)))
    assert result.loc["h", "hfrs"] == pytest.approx(3.2)
    assert result.loc["i", "hfrs"] == 0.0


def test_timestamps_later_on_the_index_day_still_count() -> None:
    frame = records([("a", "F00.1", D(2020, 6, 30))])
    frame["date"] = frame["date"] + pd.Timedelta(hours=15)
    assert collect(hfrs(frame, INDEX)).loc["a", "hfrs"] == pytest.approx(7.1)


def test_missing_columns_and_text_dates_are_user_errors() -> None:
    with pytest.raises(ValidationError, match="lacks column"):
        hfrs(HAND_MADE.drop(columns="code"), INDEX)
    with pytest.raises(ValidationError, match="not dates"):
        hfrs(HAND_MADE.assign(date=HAND_MADE["date"].dt.strftime("%Y-%m-%d")), INDEX)
    with pytest.raises(ValidationError, match="must be a data frame"):
        hfrs([("a", "F00", INDEX)], INDEX)
