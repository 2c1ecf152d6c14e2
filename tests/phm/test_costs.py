"""Cost of hospital use: unit costs as data, priced in the engine, equal to a direct SQL sum."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError as PydanticError

from placehealth.engine.backends import DuckDBBackend
from placehealth.phm.costs import UnitCosts, person_costs, unit_costs
from tests.phm.conftest import collect
from tests.phm.test_features import synthetic_warehouse
from tests.test_cli import run_cli

START, END = dt.date(2017, 4, 1), dt.date(2018, 4, 1)
COSTS = UnitCosts(
    emergency_spell=1000,
    elective_spell=700,
    bed_day=100,
    ae_attendance=10,
    outpatient_first=3,
    outpatient_followup=1,
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_warehouse(tmp_path_factory.getbasetemp() / "phm_model_synth")[0]


def test_the_shipped_unit_costs_say_where_they_come_from() -> None:
    table = unit_costs()
    assert table.currency == "GBP" and "National Schedule" in table.source
    assert table.costs.emergency_spell > table.costs.ae_attendance > 0


def test_a_negative_unit_cost_is_refused() -> None:
    with pytest.raises(PydanticError):
        UnitCosts(**{**COSTS.model_dump(), "bed_day": -1})


def test_each_persons_cost_equals_a_direct_sum(warehouse: Path) -> None:
    backend = DuckDBBackend(warehouse)
    got = collect(person_costs(backend, START, END, COSTS))["cost"]
    backend.close()
    con = duckdb.connect(str(warehouse), read_only=True)
    window = "BETWEEN DATE '2017-04-01' AND DATE '2018-03-31'"
    direct = (
        con.execute(f"""
        SELECT person_key, sum(cost) AS cost FROM (
            SELECT person_key, CASE WHEN admission_method = 'emergency' THEN 1000 ELSE 700 END
                   + 100 * (discharge_date - admit_date) AS cost
            FROM apc_spell WHERE admit_date {window}
            UNION ALL SELECT person_key, 10 FROM ae_attendance WHERE arrival_date {window}
            UNION ALL SELECT person_key, CASE WHEN first_or_followup = 'first' THEN 3 ELSE 1 END
            FROM op_appointment WHERE appt_date {window}
        ) GROUP BY person_key""")
        .df()
        .set_index("person_key")["cost"]
    )
    con.close()
    assert len(got) == len(direct) > 100
    assert got.sort_index().to_numpy() == pytest.approx(direct.sort_index().to_numpy())


def test_concentration_of_cost_on_the_command_line(warehouse: Path) -> None:
    result = run_cli("phm", "concentration", "-w", str(warehouse), "--measure", "cost", "--json")
    assert result.returncode == 0, result.stderr
    assert '"measure": "cost"' in result.stdout
