"""Gap ambitions from the place's and a comparator's series; engine rows matched by sex and age."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.load import Plan
from placehealth.plans.status import plan_status, read_actuals
from tests.conftest import ROOT, seed_quote
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
    assert got["status"] == "not comparable"
    assert got["comparison"].startswith("comparator England not in actuals")
    assert "'life-expectancy-birth' rows" in got["comparison"]
    result = run_cli("plan", "status", str(ROOT / "plans/one-liverpool-2019"), "-a", str(path),
                     "--strict")  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert message.count("error:") == 1 and "ambitions.yaml" in message
    assert "'life-expectancy-gap'" in message and "comparator England not in actuals" in message


def test_engine_life_expectancy_by_sex_matches_its_ambition_seed_003_line_169(
    tmp_path: Path,
) -> None:
    """Seed 003 169: 'Increased male and female life expectancy', one plan row per sex. The
    engine writes life expectancy by sex F/M with age band '0'; each row finds its own (the
    line's wording: tests/seed_wording.py)."""
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
    assert {(a.sex, a.src.first if a.src else None) for a in plans[0].ambitions} == {
        ("male", 169),
        ("female", 169),
    }
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


# --- comparators named by the ambition: one area, or a peer group's aggregate -----------

CCG = SeedPlan("ccg-2014")
CORE_CITIES = {  # the eight English core cities (catalogue/comparators.yaml), by GSS code
    "E08000025": "Birmingham", "E06000023": "Bristol", "E08000035": "Leeds",
    "E08000012": "Liverpool", "E08000003": "Manchester", "E08000021": "Newcastle upon Tyne",
    "E06000018": "Nottingham", "E08000019": "Sheffield",
}  # fmt: skip


def download(name: str, rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """A Fingertips-style download of one indicator (persons, all ages)."""
    return pd.DataFrame(
        {
            "Indicator ID": 1,
            "Indicator Name": name,
            "Area Code": [r[0] for r in rows],
            "Area Name": [r[1] for r in rows],
            "Sex": "Persons",
            "Age": "All ages",
            "Time period": [r[2] for r in rows],
            "Value": [r[3] for r in rows],
        }
    )


def eq5d_download(tmp_path: Path, values: dict[str, float], period: str = "2015/16") -> Path:
    name = CATALOGUE["eq5d-ltc"].name
    rows = [(code, CORE_CITIES[code], period, value) for code, value in values.items()]
    path = tmp_path / "eq5d.csv"
    download(name, [*rows, ("E92000001", "England", period, 73.0)]).to_csv(path, index=False)
    return path


def test_seed_plans_name_their_comparators_on_the_cited_lines() -> None:
    """Each comparator written into a plan row, and the lines it cites (that the comparator
    is named on them, in the document's words: tests/seed_wording.py)."""
    cases = {
        ("ccg-2014", "eq5d"): ("000", 644, "core-cities", 5),
        ("ccg-2014", "pyll"): ("000", 614, "England", None),
        ("blueprint-2015", "physical-activity-participation"): ("001", 895, "core-cities", 1),
        ("one-liverpool-2019", "life-expectancy-gap"): ("002", 143, "England", None),
        ("pct-2010", "home-births"): ("003", 896, "England", None),
        ("sefton-bcf-2014", "excess-winter-deaths"): ("004", 613, "England", None),
    }  # fmt: skip
    for (document, ambition), (seed, line, comparator, best) in cases.items():
        a = SeedPlan(document).ambition(ambition)
        assert SeedPlan(document).plan.seed == seed
        assert a.comparator is not None and a.comparator.src is not None
        assert a.comparator.src.first <= line <= a.comparator.src.last, (document, ambition)
        assert (a.comparator.area or a.comparator.peers) == comparator
        assert a.comparator.best == best


def test_best_five_core_cities_seed_000_line_644(tmp_path: Path) -> None:
    """Seed 000 643-644: eq5d 'to 71.0 by the end of 2018/19 ... match the average of the 5
    best performing core cities'. The comparator is the mean of the best five of the seven
    other core cities (Liverpool is not its own peer), from the same download."""
    assert seed_quote("5 best performing core cities", "000", 643, 644, flat=True)
    peers = {"E08000025": 70.0, "E06000023": 74.0, "E08000035": 71.0, "E08000003": 60.0,
             "E08000021": 72.0, "E06000018": 50.0, "E08000019": 73.0}  # fmt: skip
    # Liverpool's own 99.0 would be the best of all if it were counted among its peers
    path = eq5d_download(tmp_path, {**peers, "E08000012": 99.0})
    frame = read_actuals(path, CATALOGUE)
    got = plan_status(only(CCG.plan, "eq5d"), CATALOGUE, frame).iloc[0]
    best_five = sorted(peers.values(), reverse=True)[:5]
    assert got["comparator"] == "mean of the best 5 core cities"
    assert got["comparator_value"] == pytest.approx(sum(best_five) / 5)  # 72.0
    # the status is still against the plan's trajectory, the comparator set beside it
    assert (got["area"], got["actual"], got["status"]) == ("Liverpool", 99.0, "on track")


def test_a_peer_group_missing_a_member_says_which(tmp_path: Path) -> None:
    """A mean over whoever is in the file would move with the file: all peers, or none."""
    peers = {code: 70.0 for code in CORE_CITIES if code not in ("E08000012", "E06000023")}
    path = eq5d_download(tmp_path, {**peers, "E08000012": 66.0})
    got = plan_status(only(CCG.plan, "eq5d"), CATALOGUE, read_actuals(path, CATALOGUE)).iloc[0]
    assert got["comparator"] == (
        "mean of the best 5 core cities not in actuals: no period has all 7 peers "
        "(missing: Bristol)"
    )
    assert pd.isna(got["comparator_value"]) and got["actual"] == 66.0


def test_home_births_beside_the_national_average_seed_003_line_896(tmp_path: Path) -> None:
    """Seed 003 896: 'increase the volume of home births to the national average of 3.0%'.
    England's value for the same period is shown beside Liverpool's."""
    assert seed_quote("national average of 3.0%", "003", 896)
    name = CATALOGUE["home-births"].name
    path = tmp_path / "births.csv"
    rows = [("E08000012", "Liverpool", "2010/11", 2.8), ("E92000001", "England", "2010/11", 2.9),
            ("E92000001", "England", "2009/10", 3.0)]  # fmt: skip
    download(name, rows).to_csv(path, index=False)
    frame = read_actuals(path, CATALOGUE)
    result = plan_status(only(SeedPlan("pct-2010").plan, "home-births"), CATALOGUE, frame,
                         all_areas=True)  # fmt: skip
    # England is the comparator, not one more area tracked against Liverpool's trajectory
    assert result["area"].tolist() == ["Liverpool"]
    got = result.iloc[0]
    assert (got["comparator"], got["comparator_value"]) == ("England", 2.9)
    assert (got["latest_period"], got["expected"], got["status"]) == ("2010/11", 3.0, "off track")


NORTH_WEST_GAP = """
ambitions:
  - id: le-gap-north-west
    indicator: life-expectancy-gap-england
    area: Sefton
    comparator: {area: North West}
    baseline: {period: "2017", value: 0.5}
    target: {period: "2019", value: 0.3}
    method: {kind: equal_steps}
"""


def test_gap_against_the_ambitions_own_comparator_north_west_seed_004_line_613(
    tmp_path: Path,
) -> None:
    """Seed 004 613 sets Sefton beside 'the North West' as well as England. A gap ambition
    naming the North West is evaluated from the North West's rows (found by its GSS code
    E12000002 under another spelling), not from the catalogue's default, England."""
    assert seed_quote("North West", "004", 613)
    plans = plans_from(tmp_path, NORTH_WEST_GAP)
    path = tmp_path / "le.csv"
    fingertips(
        [("E08000014", "Sefton", "2018", 79.0), ("E12000002", "North West region", "2018", 79.3),
         ("E92000001", "England", "2018", 81.2)]
    ).to_csv(path, index=False)  # fmt: skip
    got = plan_status(plans, CATALOGUE, read_actuals(path, CATALOGUE)).iloc[0]
    assert got["actual"] == pytest.approx(79.3 - 79.0)
    assert (got["comparator"], got["comparator_value"]) == ("North West", 79.3)
    assert (got["expected"], got["status"]) == (pytest.approx(0.4), "on track")


def test_gap_whose_comparator_is_missing_one_line_under_strict(tmp_path: Path) -> None:
    """Bad input: the North West is not in the download -> 'not comparable' with the reason,
    and under --strict one error line naming the plan file, exit 2."""
    plan_file = tmp_path / "plan"
    plan_file.mkdir()
    plans = plans_from(plan_file, NORTH_WEST_GAP)
    path = tmp_path / "le.csv"
    fingertips([("E08000014", "Sefton", "2018", 79.0), ("E92000001", "England", "2018", 81.2)]
               ).to_csv(path, index=False)  # fmt: skip
    got = plan_status(plans, CATALOGUE, read_actuals(path, CATALOGUE)).iloc[0]
    assert got["status"] == "not comparable"
    assert got["comparison"].startswith("comparator North West not in actuals")
    result = run_cli("plan", "status", str(plan_file), "-a", str(path), "--strict")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert message.count("error:") == 1 and "plan.yaml" in message
    assert "comparator North West not in actuals" in message


def test_unknown_peer_group_is_refused_with_file_and_line(tmp_path: Path) -> None:
    plans_dir = tmp_path / "plan"
    plans_dir.mkdir()
    plans_from(plans_dir, NORTH_WEST_GAP.replace("{area: North West}", "{peers: core-citys}"))
    path = tmp_path / "le.csv"
    fingertips([("E08000014", "Sefton", "2018", 79.0)]).to_csv(path, index=False)
    result = run_cli("plan", "status", str(plans_dir), "-a", str(path))
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and message.count("error:") == 1
    assert "plan.yaml:7" in message and "peer group 'core-citys'" in message
    assert "core-cities" in message  # the hint names the groups there are


@pytest.mark.parametrize(
    "comparator",
    ["{area: England, peers: core-cities}", "{}", "{area: England, best: 5}"],
)
def test_a_comparator_names_one_area_or_one_peer_group(tmp_path: Path, comparator: str) -> None:
    from placehealth.errors import ValidationError

    with pytest.raises(ValidationError, match="comparator"):
        plans_from(tmp_path, NORTH_WEST_GAP.replace("{area: North West}", comparator))
