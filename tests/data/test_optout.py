"""The national data opt-out: a person removed everywhere, audited, and never loaded again."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from placehealth.data import optout as optout_module
from placehealth.data.ingest import ingest
from placehealth.data.optout import opt_out
from placehealth.data.pseudonymise import PseudoKey
from placehealth.errors import InputFileError
from tests.data.conftest import write_csv
from tests.data.test_ingest import ALIVE, DEAD, PERSON, SPELL, rows
from tests.data.test_ingest_rows import CONTACT, people
from tests.test_cli import run_cli

BAD_NHS = "2 line(s) not a valid NHS number (10 digits, Modulus 11): data row(s) 2, 3"
TABLES_WITH_PEOPLE = ("person", "condition", "apc_spell", "ae_attendance", "op_appointment",
                      "gp_contact", "community_contact", "mh_contact", "social_care",
                      "death")  # fmt: skip


def loaded(tmp_path: Path, key: PseudoKey) -> tuple[Path, Path]:
    source, warehouse = tmp_path / "in", tmp_path / "w.duckdb"
    people(source)
    write_csv(source, "gp_contact", CONTACT, f"{ALIVE},2015-01-03,telephone",
              f"{ALIVE},2015-02-03,online", f"{DEAD},2015-01-03,telephone")  # fmt: skip
    write_csv(source, "apc_spell", SPELL, f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home")
    write_csv(source, "condition", "nhs_number,code_system,code,recorded_date",
              f"{ALIVE},snomed,13645005,2010-01-01",
              f"{DEAD},snomed,13645005,2010-01-01")  # fmt: skip
    ingest(source, warehouse, key)
    return source, warehouse


def listing(tmp_path: Path, header: str, *lines: str) -> Path:
    path = tmp_path / "optout.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_person_is_removed_from_every_table_and_the_removal_logged(
    tmp_path: Path, key: PseudoKey
) -> None:
    """issue 10, "Why": there was no way to remove a person (national data opt-out)."""
    _, warehouse = loaded(tmp_path, key)
    result = opt_out(listing(tmp_path, "nhs_number", "943 476 5919"), warehouse, key)
    assert (result.listed, result.newly_listed, result.people_removed) == (1, 1, 1)
    assert {t: n for t, n in result.removed.items() if n} == {
        "person": 1, "gp_contact": 2, "apc_spell": 1, "condition": 1}  # fmt: skip
    assert set(result.removed) == set(TABLES_WITH_PEOPLE)
    hashed = key.hmac_hex([ALIVE])[0]
    for table in TABLES_WITH_PEOPLE:
        assert rows(warehouse, f"SELECT count(*) FROM {table} WHERE person_key = '{hashed}'") == [
            (0,)]  # fmt: skip
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(1,)]  # the other person stays
    assert rows(warehouse, "SELECT person_key FROM opted_out") == [(hashed,)]
    logged = rows(warehouse, "SELECT reason, table_name, rows_removed, load_id, removed_by "
                  "FROM removal_log WHERE rows_removed > 0 ORDER BY table_name")  # fmt: skip
    assert [r[:4] for r in logged] == [("opted out", "apc_spell", 1, None),
                                      ("opted out", "condition", 1, None),
                                      ("opted out", "gp_contact", 2, None),
                                      ("opted out", "person", 1, None)]  # fmt: skip
    assert all(r[4] for r in logged)  # who ran it
    data = warehouse.read_bytes()
    assert ALIVE.encode() not in data and hashed.encode() not in rows_of_log(warehouse)


def rows_of_log(warehouse: Path) -> bytes:
    """The removal log as text: it must hold no identifier."""
    return repr(rows(warehouse, "SELECT * FROM removal_log")).encode()


def test_an_old_extract_cannot_bring_an_opted_out_person_back(
    tmp_path: Path, key: PseudoKey
) -> None:
    _, warehouse = loaded(tmp_path, key)
    opt_out(listing(tmp_path, "nhs_number", ALIVE), warehouse, key)
    old = tmp_path / "old"
    people(old)  # the same people in new bytes (a newer export of the same extract)
    write_csv(old, "person", PERSON, f"{DEAD},M,1940-07-15,2016-05-01,E01SYN002,SYN002",
              f"{ALIVE},F,1950-03,,E01SYN001,SYN001")  # fmt: skip
    write_csv(old, "gp_contact", CONTACT, f"{ALIVE},2015-01-03,telephone")
    result = ingest(old, warehouse, key)  # gp_contact loads nothing, but only for the opt-out
    files = {f.table: f for f in result.files}
    assert (files["person"].rows_quarantined, files["person"].rows_opted_out) == (1, 1)
    assert (files["gp_contact"].rows_quarantined, files["gp_contact"].rows_opted_out) == (1, 1)
    assert rows(warehouse, "SELECT count(*) FROM person") == [(1,)]
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(1,)]
    reasons = set(result.problems["reason"])
    assert "opted out (national data opt-out): not loaded" in reasons


def test_a_list_of_person_keys_works_the_same(tmp_path: Path, key: PseudoKey) -> None:
    _, warehouse = loaded(tmp_path, key)
    keys = key.hmac_hex([ALIVE, DEAD])
    result = opt_out(listing(tmp_path, "person_key", *keys, keys[0].upper()), warehouse, key)
    assert (result.listed, result.people_removed) == (2, 2)
    assert rows(warehouse, "SELECT count(*) FROM gp_contact") == [(0,)]
    again = opt_out(listing(tmp_path, "person_key", keys[0]), warehouse, key)
    assert (again.listed, again.newly_listed, again.people_removed) == (1, 0, 0)


@pytest.mark.parametrize(
    ("header", "lines", "message"),
    [
        ("nhs_number", (ALIVE, "9434765918", "12"), BAD_NHS),
        ("nhs_number", (ALIVE, "000 000 0000"), "1 line(s) a placeholder NHS number"),
        ("person_key", ("abc",), "1 line(s) not a person key"),
        ("nhs", (ALIVE,), "exactly one column"),
        ("nhs_number", (), "the list is empty"),
    ],
)
def test_a_bad_list_changes_nothing_and_echoes_no_number(
    tmp_path: Path, key: PseudoKey, header: str, lines: tuple[str, ...], message: str
) -> None:
    _, warehouse = loaded(tmp_path, key)
    before = rows(warehouse, "SELECT count(*) FROM person")
    with pytest.raises(InputFileError, match=re.escape(message)) as caught:
        opt_out(listing(tmp_path, header, *lines), warehouse, key)
    assert "9434765918" not in str(caught.value)
    assert rows(warehouse, "SELECT count(*) FROM person") == before
    assert rows(warehouse, "SELECT count(*) FROM removal_log") == [(0,)]


def test_no_warehouse_is_refused(tmp_path: Path, key: PseudoKey) -> None:
    with pytest.raises(InputFileError, match="no such warehouse"):
        opt_out(listing(tmp_path, "nhs_number", ALIVE), tmp_path / "none.duckdb", key)
    assert not (tmp_path / "none.duckdb").exists()


def test_the_optout_command(tmp_path: Path, key: PseudoKey) -> None:
    _, warehouse = loaded(tmp_path, key)
    path = listing(tmp_path, "nhs_number", ALIVE)
    done = run_cli("optout", str(path), "-w", str(warehouse), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["listed"], summary["people_removed"]) == (1, 1)
    assert summary["removed"]["gp_contact"] == 2
    assert ALIVE not in done.stdout + done.stderr
    shown = run_cli("optout", str(path), "-w", str(warehouse))
    assert shown.returncode == 0 and "already on the opt-out list" in shown.stdout
    assert "Example" in run_cli("optout", "--help").stdout


def test_a_failure_half_way_removes_nothing(
    tmp_path: Path, key: PseudoKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, warehouse = loaded(tmp_path, key)
    before = {t: rows(warehouse, f"SELECT count(*) FROM {t}") for t in TABLES_WITH_PEOPLE}

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(optout_module, "log_removal", failing)  # after every delete
    with pytest.raises(OSError, match="simulated"):
        opt_out(listing(tmp_path, "nhs_number", ALIVE), warehouse, key)
    assert {t: rows(warehouse, f"SELECT count(*) FROM {t}") for t in TABLES_WITH_PEOPLE} == before
    assert rows(warehouse, "SELECT count(*) FROM opted_out") == [(0,)]
