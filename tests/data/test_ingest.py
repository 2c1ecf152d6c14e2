"""Loading extracts: bad rows are quarantined with where and why; loads are idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from placehealth.data.identifiers import REASON as IDENTIFIER_REASON
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from tests.data.conftest import geography_csv, write_csv

PERSON = "nhs_number,sex,birth_month,death_date,lsoa,practice_code"
SPELL = ("nhs_number,admit_date,discharge_date,admission_method,primary_diagnosis,"
         "provider_code,discharge_destination")  # fmt: skip
ALIVE, DEAD = "9434765919", "4010232137"  # valid NHS numbers (Modulus 11)


def rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def people(folder: Path) -> None:
    geography_csv(folder)
    write_csv(folder, "person", PERSON,
              f"{ALIVE},F,1950-03,,E01SYN001,SYN001",
              f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002")  # fmt: skip


def problems(result: object) -> set[tuple[str, int, str, str]]:
    frame = result.problems  # type: ignore[attr-defined]
    return set(zip(frame["file"], frame["row"], frame["column"], frame["reason"], strict=True))


def test_synthetic_extract_loads_clean_and_keys_are_hmacs(
    extract: Path, tmp_path: Path, key: PseudoKey
) -> None:
    warehouse = tmp_path / "w.duckdb"
    result = ingest(extract, warehouse, key, synthetic=True)
    assert result.quarantined == 0 and result.report is None
    for f in result.files:
        assert f.rows_added == pq.read_metadata(extract / f.file).num_rows, f.file
    numbers = pq.read_table(extract / "person.parquet", columns=["nhs_number"]).column(0)
    expected = set(key.hmac_hex(numbers.to_pylist()))
    assert {r[0] for r in rows(warehouse, "SELECT person_key FROM person")} == expected
    assert rows(warehouse, "SELECT count(*) FROM load_log")[0][0] == len(result.files)
    codes = rows(warehouse, "SELECT count(*) FROM condition WHERE condition IS NULL")
    assert codes == [(0,)]


def test_invalid_nhs_number(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN001,SYN001",
              "9434765918,M,1960-01,,E01SYN001,SYN001",  # wrong check digit
              "943476591,M,1960-01,,E01SYN001,SYN001")  # nine digits  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    reason = "not a valid NHS number (10 digits with a Modulus 11 check digit)"
    assert problems(result) == {("person.csv", 2, "nhs_number", reason),
                                ("person.csv", 3, "nhs_number", reason)}  # fmt: skip
    assert result.problems["value"].isna().all()  # NHS numbers are never echoed
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM person") == [(1,)]


def test_bad_date_and_impossible_discharge(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "apc_spell", SPELL,
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home",
              f"{ALIVE},2015-02-30,2015-03-02,emergency,J44.1,RQ6,home",  # no 30 February
              f"{ALIVE},2015-03-05,2015-03-01,emergency,J44.1,RQ6,home",  # out before in
              f"{ALIVE},03/05/2015,2015-03-09,emergency,J44.1,RQ6,home",  # not ISO
              f"{DEAD},2016-06-01,2016-06-03,emergency,I21.9,RQ6,home",  # after death
              f"{ALIVE},1890-01-01,1890-01-03,emergency,J44.1,RQ6,home",  # before birth, too early
              )  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    found = problems(result)
    assert ("apc_spell.csv", 2, "admit_date", "not a date (write YYYY-MM-DD)") in found
    assert ("apc_spell.csv", 3, "discharge_date", "discharge before admission") in found
    assert ("apc_spell.csv", 4, "admit_date", "not a date (write YYYY-MM-DD)") in found
    assert ("apc_spell.csv", 5, "admit_date", "after the person's death") in found
    assert ("apc_spell.csv", 6, "admit_date", "before the person's birth") in found
    assert ("apc_spell.csv", 6, "admit_date",
            "date out of range (1900-01-01 to the day of the load)") in found  # fmt: skip
    spell = next(f for f in result.files if f.table == "apc_spell")
    assert (spell.rows_read, spell.rows_added, spell.rows_quarantined) == (6, 1, 5)


def test_unknown_codes_and_values(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "condition", "nhs_number,code_system,code,recorded_date",
              f"{ALIVE},snomed,13645005,2010-01-01",  # COPD
              f"{ALIVE},snomed,13645004,2010-01-01",  # check digit wrong
              f"{ALIVE},icd10,K35.2,2010-01-01",  # well formed, not a long-term condition
              f"{ALIVE},icd10,J4,2010-01-01",  # not ICD-10
              f"{ALIVE},read,H33..,2010-01-01")  # unknown code system  # fmt: skip
    write_csv(source, "apc_spell", SPELL,
              f"{ALIVE},2015-01-03,2015-01-09,urgent,XYZ,RQ6,home",
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home")  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    found = problems(result)
    assert (
        "condition.csv",
        2,
        "code",
        "not a SNOMED CT concept id (digits, partition or check digit wrong)",
    ) in found
    assert ("condition.csv", 3, "code", "unknown code: not in the condition code list") in found
    assert (
        "condition.csv",
        4,
        "code",
        "not an ICD-10 code ([A-Z][0-9]{2}(\\.?[0-9X][0-9A-Z]?)?)",
    ) in found
    assert ("condition.csv", 5, "code_system", "unknown value (allowed: snomed, icd10)") in found
    assert (
        "apc_spell.csv",
        1,
        "admission_method",
        "unknown value (allowed: elective, emergency)",
    ) in found
    assert ("apc_spell.csv", 1, "primary_diagnosis", "not an ICD-10 code (e.g. J44.1)") in found
    assert rows(tmp_path / "w.duckdb", "SELECT code, condition FROM condition") == [
        ("13645005", "copd")
    ]  # fmt: skip


def test_an_nhs_number_in_the_wrong_column_is_not_copied(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,{DEAD},SYN001",
              f"{DEAD},M,1940-07,,E01SYN001,SYN001")  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    assert problems(result) == {("person.csv", 1, "lsoa", IDENTIFIER_REASON)}
    assert result.problems["value"].isna().all()
    assert rows(tmp_path / "w.duckdb", "SELECT value FROM quarantine") == [(None,)]


def test_orphan_events_and_unknown_geography(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN001,SYN001",
              f"{DEAD},M,1940-07,2016-05-01,E01SYN999,SYN001")  # LSOA not in geo_lsoa  # fmt: skip
    write_csv(source, "ae_attendance", "nhs_number,arrival_date,provider_code,disposal",
              f"{ALIVE},2015-01-03,RQ6,discharged",
              "9434765870,2015-01-03,RQ6,discharged",  # valid number, nobody loaded has it
              f"{DEAD},2015-01-03,RQ6,discharged")  # person refused, so an orphan  # fmt: skip
    result = ingest(source, tmp_path / "w.duckdb", key)
    orphan = "no person with this NHS number (orphan record)"
    assert problems(result) == {
        ("person.csv", 2, "lsoa", "not in geo_lsoa.lsoa"),
        ("ae_attendance.csv", 2, "nhs_number", orphan),
        ("ae_attendance.csv", 3, "nhs_number", orphan),
    }
    assert result.report is not None and result.report.exists()
    report = pd.read_csv(result.report)
    assert list(report.columns) == ["file", "row", "column", "reason", "value"]
    stored = rows(tmp_path / "w.duckdb", "SELECT count(*) FROM quarantine WHERE load_id = 1")
    assert stored == [(3,)]


def test_loading_the_same_extract_twice_adds_nothing(
    extract: Path, tmp_path: Path, key: PseudoKey
) -> None:
    warehouse = tmp_path / "w.duckdb"
    ingest(extract, warehouse, key, synthetic=True)
    tables = [f.table for f in ingest(extract, warehouse, key, synthetic=True).files]
    counts = {t: rows(warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    second = rows(warehouse, "SELECT DISTINCT status FROM load_log WHERE load_id = 2")
    assert second == [("skipped",)]
    # the same rows in other bytes (CSV instead of Parquet) are recognised row by row
    csv = tmp_path / "as_csv"
    csv.mkdir()
    for name in ("person", "gp_contact", "death"):
        pq.read_table(extract / f"{name}.parquet").to_pandas().to_csv(csv / f"{name}.csv",
                                                                      index=False)  # fmt: skip
    third = ingest(csv, warehouse, key, synthetic=True)
    assert all(f.rows_added == 0 and f.rows_updated == 0 for f in third.files)
    assert all(f.rows_duplicate == f.rows_read for f in third.files)
    assert {t: rows(warehouse, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == counts


def test_overlapping_extract_adds_only_new_rows_and_updates_people(
    tmp_path: Path, key: PseudoKey
) -> None:
    source, later = tmp_path / "in", tmp_path / "later"
    people(source)
    write_csv(source, "gp_contact", "nhs_number,contact_date,mode",
              f"{ALIVE},2015-01-03,telephone", f"{ALIVE},2015-01-03,telephone")  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    ingest(source, warehouse, key)
    shutil.copytree(source, later)
    write_csv(later, "person", PERSON, f"{ALIVE},F,1950-03,2018-02-01,E01SYN003,SYN001",
              f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002")  # she moved and died  # fmt: skip
    write_csv(later, "gp_contact", "nhs_number,contact_date,mode",
              f"{ALIVE},2015-01-03,telephone", f"{ALIVE},2015-01-03,telephone",
              f"{ALIVE},2015-01-03,telephone", f"{ALIVE},2016-07-01,online")  # fmt: skip
    result = {f.table: f for f in ingest(later, warehouse, key).files}
    assert (result["person"].rows_added, result["person"].rows_updated) == (0, 1)
    assert result["person"].rows_duplicate == 1
    # two identical contacts were loaded; a third identical one and a new one are added
    assert (result["gp_contact"].rows_added, result["gp_contact"].rows_duplicate) == (2, 2)
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(4,)]
    moved = rows(warehouse, "SELECT lsoa, death_date, load_id FROM person WHERE sex = 'F'")
    assert moved == [("E01SYN003", pd.Timestamp("2018-02-01").date(), 2)]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_extracts_load_the_same(tmp_path: Path, key: PseudoKey, fmt: str) -> None:
    source = tmp_path / "in"
    people(source)
    if fmt == "parquet":
        for path in source.glob("*.csv"):
            pd.read_csv(path, dtype=str).to_parquet(path.with_suffix(".parquet"))
            path.unlink()
    ingest(source, tmp_path / "w.duckdb", key)
    loaded = rows(tmp_path / "w.duckdb",
                  "SELECT sex, birth_month, death_date, lsoa FROM person ORDER BY sex")  # fmt: skip
    assert [(r[0], str(r[1]), str(r[2]), r[3]) for r in loaded] == [
        ("F", "1950-03-01", "None", "E01SYN001"),
        ("M", "1940-07-01", "2016-05-01", "E01SYN002"),
    ]
