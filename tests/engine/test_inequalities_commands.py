"""``placehealth indicators inequalities`` and ``indicators benchmark`` end to end.

The ten-decile warehouse of tests/engine/test_spec_life_expectancy.py (women only; every
death at 90+) and the example Fingertips download (examples/fingertips-download.csv),
whose England rows give England's life expectancy: women, 2015-17, 83.1 years.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placehealth.engine.inequalities import GAP, LIFE_EXPECTANCY, SII
from tests.engine.spec import PLACE, lives, write_tables
from tests.engine.test_spec_life_expectancy import DECILES, OPEN, decile_lives, expected
from tests.test_cli import run_cli

DOWNLOAD = Path(__file__).resolve().parents[2] / "examples" / "fingertips-download.csv"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("inequalities-cli")
    geography = pd.DataFrame({"lsoa": [f"L{d}" for d in DECILES], "neighbourhood": "N1",
                              "imd_decile": list(DECILES), "place": PLACE})  # fmt: skip
    rows = [life for d in DECILES for life in decile_lives(d)]
    warehouse = write_tables(folder / "w.duckdb", {**lives(rows), "geo_lsoa": geography})
    out = folder / "inequalities.csv"
    result = run_cli("indicators", "inequalities", "-w", str(warehouse), "--years",
                     "2014/15-2017/18", "--fingertips", str(DOWNLOAD), "--repetitions", "500",
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gaps to England" in result.stdout
    return pd.read_csv(out, dtype={"area_code": str, "age_band": str})


def test_values_by_decile_and_quintile_are_published(written: pd.DataFrame) -> None:
    le = written[(written["indicator_id"] == LIFE_EXPECTANCY) & (written["measure"] == "value")]
    assert set(le["area_type"]) == {"place", "imd_decile", "imd_quintile"}
    decile_3 = le[(le["area_type"] == "imd_decile") & (le["area_code"] == "3")].iloc[0]
    assert decile_3["value"] == pytest.approx(expected(840, OPEN)[0], rel=1e-9)
    assert decile_3["area_name"] == "IMD decile 3"
    assert not le["suppressed"].astype(bool).any()
    quintile = le[le["area_type"] == "imd_quintile"]
    assert sorted(quintile["area_name"])[0] == "IMD quintile 1 (most deprived)"


def test_the_gap_to_england_is_read_from_the_download(written: pd.DataFrame) -> None:
    gaps = written[written["measure"] == GAP + ": value"]
    row = gaps[(gaps["indicator_id"] == LIFE_EXPECTANCY) & (gaps["sex"] == "F")].iloc[0]
    le = written[(written["indicator_id"] == LIFE_EXPECTANCY) & (written["measure"] == "value")]
    place = le[(le["area_type"] == "place") & (le["sex"] == "F")].iloc[0]
    assert row["comparator_value"] == 83.1  # the download's England, women, 2015 - 17
    assert row["value"] == pytest.approx(83.1 - place["value"], rel=1e-9)


def test_the_place_sii_beside_englands(written: pd.DataFrame) -> None:
    sii = written[(written["indicator_id"] == LIFE_EXPECTANCY) & (written["measure"] == SII)]
    assert len(sii) == 1 and sii["area_code"].iloc[0] == PLACE
    assert "life-expectancy-sii" not in set(written["indicator_id"])  # once, as this measure
    gap = written[written["measure"] == GAP + ": " + SII].iloc[0]
    assert gap["comparator_value"] == 7.4  # ONS: England, women, 2015 to 2017
    assert gap["value"] == pytest.approx(7.4 - sii["value"].iloc[0], rel=1e-9)


def test_benchmark_adds_the_fingertips_columns(tmp_path: Path) -> None:
    periods = ["2015-17", "2016-18", "2017-19"]
    le = pd.DataFrame({"indicator_id": LIFE_EXPECTANCY, "area_type": "place", "area_code": PLACE,
                       "period": periods, "sex": "F", "age_band": "0", "value": 80.0,
                       "lower95_0cl": 79.6, "upper95_0cl": 80.4, "lower99_8cl": 79.4,
                       "upper99_8cl": 80.6, "polarity": "higher_is_better",
                       "method": "Chiang"})  # fmt: skip
    le.loc[2, ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]] = [
        83.0, 82.6, 83.4, 82.4, 83.6]  # fmt: skip
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2019)]
    counts = np.array([100, 120, 140, 160, 180])
    share = pd.DataFrame({"indicator_id": "ltc-prevalence", "area_type": "place",
                          "area_code": PLACE, "period": years, "sex": "persons",
                          "age_band": "all ages", "numerator": counts, "denominator": 1000,
                          "value": counts / 10, "polarity": "lower_is_better",
                          "method": "Wilson"})  # fmt: skip
    values = tmp_path / "values.csv"
    pd.concat([le, share]).to_csv(values, index=False)
    out = tmp_path / "benchmark.csv"
    result = run_cli("indicators", "benchmark", "-a", str(values), "--fingertips", str(DOWNLOAD),
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    got = pd.read_csv(out).set_index(["indicator_id", "period"])
    compared = got["Compared to England value or percentiles"]
    # 79.4-80.6 lies below England's 83.1 at 99.8%; 82.6-83.4 holds England's 83.4
    assert compared[(LIFE_EXPECTANCY, "2015-17")] == "Worse 99.8%"
    assert compared[(LIFE_EXPECTANCY, "2017-19")] == "Similar"
    assert compared[("ltc-prevalence", "2018/19")] == "Not compared"  # no England value
    assert got.loc[(LIFE_EXPECTANCY, "2017-19"), "Recent Trend"] == "Cannot be calculated"
    # 10% rising to 18% of 1,000 (chi-square 33.2) where lower is better
    assert got.loc[("ltc-prevalence", "2018/19"), "Recent Trend"] == "Increasing and getting worse"
    assert (
        got.loc[("ltc-prevalence", "2014/15"), "Recent Trend"]
        != got.loc[("ltc-prevalence", "2014/15"), "Recent Trend"]
    )  # only the latest row carries it (blank)


def test_benchmark_refuses_an_unknown_level(tmp_path: Path) -> None:
    values = tmp_path / "values.csv"
    row = {"indicator_id": ["x"], "area_type": "place", "area_code": "P", "period": "1",
           "sex": "persons", "age_band": "all ages", "value": 1.0}  # fmt: skip
    pd.DataFrame(row).to_csv(values)
    result = run_cli("indicators", "benchmark", "-a", str(values), "--fingertips", str(DOWNLOAD),
                     "--level", "90", "-o", str(tmp_path / "b.csv"))  # fmt: skip
    assert result.returncode != 0
    assert "95, 99.8 or both" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
