"""Gap ambitions from the place's and a comparator's series; engine rows matched by sex and age."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.load import Plan
from placehealth.plans.status import plan_status, read_actuals
from tests.conftest import ROOT, seed_lines, seed_quote
from tests.plans.helpers import SeedPlan, plans_from
from tests.test_cli import run_cli

CATALOGUE = load_catalogue()
ONE_LIVERPOOL = SeedPlan("one-liverpool-2019")
PCT = SeedPlan("pct-2010")


def only(plan: Plan, *ids: str) -> list[Plan]:
    chosen = [a for a in plan.ambitions if a.id in ids]
    return [Plan(document=plan.document, ambitions=chosen, files=plan.files)]


def fingertips(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """A Fingertips download of life expectancy at birth (persons) for areas and years."""
    return pd.DataFrame(
        {
            "Indicator ID": 90366,
            "Indicator Name": "Life expectancy at birth",
            "Area Code": [r[0] for r in rows],
            "Area Name": [r[1] for r in rows],
            "Sex": "Persons",
            "Age": "All ages",
            "Time period": [r[2] for r in rows],
            "Value": [r[3] for r in rows],
        }
    )


def test_gap_to_england_from_a_comparator_series_seed_002_line_143(tmp_path: Path) -> None:
    """Seed 002 143: 'the gap with England has widened from 2.9 years in 2010 to 3.2 years in
    2017'; 149-151: halve the projected gap to 1.7 by 2024. The gap is England's life
    expectancy less Liverpool's, year by year, from one Fingertips download."""
    assert seed_quote("3.2 years in 2017", "002", 143)
    path = tmp_path / "fingertips.csv"
    fingertips(
        [("E08000012", "Liverpool", "2017", 78.2), ("E92000001", "England", "2017", 81.4),
         ("E08000012", "Liverpool", "2018", 78.3), ("E92000001", "England", "2018", 81.4)]
    ).to_csv(path, index=False)  # fmt: skip
    frame = read_actuals(path, CATALOGUE)
    result = plan_status(only(ONE_LIVERPOOL.plan, "life-expectancy-gap"), CATALOGUE, frame)
    got = result.iloc[0]
    assert (got["area"], got["latest_period"]) == ("Liverpool", "2018")
    assert got["actual"] == pytest.approx(3.1)  # 81.4 - 78.3
    # the line from 3.2 in 2017 to the target (half the projected 3.5, 1.75) in 2024
    assert got["expected"] == pytest.approx(3.2 + (1.75 - 3.2) / 7, abs=1e-3)
    assert got["comparison"] == "like with like" and got["status"] == "off track"


def test_gap_without_its_comparator_is_not_comparable_and_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "fingertips.csv"
    fingertips([("E08000012", "Liverpool", "2018", 78.3)]).to_csv(path, index=False)
    frame = read_actuals(path, CATALOGUE)
    got = plan_status(only(ONE_LIVERPOOL.plan, "life-expectancy-gap"), CATALOGUE, frame).iloc[0]
    assert got["status"] == "not comparable" and "needs England's" in got["comparison"]
    result = run_cli("plan", "status", str(ROOT / "plans/one-liverpool-2019"), "-a", str(path),
                     "--strict")  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert message.count("error:") == 1 and "ambitions.yaml" in message
    assert "'life-expectancy-gap'" in message and "needs England's" in message


def test_engine_life_expectancy_by_sex_matches_its_ambition_seed_003_line_169(
    tmp_path: Path,
) -> None:
    """Seed 003 169: 'Increased male and female life expectancy', one plan row per sex. The
    engine writes life expectancy by sex F/M with age band '0'; each row finds its own."""
    assert seed_lines("003", 169) == "- Increased male and female life expectancy"
    engine = pd.DataFrame(
        {
            "indicator_id": "life-expectancy-birth",
            "area_type": "place",
            "area_code": "Liverpool",
            "period": ["2015-17", "2015-17", "2016-18", "2016-18"],
            "sex": ["F", "M", "F", "M"],
            "age_band": "0",
            "value": [80.02, 75.50, 79.76, 75.86],
        }
    )
    path = tmp_path / "indicators.csv"
    engine.to_csv(path, index=False)
    frame = read_actuals(path, CATALOGUE)
    plans = only(PCT.plan, "hlo-life-expectancy-male", "hlo-life-expectancy-female")
    by_id = plan_status(plans, CATALOGUE, frame).set_index("ambition")
    assert by_id.loc["hlo-life-expectancy-male", "actual"] == 75.86
    assert by_id.loc["hlo-life-expectancy-female", "actual"] == 79.76
    assert (by_id["latest_period"] == "2016-18").all()
    # the plan prints no numbers: matched, but nothing to compare with, and it says so
    assert (by_id["comparison"] == "the plan gives no dated values to compare with").all()
    # with numbers, the same engine rows are compared like with like
    numbered = plans_from(
        tmp_path,
        """
        ambitions:
          - id: female
            indicator: life-expectancy-birth
            sex: female
            baseline: {period: 2015-17, value: 80.0}
            target: {period: 2023-25, value: 81.6}
            method: {kind: equal_steps}
        """,
    )
    got = plan_status(numbered, CATALOGUE, frame).iloc[0]
    assert (got["latest_period"], got["actual"], got["expected"]) == ("2016-18", 79.76, 80.2)
    assert got["status"] == "off track" and got["comparison"] == "like with like"


def test_rows_for_other_sexes_only_say_so(tmp_path: Path) -> None:
    """The engine's life expectancy is by sex; a persons gap cannot be made from it."""
    engine = pd.DataFrame(
        {"indicator_id": "life-expectancy-birth", "area_code": ["Liverpool", "Liverpool"],
         "period": "2016-18", "sex": ["F", "M"], "age_band": "0", "value": [79.8, 75.9]}
    )  # fmt: skip
    path = tmp_path / "indicators.csv"
    engine.to_csv(path, index=False)
    frame = read_actuals(path, CATALOGUE)
    got = plan_status(only(ONE_LIVERPOOL.plan, "life-expectancy-gap"), CATALOGUE, frame).iloc[0]
    assert got["status"] == "not comparable"
    assert "'life-expectancy-birth' for female and male, not persons" in got["comparison"]
