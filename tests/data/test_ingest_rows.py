"""No row is dropped silently: re-runs reconsider held-back rows, counts add up, corrections
replace, a death removes later events, and internal columns cannot collide with a user's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.errors import InputFileError, ValidationError
from tests.data.conftest import geography_csv, write_csv
from tests.data.test_ingest import ALIVE, DEAD, PERSON, SPELL, rows
from tests.test_cli import run_cli

CONTACT = "nhs_number,contact_date,mode"
OTHER = "4505577104"  # a third valid NHS number (Modulus 11)


def people(folder: Path, *extra: str) -> None:
    geography_csv(folder)
    write_csv(folder, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN001,SYN001",
              f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002", *extra)  # fmt: skip


def counted(result: object) -> None:
    """Every file's rows read are exactly added + updated + duplicate + quarantined."""
    for f in result.files:  # type: ignore[attr-defined]
        if f.status == "loaded":
            assert f.rows_read == (f.rows_added + f.rows_updated + f.rows_duplicate
                                   + f.rows_quarantined), f  # fmt: skip


def test_a_rerun_loads_events_held_back_by_a_person_fixed_since(
    tmp_path: Path, key: PseudoKey
) -> None:
    """issue 10, "Why": rows refused because of another file load once that file is fixed."""
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source, f"{OTHER},F,1960-01,,E01SYN999,SYN001")  # an LSOA not in the geography
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-03,telephone",
              f"{OTHER},2015-02-03,online", f"{OTHER},2015-03-03,online")  # fmt: skip
    first = {f.table: f for f in ingest(source, warehouse, key).files}
    assert (first["gp_contact"].rows_added, first["gp_contact"].rows_quarantined) == (1, 2)
    people(source, f"{OTHER},F,1960-01,,E01SYN003,SYN001")  # fixed; gp_contact.csv unchanged
    result = ingest(source, warehouse, key)
    counted(result)
    second = {f.table: f for f in result.files}
    assert second["gp_contact"].status == "loaded"
    assert (second["gp_contact"].rows_added, second["gp_contact"].rows_duplicate) == (2, 1)
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(3,)]
    # nothing is held back any more, so a third run skips the unchanged files
    third = ingest(source, warehouse, key)
    assert {f.status for f in third.files} == {"skipped"}


def test_counts_add_up_in_the_result_and_the_load_log(tmp_path: Path, key: PseudoKey) -> None:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source, f"{OTHER},X,1960-01,,E01SYN001,SYN001")  # sex X: quarantined
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-03,telephone",
              f"{ALIVE},2015-01-03,telephone", f"{ALIVE},2015-13-03,telephone")  # fmt: skip
    result = ingest(source, warehouse, key)
    counted(result)
    logged = rows(warehouse, "SELECT count(*) FROM load_log WHERE rows_read <> rows_added "
                  "+ rows_updated + rows_duplicate + rows_quarantined")  # fmt: skip
    assert logged == [(0,)]
    person = next(f for f in result.files if f.table == "person")
    assert (person.rows_read, person.rows_added, person.rows_quarantined) == (3, 2, 1)


def test_a_file_that_loads_nothing_fails_and_changes_nothing(
    tmp_path: Path, key: PseudoKey
) -> None:
    """issue 10, "Why": a file whose every row is quarantined used to exit 0."""
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    ingest(source, warehouse, key)
    before = rows(warehouse, "SELECT count(*) FROM load_log")
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-33,telephone",
              f"{ALIVE},2015-01-03,carrier-pigeon")  # fmt: skip
    with pytest.raises(ValidationError, match=r"gp_contact\.csv") as caught:
        ingest(source, warehouse, key)
    message = str(caught.value)
    assert "every one of its 2 rows was quarantined" in message
    assert "unchanged" in message
    report = tmp_path / "w-load-2-quarantine.csv"
    assert str(report) in message and len(pd.read_csv(report)) == 2
    assert rows(warehouse, "SELECT count(*) FROM load_log") == before
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(0,)]


def test_a_corrected_spell_replaces_the_old_one(tmp_path: Path, key: PseudoKey) -> None:
    """issue 10, "Why": a discharge date moved a day made a second spell."""
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "apc_spell", SPELL + ",record_id",
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home,S1",
              f"{ALIVE},2015-02-03,2015-02-05,elective,J44.1,RQ6,home,S2")  # fmt: skip
    ingest(source, warehouse, key)
    write_csv(source, "apc_spell", SPELL + ",record_id",
              f"{ALIVE},2015-01-03,2015-01-10,emergency,J44.1,RQ6,home,S1",  # a day later
              f"{ALIVE},2015-02-03,2015-02-05,elective,J44.1,RQ6,home,S2",
              f"{ALIVE},2015-03-03,2015-03-04,elective,J44.1,RQ6,home,S3")  # fmt: skip
    spell = next(f for f in ingest(source, warehouse, key).files if f.table == "apc_spell")
    assert (spell.rows_added, spell.rows_updated, spell.rows_duplicate) == (1, 1, 1)
    stored = rows(warehouse, "SELECT record_id, discharge_date - admit_date, load_id "
                  "FROM apc_spell")  # fmt: skip
    s1, s2, s3 = key.hash_text(["S1", "S2", "S3"])  # ids are kept as their keyed hashes
    assert sorted(stored) == sorted([(s1, 7, 2), (s2, 2, 1), (s3, 1, 2)])


def test_a_record_id_repeated_in_a_file_is_quarantined(tmp_path: Path, key: PseudoKey) -> None:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "gp_contact", CONTACT + ",record_id", f"{ALIVE},2015-01-03,telephone,G1",
              f"{ALIVE},2015-01-04,telephone,G1", f"{ALIVE},2015-01-04,telephone,")  # fmt: skip
    result = ingest(source, warehouse, key)
    gp = next(f for f in result.files if f.table == "gp_contact")
    assert (gp.rows_added, gp.rows_quarantined) == (2, 1)
    assert rows(warehouse, "SELECT record_id FROM gp_contact ORDER BY record_id") == [
        (key.hash_text(["G1"])[0],), (None,)]  # fmt: skip


def test_without_a_record_id_events_are_a_multiset(tmp_path: Path, key: PseudoKey) -> None:
    """The documented limitation: a corrected row without an id is a new row."""
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "apc_spell", SPELL, f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home")
    ingest(source, warehouse, key)
    write_csv(source, "apc_spell", SPELL, f"{ALIVE},2015-01-03,2015-01-10,emergency,J44.1,RQ6,home")
    ingest(source, warehouse, key)
    assert rows(warehouse, "SELECT count(*) FROM apc_spell") == [(2,)]


def test_a_newly_recorded_death_removes_later_events_everywhere(
    tmp_path: Path, key: PseudoKey
) -> None:
    """issue 10, "Why": events after a newly recorded death stayed."""
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-03,telephone",
              f"{ALIVE},2017-01-03,telephone")  # fmt: skip
    write_csv(source, "apc_spell", SPELL,
              f"{ALIVE},2015-12-20,2016-01-20,emergency,J44.1,RQ6,home",  # out after the death
              f"{ALIVE},2014-01-03,2014-01-09,emergency,J44.1,RQ6,home")  # fmt: skip
    write_csv(source, "social_care", "nhs_number,start_date,end_date,service",
              f"{ALIVE},2016-03-01,,home_care")  # fmt: skip
    ingest(source, warehouse, key)
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later, "person", PERSON, f"{ALIVE},F,1950-03,2016-01-10,E01SYN001,SYN001")
    result = ingest(later, warehouse, key)
    assert result.removed == {"gp_contact": 1, "apc_spell": 1, "social_care": 1}
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(1,)]
    assert rows(warehouse, "SELECT count(*) FROM apc_spell") == [(1,)]
    assert rows(warehouse, "SELECT count(*) FROM social_care") == [(0,)]
    logged = rows(warehouse, "SELECT table_name, rows_removed, load_id FROM removal_log "
                  "ORDER BY table_name")  # fmt: skip
    assert logged == [("apc_spell", 1, 2), ("gp_contact", 1, 2), ("social_care", 1, 2)]
    # the death is corrected (she died two years later): the unchanged event files are
    # read again because rows of their tables were removed, and the removed rows come back
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,2018-01-10,E01SYN001,SYN001",
              f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002")  # fmt: skip
    again = ingest(source, warehouse, key)
    counted(again)
    files = {f.table: f for f in again.files}
    assert {t: files[t].rows_added for t in ("gp_contact", "apc_spell", "social_care")} == {
        "gp_contact": 1, "apc_spell": 1, "social_care": 1}  # fmt: skip
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(2,)]
    assert rows(warehouse, "SELECT count(*) FROM apc_spell") == [(2,)]
    assert {f.status for f in ingest(source, warehouse, key).files} == {"skipped"}


def test_a_death_recorded_again_with_events_in_the_same_load(
    tmp_path: Path, key: PseudoKey
) -> None:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2017-01-03,telephone")
    ingest(source, warehouse, key)
    people(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,2016-01-10,E01SYN001,SYN001",
              f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002")  # fmt: skip
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2017-01-03,telephone",
              f"{ALIVE},2017-01-03,telephone")  # fmt: skip
    with pytest.raises(ValidationError, match=r"gp_contact\.csv"):
        ingest(source, warehouse, key)  # both contacts are now after her death
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(1,)]  # rolled back


@pytest.mark.parametrize("internal", ["_row", "load_id", "file_row_number", "r_sex", "_known"])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_user_column_named_like_an_internal_one_is_harmless(
    tmp_path: Path, key: PseudoKey, internal: str, fmt: str
) -> None:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    frame = pd.read_csv(source / "person.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "sex"] = "X"  # so the quarantine must point at row 2
    frame[internal] = ["2", "1"]
    frame.to_csv(source / "person.csv", index=False)
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                       source / "person.parquet")  # fmt: skip
        (source / "person.csv").unlink()
    result = ingest(source, warehouse, key)
    person = next(f for f in result.files if f.table == "person")
    assert (person.rows_added, person.rows_quarantined) == (1, 1)
    assert rows(warehouse, "SELECT DISTINCT load_id FROM person") == [(1,)]
    assert rows(warehouse, "SELECT row, column_name FROM quarantine") == [(2, "sex")]


def test_a_column_named_twice_is_refused(tmp_path: Path, key: PseudoKey) -> None:
    source = tmp_path / "in"
    people(source)
    write_csv(source, "gp_contact", CONTACT + ",MODE", f"{ALIVE},2015-01-03,telephone,online")
    with pytest.raises(InputFileError, match="column 'mode' appears twice"):
        ingest(source, tmp_path / "w.duckdb", key)
    assert not (tmp_path / "w.duckdb").exists()


def test_the_synthetic_extract_reloads_as_duplicates_after_a_fix(
    extract: Path, tmp_path: Path, key: PseudoKey
) -> None:
    """A large re-run: one changed file is read again, unchanged clean files are skipped."""
    warehouse = tmp_path / "w.duckdb"
    ingest(extract, warehouse, key, synthetic=True)
    person = pq.read_table(extract / "person.parquet")
    pq.write_table(person.slice(0, person.num_rows), extract / "person.parquet",
                   compression="gzip")  # the same rows in other bytes  # fmt: skip
    again = {f.table: f for f in ingest(extract, warehouse, key, synthetic=True).files}
    assert again["person"].status == "loaded"
    assert again["person"].rows_duplicate == person.num_rows
    assert {f.status for t, f in again.items() if t != "person"} == {"skipped"}


def test_the_command_shows_the_counts_and_fails_on_a_file_that_loads_nothing(
    tmp_path: Path, key: PseudoKey
) -> None:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source, f"{OTHER},X,1960-01,,E01SYN001,SYN001")
    shown = run_cli("ingest", str(source), "-w", str(warehouse))
    assert shown.returncode == 0, shown.stderr
    total = next(line for line in shown.stdout.splitlines() if "total" in line)
    assert [c.strip() for c in total.split("│")[4:9]] == ["8", "7", "0", "0", "1"]  # 3 + 2 + 3
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-33,telephone")
    failed = run_cli("ingest", str(source), "-w", str(warehouse))
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    line = failed.stderr.strip()
    assert "gp_contact.csv" in line and "rolled back" in line
    assert "w-load-2-quarantine.csv" in line
    assert rows(warehouse, "SELECT max(load_id) FROM load_log") == [(1,)]
