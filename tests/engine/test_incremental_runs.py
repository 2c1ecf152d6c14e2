"""Incremental runs give exactly a full run's values, whatever changed in the warehouse.

Hypothesis builds random small warehouses (tests/engine/random_warehouse.py); each is
run incrementally with one month of its events held back, then again with the month
back (or with a death added, or with nothing changed), and the second run must equal
a full run on the same data, row for row and value for value. Each example computes
every pipeline three times, so the examples are few (``PLACEHEALTH_INCREMENTAL_EXAMPLES``
sets more).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placehealth.engine import incremental as inc
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.incremental_state import Incremental, compute_incrementally
from placehealth.engine.indicators import Context, compute_all
from tests.engine.random_warehouse import warehouses
from tests.engine.spec import PLACE, write_tables
from tests.engine.tiny import write_warehouse

YEARS = [2015, 2016, 2017]
POOLED = [(2014, 2016), (2015, 2017)]
EVENT_DATES = {
    "apc_spell": "admit_date", "ae_attendance": "arrival_date", "death": "date_of_death",
    "social_care": "start_date", "condition": "recorded_date", "op_appointment": "appt_date",
    "gp_contact": "contact_date", "community_contact": "contact_date",
    "mh_contact": "contact_date",
}  # fmt: skip


def incremental(warehouse: Path, state: Path) -> Incremental:
    backend = DuckDBBackend(warehouse)
    try:
        ctx = Context(backend, years=YEARS, pooled=POOLED, place=PLACE)
        return compute_incrementally(ctx, state, engine="duckdb")
    finally:
        backend.close()


def full(warehouse: Path) -> pd.DataFrame:
    backend = DuckDBBackend(warehouse)
    try:
        return compute_all(Context(backend, years=YEARS, pooled=POOLED, place=PLACE))
    finally:
        backend.close()


def without_month(tables: dict[str, pd.DataFrame], month: dt.date) -> dict[str, pd.DataFrame]:
    """The warehouse before ``month``'s events arrived (people are as they are now)."""
    out = dict(tables)
    for name, column in EVENT_DATES.items():
        frame = tables[name]
        dates = pd.to_datetime(frame[column])
        later = (dates.dt.year == month.year) & (dates.dt.month == month.month)
        out[name] = frame[~later.to_numpy()]
    return out


def with_death(tables: dict[str, pd.DataFrame], key: str, day: dt.date) -> dict[str, pd.DataFrame]:
    """``key`` dies on ``day`` (if not dead already): the person row and a death row."""
    out = dict(tables)
    person = tables["person"].copy()
    alive = (person["person_key"] == key) & person["death_date"].isna()
    person["death_date"] = person["death_date"].astype(object).where(~alive, day)
    out["person"] = person
    if alive.any():
        row = pd.DataFrame([(key, day, "I21.9", "home")], columns=tables["death"].columns)
        out["death"] = pd.concat([tables["death"], row], ignore_index=True)
    return out


_numbers = itertools.count()
months = st.builds(dt.date, st.integers(2014, 2018), st.integers(1, 12), st.just(1))
days = st.dates(dt.date(2014, 1, 1), dt.date(2018, 12, 31))


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("PLACEHEALTH_INCREMENTAL_EXAMPLES", "3")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(
    tables=warehouses(max_people=25),
    change=st.sampled_from(["month", "death", "nothing"]),
    month=months,
    day=days,
    who=st.integers(0, 24),
)
def test_an_incremental_run_equals_a_full_run_after_any_change(
    tables: dict[str, pd.DataFrame],
    change: str,
    month: dt.date,
    day: dt.date,
    who: int,
    tmp_path: Path,
) -> None:
    n = next(_numbers)
    if change == "month":
        before, after = without_month(tables, month), tables
    elif change == "death":
        keys = tables["person"]["person_key"].tolist()
        before, after = tables, with_death(tables, keys[who % len(keys)], day)
    else:
        before = after = tables
    state = tmp_path / f"state{n}"
    first = incremental(write_tables(tmp_path / f"before{n}.duckdb", before), state)
    assert first.computed == tuple(inc.period_ends(YEARS, POOLED))  # no state: everything
    path = write_tables(tmp_path / f"after{n}.duckdb", after)
    second = incremental(path, state)
    pd.testing.assert_frame_equal(second.values, full(path))
    if change == "nothing":
        assert second.computed == ()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_warehouse(tmp_path_factory.mktemp("incremental") / "tiny.duckdb")


def run_tiny(warehouse: Path, state: Path) -> Incremental:
    backend = DuckDBBackend(warehouse)
    try:
        ctx = Context(backend, years=YEARS, pooled=POOLED, place="Tinytown")
        return compute_incrementally(ctx, state, engine="duckdb")
    finally:
        backend.close()


def full_tiny(warehouse: Path) -> pd.DataFrame:
    backend = DuckDBBackend(warehouse)
    try:
        return compute_all(Context(backend, years=YEARS, pooled=POOLED, place="Tinytown"))
    finally:
        backend.close()


@pytest.mark.slow
def test_unchanged_data_computes_nothing_and_a_new_definition_everything(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    first = run_tiny(tiny, state)
    pd.testing.assert_frame_equal(first.values, full_tiny(tiny))
    again = run_tiny(tiny, state)
    assert again.computed == () and again.note == ""
    pd.testing.assert_frame_equal(again.values, first.values)
    # the catalogue, a code list or the engine changed: the state's values are not reused
    monkeypatch.setattr(inc, "code_fingerprint", lambda: "a changed definition")
    changed = run_tiny(tiny, state)
    assert changed.computed == tuple(inc.period_ends(YEARS, POOLED))
    assert "another version of the package or its indicator definitions" in changed.note
    pd.testing.assert_frame_equal(changed.values, first.values)


@pytest.mark.slow
def test_a_corrupt_state_gives_a_full_run_not_wrong_numbers(tiny: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    run_tiny(tiny, state)
    # someone else's values under our checksum: the numbers must not be reused
    values = next(state.glob("values-*.parquet"))
    frame = pd.read_parquet(values)
    frame["numerator"] = frame["numerator"] + 1
    frame.to_parquet(values, index=False)
    rerun = run_tiny(tiny, state)
    assert "damaged" in rerun.note and len(rerun.computed) == len(inc.period_ends(YEARS, POOLED))
    pd.testing.assert_frame_equal(rerun.values, full_tiny(tiny))


@pytest.mark.slow
def test_a_new_month_recomputes_only_the_periods_it_reaches(tmp_path: Path) -> None:
    warehouse = write_warehouse(tmp_path / "tiny.duckdb")
    state = tmp_path / "state"
    run_tiny(warehouse, state)
    con = duckdb.connect(str(warehouse))
    try:  # a December 2017 emergency admission of p2, home the same day
        con.execute("insert into apc_spell values ('p2', DATE '2017-12-05', DATE '2017-12-05', "
                    "'emergency', 'J44.1', 'RQ6', 'home')")  # fmt: skip
    finally:
        con.close()
    rerun = run_tiny(warehouse, state)
    # 2017/18 holds December 2017; 2015-17 holds 2017; 2016/17 ended 31 March 2017, more
    # than 91 days before; 2014-16 and the years before are untouched. The window's winter
    # years (to July 2017) are not reached, but are computed with the window they belong to
    assert rerun.computed == ("2017/18", "2015-17", "2014-08..2017-07", "2015", "2016", "2017")
    pd.testing.assert_frame_equal(rerun.values, full_tiny(warehouse))
