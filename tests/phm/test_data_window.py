"""A warehouse of any years: the data window is read from the warehouse, never assumed.

The synthetic Sefton is moved five years on, so its records run from 1 April 2019 to
31 March 2024; segments, the risk model and case finding then work at a 2023 index
date (issue 14's acceptance test, through the service functions too), and the
commands' defaults (index date, year, risk-model dates, indicator years, the
place-level area) all follow the data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from placehealth import deployment as setup
from placehealth.data.ingest import ingest
from placehealth.data.pseudonymise import PseudoKey
from placehealth.data.synth.model import simulate
from placehealth.data.synth.write import write
from placehealth.engine.backends import DuckDBBackend
from placehealth.errors import ValidationError
from placehealth.phm import audit
from placehealth.phm import cohort as cf
from placehealth.phm.access import ENV_USER
from placehealth.phm.population import DataWindow, data_window
from placehealth.phm.risk_fitting import fit
from placehealth.phm.scoring import score
from placehealth.phm.segments import segments
from placehealth.places import load_place
from placehealth.services import phm as service
from placehealth.services import risk as risk_service
from tests.phm.test_cli_cohort import deploy
from tests.test_cli import run_cli

D = dt.date
KEY_TEXT = "data-window-test-key-71be"
INDEX = D(2023, 4, 1)


def _shift(folder: Path) -> None:
    """Every date of every extract five calendar years on (29 February 2016 → 28 February
    2021), so the financial years stay whole."""
    for path in folder.glob("*.parquet"):
        table = pq.read_table(path)
        for i, field in enumerate(table.schema):
            if not pa.types.is_date32(field.type):
                continue
            values = pd.to_datetime(table.column(i).to_pandas())
            moved = values + pd.DateOffset(years=5)
            array = pa.array(moved.dt.date, type=pa.date32())
            table = table.set_column(i, field, array)
        pq.write_table(table, path)


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("later")
    write(simulate(2_500, seed=8, place=load_place("sefton")), folder / "extract")
    _shift(folder / "extract")
    warehouse = folder / "sefton-2024.duckdb"
    ingest(folder / "extract", warehouse, PseudoKey(KEY_TEXT.encode()), synthetic=True)
    return warehouse


@pytest.fixture
def backend(later: Path):  # type: ignore[no-untyped-def]
    opened = DuckDBBackend(later)
    yield opened
    opened.close()


def test_the_window_is_read_from_the_warehouse(backend: DuckDBBackend) -> None:
    window = data_window(backend)
    assert window == DataWindow(D(2019, 4, 1), D(2024, 3, 31))
    assert window.whole_financial_years == [2019, 2020, 2021, 2022, 2023]
    assert window.latest_full_year() == INDEX


def test_segments_at_a_2023_index_date(backend: DuckDBBackend, later: Path) -> None:
    frame = backend.collect(segments(backend, INDEX))
    con = duckdb.connect(str(later), read_only=True)
    alive = con.execute(
        "SELECT count(*) FROM person WHERE birth_month <= DATE '2023-04-01' "
        "AND (death_date IS NULL OR death_date > DATE '2023-04-01')"
    ).fetchall()[0][0]
    con.close()
    assert len(frame) == alive > 2_000
    assert frame["segment"].notna().all() and (frame["segment"] != "healthy").any()
    with pytest.raises(ValidationError, match=r"outside the data \(2019-04-01 to 2024-03-31\)"):
        segments(backend, D(2018, 4, 1))


def test_risk_and_case_finding_at_a_2023_index_date(backend: DuckDBBackend) -> None:
    model = fit(backend)  # no dates: the latest the data allow
    assert (model.fit_index, model.validate_index) == (D(2022, 4, 1), INDEX)
    assert 0.5 < model.metrics["auc"] <= 1
    risk = score(backend, model, INDEX)
    neighbourhood = cf.neighbourhoods(backend)[0]
    assert neighbourhood.startswith("NBSYNSF")  # Sefton's own synthetic codes
    listed = cf.cohort(backend, risk, neighbourhood=neighbourhood, threshold=0.2, index_date=INDEX)
    assert len(listed) > 0 and (listed["risk"] >= 0.2).all()
    practices = backend.collect(
        backend.table("geo_practice").select("practice_code", "neighbourhood")
    )
    home = dict(zip(practices["practice_code"], practices["neighbourhood"], strict=True))
    assert listed["practice_code"].map(home).dropna().eq(neighbourhood).any()
    counts = cf.summary(backend, risk, threshold=0.2, index_date=INDEX)
    assert set(counts["level"]) == {"neighbourhood", "practice", "total"}
    with pytest.raises(ValidationError, match="outside the data"):
        cf.cohort(
            backend, risk, neighbourhood=neighbourhood, threshold=0.2, index_date=D(2024, 4, 1)
        )


def test_the_commands_default_to_the_data(later: Path, tmp_path: Path) -> None:
    shown = run_cli("phm", "segments", "-w", str(later), "-o", str(tmp_path / "s.csv"), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["index_date"] == "2023-04-01"
    profile = pd.read_csv(tmp_path / "s.csv")
    assert set(profile.loc[profile["area_type"] == "place", "area_code"]) == {"Sefton"}
    lorenz = run_cli("phm", "concentration", "-w", str(later), "--json")
    assert lorenz.returncode == 0, lorenz.stderr
    assert json.loads(lorenz.stdout)["year"] == "2023/24"
    old = run_cli("phm", "concentration", "-w", str(later), "--year", "2017/18")
    assert old.returncode == 2 and "choose one of 2019/20 to 2023/24" in old.stderr
    values = tmp_path / "values.csv"
    computed = run_cli("indicators", "compute", "-w", str(later), "-o", str(values))
    assert computed.returncode == 0, computed.stderr
    frame = pd.read_csv(values)
    place = frame[frame["area_type"] == "place"]
    assert set(place["area_code"]) == {"Sefton"}
    emergency = place[place["indicator_id"] == "emergency-admissions"]
    assert set(emergency["period"]) == {"2019/20", "2020/21", "2021/22", "2022/23", "2023/24"}


def test_years_of_a_window_that_starts_and_ends_mid_year() -> None:
    window = DataWindow(D(2014, 6, 15), D(2019, 2, 10))
    assert window.financial_years == [2015, 2016, 2017, 2018]  # 1 Aprils inside the data
    assert window.whole_financial_years == [2015, 2016, 2017]
    assert window.latest_full_year() == D(2017, 4, 1)
    window.check(D(2014, 6, 15))
    with pytest.raises(ValidationError, match=r"outside the data \(2014-06-15 to 2019-02-10\)"):
        window.check(D(2019, 2, 11))
    with pytest.raises(ValidationError, match="financial year 2014/15 is outside the data"):
        window.check_year(D(2014, 4, 1), "2014/15")
    short = DataWindow(D(2020, 5, 1), D(2020, 12, 31))
    assert short.financial_years == [] and short.latest_full_year() == D(2020, 5, 1)
    with pytest.raises(ValidationError, match="the data hold no 1 April"):
        short.check_year(D(2020, 4, 1), "2020/21")


@pytest.fixture(scope="module")
def later_model(later: Path) -> Path:
    """The risk model fitted by its service on the later warehouse, at the latest dates the
    data allow."""
    fitted = risk_service.fit(later, later.parent / "risk-model.json")
    assert (fitted.model.fit_index, fitted.model.validate_index) == (D(2022, 4, 1), INDEX)
    return fitted.path


def test_the_service_jobs_work_on_a_warehouse_running_to_2024(
    later: Path, later_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14's acceptance: segments, risk and case finding at a 2023 index date, through
    the service functions the commands, the demo and the web application call."""
    segmented = service.segments(later, output=tmp_path / "segments.csv")
    assert segmented.window == DataWindow(D(2019, 4, 1), D(2024, 3, 31))
    assert segmented.profiles.index_date == INDEX and not segmented.short_follow_up
    profile = pd.read_csv(tmp_path / "segments.csv")
    place = profile[(profile["area_type"] == "place") & (profile["segment"] == "all")]
    assert place["area_code"].tolist() == ["Sefton"] and place["people"].iloc[0] > 2_000
    lorenz = service.concentration(later)
    assert (lorenz.start, lorenz.year) == (INDEX, "2023/24")
    shared = service.allocation(later, budget=100_000)
    assert shared.index_date == INDEX and shared.table["allocation"].sum() == 100_000

    # case finding under a development deployment: nobody refused for the years
    neighbourhood = "NBSYNSF01"
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        f"users:\n  ann: {{role: neighbourhood_team, neighbourhoods: [{neighbourhood}]}}\n"
        "  ben: {role: analyst}\n"
    )
    site = deploy(tmp_path / "site", roles)
    monkeypatch.setenv(setup.ENV_DEPLOYMENT, str(site.path))
    monkeypatch.delenv(ENV_USER, raising=False)
    listed = service.case_list(
        later, neighbourhood=neighbourhood, threshold=0.2, model=later_model, user="ann",
        output=tmp_path / "cohort.csv",
    )  # fmt: skip
    assert listed.index_date == INDEX and len(listed.frame) > 0
    assert (listed.frame["risk"] >= 0.2).all()
    # the list's activity is the 12 months before the 2023 index date, counted here directly
    con = duckdb.connect(str(later), read_only=True)
    counted = con.execute(
        "SELECT person_key, count(*) AS n FROM apc_spell WHERE admission_method = 'emergency' "
        "AND admit_date >= DATE '2022-04-01' AND admit_date < DATE '2023-04-01' GROUP BY 1"
    ).df()
    con.close()
    expected = (
        listed.frame[["person_key"]]
        .merge(counted, on="person_key", how="left")["n"]
        .fillna(0)
        .astype(int)
    )
    assert listed.frame["emergency_admissions_12m"].tolist() == expected.tolist()
    assert expected.sum() > 0
    counts = service.at_risk_counts(later, threshold=0.2, model=later_model, user="ben")
    assert counts.index_date == INDEX
    assert set(counts.frame["neighbourhood"].dropna()) >= {neighbourhood, "Total"}
    entries = audit.read(site.log)
    assert [(e["user"], e["outcome"], e["index_date"]) for e in entries] == [
        ("ann", "released", "2023-04-01"),
        ("ben", "released", "2023-04-01"),
    ]
    with pytest.raises(ValidationError, match=r"outside the data \(2019-04-01 to 2024-03-31\)"):
        service.case_list(
            later, neighbourhood=neighbourhood, model=later_model, user="ann",
            index_date=D(2018, 4, 1),
        )  # fmt: skip
