"""The charts service and ``placehealth chart`` over an indicator values file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from placehealth.data.synth.geography import neighbourhood_codes
from placehealth.errors import ValidationError
from placehealth.places import load_place
from placehealth.services import charts
from tests.charts.helpers import row
from tests.test_cli import run_cli

INDICATOR = "emergency-admissions"


@pytest.fixture(scope="module")
def values_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default place's 12 neighbourhoods and 10 deciles over three years, as
    ``indicators compute`` writes them (CSV, decile codes as text)."""
    codes = neighbourhood_codes(load_place("liverpool"))
    rows = []
    for year, period in enumerate(["2016/17", "2017/18", "2018/19"]):
        rows.append(row("place", "Liverpool", 100.0 - year, 1.0, 2.0, period=period,
                        area_name="Liverpool", denominator=10_000))  # fmt: skip
        rows += [row("neighbourhood", c, 80.0 + 4 * i, 5.0, 8.0, period=period, denominator=900)
                 for i, c in enumerate(codes)]  # fmt: skip
        rows += [row("imd_decile", str(d), 150.0 - 8 * d, 6.0, 9.0, period=period,
                     denominator=1000) for d in range(1, 11)]  # fmt: skip
    path = tmp_path_factory.mktemp("values") / "indicators.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_every_chart_from_the_file(values_file: Path) -> None:
    frame = charts.read_indicators(values_file)
    compare = charts.compare(frame, INDICATOR)
    assert len(compare["data"]["values"]) == 12
    assert "2018/19" in compare["title"]["text"]  # the latest period by default
    bench = [la for la in compare["layer"] if la.get("data") and la["mark"]["type"] == "rule"]
    assert bench[0]["encoding"]["x"]["datum"] == 98.0  # the place in 2018/19
    trend = charts.trend(frame, INDICATOR)
    assert [r["value"] for r in trend["data"]["values"]] == [100.0, 99.0, 98.0]
    inequality = charts.inequality(frame, INDICATOR, period="2017/18")
    line = next(la for la in inequality["layer"] if la["mark"]["type"] == "line")
    start, end = line["data"]["values"]
    assert end["fitted"] - start["fitted"] == pytest.approx(-80.0)  # 8 a decile, 10 deciles
    area_map = charts.area_map(frame, INDICATOR, place="liverpool")
    assert len(area_map["data"]["values"]) == 298  # every synthetic LSOA drawn
    overview = charts.overview(frame, area=neighbourhood_codes(load_place("liverpool"))[0])
    assert overview["data"]["values"][0]["indicator_id"] == INDICATOR


def test_a_bad_choice_says_what_is_there(values_file: Path) -> None:
    frame = charts.read_indicators(values_file)
    with pytest.raises(ValidationError, match="no values for indicator 'nope'"):
        charts.compare(frame, "nope")
    with pytest.raises(ValidationError, match="area types: imd_decile, neighbourhood, place"):
        charts.compare(frame, INDICATOR, area_type="practice")
    with pytest.raises(ValidationError, match="no map for practices"):
        charts.area_map(frame, INDICATOR, area_type="practice")


def test_the_plan_trajectory_is_the_one_plan_show_computes() -> None:
    from placehealth.catalogue import load_catalogue
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import trajectory_rows

    got = charts.plan_trajectory(Path("plans/ccg-2014"), "emergency-admissions-composite")
    rows = trajectory_rows(load_plans(Path("plans/ccg-2014")), load_catalogue())
    # the ambition with the most points (the BCF one has three: a year and half-years)
    shown = next(r for r in rows if r["ambition"] == "emergency-admissions")
    assert list(got["period"]) == [p["period"] for p in shown["trajectory"]]
    assert list(got["expected"]) == [p["value"] for p in shown["trajectory"]]
    with pytest.raises(ValidationError, match="no ambition on indicator 'ae-attendances'"):
        charts.plan_trajectory(Path("plans/ccg-2014"), "ae-attendances")


def test_a_place_file_names_its_boundary_file(tmp_path: Path) -> None:
    from placehealth.places import PLACES_DIR, read_place

    text = (PLACES_DIR / "liverpool.yaml").read_text()
    text = text.replace("geography:\n", "geography:\n  boundaries: areas.geojson\n", 1)
    (tmp_path / "place.yaml").write_text(text)
    (tmp_path / "areas.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    place = read_place(tmp_path / "place.yaml")
    assert place.geography.boundaries == tmp_path / "areas.geojson"
    with pytest.raises(ValidationError, match=r"areas\.geojson: the FeatureCollection has no"):
        charts.boundaries_of(place)


def test_the_command_writes_png_and_svg(values_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "admissions"
    result = run_cli("chart", "compare", str(values_file), "-i", INDICATOR, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "admissions.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "admissions.svg").read_text().lstrip().startswith("<svg")
    single = tmp_path / "map.svg"
    result = run_cli("chart", "map", str(values_file), "-i", INDICATOR, "--shade",
                     "significance", "-o", str(single))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert single.exists() and not single.with_suffix(".png").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["trend"], "a trend chart needs --indicator"),
        (["pie", "-i", INDICATOR], "unknown chart 'pie'"),
        (["compare", "-i", INDICATOR, "--shade", "dots"], "unknown shading 'dots'"),
        (["compare", "-i", "nope"], "no values for indicator 'nope'"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(
    values_file: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    kind, *rest = args
    result = run_cli("chart", kind, str(values_file), *rest, "-o", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert says in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_bad_files_and_choices_are_named(values_file: Path, tmp_path: Path) -> None:
    frame = charts.read_indicators(values_file)
    not_values = tmp_path / "actuals.csv"
    pd.DataFrame({"indicator": ["x"], "value": [1]}).to_csv(not_values, index=False)
    with pytest.raises(ValidationError, match="not an indicator values file: no column"):
        charts.read_indicators(not_values)
    with pytest.raises(ValidationError, match="no indicator values for area 'E92000001'"):
        charts.compare(frame, INDICATOR, benchmark="E92000001")
    with pytest.raises(ValidationError, match="no 'place' rows to compare with"):
        charts.compare(frame[frame["area_type"] != "place"], INDICATOR)
    hidden = frame.assign(value=frame["value"].where(frame["area_type"] != "place"))
    with pytest.raises(ValidationError, match="no value for the benchmark 'Liverpool' in 2018/19"):
        charts.compare(hidden, INDICATOR)
    with pytest.raises(ValidationError, match=r"unsupported chart type '\.pdf'"):
        charts.write_chart({}, tmp_path / "chart.pdf")


def test_a_real_place_without_boundaries_is_told_to_name_them() -> None:
    place = load_place("liverpool")
    real = place.model_copy(
        update={"geography": place.geography.model_copy(update={"synthetic": False})}
    )
    with pytest.raises(ValidationError, match="has no boundary file"):
        charts.boundaries_of(real)
