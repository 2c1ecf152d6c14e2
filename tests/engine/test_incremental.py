"""Incremental runs, their parts: which periods a change reaches, the fingerprints of the
data and of the code, and a saved state that cannot be trusted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from placehealth.engine import incremental as inc
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.incremental import EVERYTHING, changed_since, plan
from placehealth.engine.incremental_state import Key, State, read_state, write_state
from placehealth.engine.indicators.context import VALUE_COLUMNS
from tests.engine.conftest import ENGINES, open_engine
from tests.engine.tiny import write_warehouse

D = dt.date
YEARS = [2014, 2015, 2016, 2017, 2018]  # 2014/15 … 2018/19
POOLED = [(2015, 2017), (2016, 2018)]
CACHED = set(inc.period_ends(YEARS, POOLED))


def test_period_labels_are_the_engines() -> None:
    ends = inc.period_ends([2018], [(2016, 2018)])
    assert ends == {
        "2018/19": D(2019, 3, 31),
        "2016-18": D(2018, 12, 31),
        "2015-08..2018-07": D(2018, 7, 31),  # excess winter deaths: winters ending 2016-18
        "2016": D(2016, 12, 31),
        "2017": D(2017, 12, 31),
        "2018": D(2018, 12, 31),
    }


def test_a_new_march_recomputes_its_financial_year_and_the_windows_of_its_year() -> None:
    # March 2019 is in 2018/19 and in calendar 2019, which no window holds: the financial
    # year alone is stale, and the engine computes the latest window beside it
    todo = plan(YEARS, POOLED, CACHED, D(2019, 3, 1))
    assert todo.years == [2018] and todo.pooled == [(2016, 2018)]


def test_a_changed_calendar_month_reaches_two_financial_years_and_its_windows() -> None:
    # June 2018: 2018/19 holds it; 2017/18 ended on 31 March, 91 days before 30 June, so
    # reablement's day 91 reaches it; every window holding 2018
    todo = plan(YEARS, POOLED, CACHED, D(2018, 6, 1))
    assert todo.years == [2017, 2018] and todo.pooled == [(2016, 2018)]
    # August 2018: more than 91 days after 31 March 2018, so 2017/18 stands
    assert plan(YEARS, POOLED, CACHED, D(2018, 8, 1)).years == [2018]


def test_an_old_change_recomputes_every_period_after_it() -> None:
    # a correction to February 2016: 2015/16 holds it, every later year may depend on it
    # (a first care-home episode, a condition recorded, an open stay); both windows hold 2016
    todo = plan(YEARS, POOLED, CACHED, D(2016, 2, 1))
    assert todo.years == [2015, 2016, 2017, 2018] and todo.pooled == POOLED


def test_no_change_recomputes_nothing_and_a_change_everywhere_everything() -> None:
    assert not plan(YEARS, POOLED, CACHED, None)
    everything = plan(YEARS, POOLED, CACHED, EVERYTHING)
    assert everything.years == YEARS and everything.pooled == POOLED


def test_periods_never_computed_are_computed() -> None:
    # last run's state holds up to 2017/18 and 2015-17; the data now hold 2018/19 too
    before = set(inc.period_ends(YEARS[:-1], POOLED[:1]))
    todo = plan(YEARS, POOLED, before, None)
    assert todo.years == [2018] and todo.pooled == [(2016, 2018)]


def test_a_window_is_recomputed_when_a_calendar_year_in_it_was_not_kept() -> None:
    kept = CACHED - {"2018"}
    todo = plan(YEARS, POOLED, kept, None)
    assert todo.pooled == [(2016, 2018)] and todo.years == [2018]


def test_the_follow_up_covers_every_pipeline_that_looks_past_its_period() -> None:
    from placehealth.engine.indicators import readmissions, social_care

    reach = dt.timedelta(days=social_care.FOLLOW_UP_DAYS)
    # a discharge on 31 December is followed up to day 91 (31 March or 1 April)
    assert inc.FOLLOW_UP["financial"] >= reach
    assert inc.FOLLOW_UP["financial"] >= dt.timedelta(days=readmissions.WITHIN_DAYS)
    assert inc.FOLLOW_UP["financial"] >= dt.timedelta(days=social_care.REABLEMENT_WITHIN_DAYS)


def fingerprint(path: Path) -> pd.DataFrame:
    backend = DuckDBBackend(path)
    try:
        return inc.data_fingerprints(backend)
    finally:
        backend.close()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_warehouse(tmp_path / "tiny.duckdb")


def change(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(sql)
    finally:
        con.close()


def test_unchanged_data_and_a_reload_change_no_fingerprint(tiny: Path) -> None:
    before = fingerprint(tiny)
    # a reload stamps rows with another load id: not a change of the data
    change(tiny, "alter table ae_attendance add column load_id bigint default 7")
    assert changed_since(before, fingerprint(tiny)) is None


def test_a_new_event_changes_its_month(tiny: Path) -> None:
    before = fingerprint(tiny)
    change(tiny, "insert into ae_attendance values ('p5', DATE '2018-03-09', 'RQ6', 'left')")
    assert changed_since(before, fingerprint(tiny)) == D(2018, 3, 1)


def test_a_filled_discharge_changes_the_month_of_admission(tiny: Path) -> None:
    change(tiny, "update apc_spell set discharge_date = null where person_key = 'p6'")
    before = fingerprint(tiny)
    change(tiny, "update apc_spell set discharge_date = DATE '2017-04-02' where person_key = 'p6'")
    assert changed_since(before, fingerprint(tiny)) == D(2017, 3, 1)  # admitted 30 March


def test_a_death_changes_its_own_month_not_the_birth(tiny: Path) -> None:
    before = fingerprint(tiny)
    change(tiny, "update person set death_date = DATE '2018-01-20' where person_key = 'p1'")
    assert changed_since(before, fingerprint(tiny)) == D(2018, 1, 1)


def test_a_move_changes_every_period_since_birth(tiny: Path) -> None:
    before = fingerprint(tiny)
    change(tiny, "update person set lsoa = 'L3' where person_key = 'p2'")  # born June 1980
    assert changed_since(before, fingerprint(tiny)) == D(1980, 6, 1)


def test_geography_undated_rows_and_missing_tables_change_everything(tiny: Path) -> None:
    before = fingerprint(tiny)
    change(tiny, "update geo_lsoa set imd_decile = 2 where lsoa = 'L1'")
    assert changed_since(before, fingerprint(tiny)) is EVERYTHING
    before = fingerprint(tiny)
    change(tiny, "insert into condition values ('p2', 'copd', null)")
    assert changed_since(before, fingerprint(tiny)) is EVERYTHING
    before = fingerprint(tiny)
    change(tiny, "drop table op_appointment")
    assert changed_since(before, fingerprint(tiny)) is EVERYTHING


def test_a_removed_row_changes_its_month_even_when_it_was_a_duplicate(tiny: Path) -> None:
    change(tiny, "insert into death select * from death where person_key = 'p6'")
    before = fingerprint(tiny)
    change(tiny, "delete from death where person_key = 'p6'")
    change(tiny, "insert into death values ('p6', DATE '2017-08-01', 'I21.9', 'care_home')")
    assert changed_since(before, fingerprint(tiny)) == D(2017, 8, 1)


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_place_rows_in_the_same_months(engine: str, tiny: Path) -> None:
    backend = open_engine(engine, tiny)
    try:
        mine = inc.data_fingerprints(backend)
    finally:
        backend.close()
    duck = fingerprint(tiny)
    assert mine[["table", "part", "bucket", "rows"]].equals(
        duck[["table", "part", "bucket", "rows"]]
    )
    # the spell of p6 (admitted 30 March 2017) and his death apart from his birth
    spells = mine[(mine["table"] == "apc_spell") & (mine["bucket"] == 201703)]
    assert spells["rows"].tolist() == [1]
    deaths = mine[(mine["table"] == "person") & (mine["part"] == "death_date")]
    assert deaths["bucket"].tolist() == [201512, 201602, 201708]


def test_the_code_fingerprint_follows_the_files_not_their_caches(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    definitions = tmp_path / "catalogue" / "records.yaml"
    definitions.write_text("min_age: 65\n")
    first = inc.code_fingerprint(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert inc.code_fingerprint(tmp_path) == first
    definitions.write_text("min_age: 75\n")
    assert inc.code_fingerprint(tmp_path) != first


KEY = Key("duckdb", "Tinytown", "code-1")


def saved(folder: Path) -> State:
    notes = pd.Series([None], dtype=object)  # None stays None, NaN stays NaN
    values = pd.DataFrame(
        {c: ["x"] for c in VALUE_COLUMNS} | {"numerator": [3.0], "suppressed": [False]}
    ).assign(value_note=notes, method=[float("nan")], **{inc.TIE: [0]})
    prints = pd.DataFrame([["death", "rows", 201801, 2, "123"]],
                          columns=["table", "part", "bucket", "rows", "hash"])  # fmt: skip
    state = State(KEY, prints, ["2017/18"], values)
    write_state(folder, state)
    return state


def test_a_saved_state_reads_back_as_written(tmp_path: Path) -> None:
    state = saved(tmp_path / "state")
    read, why = read_state(tmp_path / "state", KEY)
    assert why == "" and read is not None
    pd.testing.assert_frame_equal(read.values, state.values)
    assert read.values["value_note"].iloc[0] is None  # None stays None, NaN stays NaN
    assert read.periods == ["2017/18"]
    pd.testing.assert_frame_equal(read.fingerprints, state.fingerprints)
    mode = (tmp_path / "state").stat().st_mode & 0o777
    assert mode == 0o700  # unpublished small counts: owner only


def test_no_state_says_so(tmp_path: Path) -> None:
    assert read_state(tmp_path / "none", KEY) == (None, "no saved state: every period computed")


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda f: (f / "state.json").write_text("{not json"), "cannot be read"),
        (lambda f: (f / "state.json").write_text('{"format": 99}'), "another format"),
        (lambda f: next(f.glob("values-*.parquet")).write_bytes(b"PAR1 junk"), "damaged"),
        (lambda f: next(f.glob("values-*.parquet")).unlink(), "cannot be read"),
    ],
)
def test_a_spoilt_state_is_not_used(
    tmp_path: Path, spoil: Callable[[Path], object], reason: str
) -> None:
    folder = tmp_path / "state"
    saved(folder)
    spoil(folder)
    state, why = read_state(folder, KEY)
    assert state is None and reason in why and "every period computed" in why


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (Key("spark", "Tinytown", "code-1"), "computed on duckdb"),
        (Key("duckdb", "Otherplace", "code-1"), "is of Tinytown"),
        (Key("duckdb", "Tinytown", "code-2"), "another version of the package"),
    ],
)
def test_a_state_of_another_engine_place_or_code_is_not_used(
    tmp_path: Path, other: Key, reason: str
) -> None:
    saved(tmp_path / "state")
    state, why = read_state(tmp_path / "state", other)
    assert state is None and reason in why


def test_a_state_with_other_columns_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    state = saved(folder)
    write_state(folder, State(KEY, state.fingerprints, state.periods,
                              state.values.drop(columns="method")))  # fmt: skip
    assert "other columns" in read_state(folder, KEY)[1]


def test_the_state_file_names_its_values_and_their_checksum(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    saved(folder)
    text = json.loads((folder / "state.json").read_text())
    assert (folder / text["values"]).exists() and len(text["values_sha256"]) == 64
    assert len(list(folder.glob("values-*.parquet"))) == 1
