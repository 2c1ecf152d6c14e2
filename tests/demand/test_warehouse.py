"""The warehouse baseline equals a count by hand on the tiny warehouse (tests/engine/tiny.py),
on DuckDB and Spark alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from placehealth.demand.warehouse import baseline_frame
from placehealth.engine.backends import Backend
from tests.engine.conftest import ENGINES, open_engine
from tests.engine.tiny import write_warehouse

D = dt.date
OP_APPOINTMENT = pd.DataFrame(
    [
        ("p2", D(2015, 6, 1), "first", "gp", "RQ6"),
        ("p2", D(2015, 7, 1), "followup", "consultant", "RQ6"),
        ("p2", D(2015, 8, 1), "followup", "consultant", "RQ6"),
        ("p5", D(2016, 5, 1), "first", "gp", "RQ6"),  # 2016/17: not counted
    ],
    columns=["person_key", "appt_date", "first_or_followup", "referral_source", "provider_code"],
)


@pytest.fixture(scope="module", params=ENGINES)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    path = write_warehouse(
        tmp_path_factory.mktemp("demand") / "w.duckdb", op_appointment=OP_APPOINTMENT
    )
    opened = open_engine(request.param, path)
    yield opened
    opened.close()


def test_baseline_counts_equal_a_count_by_hand(backend: Backend) -> None:
    """2015/16: p1 (F, 65) two emergency spells, 6 + 1 bed-days; p3 (F, 70) one, 12 days; p2
    (M, 35) one elective day case, two A&E visits, a first and two follow-ups; p1 one A&E
    visit. At 30 September 2015: p1 F 65-69, p2 M 35-39, p3 F 70-74, p4 M 0-4 (born July
    2015), p5 F 15-19, p6 M 85-89."""
    frame = baseline_frame(backend, 2015)
    assert len(frame) == 5 * 2 * 19  # every pod, sex and band, zeros included
    got = frame[frame.activity > 0].set_index(["pod", "sex", "age_band"])
    assert got["activity"].to_dict() == {
        ("elective", "M", "35-39"): 1, ("non-elective", "F", "65-69"): 2,
        ("non-elective", "F", "70-74"): 1, ("ae", "M", "35-39"): 2, ("ae", "F", "65-69"): 1,
        ("op-first", "M", "35-39"): 1, ("op-follow-up", "M", "35-39"): 2,
    }  # fmt: skip
    assert got["bed_days"].to_dict()[("non-elective", "F", "65-69")] == 7
    assert got["bed_days"].to_dict()[("non-elective", "F", "70-74")] == 12
    people = frame[(frame.pod == "ae") & (frame.population > 0)].set_index(["sex", "age_band"])
    assert people["population"].to_dict() == {
        ("F", "65-69"): 1, ("M", "35-39"): 1, ("F", "70-74"): 1, ("M", "0-4"): 1,
        ("F", "15-19"): 1, ("M", "85-89"): 1,
    }  # fmt: skip


def test_a_year_outside_the_records_is_refused(backend: Backend, tmp_path: Path) -> None:
    from placehealth.errors import ValidationError

    with pytest.raises(ValidationError, match="no activity in 2030/31"):
        baseline_frame(backend, 2030)
