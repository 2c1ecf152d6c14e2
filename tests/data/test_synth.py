"""The synthetic population: reproducible, in the ingestion format, and a model, not noise."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import roc_auc_score

from placehealth.data.nhs_number import is_valid
from placehealth.data.schema import LOADABLE
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write


@pytest.fixture(scope="module")
def sql(small_extract: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in LOADABLE:
        con.execute(f"CREATE VIEW {table.name} AS SELECT * FROM "
                    f"'{small_extract / table.name}.parquet'")  # fmt: skip
    con.execute(
        f"CREATE VIEW truth AS SELECT * FROM '{small_extract}/truth/emergency_risk.parquet'"
    )
    return con


def test_same_seed_same_bytes(tmp_path: Path, small_extract: Path) -> None:
    again = write(simulate(2_000, seed=3), tmp_path / "again")
    first = json.loads((small_extract / "manifest.json").read_text())
    assert again["files"] == first["files"]
    assert (tmp_path / "again" / "manifest.json").read_bytes() == (
        small_extract / "manifest.json"
    ).read_bytes()
    other = write(simulate(2_000, seed=4), tmp_path / "other")
    assert other["files"]["person.parquet"]["sha256"] != first["files"]["person.parquet"]["sha256"]


def test_nhs_numbers_are_valid_test_range_numbers(sql: duckdb.DuckDBPyConnection) -> None:
    numbers = np.array([r[0] for r in sql.execute("SELECT nhs_number FROM person").fetchall()])
    assert np.char.startswith(numbers.astype(str), "999").all()
    assert is_valid(numbers).all()
    assert np.unique(numbers).size == numbers.size


def test_geography_is_synthetic_and_has_the_seed_structure(sql: duckdb.DuckDBPyConnection) -> None:
    """86 practices, 11 PCNs, 12 neighbourhoods (seed 002, 41), every code marked synthetic."""
    row = sql.execute("""SELECT count(DISTINCT practice_code), count(DISTINCT pcn),
        bool_and(practice_code LIKE 'SYN%'), bool_and(pcn LIKE 'USYN%') FROM geo_practice""")
    assert row.fetchall()[0] == (86, 11, True, True)
    row = sql.execute("""SELECT count(*), count(DISTINCT neighbourhood),
        bool_and(lsoa LIKE 'E01SYN%'), bool_and(neighbourhood LIKE 'NBSYN%'),
        min(imd_decile), max(imd_decile) FROM geo_lsoa""")
    assert row.fetchall()[0] == (298, 12, True, True, 1, 10)


def test_five_financial_years_with_births_and_deaths(sql: duckdb.DuckDBPyConnection) -> None:
    first, last = sql.execute("""SELECT min(d), max(d) FROM (
        SELECT arrival_date AS d FROM ae_attendance UNION ALL SELECT admit_date FROM apc_spell
        UNION ALL SELECT contact_date FROM gp_contact UNION ALL SELECT date_of_death FROM death
    )""").fetchall()[0]  # fmt: skip
    assert str(first) >= "2014-04-01" and str(last) <= "2019-03-31"
    births = sql.execute("SELECT count(*) FROM person WHERE birth_month >= DATE '2014-04-01'")
    assert 80 < births.fetchall()[0][0] < 180  # about 12 a year per 1,000 people
    deaths = sql.execute("""SELECT count(*), count(p.death_date),
        bool_and(p.death_date = d.date_of_death)
        FROM death d JOIN person p USING (nhs_number)""").fetchall()[0]
    assert deaths[0] > 50 and deaths[0] == deaths[1] and deaths[2]


def test_people_move_into_care_homes(sql: duckdb.DuckDBPyConnection) -> None:
    homes = sql.execute("""SELECT count(*) FROM social_care
        WHERE service IN ('residential', 'nursing') AND start_date >= DATE '2014-04-01'""")
    assert homes.fetchall()[0][0] > 10


def test_truth_is_the_probability_that_generates_admissions(liverpool: Path) -> None:
    """Within each tenth of true risk, the share admitted matches the mean true probability
    (to four binomial standard errors); the truth separates people well (the best AUC a
    risk model could reach: 0.81 at 500,000 persons)."""
    con = duckdb.connect()
    frame = con.execute(f"""
        WITH adm AS (SELECT DISTINCT nhs_number,
                       year(admit_date - INTERVAL 3 MONTH) AS fy
                     FROM '{liverpool}/apc_spell.parquet' WHERE admission_method = 'emergency')
        SELECT t.emergency_probability AS p, (a.nhs_number IS NOT NULL)::INT AS admitted
        FROM '{liverpool}/truth/emergency_risk.parquet' t
        LEFT JOIN adm a ON a.nhs_number = t.nhs_number
         AND a.fy = CAST(substr(t.financial_year, 1, 4) AS INTEGER)""").df()
    assert abs(frame["p"].mean() / frame["admitted"].mean() - 1) < 0.03
    tenth = np.minimum((frame["p"].rank(pct=True) * 10).astype(int), 9)
    by = frame.groupby(tenth).agg(p=("p", "mean"), admitted=("admitted", "mean"), n=("p", "size"))
    se = np.sqrt(by["p"] * (1 - by["p"]) / by["n"])
    assert (abs(by["admitted"] - by["p"]) < 4 * se).all(), by
    assert roc_auc_score(frame["admitted"], frame["p"]) > 0.7
    assert frame["p"].between(0, 1).all()


def test_extract_columns_follow_the_schema(small_extract: Path) -> None:
    for table in LOADABLE:
        names = pq.read_schema(small_extract / f"{table.name}.parquet").names
        assert names == [c.extract_name for c in table.required_extract_columns]
