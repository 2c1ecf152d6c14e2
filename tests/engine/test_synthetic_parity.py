"""The whole indicator pipeline on a small synthetic Liverpool: plausible, and the same on
DuckDB and Spark.

The tiny warehouse checks each number by hand; this one checks that realistic data
(every area type, five financial years, two pooled windows, the synthetic model's
events and deaths) takes no path where the two engines part.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth import measures
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.engine.backends import Backend, DuckDBBackend, SparkBackend
from placehealth.engine.indicators import Context, compute_all
from placehealth.engine.tables import AREA_TYPES
from tests.engine.test_parity import assert_same_values

PERSONS, SEED = 4_000, 7  # enough people of each sex for life expectancy (5,000 pooled)
KEY = PseudoKey(b"test-key-engine-parity-5b1e")
YEARS = list(range(2014, 2019))  # the synthetic data: 2014/15 to 2018/19
POOLED = [(2015, 2017), (2016, 2018)]  # the windows the CLI builds for those years


@pytest.fixture(scope="session")
def synthetic_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic-liverpool")
    write(simulate(PERSONS, seed=SEED), folder / "extract")
    ingest(folder / "extract", folder / "warehouse.duckdb", KEY, synthetic=True)
    return folder / "warehouse.duckdb"


def run_pipeline(backend: Backend) -> pd.DataFrame:
    try:
        return compute_all(Context(backend, years=YEARS, pooled=POOLED))
    finally:
        backend.close()


@pytest.fixture(scope="session")
def duckdb_values(synthetic_warehouse: Path) -> pd.DataFrame:
    return run_pipeline(DuckDBBackend(synthetic_warehouse))


def test_every_indicator_is_at_place_level_for_every_period_it_covers(
    duckdb_values: pd.DataFrame,
) -> None:
    financial = {f"{y}/{(y + 1) % 100:02d}" for y in YEARS}
    pooled = {f"{a}-{b % 100:02d}" for a, b in POOLED}
    calendar = {str(y) for a, b in POOLED for y in range(a, b + 1)}
    winters = {f"{a - 1}-08..{b}-07" for a, b in POOLED}  # winter years, August to July
    place = duckdb_values[duckdb_values["area_type"] == "place"]
    periods = place.groupby("indicator_id")["period"].agg(frozenset)
    assert len(periods) >= 15
    for indicator, covered in periods.items():
        assert covered in (financial, pooled, calendar, winters), (indicator, sorted(covered))
    assert set(duckdb_values["area_type"]) == set(AREA_TYPES)


def test_synthetic_values_are_plausible(duckdb_values: pd.DataFrame) -> None:
    counts = duckdb_values[["numerator", "denominator"]].dropna()
    assert (counts >= 0).all().all()
    values = duckdb_values.dropna(subset=["value"])
    # a slope, and an excess over the other months' average, may be below zero
    signed = ["life-expectancy-sii", "excess-winter-deaths-index"]
    measured = values[~values["indicator_id"].isin(signed)]
    assert (measured["value"] >= 0).all()
    bounded = values.dropna(subset=["lower95_0cl", "upper95_0cl"])
    assert (bounded["lower95_0cl"] <= bounded["value"] + 1e-9).all()
    assert (bounded["value"] <= bounded["upper95_0cl"] + 1e-9).all()
    place = values[values["area_type"] == "place"]

    def at_place(indicator: str, period: str | None = None) -> pd.DataFrame:
        rows = place[place["indicator_id"] == indicator]
        return rows if period is None else rows[rows["period"] == period]

    population = at_place("ltc-prevalence", "2016/17")["denominator"]
    assert len(population) == 1 and population.between(0.8 * PERSONS, 1.2 * PERSONS).all()
    life = at_place("life-expectancy-birth")["value"]
    assert len(life) >= 2 and life.between(60, 95).all(), life
    admissions = at_place("emergency-admissions", "2016/17")["value"]  # England: about 10,000
    assert len(admissions) == 1 and admissions.between(2_000, 30_000).all()


def test_calibration_measures_the_indicators_the_engine_computes_on_the_loaded_warehouse(
    synthetic_warehouse: Path, duckdb_values: pd.DataFrame
) -> None:
    """The synthetic population is calibrated by the engine's own definitions: measured on
    the extract files, each such target equals the engine's indicator on the warehouse
    those files load into (pseudonymised, validated, codes grouped)."""
    place = duckdb_values[duckdb_values["area_type"] == "place"]

    def rows(indicator: str, periods: set[str]) -> pd.DataFrame:
        found = place[(place["indicator_id"] == indicator) & place["period"].isin(periods)]
        assert len(found) == len(periods), (indicator, found)
        return found

    financial = {f"{y}/{(y + 1) % 100:02d}" for y in measures.FY}
    calendar = {str(y) for y in measures.CALENDAR}

    def pooled(indicator: str, multiplier: float) -> float:
        found = rows(indicator, financial)
        return multiplier * found["numerator"].sum() / found["denominator"].sum()

    expected = {
        "reablement": pooled("reablement-91-days", 100),
        "care_home_admissions": pooled("care-home-admissions-65", 100_000),
        "dementia_diagnosis": pooled("dementia-diagnosis", 100),
        "ltc_prevalence": pooled("ltc-prevalence", 100),
        "avoidable_admissions": rows("emergency-admissions-composite", financial)["value"].mean(),
        "infant_deaths": rows("infant-deaths", calendar)["value"].sum() / 3,
        # at 4,000 people only cancer has the 10 deaths a DSR needs (the others are blank)
        "premature_cancer": rows("premature-mortality-cancer", {"2015-17"})["value"].iloc[0],
    }
    con, _ = measures.open_extracts(synthetic_warehouse.parent / "extract")
    measures.restrict(con, None, 1)
    measured = {target: measures.MEASURES[target](con) for target in expected}
    con.close()
    assert measured == pytest.approx(expected, rel=1e-9)
    assert 0 < expected["reablement"] < 100 and expected["premature_cancer"] > 0


@pytest.mark.spark
def test_duckdb_and_spark_agree_on_synthetic_liverpool(
    synthetic_warehouse: Path, duckdb_values: pd.DataFrame
) -> None:
    assert len(duckdb_values) > 1_000
    assert_same_values(duckdb_values, run_pipeline(SparkBackend(synthetic_warehouse)))
