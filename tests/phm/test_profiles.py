"""Segment profiles: right counts where shown, never a count of 1-7, nothing recoverable.

Every table of areas × segments is published with its totals (the area's whole
population, the place); the checks rebuild each table from the long output and
ask whether any hidden cell is fixed by what is shown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import ValidationError
from placehealth.phm.profiles import (
    ALL,
    AREA_TYPES,
    COUNTS,
    MEASURES,
    concentration_table,
    multimorbidity,
    person_table,
    profile,
    segment_shares,
    window,
)
from placehealth.phm.segments import SEGMENTS
from placehealth.publish.rules import round_to
from placehealth.publish.suppression import fixed_cells
from tests.phm.test_segments import INDEX, synthetic_warehouse


@pytest.fixture(scope="session")
def people(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    backend = DuckDBBackend(synthetic_warehouse(tmp_path_factory))
    frame = person_table(backend, INDEX, "after")
    backend.close()
    return frame


@pytest.fixture(scope="session")
def published(people: pd.DataFrame) -> pd.DataFrame:
    return profile(people, place="Liverpool")


def _table(frame: pd.DataFrame, area_type: str, count: str) -> pd.DataFrame:
    """Areas × segments with 'all' last, and the place row last: the published table."""
    areas = frame[frame["area_type"] == area_type]
    place = frame[frame["area_type"] == "place"].assign(area_code="~place")
    both = pd.concat([areas, place])
    wide = both.pivot(index="area_code", columns="segment", values=count)
    return wide.reindex(columns=[*SEGMENTS, ALL])


def _assert_safe(frame: pd.DataFrame, area_types: tuple[str, ...] = AREA_TYPES) -> None:
    for count in COUNTS:
        values = pd.to_numeric(frame[count], errors="coerce")
        assert not values.between(1, 7).any(), count
        for area_type in area_types:
            table = _table(frame, area_type, count)
            mask = table.isna().to_numpy()
            assert not fixed_cells(mask).any(), (area_type, count)


def test_person_table_is_everyone_alive_with_their_activity(
    people: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = synthetic_warehouse(tmp_path_factory)
    con = duckdb.connect(str(path), read_only=True)
    emergency, bed_days = con.execute(
        """
        SELECT sum(CASE WHEN admission_method = 'emergency' THEN 1 ELSE 0 END),
               sum(coalesce(date_diff('day', admit_date, discharge_date), 0))
        FROM apc_spell s JOIN person p USING (person_key)
        WHERE admit_date >= DATE '2018-04-01' AND admit_date < DATE '2019-04-01'
          AND p.birth_month <= DATE '2018-04-01'
          AND (p.death_date IS NULL OR p.death_date > DATE '2018-04-01')"""
    ).fetchall()[0]
    deaths = con.execute(
        "SELECT count(*) FROM person WHERE death_date > DATE '2018-04-01' "
        "AND death_date < DATE '2019-04-01' AND birth_month <= DATE '2018-04-01'"
    ).fetchall()[0][0]
    con.close()
    assert people["person_key"].is_unique
    assert people["emergency_admissions"].sum() == emergency
    assert people["bed_days"].sum() == bed_days
    assert people["deaths"].sum() == deaths
    assert people["neighbourhood"].notna().all() and people["pcn"].notna().all()


def test_profile_never_shows_a_count_of_one_to_seven_even_through_totals(
    published: pd.DataFrame,
) -> None:
    _assert_safe(published)
    assert published["suppressed"].any()  # a small population has small cells to hide


def test_visible_counts_are_the_true_counts(people: pd.DataFrame, published: pd.DataFrame) -> None:
    for area_type in AREA_TYPES:
        truth = people.groupby([area_type, "segment"]).agg(
            people=("person_key", "size"), **{m: (m, "sum") for m in MEASURES}
        )
        shown = published[
            (published["area_type"] == area_type) & (published["segment"] != ALL)
        ].set_index(["area_code", "segment"])
        for count in COUNTS:
            joined = shown[count].dropna()
            expected = round_to(truth[count].reindex(joined.index, fill_value=0).to_numpy())
            assert (joined.astype(int).to_numpy() == expected).all(), (area_type, count)


def test_place_row_is_everyone_rounded_to_five(
    people: pd.DataFrame, published: pd.DataFrame
) -> None:
    place = published[published["area_type"] == "place"]
    assert list(place["segment"]) == [*SEGMENTS, ALL]
    assert place["area_code"].eq("Liverpool").all()
    total = place.set_index("segment").loc[ALL, "people"]
    assert total == round_to(np.array([len(people)]))[0]
    for area_type in AREA_TYPES:
        areas = published[(published["area_type"] == area_type) & (published["segment"] == ALL)]
        if areas["people"].notna().all():  # each area rounded by at most 2
            assert abs(areas["people"].sum() - len(people)) <= 2 * len(areas)


def test_rates_and_shares_are_blank_when_a_count_they_use_is_hidden(
    published: pd.DataFrame,
) -> None:
    for measure in MEASURES:
        rate = published[f"{measure}_per_1000"]
        hidden = published[measure].isna() | published["people"].isna()
        assert rate[hidden].isna().all()
    assert published.loc[published["people"].isna(), "share_of_people"].isna().all()
    shown = published.dropna(subset=["bed_days", "people"])
    shown = shown[shown["people"] > 0]
    rate = shown["bed_days"].astype(float) / shown["people"].astype(float) * 1000
    assert np.allclose(shown["bed_days_per_1000"].astype(float), rate)


def test_place_shares_of_people_and_activity(published: pd.DataFrame) -> None:
    shares = segment_shares(published)
    assert list(shares["segment"]) == list(SEGMENTS)
    for count in COUNTS:
        column = shares[f"share_of_{count}"]
        if column.notna().all():  # shares of counts each rounded to 5
            total = float(shares[count].sum())
            assert column.sum() == pytest.approx(1.0, abs=2.5 * (len(SEGMENTS) + 1) / total)
        assert ((column.dropna() >= 0) & (column.dropna() <= 1)).all()


def test_multimorbidity_table_is_suppressed_and_adds_up(people: pd.DataFrame) -> None:
    table = multimorbidity(people).set_index("segment")
    values = table.drop(columns=[ALL]).drop(index=[ALL])
    assert not values.stack().dropna().between(1, 7).any()
    assert not fixed_cells(table.isna().to_numpy()).any()
    assert table.loc[ALL, ALL] == round_to(np.array([len(people)]))[0]
    assert (table.loc["healthy", ["1", "2", "3", "4+"]].fillna(0) == 0).all()


def test_concentration_of_bed_days(people: pd.DataFrame) -> None:
    table = concentration_table(people).set_index(["measure", "base"])
    row = table.loc[("bed_days", "population")]
    tops = [row[c] for c in table.columns if c.startswith("top_")]
    assert tops == sorted(tops)  # a larger top holds more
    assert 0 < row["top_11%"] <= 1
    assert row["people"] == len(people)
    patients = table.loc[("bed_days", "patients")]
    assert patients["people"] == (people["spells"] > 0).sum()  # inpatients, day cases too
    assert patients["top_11%"] <= row["top_11%"]


def test_windows_and_bad_arguments(people: pd.DataFrame) -> None:
    assert window(dt.date(2018, 4, 1), "after") == (dt.date(2018, 4, 1), dt.date(2019, 4, 1))
    assert window(dt.date(2016, 2, 29), "before") == (dt.date(2015, 2, 28), dt.date(2016, 2, 29))
    with pytest.raises(ValidationError, match="period"):
        window(dt.date(2018, 4, 1), "during")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="area type"):
        profile(people, area_types=["ward"])


_AREAS = {"neighbourhood": 3, "pcn": 4, "practice": 6, "imd_decile": 5}


@st.composite
def person_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=120))
    ints = st.integers(min_value=0, max_value=3)
    frame = pd.DataFrame(
        {
            "person_key": [f"k{i}" for i in range(n)],
            "segment": draw(st.lists(st.sampled_from(SEGMENTS), min_size=n, max_size=n)),
            "ltc_band": draw(
                st.lists(st.sampled_from(["0", "1", "2", "3", "4+"]), min_size=n, max_size=n)
            ),
            **{m: draw(st.lists(ints, min_size=n, max_size=n)) for m in MEASURES},
        }
    )
    for area, k in _AREAS.items():
        frame[area] = [f"{area[:2]}{v}" for v in draw(
            st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
        )]  # fmt: skip
    return frame


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person_frames())
def test_any_population_is_published_safely(frame: pd.DataFrame) -> None:
    areas = ("neighbourhood", "practice")  # a partition and a finer one; the rest alike
    published = profile(frame, area_types=areas)
    _assert_safe(published, areas)
    table = multimorbidity(frame).set_index("segment")
    assert not fixed_cells(table.isna().to_numpy()).any()
    assert not table.drop(columns=[ALL]).stack().dropna().between(1, 7).any()


def test_profile_file_round_trip(published: pd.DataFrame, tmp_path: Path) -> None:
    from placehealth.tables import write_table

    path = write_table(published, tmp_path / "profile.csv")
    back = pd.read_csv(path)
    assert len(back) == len(published)
    assert not back[list(COUNTS)].stack().between(1, 7).any()
