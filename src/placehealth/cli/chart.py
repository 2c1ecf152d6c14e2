"""``placehealth chart``: one chart of the indicator values, written as PNG or SVG."""

from __future__ import annotations

from pathlib import Path

import typer

from placehealth.cli.options import console
from placehealth.errors import ValidationError

KINDS = ("overview", "compare", "trend", "inequality", "map")


def chart(
    kind: str = typer.Argument(
        ..., metavar="KIND", help="overview, compare, trend, inequality or map."
    ),
    input_path: Path = typer.Argument(
        ..., metavar="INPUT", help="Indicator values (placehealth indicators compute)."
    ),
    indicator: str = typer.Option(
        None, "--indicator", "-i", help="The indicator id (every kind but overview)."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The chart: .png or .svg (no suffix: both)."
    ),
    area_type: str = typer.Option(
        "neighbourhood",
        "--area-type",
        help="Areas to compare, map or range over: neighbourhood, lsoa, practice, pcn, imd_decile.",
    ),
    area: str = typer.Option(
        None, "--area", help="The area's code (trend: default the place; overview: the first)."
    ),
    time_period: str = typer.Option(
        None, "--time-period", help="The period shown, e.g. 2018/19 (default: the latest)."
    ),
    benchmark: str = typer.Option(
        None, "--benchmark", help="The benchmark area's code (default: the place)."
    ),
    comparator: str = typer.Option(
        None, "--comparator", help="Overview: a comparator area's code, shown as a diamond."
    ),
    plan: Path = typer.Option(
        None, "--plan", "-p", help="Trend: a plan whose ambition on the indicator to overlay."
    ),
    trajectory: Path = typer.Option(
        None, "--trajectory", help="Trend: a trajectory file instead (columns period, expected)."
    ),
    place: str = typer.Option(
        None, "--place", help="Map: the place (id or place file) whose boundaries to draw."
    ),
    boundaries: Path = typer.Option(
        None, "--boundaries", help="Map: a GeoJSON boundary file (default: the place's)."
    ),
    shade: str = typer.Option(
        "value", "--shade", help="Map: shade by value (default) or by significance."
    ),
) -> None:
    """Draw one chart of indicator values: overview, compare, trend, inequality or map.

    overview: the spine chart of every indicator for an area against the benchmark;
    compare: the areas' values with 95% intervals, coloured by significance; trend:
    an area's values over time, with SPC limits where there are 12 points or more and
    the plan's trajectory; inequality: values by deprivation decile with the slope
    and relative indices of inequality; map: the areas shaded on the place's
    boundaries (a synthetic place's are generated). docs/charts.md shows each.

    Example: placehealth chart compare out/demo/indicators.csv -i emergency-admissions
    -o admissions.png

    Example: placehealth chart trend out/demo/indicators.csv -i dementia-diagnosis
    -p plans/ccg-2014 -o dementia-trend.svg

    Example: placehealth chart map out/demo/indicators.csv -i emergency-admissions
    --shade significance -o admissions-map.svg
    """
    from placehealth.services import charts

    if kind not in KINDS:
        raise ValidationError(f"unknown chart '{kind}'", hint=", ".join(KINDS))
    if kind != "overview" and indicator is None:
        raise ValidationError(f"a {kind} chart needs --indicator", column="--indicator")
    if shade not in ("value", "significance"):
        raise ValidationError(f"unknown shading '{shade}'", column="--shade",
                              hint="value or significance")  # fmt: skip
    suffix = output.suffix.lower()
    if suffix not in ("", ".png", ".svg"):
        raise ValidationError(f"unsupported chart type '{suffix}'", column="--output",
                              hint="use .png or .svg")  # fmt: skip
    values = charts.read_indicators(input_path)
    if kind == "overview":
        spec = charts.overview(values, area=area, area_type=area_type, benchmark=benchmark,
                               comparator=comparator)  # fmt: skip
    elif kind == "compare":
        spec = charts.compare(values, indicator, area_type=area_type, period=time_period,
                              benchmark=benchmark)  # fmt: skip
    elif kind == "trend":
        planned = None
        if plan is not None:
            planned = charts.plan_trajectory(plan, indicator)
        elif trajectory is not None:
            from placehealth.tables import read_table

            planned = read_table(trajectory, text=True)
        spec = charts.trend(values, indicator, area=area, trajectory=planned)
    elif kind == "inequality":
        spec = charts.inequality(values, indicator, period=time_period)
    else:
        spec = charts.area_map(
            values, indicator, area_type=area_type, period=time_period, place=place,
            boundaries=boundaries, shade="significance" if shade == "significance" else "value",
            benchmark=benchmark,
        )  # fmt: skip
    for path in charts.write_chart(spec, output):
        console.print(f"{kind} chart → {path}")


def register(app: typer.Typer) -> None:
    app.command("chart")(chart)
