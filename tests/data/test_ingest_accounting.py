"""Property: for random extracts and random causes of quarantine, every row read is
accounted for, and fixing the causes and running the same folder again loads every row
(issue 10, "Acceptance")."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placehealth.data.ingest import LoadResult, ingest
from placehealth.data.nhs_number import check_digits
from placehealth.data.pseudonymise import PseudoKey
from placehealth.errors import ValidationError
from tests.data.conftest import KEY, geography_csv, write_csv
from tests.data.test_ingest import PERSON

CONTACT = "nhs_number,contact_date,mode"
_STEMS = np.arange(401_023_210, 401_023_260, dtype=np.int64)
_CHECKS = check_digits(_STEMS)
NUMBERS = [str(n * 10 + c) for n, c in zip(_STEMS, _CHECKS, strict=True) if c != 10][:8]

# what can be wrong with a person's row, and with an event's row, before the fix
PERSON_CAUSES = ("none", "unknown lsoa", "left out", "bad sex")
EVENT_CAUSES = ("none", "bad date", "bad mode")

people_strategy = st.lists(st.sampled_from(PERSON_CAUSES), min_size=1, max_size=len(NUMBERS))
events_strategy = st.lists(
    st.tuples(st.integers(0, len(NUMBERS) - 1), st.integers(0, 3), st.sampled_from(EVENT_CAUSES)),
    max_size=10,
)


def person_rows(causes: list[str], fixed: bool) -> list[str]:
    out = []
    for number, cause in zip(NUMBERS, causes, strict=False):
        if cause == "left out" and not fixed:
            continue
        lsoa = "E01SYN999" if cause == "unknown lsoa" and not fixed else "E01SYN001"
        sex = "X" if cause == "bad sex" and not fixed else "F"
        out.append(f"{number},{sex},1950-03,,{lsoa},SYN001")
    return out


def event_rows(persons: int, events: list[tuple[int, int, str]], fixed: bool) -> list[str]:
    out = []
    for who, day, cause in events:
        date = "2015-02-30" if cause == "bad date" and not fixed else f"2015-02-0{day + 1}"
        mode = "pigeon" if cause == "bad mode" and not fixed else "online"
        out.append(f"{NUMBERS[who % persons]},{date},{mode}")
    return out


def count(warehouse: Path, sql: str) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


def accounted(result: LoadResult, warehouse: Path, before: dict[str, int]) -> None:
    """The counts add up, and agree with the quarantine table and the tables' growth."""
    for f in result.files:
        if f.status != "loaded":
            continue
        assert f.rows_read == f.rows_added + f.rows_updated + f.rows_duplicate + f.rows_quarantined
        refused = count(warehouse, f"SELECT count(DISTINCT row) FROM quarantine "
                        f"WHERE load_id = {result.load_id} AND file = '{f.file}'")  # fmt: skip
        assert refused == f.rows_quarantined
        grown = count(warehouse, f"SELECT count(*) FROM {f.table}") - before.get(f.table, 0)
        assert grown == f.rows_added


def sizes(warehouse: Path) -> dict[str, int]:
    if not warehouse.exists():
        return {}
    return {t: count(warehouse, f"SELECT count(*) FROM {t}") for t in ("person", "gp_contact")}


def run(source: Path, warehouse: Path, key: PseudoKey) -> LoadResult | None:
    """One load; a load refused because a file loaded nothing must change nothing."""
    before = sizes(warehouse)
    loads = count(warehouse, "SELECT count(*) FROM load_log") if warehouse.exists() else 0
    try:
        result = ingest(source, warehouse, key)
    except ValidationError as exc:
        assert "every one of its" in str(exc)
        assert sizes(warehouse) == before
        if warehouse.exists():
            assert count(warehouse, "SELECT count(*) FROM load_log") == loads
        return None
    accounted(result, warehouse, before)
    return result


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=people_strategy, events=events_strategy)
def test_every_row_is_accounted_for_and_loads_once_fixed(
    people: list[str], events: list[tuple[int, int, str]]
) -> None:
    key = PseudoKey(KEY.encode())
    with tempfile.TemporaryDirectory() as tmp:
        source, warehouse = Path(tmp) / "in", Path(tmp) / "w.duckdb"
        geography_csv(source)
        write_csv(source, "person", PERSON, *person_rows(people, fixed=False))
        write_csv(source, "gp_contact", CONTACT, *event_rows(len(people), events, fixed=False))
        run(source, warehouse, key)
        # fix every cause (only the files that held a bad row change) and run again
        write_csv(source, "person", PERSON, *person_rows(people, fixed=True))
        write_csv(source, "gp_contact", CONTACT, *event_rows(len(people), events, fixed=True))
        result = run(source, warehouse, key)
        assert result is not None and result.quarantined == 0
        assert count(warehouse, "SELECT count(*) FROM person") == len(people)
        assert count(warehouse, "SELECT count(*) FROM gp_contact") == len(events)
