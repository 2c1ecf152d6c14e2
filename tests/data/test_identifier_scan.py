"""NHS numbers outside nhs_number: refused with where and why, never stored, reported or printed."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from placehealth.data.identifiers import REASON, holds_nhs_number_sql, shaped_sql
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.redact import NHS_NUMBER_SHAPE
from tests.data.conftest import geography_csv, write_csv
from tests.data.test_cli_data import one_line_error
from tests.data.test_identifiers import modulus_11
from tests.data.test_ingest import ALIVE, DEAD, PERSON, SPELL, problems, rows
from tests.test_cli import run_cli

OTHER = "9434765870"  # a third valid NHS number (Modulus 11)


def holds_reference(text: str) -> bool:
    """A valid NHS number in ``text``, found the slow way: every run of digit groups, split."""
    if not NHS_NUMBER_SHAPE.search(text):
        return False
    for run in re.findall(r"[0-9]+(?:[ -][0-9]+)*", text):
        groups = re.split(r"[ -]", run)
        candidates = [g for g in groups if len(g) == 10] + [
            "".join(groups[i : i + 3])
            for i in range(len(groups) - 2)
            if [len(g) for g in groups[i : i + 3]] == [3, 3, 4]
        ]
        if any(modulus_11(n) for n in candidates):
            return True
    return False


def test_sql_scans_agree_with_the_python_shapes_on_random_text() -> None:
    rng = np.random.default_rng(17)
    alphabet = np.array(list("0123456789" * 6 + "  --ab,.x"))
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 30))) for _ in range(4_000)]
    texts += [f"Flat {ALIVE[:3]} {ALIVE[3:6]} {ALIVE[6:]}", f"ref {ALIVE}x", f"1{ALIVE}",
              f"{DEAD[:3]}-{DEAD[3:6]}-{DEAD[6:]}", f"9434765918 {OTHER}", "RQ6", ""]  # fmt: skip
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"s": texts, "i": range(len(texts))}))
    sql = f"SELECT {shaped_sql('s')}, {holds_nhs_number_sql('s')} FROM t ORDER BY i"
    shaped, holds = zip(*con.execute(sql).fetchall(), strict=True)
    assert list(shaped) == [bool(NHS_NUMBER_SHAPE.search(s)) for s in texts]
    assert list(holds) == [holds_reference(s) for s in texts]
    assert 20 < sum(holds) < sum(shaped)  # the random texts exercise both answers
    assert holds[-7:] == (True, True, False, True, True, False, False)


def test_an_nhs_number_typed_into_free_text_or_a_code_is_refused_and_not_stored(
    tmp_path: Path, key: PseudoKey
) -> None:
    source = tmp_path / "in"
    geography_csv(source)
    lsoa = (source / "geo_lsoa.csv").read_text().replace(",A,", f",Flat {ALIVE[:3]} "
                                                         f"{ALIVE[3:6]} {ALIVE[6:]},")  # fmt: skip
    (source / "geo_lsoa.csv").write_text(lsoa)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN002,SYN001")
    write_csv(source, "apc_spell", SPELL,
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,{DEAD},home",  # a code
              f"{ALIVE},2015-02-03,2015-02-09,emergency,J44.1,RQ6,home")  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    result = ingest(source, warehouse, key)
    assert problems(result) == {
        ("geo_lsoa.csv", 1, "lsoa_name", REASON),
        ("apc_spell.csv", 1, "provider_code", REASON),
    }
    assert result.problems["value"].isna().all()
    assert rows(warehouse, "SELECT count(*) FROM apc_spell") == [(1,)]
    con = duckdb.connect(str(warehouse), read_only=True)
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
        cells = con.execute(f'SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "{table}"').fetchall()
        text = " ".join(str(v) for row in cells for v in row)
        assert ALIVE not in text.replace(" ", "") and DEAD not in text, table
    con.close()


def test_a_quarantined_value_shaped_like_an_nhs_number_is_never_copied(
    tmp_path: Path, key: PseudoKey
) -> None:
    source = tmp_path / "in"
    geography_csv(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN001,SYN001")
    write_csv(source, "apc_spell", SPELL,
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home 943 476 5918",
              f"{ALIVE},{OTHER[:3]}-{OTHER[3:6]}-{OTHER[6:]},2015-01-09,emergency,J44.1,RQ6,home",
              f"{ALIVE},2015-01-03,2015-01-09,urgent,J44.1,RQ6,home",
              f"{ALIVE},2015-01-04,2015-01-09,emergency,J44.1,RQ6,94 34 76 59 19",
              f"{ALIVE},2015-03-03,2015-03-09,emergency,J44.1,RQ6,home")  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    result = ingest(source, warehouse, key)  # the last row loads, so the load commits
    values = dict(zip(result.problems["row"], result.problems["value"], strict=False))
    assert values[3] == "urgent"  # an ordinary bad value is shown, to help fix it
    assert pd.isna(values[1]) and pd.isna(values[2])
    assert pd.isna(values[4])  # valid once its spaces are dropped, though not shaped 3-3-4
    assert result.report is not None
    report = result.report.read_text()
    stored = rows(warehouse, "SELECT string_agg(coalesce(value, ''), ' ') FROM quarantine")
    for number in ("9434765918", OTHER, ALIVE):
        for text in (report, str(stored[0][0])):
            assert number not in re.sub("[ -]", "", text)


def test_a_headerless_file_is_refused_without_printing_its_first_row(
    tmp_path: Path, key: object
) -> None:
    geography_csv(tmp_path / "in")
    (tmp_path / "in" / "person.csv").write_text(f"{ALIVE},F,1950-03,,E01SYN001,SYN001\n")
    result = run_cli("ingest", str(tmp_path / "in"), "-w", str(tmp_path / "w.duckdb"))
    one_line_error(result, "person.csv", "missing column")
    assert ALIVE not in result.stdout + result.stderr


def test_a_record_id_is_kept_only_as_its_keyed_hash_whatever_it_holds(
    tmp_path: Path, key: PseudoKey
) -> None:
    """Source systems number records with digits, and one numeric id in eleven passes
    Modulus 11: refusing those would lose rows, so every record_id is hashed before
    DuckDB sees it, and none is at rest in the clear."""
    source = tmp_path / "in"
    geography_csv(source)
    write_csv(source, "person", PERSON, f"{ALIVE},F,1950-03,,E01SYN001,SYN001")
    write_csv(source, "apc_spell", f"{SPELL},record_id",
              f"{ALIVE},2015-01-03,2015-01-09,emergency,J44.1,RQ6,home,1234567890",
              f"{ALIVE},2015-02-03,2015-02-09,emergency,J44.1,RQ6,home,{OTHER}")  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    result = ingest(source, warehouse, key)
    assert problems(result) == set()
    stored = {r[0] for r in rows(warehouse, "SELECT record_id FROM apc_spell")}
    assert stored == set(key.hash_text(["1234567890", OTHER]))
    assert OTHER.encode() not in warehouse.read_bytes()
    assert b"1234567890" not in warehouse.read_bytes()
