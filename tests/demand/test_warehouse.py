"""The warehouse baseline equals a count by hand on the tiny warehouse (tests/engine/tiny.py),
on DuckDB and Spark alike."""

from __future__ import annotations

import datetime as dt
import json
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


def test_project_from_the_warehouse_uses_the_baselines_year(tmp_path: Path) -> None:
    """One person of every band and sex (the band's start age at 30 September 2015) beside
    the tiny population: p1's two emergency spells in 2015/16 among the 2 women aged 65-69
    are 1 a head, so 10 such women in 2015 and 20 in 2016 give 10 and 20."""
    from placehealth.engine.backends import DuckDBBackend
    from tests.demand.helpers import projection_frame, write
    from tests.engine.tiny import PERSON
    from tests.test_cli import run_cli

    everyone = pd.DataFrame(
        [(f"e{sex}{age}", sex, D(2015 - age, 9, 1), None, "L1", "P1")
         for sex in ("M", "F") for age in range(0, 95, 5)],
        columns=PERSON.columns,
    )  # fmt: skip
    path = write_warehouse(tmp_path / "w.duckdb", person=pd.concat([PERSON, everyone]),
                           op_appointment=OP_APPOINTMENT)  # fmt: skip
    backend = DuckDBBackend(path)
    frame = baseline_frame(backend, 2015)
    backend.close()
    row = frame[(frame.pod == "non-elective") & (frame.sex == "F") & (frame.age_band == "65-69")]
    assert (row.activity.item(), row.population.item()) == (2, 2)
    pop = projection_frame({2014: {}, 2015: {}, 2016: {"65-69": 2.0}}, sexes=("M", "F"), base=10)
    write(pop, tmp_path / "p.csv")
    result = run_cli("activity", "project", "-w", str(path), "--year", "2015", "--projection",
                     str(tmp_path / "p.csv"), "--json", "--no-resample", "--runs", "5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = pd.DataFrame(json.loads(result.stdout)["projection"])
    ne = shown[(shown.measure == "activity") & (shown.pod == "non-elective")]
    # F 65-69: 1 a head × 10 → 20; F 70-74 (p3 among 2 people): 0.5 × 10 = 5 both years
    assert ne.set_index("year")["p50"].to_dict() == pytest.approx({2015: 15, 2016: 25})


def test_baseline_by_deprivation_equals_a_count_by_hand(tmp_path: Path) -> None:
    """The tiny warehouse's people in L1 and L2 (decile 1) are quintile 1, in L3 (decile 10)
    quintile 5. Added: q (F, 65 in 2015/16) in L3 with an A&E visit, and u (M, 35) in an
    LSOA without a decile (quintile 0) with a first outpatient attendance. 2015/16 by hand:
    quintile 1 holds every count of the first test; quintile 5 one A&E visit among one woman
    aged 65-69 (rate 1); quintile 0 one first attendance among one man aged 35-39."""
    from placehealth.demand.warehouse import baseline_by_deprivation
    from placehealth.engine.backends import DuckDBBackend
    from tests.engine.tiny import AE_ATTENDANCE, PERSON

    extra = pd.DataFrame(
        [("q", "F", D(1950, 3, 1), None, "L3", "P3"), ("u", "M", D(1980, 1, 1), None, "L9", "P1")],
        columns=PERSON.columns,
    )
    ae = pd.concat(
        [AE_ATTENDANCE, pd.DataFrame([("q", D(2015, 10, 1), "REM", "discharged")],
                                     columns=AE_ATTENDANCE.columns)]
    )  # fmt: skip
    op = pd.concat(
        [OP_APPOINTMENT, pd.DataFrame([("u", D(2015, 6, 1), "first", "gp", "RQ6")],
                                      columns=OP_APPOINTMENT.columns)]
    )  # fmt: skip
    path = write_warehouse(tmp_path / "w.duckdb", person=pd.concat([PERSON, extra]),
                           ae_attendance=ae, op_appointment=op)  # fmt: skip
    backend = DuckDBBackend(path)
    frame = baseline_by_deprivation(backend, 2015)
    summed = baseline_frame(backend, 2015)
    backend.close()
    assert sorted(frame["imd_quintile"].unique()) == [0, 1, 2, 3, 4, 5]
    assert len(frame) == 5 * 2 * 19 * 6
    got = frame[frame.activity > 0].set_index(["pod", "sex", "age_band", "imd_quintile"])
    assert got["activity"].to_dict() == {
        ("elective", "M", "35-39", 1): 1, ("non-elective", "F", "65-69", 1): 2,
        ("non-elective", "F", "70-74", 1): 1, ("ae", "M", "35-39", 1): 2,
        ("ae", "F", "65-69", 1): 1, ("ae", "F", "65-69", 5): 1,
        ("op-first", "M", "35-39", 1): 1, ("op-first", "M", "35-39", 0): 1,
        ("op-follow-up", "M", "35-39", 1): 2,
    }  # fmt: skip
    assert got["bed_days"].to_dict()[("non-elective", "F", "65-69", 1)] == 7
    assert got["rate"].to_dict()[("ae", "F", "65-69", 5)] == 1.0
    assert got["rate"].to_dict()[("op-follow-up", "M", "35-39", 1)] == 2.0
    people = frame[(frame.pod == "ae") & (frame.population > 0)]
    assert people.set_index(["sex", "age_band", "imd_quintile"])["population"].to_dict() == {
        ("F", "65-69", 1): 1, ("M", "35-39", 1): 1, ("F", "70-74", 1): 1, ("M", "0-4", 1): 1,
        ("F", "15-19", 5): 1, ("M", "85-89", 5): 1, ("F", "65-69", 5): 1, ("M", "35-39", 0): 1,
    }  # fmt: skip
    assert frame["rate"][frame.population == 0].isna().all()
    # the model's baseline is the quintiles summed
    ae_f = summed[(summed.pod == "ae") & (summed.sex == "F") & (summed.age_band == "65-69")]
    assert (ae_f.activity.item(), ae_f.population.item()) == (2, 2)
