"""Risk-model features: who is counted, which days each window holds, every column filled."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import ValidationError
from placehealth.periods import add_months
from placehealth.phm.features import (
    activity_columns,
    check_index,
    condition_columns,
    feature_columns,
    features,
    outcome,
)
from placehealth.phm.population import DataWindow

KEY_TEXT = "test-key-phm-model-7d41c0e2"
INDEX = dt.date(2016, 4, 1)
D = dt.date


@cache
def synthetic_warehouse(root: Path) -> tuple[Path, Path]:
    """3,000 synthetic persons loaded into a warehouse: (warehouse, truth file).

    Cached per process, so every test module of a worker shares one load.
    """
    extract = root / "extract"
    write(simulate(3_000, seed=11), extract)
    warehouse = root / "warehouse.duckdb"
    ingest(extract, warehouse, PseudoKey(KEY_TEXT.encode()), synthetic=True)
    return warehouse, extract / "truth" / "emergency_risk.parquet"


@pytest.fixture(scope="session")
def synth_paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")


def _table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(f"_{name}", frame)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")


@pytest.fixture(scope="module")
def hand() -> DuckDBBackend:
    """Five people with records placed on the edges of the windows."""
    con = duckdb.connect()
    _table(
        con,
        "person",
        pd.DataFrame(
            {
                "person_key": ["a", "b", "c", "d", "e"],
                "sex": ["F", "M", "F", "M", "F"],
                "birth_month": [
                    D(1940, 5, 1),
                    D(1990, 1, 1),
                    D(2016, 4, 1),
                    D(1950, 1, 1),
                    D(2000, 1, 1),
                ],
                "death_date": [None, None, None, D(2016, 3, 31), D(2016, 4, 2)],
                "lsoa": ["L1", "L2", "L1", "L1", "L2"],
                "practice_code": ["P1", "P2", "P1", "P1", "P2"],
            }
        ).astype({"death_date": "datetime64[s]", "birth_month": "datetime64[s]"}),
    )
    _table(
        con,
        "geo_lsoa",
        pd.DataFrame({"lsoa": ["L1", "L2"], "imd_decile": [1, 10], "neighbourhood": ["N1", "N2"]}),
    )
    _table(
        con,
        "geo_practice",
        pd.DataFrame({"practice_code": ["P1", "P2"], "neighbourhood": ["NP1", "NP2"]}),
    )
    _table(
        con,
        "apc_spell",
        pd.DataFrame(
            {
                "person_key": ["a", "a", "a", "a", "a", "b"],
                "admit_date": [
                    D(2016, 3, 31),
                    D(2015, 4, 1),
                    D(2015, 3, 31),
                    D(2014, 4, 1),
                    D(2016, 4, 1),
                    D(2017, 4, 1),
                ],
                "discharge_date": [
                    D(2016, 4, 3),
                    D(2015, 4, 1),
                    D(2015, 4, 10),
                    D(2014, 4, 2),
                    D(2016, 4, 5),
                    D(2017, 4, 2),
                ],
                "admission_method": [
                    "emergency",
                    "emergency",
                    "elective",
                    "emergency",
                    "emergency",
                    "emergency",
                ],
                "primary_diagnosis": ["F00.1", "W19", "R29.6", "S06.0", "I50.0", "J18.9"],
            }
        ).astype({"admit_date": "datetime64[s]", "discharge_date": "datetime64[s]"}),
    )
    dates = "datetime64[s]"
    _table(
        con,
        "ae_attendance",
        pd.DataFrame(
            {"person_key": ["b", "b"], "arrival_date": [D(2016, 3, 1), D(2016, 4, 1)]}
        ).astype({"arrival_date": dates}),
    )
    _table(
        con,
        "op_appointment",
        pd.DataFrame({"person_key": ["a"], "appt_date": [D(2015, 1, 1)]}).astype(
            {"appt_date": dates}
        ),
    )
    for name in ("gp_contact", "community_contact", "mh_contact"):
        _table(
            con,
            name,
            pd.DataFrame(
                {
                    "person_key": ["b", "b", "b"],
                    "contact_date": [D(2014, 3, 31), D(2014, 4, 1), D(2016, 3, 31)],
                }
            ).astype({"contact_date": dates}),
        )
    _table(
        con,
        "condition",
        pd.DataFrame(
            {
                "person_key": ["a", "a", "b"],
                "code": ["F00", "I50.0", "J45"],
                "recorded_date": [D(2010, 1, 1), D(2016, 4, 1), D(2012, 1, 1)],
                "condition": ["dementia", "heart_failure", "asthma"],
            }
        ).astype({"recorded_date": dates}),
    )
    _table(
        con,
        "social_care",
        pd.DataFrame(
            {
                "person_key": ["a", "b", "b"],
                "start_date": [D(2015, 6, 1), D(2015, 1, 1), D(2016, 4, 1)],
                "end_date": [None, D(2015, 3, 31), None],
                "service": ["nursing", "home_care", "home_care"],
            }
        ).astype({"start_date": dates, "end_date": dates}),
    )
    return DuckDBBackend(connection=con)


@pytest.fixture(scope="module")
def hand_features(hand: DuckDBBackend) -> pd.DataFrame:
    return hand.collect(features(hand, INDEX)).set_index("person_key").sort_index()


def test_only_people_alive_on_the_index_date(hand_features: pd.DataFrame) -> None:
    # c's birth month starts on the index date (age 0), d died the day before; e dies after
    assert list(hand_features.index) == ["a", "b", "c", "e"]
    assert hand_features.loc["c", "age"] == 0


def test_demographics_and_area(hand_features: pd.DataFrame) -> None:
    a = hand_features.loc["a"]
    assert (a["age"], a["female"], a["imd_decile"]) == (75, 1, 1)
    assert a["neighbourhood"] == "NP1"  # the practice's neighbourhood
    assert hand_features.loc["b", "female"] == 0


def test_windows_end_the_day_before_the_index_date(hand_features: pd.DataFrame) -> None:
    a = hand_features.loc["a"]
    # 31 Mar 2016 and 1 Apr 2015 are in the 12 months; 1 Apr 2014 only in the 24
    assert (a["emergency_12m"], a["emergency_24m"]) == (2, 3)
    assert (a["elective_12m"], a["elective_24m"]) == (0, 1)
    assert a["bed_days_12m"] == 3 + 0
    assert a["bed_days_24m"] == 3 + 0 + 10 + 1
    b = hand_features.loc["b"]
    assert (b["ae_12m"], b["ae_24m"]) == (1, 1)  # the index day itself is follow-up
    # 31 Mar 2014 is more than 24 months back
    for kind in ("gp", "community", "mental_health"):
        assert (b[f"{kind}_12m"], b[f"{kind}_24m"]) == (1, 2)


def test_conditions_and_frailty_before_the_index_date(hand_features: pd.DataFrame) -> None:
    a = hand_features.loc["a"]
    assert a["ltc_dementia"] == 1 and a["ltc_heart_failure"] == 0  # recorded on the index day
    assert a["ltc_count"] == 1
    assert hand_features.loc["b", "ltc_asthma"] == 1
    # HFRS: F00 7.1 + W19 3.2 + R29 3.6 + S06 2.4 (I50 on the index day is not looked back on)
    assert a["hfrs"] == pytest.approx(16.3)
    assert a["efi"] > 0 and hand_features.loc["e", "efi"] == 0


def test_social_care(hand_features: pd.DataFrame) -> None:
    a, b = hand_features.loc["a"], hand_features.loc["b"]
    assert (a["care_home"], a["social_care_12m"], a["home_care"]) == (1, 1, 0)
    # b's care ended more than 12 months back; the new package starts on the index day
    assert (b["care_home"], b["social_care_12m"], b["home_care"]) == (0, 0, 0)


def test_outcome_counts_emergency_spells_from_the_index_day(hand: DuckDBBackend) -> None:
    out = hand.collect(outcome(hand, INDEX)).set_index("person_key")["emergency_admission"]
    assert out.to_dict() == {"a": 1, "b": 0, "c": 0, "e": 0}  # b's spell is 12 months on: outside
    later = hand.collect(outcome(hand, add_months(INDEX, 12))).set_index("person_key")
    assert later.loc["b", "emergency_admission"] == 1


def test_index_dates_need_history_and_follow_up() -> None:
    data = DataWindow(D(2014, 4, 1), D(2019, 3, 31))
    check_index(data, D(2016, 4, 1))
    check_index(data, D(2018, 4, 1))
    with pytest.raises(ValidationError, match="24 months of history"):
        check_index(data, D(2016, 3, 31))
    with pytest.raises(ValidationError, match="outside the data"):
        check_index(data, D(2018, 4, 2))
    check_index(data, D(2019, 4, 1), follow_up=False)  # scoring needs no follow-up
    later = DataWindow(D(2019, 4, 1), D(2024, 3, 31))  # the same rule for any years
    check_index(later, D(2023, 4, 1))
    with pytest.raises(ValidationError, match="from 2021-04-01 to 2023-04-01"):
        check_index(later, D(2018, 4, 1))


def test_add_months_keeps_the_first() -> None:
    assert add_months(D(2016, 4, 1), -24) == D(2014, 4, 1)
    assert add_months(D(2016, 4, 1), 12) == D(2017, 4, 1)
    assert add_months(D(2016, 3, 31), -1) == D(2016, 2, 29)
    assert add_months(D(2016, 2, 29), 12) == D(2017, 2, 28)


def test_synthetic_population_one_full_row_each(synth_paths: tuple[Path, Path]) -> None:
    backend = DuckDBBackend(synth_paths[0])
    frame = backend.collect(features(backend, INDEX))
    assert frame["person_key"].is_unique
    assert list(frame.columns[7:]) == feature_columns()[3:]
    assert not frame[feature_columns()].isna().any().any()
    # the counts agree with a direct query of the warehouse
    direct = backend.con.sql(
        "SELECT count(*) FROM apc_spell s JOIN person p USING (person_key) "
        "WHERE admission_method = 'emergency' AND admit_date >= DATE '2015-04-01' "
        "AND admit_date < DATE '2016-04-01' AND birth_month <= DATE '2016-04-01' "
        "AND (death_date IS NULL OR death_date > DATE '2016-04-01')"
    ).fetchall()[0][0]
    assert frame["emergency_12m"].sum() == direct
    assert (frame["emergency_24m"] >= frame["emergency_12m"]).all()
    assert frame["ltc_count"].equals(frame[condition_columns()].sum(axis=1).astype("int32"))
    assert set(activity_columns()) <= set(frame.columns)


def test_day_numbers_count_days_across_leap_years() -> None:
    import narwhals as nw
    import numpy as np

    from placehealth.engine.expressions import day_number

    days = pd.DataFrame({"d": pd.date_range("1899-12-25", "2101-03-05", freq="D").date})
    con = duckdb.connect()
    con.register("days", days)
    numbers = (
        nw.from_native(con.table("days"))
        .select(day_number("d").alias("n"))
        .collect()
        .to_native()
        .to_pandas()["n"]
        .to_numpy()
    )
    ordinals = np.array([d.toordinal() for d in days["d"]])
    assert (np.diff(numbers) == 1).all()
    assert len(set(numbers - ordinals)) == 1
