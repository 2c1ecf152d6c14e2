"""Case finding: the right people for a neighbourhood, NHS numbers by matching, suppressed counts.

The cohort of seed 000 (lines 4469–4485): people above a 50% risk of unplanned
admission, reviewed by their neighbourhood's multidisciplinary team.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import narwhals as nw
import numpy as np
import pandas as pd
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.expressions import day_number
from placehealth.errors import ConfigurationError, InputFileError, ValidationError
from placehealth.phm import cohort as cf
from placehealth.phm.risk_model import TERMS, Model, write_model
from placehealth.phm.scoring import score
from placehealth.publish.rules import round_to
from tests.phm.conftest import MakeFrame

KEY_TEXT = "cohort-test-key-7d1e2f90a4b3"
INDEX = dt.date(2018, 4, 1)
INTERCEPT, AGE, EMERGENCY = -7.45, 1.0, 2.0  # risk ≥ 0.5: age ≥ 75, or ≥ 55 with an admission


# the model's own terms for age (linear) and any emergency admission in 12 months
_AGE_TERM = next(t for t in TERMS if t.column == "age" and t.transform == "linear")
_EMERGENCY_TERM = next(
    t for t in TERMS if t.column == "emergency_12m" and t.transform == "at_least" and t.param == 1
)


@dataclass(frozen=True)
class World:
    """A small synthetic population loaded into a warehouse, with a model and a roles file."""

    extract: Path
    warehouse: Path
    key: PseudoKey
    model: Path
    roles: Path
    truth: (
        pd.DataFrame
    )  # person_key, nhs_number, practice_code, neighbourhood, age, emergency, risk


_WORLD: dict[str, World] = {}


def world(factory: pytest.TempPathFactory) -> World:
    """Built once per test process and shared by the cohort and CLI tests."""
    if "w" not in _WORLD:
        _WORLD["w"] = _build(factory.mktemp("cohort"))
    return _WORLD["w"]


def _build(folder: Path) -> World:
    extract = folder / "extract"
    write(simulate(3_000, seed=11), extract)
    key = PseudoKey(KEY_TEXT.encode())
    warehouse = folder / "warehouse.duckdb"
    ingest(extract, warehouse, key, synthetic=True)
    coefficients = {t.name: 0.0 for t in TERMS}
    coefficients[_AGE_TERM.name] = AGE / _AGE_TERM.scale / 10  # AGE per decade
    coefficients[_EMERGENCY_TERM.name] = EMERGENCY
    model = folder / "risk-model.json"
    write_model(Model(coefficients, INTERCEPT, dt.date(2016, 4, 1), dt.date(2017, 4, 1)), model)
    roles = folder / "roles.yaml"
    roles.write_text(
        "users:\n"
        "  alice: {role: neighbourhood_team, neighbourhoods: [NBSYN01]}\n"
        "  bob: {role: analyst}\n"
        "  carol: {role: caldicott_guardian}\n"
    )
    return World(extract, warehouse, key, model, roles, _truth(extract, warehouse, key))


def _truth(extract: Path, warehouse: Path, key: PseudoKey) -> pd.DataFrame:
    """Everyone's risk computed directly: plain SQL on the warehouse, the model's formula in
    numpy, NHS numbers hashed one by one in Python."""
    con = duckdb.connect(str(warehouse), read_only=True)
    day = "DATE '2018-04-01'"
    frame = con.sql(
        f"""
        WITH p AS (
            SELECT * FROM person
            WHERE birth_month < {day} AND (death_date IS NULL OR death_date > {day})),
        em AS (
            SELECT person_key,
                   count(*) FILTER (WHERE admission_method = 'emergency') AS n,
                   sum(coalesce(date_diff('day', admit_date, discharge_date), 0)) AS bed_days
            FROM apc_spell
            WHERE admission_method IN ('emergency', 'elective')
              AND admit_date >= DATE '2017-04-01' AND admit_date < {day}
            GROUP BY person_key)
        SELECT p.person_key, p.practice_code,
               coalesce(gp.neighbourhood, gl.neighbourhood) AS neighbourhood,
               date_diff('month', p.birth_month, {day}) // 12 AS age,
               coalesce(em.n, 0) AS emergency,
               coalesce(em.bed_days, 0) AS bed_days
        FROM p LEFT JOIN geo_practice gp USING (practice_code)
               LEFT JOIN geo_lsoa gl USING (lsoa)
               LEFT JOIN em USING (person_key)
        """
    ).df()
    con.close()
    eta = INTERCEPT + AGE * frame["age"] / 10 + EMERGENCY * (frame["emergency"] > 0)
    frame["risk"] = 1 / (1 + np.exp(-eta))
    raw = pd.read_parquet(extract / "person.parquet", columns=["nhs_number"])
    numbers = raw["nhs_number"].astype(str).str.replace(" ", "").drop_duplicates()
    keys = pd.DataFrame({"nhs_number": numbers, "person_key": key.hmac_hex(numbers)})
    return frame.merge(keys, on="person_key", how="left")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> World:
    return world(tmp_path_factory)


@pytest.fixture(scope="session")
def backend(built: World) -> Any:
    b = DuckDBBackend(built.warehouse)
    yield b
    b.close()


@pytest.fixture(scope="session")
def risk(backend: DuckDBBackend, built: World) -> nw.LazyFrame[Any]:
    from placehealth.phm.risk_model import read_model

    return score(backend, read_model(built.model), INDEX)


# --- integration: a synthetic population -------------------------------------


def test_the_list_is_exactly_the_neighbourhoods_people_above_the_threshold(
    backend: DuckDBBackend, risk: nw.LazyFrame[Any], built: World
) -> None:
    truth = built.truth
    expected = truth[(truth["neighbourhood"] == "NBSYN01") & (truth["risk"] >= 0.5)]
    assert len(expected) >= 5  # the test means something
    listed = cf.cohort(backend, risk, neighbourhood="NBSYN01", threshold=0.5, index_date=INDEX)
    assert list(listed.columns) == cf.COLUMNS
    assert set(listed["person_key"]) == set(expected["person_key"])
    assert listed["risk"].is_monotonic_decreasing
    merged = listed.merge(expected, on="person_key", suffixes=("", "_truth"))
    np.testing.assert_allclose(merged["risk"], merged["risk_truth"], rtol=1e-9)
    assert (merged["emergency_admissions_12m"] == merged["emergency"]).all()
    assert (merged["bed_days_12m"] == merged["bed_days"]).all()
    assert (merged["practice_code"] == merged["practice_code_truth"]).all()


def test_a_lower_threshold_finds_more_and_every_neighbourhood_adds_up(
    backend: DuckDBBackend, risk: nw.LazyFrame[Any], built: World
) -> None:
    truth = built.truth
    above = truth[truth["risk"] >= 0.3]
    total = 0
    for nb in ("NBSYN02", "NBSYN07"):
        listed = cf.cohort(backend, risk, neighbourhood=nb, threshold=0.3, index_date=INDEX)
        expected = above[above["neighbourhood"] == nb]
        assert set(listed["person_key"]) == set(expected["person_key"])
        total += len(listed)
    assert total > 0


def test_list_columns_hold_bands_and_labels(
    backend: DuckDBBackend, risk: nw.LazyFrame[Any]
) -> None:
    listed = cf.cohort(backend, risk, neighbourhood="NBSYN01", threshold=0.5, index_date=INDEX)
    assert set(listed["hfrs_band"]) <= {"low", "intermediate", "high"}
    assert set(listed["efi_band"]) <= {"fit", "mild", "moderate", "severe"}
    assert listed["age_band"].str.fullmatch(r"\d+-\d+|90\+").all()
    assert (listed[["ae_attendances_12m", "bed_days_12m"]] >= 0).all().all()


def test_summary_counts_match_and_never_show_one_to_seven(
    backend: DuckDBBackend, risk: nw.LazyFrame[Any], built: World
) -> None:
    truth = built.truth
    for threshold in (0.2, 0.5, 0.8):
        table = cf.summary(backend, risk, threshold=threshold, index_date=INDEX)
        shown = table["people"].dropna().astype(int)
        assert not shown.between(1, 7).any()
        nb = table[table["level"] == "neighbourhood"].set_index("neighbourhood")["people"]
        counts = truth[truth["risk"] >= threshold].groupby("neighbourhood").size()
        for name, value in nb.dropna().items():  # published rounded to 5
            assert value == round_to(np.array([counts.get(name, 0)]))[0]
            assert value % 5 == 0
        assert table["suppressed"].sum() >= 1  # small practices exist at this size


def test_reidentification_finds_the_right_nhs_numbers(
    backend: DuckDBBackend, risk: nw.LazyFrame[Any], built: World
) -> None:
    listed = cf.cohort(backend, risk, neighbourhood="NBSYN01", threshold=0.5, index_date=INDEX)
    held = built.truth.dropna(subset=["nhs_number"]).sample(frac=0.5, random_state=1)
    hashed = cf.hash_patients(held[["nhs_number"]], built.key)
    named = cf.reidentify(listed, hashed)
    assert list(named.columns) == ["nhs_number", *cf.COLUMNS]
    truth = built.truth.set_index("person_key")["nhs_number"]
    found = named.dropna(subset=["nhs_number"])
    assert len(found) >= 1
    assert (found["nhs_number"].to_numpy() == truth[found["person_key"]].to_numpy()).all()
    missing = named[named["nhs_number"].isna()]
    assert not missing["person_key"].isin(held["person_key"]).any()
    assert len(named) == len(listed)


def test_key_must_be_the_warehouses(backend: DuckDBBackend, built: World) -> None:
    cf.key_matches(backend, built.key)
    with pytest.raises(ConfigurationError, match="not the warehouse's"):
        cf.key_matches(backend, PseudoKey(b"another-key-of-enough-length"))


# --- units: hand-made frames --------------------------------------------------


def test_hash_patients_normalises_and_drops_invalid_numbers() -> None:
    key = PseudoKey(b"unit-test-key-0123456789")
    patients = pd.DataFrame({"nhs_number": ["943 476 5919", "9434765870", "1234567890", None]})
    hashed = cf.hash_patients(patients, key)
    assert sorted(hashed["nhs_number"]) == ["9434765870", "9434765919"]
    numbers = ["9434765870", "9434765919"]
    expected = dict(zip(numbers, key.hmac_hex(numbers), strict=True))
    for number, person_key in zip(hashed["nhs_number"], hashed["person_key"], strict=True):
        assert expected[number] == person_key


def test_raw_numbers_are_hashed_in_python_never_given_to_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 10, "Identifiers leaked": DuckDB can spill stale memory to disk, so case
    finding hashes --patients and the synthetic truth in Python, as ingestion does."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from placehealth.phm.risk_validation import truth_keys

    key = PseudoKey(b"unit-test-key-0123456789")
    truth = tmp_path / "emergency_risk.parquet"
    pq.write_table(pa.table({"nhs_number": ["9434765919", "9434765870"],
                             "financial_year": ["2019/20", "2018/19"],
                             "emergency_probability": [0.25, 0.5]}), truth)  # fmt: skip

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a raw NHS number was given to DuckDB")

    monkeypatch.setattr(duckdb, "connect", refused)
    hashed = cf.hash_patients(pd.DataFrame({"nhs_number": ["943-476-5919"]}), key)
    assert hashed["person_key"].tolist() == key.hmac_hex(["9434765919"])
    frame = truth_keys(truth, dt.date(2019, 4, 1), key)
    assert frame["person_key"].tolist() == key.hmac_hex(["9434765919"])
    assert frame["true_probability"].tolist() == [0.25]


def test_hash_patients_needs_the_column() -> None:
    with pytest.raises(InputFileError, match="missing column 'nhs_number'"):
        cf.hash_patients(pd.DataFrame({"nhs": ["9434765919"]}), PseudoKey(b"x" * 16))


def test_reidentify_adds_numbers_only_for_people_on_the_list() -> None:
    listed = pd.DataFrame({"person_key": ["a", "b", "c"], "risk": [0.9, 0.8, 0.6]})
    hashed = pd.DataFrame({"nhs_number": ["1", "3", "9"], "person_key": ["a", "c", "z"]})
    named = cf.reidentify(listed, hashed)
    assert named["nhs_number"].tolist()[0] == "1"
    assert pd.isna(named["nhs_number"].tolist()[1])
    assert named["nhs_number"].tolist()[2] == "3"
    assert "z" not in set(named["person_key"])


def _hand_made() -> tuple[DuckDBBackend, nw.LazyFrame[Any]]:
    """Neighbourhood A: practices P1 (20 at risk), P2 (3), P3 (12); B: P4 (5); C: P5 (30)."""
    con = duckdb.connect()
    backend = DuckDBBackend(connection=con)
    at_risk = {"P1": 20, "P2": 3, "P3": 12, "P4": 5, "P5": 30}
    rows = []
    for practice, n in at_risk.items():
        rows += [(f"{practice}-{i}", practice, 0.9) for i in range(n)]
        rows += [(f"{practice}-low{i}", practice, 0.1) for i in range(10)]
    person = pd.DataFrame(rows, columns=["person_key", "practice_code", "risk"])
    person["sex"] = "F"
    person["birth_month"] = dt.date(1940, 1, 1)
    person["death_date"] = pd.NaT
    person["lsoa"] = "L1"
    backend.from_pandas(person.drop(columns="risk"), "person")
    backend.from_pandas(
        pd.DataFrame({"practice_code": list(at_risk), "neighbourhood": ["A", "A", "A", "B", "C"]}),
        "geo_practice",
    )
    backend.from_pandas(pd.DataFrame({"lsoa": ["L1"], "neighbourhood": ["A"]}), "geo_lsoa")
    # the data run from 2014-04-01 to 2019-03-31: the first and last contacts say so
    contacts = pd.DataFrame(
        {
            "person_key": ["P1-0", "P1-1"],
            "contact_date": [dt.date(2014, 4, 1), dt.date(2019, 3, 31)],
        }
    )
    backend.from_pandas(contacts, "gp_contact")
    return backend, backend.from_pandas(person[["person_key", "risk"]], "risk")


def test_summary_hides_small_counts_and_their_partners() -> None:
    backend, risk = _hand_made()
    frame = cf.summary(backend, risk, threshold=0.5, index_date=INDEX)
    cells = zip(frame["level"], frame["neighbourhood"], frame["practice_code"], strict=True)
    table: dict[tuple[str, str, str | None], Any] = dict(zip(cells, frame["people"], strict=True))
    assert table[("neighbourhood", "A", None)] == 35
    assert pd.isna(table[("neighbourhood", "B", None)])  # 5
    assert pd.isna(table[("neighbourhood", "C", None)])  # would give B away with the total
    assert table[("total", "Total", None)] == 70
    assert pd.isna(table[("practice", "A", "P2")])  # 3
    assert pd.isna(table[("practice", "A", "P3")])  # partner of P2 against A's total
    assert table[("practice", "A", "P1")] == 20
    assert pd.isna(table[("practice", "B", "P4")])
    assert pd.isna(table[("practice", "C", "P5")])  # would give C away
    assert not frame["people"].dropna().astype(int).between(1, 7).any()


def test_neighbourhoods_and_bad_inputs() -> None:
    backend, _ = _hand_made()
    assert cf.neighbourhoods(backend) == ["A", "B", "C"]
    with pytest.raises(ValidationError, match=r"unknown neighbourhood 'D' \(valid: A, B, C\)"):
        cf.check_neighbourhood(backend, "D")
    with pytest.raises(ValidationError, match="not a probability"):
        cf.check_threshold(1.2)
    with pytest.raises(ValidationError, match="not a probability"):
        cf.check_threshold(-0.1)
    with pytest.raises(ValidationError, match=r"outside the data \(2014-04-01 to 2019-03-31\)"):
        cf.check_index_date(dt.date(2019, 4, 1), backend)
    with pytest.raises(ValidationError, match="outside the data"):
        cf.check_index_date(dt.date(2014, 3, 31), backend)
    cf.check_index_date(dt.date(2019, 3, 31), backend)  # the last day of the data is inside


def test_day_numbers_give_whole_days_on_every_engine(make_frame: MakeFrame) -> None:
    days = [
        dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(2000, 2, 29), dt.date(2000, 3, 1),
        dt.date(2016, 2, 28), dt.date(2016, 3, 1), dt.date(2018, 12, 31), dt.date(2019, 1, 1),
    ]  # fmt: skip
    frame = nw.from_native(make_frame(pd.DataFrame({"day": pd.to_datetime(days)}))).lazy()
    got = frame.select(day_number("day").alias("n")).collect(backend="pyarrow")
    numbers = got.to_native().column("n").to_pylist()
    assert [b - a for a, b in itertools.pairwise(numbers)] == [
        (b - a).days for a, b in itertools.pairwise(days)
    ]


@pytest.mark.spark
def test_list_and_summary_are_the_same_on_spark(backend: DuckDBBackend, built: World) -> None:
    from placehealth.engine.backends import SparkBackend

    spark = SparkBackend(built.warehouse)
    risk = built.truth[["person_key", "risk"]]
    on = {"duckdb": backend, "spark": spark}
    lists, sums = {}, {}
    for name, engine in on.items():
        frame = engine.from_pandas(risk, "risk_truth")
        lists[name] = cf.cohort(
            engine, frame, neighbourhood="NBSYN03", threshold=0.4, index_date=INDEX
        )
        sums[name] = cf.summary(engine, frame, threshold=0.4, index_date=INDEX)
    assert len(lists["duckdb"]) >= 5
    pd.testing.assert_frame_equal(lists["duckdb"], lists["spark"], check_dtype=False)
    pd.testing.assert_frame_equal(sums["duckdb"], sums["spark"], check_dtype=False)
    cf.key_matches(spark, built.key)
