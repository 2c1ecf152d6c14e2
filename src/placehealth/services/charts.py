"""The charts of an indicator and of a place's overview, from the published indicator values.

What the indicator and overview pages, the board pack and ``placehealth chart`` call:
each function takes the long indicator table (``placehealth indicators compute``'s
output, already through disclosure control), picks the rows one chart needs
(a few dozen, never records) and returns its Vega-Lite spec; :func:`write_chart`
writes a spec as PNG and/or SVG. Areas are named by their code as the table holds
it; the benchmark defaults to the place's own row, so a neighbourhood is compared
with its place; England or a region can be named where the table holds their rows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from placehealth.catalogue.load import load_catalogue
from placehealth.charts import (
    compare_chart,
    export_chart,
    inequality_chart,
    map_chart,
    spine_chart,
    trend_chart,
)
from placehealth.charts.boundaries import for_drawing, load_boundaries
from placehealth.charts.frames import everyone, latest_period, pick, series
from placehealth.charts.inequality import decile_frame, slope_index
from placehealth.charts.spine import spine_table
from placehealth.charts.trend import trend_frame
from placehealth.errors import ValidationError
from placehealth.places import PlaceFile, load_place
from placehealth.tables import read_table

KINDS = ("overview", "compare", "trend", "inequality", "map")
PLACE = "place"
DECILE = "imd_decile"
MAP_KEYS = {"lsoa": "code", "neighbourhood": "neighbourhood", DECILE: "imd_decile"}
AREA_WORDS = {"lsoa": "LSOAs", "neighbourhood": "neighbourhoods", DECILE: "deprivation deciles",
              "practice": "practices", "pcn": "PCNs", PLACE: "places"}  # fmt: skip
Area = tuple[str, str]


def read_indicators(path: str | Path) -> pd.DataFrame:
    """The indicator values file (CSV, Parquet or Excel), codes kept as text."""
    frame = read_table(path, text=True)
    needed = ["indicator_id", "area_type", "area_code", "period", "value",
              "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]  # fmt: skip
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"not an indicator values file: no column {', '.join(missing)}",
            file=path,
            hint="use the output of placehealth indicators compute",
        )
    return frame


def _name(indicator_id: str) -> str:
    catalogue = load_catalogue()
    return catalogue[indicator_id].name if indicator_id in catalogue else indicator_id


def _area(frame: pd.DataFrame, code: str | None, default_type: str = PLACE) -> Area:
    """(type, code) of an area named by its code; None: the table's first ``default_type``."""
    if code is None:
        rows = frame[frame["area_type"].astype(str) == default_type]
        if rows.empty:
            raise ValidationError(f"no '{default_type}' rows to compare with",
                                  hint="name the area with its code")  # fmt: skip
        return default_type, str(rows["area_code"].iloc[0])
    rows = frame[frame["area_code"].astype(str) == code]
    if rows.empty:
        raise ValidationError(f"no indicator values for area '{code}'")
    types = list(dict.fromkeys(rows["area_type"].astype(str)))
    kind = next((t for t in types if t != DECILE), types[0])
    return kind, code


def _display(frame: pd.DataFrame, area: Area) -> str:
    rows = frame[(frame["area_type"].astype(str) == area[0])
                 & (frame["area_code"].astype(str) == area[1])]  # fmt: skip
    if "area_name" in rows.columns and not rows.empty:
        return str(rows["area_name"].iloc[0])
    return area[1]


def _value(rows: pd.DataFrame, area: Area, period: str) -> float:
    hit = rows[(rows["area_type"] == area[0]) & (rows["area_code"] == area[1])
               & (rows["period"] == period)]  # fmt: skip
    value = pd.to_numeric(hit["value"], errors="coerce").dropna()
    if value.empty:
        raise ValidationError(f"no value for the benchmark '{area[1]}' in {period}")
    return float(value.iloc[0])


def _unit(rows: pd.DataFrame) -> str:
    unit = rows["unit"].dropna() if "unit" in rows.columns else pd.Series(dtype=object)
    return str(unit.iloc[0]) if not unit.empty else "Value"


def _polarity(rows: pd.DataFrame) -> str | None:
    pol = rows["polarity"].dropna() if "polarity" in rows.columns else pd.Series(dtype=object)
    return str(pol.iloc[0]) if not pol.empty else None


def compare(
    indicators: pd.DataFrame,
    indicator_id: str,
    *,
    area_type: str = "neighbourhood",
    period: str | None = None,
    benchmark: str | None = None,
) -> dict[str, Any]:
    """Compare areas: the ``area_type`` areas' values in ``period`` (default: the latest)
    against ``benchmark`` (an area code; default: the place)."""
    rows = series(indicators, indicator_id)
    of_type = pick(rows, area_type=area_type)
    period = period or latest_period(of_type)
    shown = pick(of_type, period=period)
    bench = _area(rows, benchmark)
    name = _display(rows, bench)
    title = f"{_name(indicator_id)}, {period}: {AREA_WORDS.get(area_type, area_type)}"
    return compare_chart(shown, benchmark=_value(rows, bench, period), benchmark_name=name,
                         polarity=_polarity(rows), title=title, unit=_unit(rows))  # fmt: skip


def trend(
    indicators: pd.DataFrame,
    indicator_id: str,
    *,
    area: str | None = None,
    trajectory: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The area's values over time (default: the place), with SPC where there are enough
    points and the plan's ``trajectory`` (columns ``period``, ``expected``) where given."""
    rows = series(indicators, indicator_id)
    where = _area(rows, area)
    own = pick(rows, area_type=where[0], area_code=where[1])
    title = f"{_name(indicator_id)}: {_display(rows, where)} over time"
    return trend_chart(trend_frame(own, trajectory), polarity=_polarity(rows), title=title,
                       unit=_unit(rows))  # fmt: skip


def plan_trajectory(plan: str | Path, indicator_id: str) -> pd.DataFrame:
    """The trajectory (``period``, ``expected``) of the plan's ambition on the indicator
    with the most points, as its method implies (``placehealth plan show``); labels
    that are no period (an index's 'baseline') are left out."""
    from placehealth.periods import is_period
    from placehealth.plans.load import load_plans
    from placehealth.plans.show import trajectory_rows

    rows = trajectory_rows(load_plans(Path(plan)), load_catalogue())
    found = [r for r in rows if r["indicator"] == indicator_id and r["trajectory"]]
    if not found:
        raise ValidationError(
            f"no ambition on indicator '{indicator_id}' with a trajectory", file=plan,
            hint="placehealth plan show lists each ambition's indicator",
        )  # fmt: skip
    best = max(found, key=lambda r: sum(is_period(str(p["period"])) for p in r["trajectory"]))
    points = [p for p in best["trajectory"] if is_period(str(p["period"]))]
    return pd.DataFrame({"period": [p["period"] for p in points],
                         "expected": [p["value"] for p in points]})  # fmt: skip


def inequality(
    indicators: pd.DataFrame, indicator_id: str, *, period: str | None = None
) -> dict[str, Any]:
    """The indicator by deprivation decile in ``period`` (default: the latest), with the
    slope and relative indices of inequality."""
    rows = pick(series(indicators, indicator_id), area_type=DECILE)
    period = period or latest_period(rows)
    deciles = decile_frame(pick(rows, period=period))
    title = f"{_name(indicator_id)}, {period}: by deprivation decile"
    return inequality_chart(deciles, slope_index(deciles), title=title, unit=_unit(rows))


def boundaries_of(place: PlaceFile, path: str | Path | None = None) -> dict[str, Any]:
    """The place's boundaries: ``path``, else its place file's, else (for a synthetic
    place) generated."""
    path = path or place.geography.boundaries
    if path is not None:
        return load_boundaries(path)
    if not place.geography.synthetic:
        raise ValidationError(
            f"{place.name} has no boundary file",
            hint="name a GeoJSON file in the place file's geography.boundaries",
        )
    return _generated(place.model_dump_json())


@lru_cache(maxsize=4)
def _generated(place_json: str) -> dict[str, Any]:
    """A synthetic place's boundaries, made once per place file (by its contents)."""
    from placehealth.data.synth.boundaries import synthetic_boundaries

    return synthetic_boundaries(PlaceFile.model_validate_json(place_json))


def area_map(
    indicators: pd.DataFrame,
    indicator_id: str,
    *,
    area_type: str = "neighbourhood",
    period: str | None = None,
    place: PlaceFile | str | None = None,
    boundaries: str | Path | None = None,
    shade: Literal["value", "significance"] = "value",
    benchmark: str | None = None,
) -> dict[str, Any]:
    """A map of the ``area_type`` areas' values in ``period`` over the place's LSOA
    boundaries, shaded by value or by significance against ``benchmark``."""
    if area_type not in MAP_KEYS:
        raise ValidationError(
            f"no map for {AREA_WORDS.get(area_type, area_type)}: boundaries are LSOAs",
            hint="map lsoa, neighbourhood or imd_decile",
        )
    where = place if isinstance(place, PlaceFile) else load_place(place)
    collection = boundaries_of(where, boundaries)
    rows = series(indicators, indicator_id)
    of_type = pick(rows, area_type=area_type)
    period = period or latest_period(of_type)
    bench = _area(rows, benchmark)
    title = f"{_name(indicator_id)}, {period}: {AREA_WORDS[area_type]}"
    return map_chart(
        for_drawing(collection), pick(of_type, period=period), key=MAP_KEYS[area_type],
        title=title, unit=_unit(rows), shade=shade,
        benchmark=_value(rows, bench, period) if shade == "significance" else None,
        benchmark_name=_display(rows, bench), polarity=_polarity(rows),
        labels=area_type != DECILE,  # a decile's LSOAs are all over the place
    )  # fmt: skip


def overview(
    indicators: pd.DataFrame,
    *,
    area: str | None = None,
    area_type: str = "neighbourhood",
    benchmark: str | None = None,
    comparator: str | None = None,
) -> dict[str, Any]:
    """The spine chart of every indicator for ``area`` (default: the first ``area_type``
    area) against ``benchmark`` (default: the place), the range across ``area_type``."""
    persons = everyone(indicators)
    focus = _area(persons, area, area_type)
    bench = _area(persons, benchmark)
    other = _area(persons, comparator) if comparator else None
    catalogue = load_catalogue()
    ids = persons["indicator_id"].astype(str).unique()
    names = {i: catalogue[i].name for i in ids if i in catalogue}
    table = spine_table(persons, area=focus, benchmark=bench, comparator=other,
                        range_type=area_type, names=names)  # fmt: skip
    if table.empty:
        raise ValidationError(f"no indicator values for area '{focus[1]}'")
    area_name = _display(persons, focus)
    return spine_chart(
        table, area_name=area_name, benchmark_name=_display(persons, bench),
        comparator_name=_display(persons, other) if other else None,
        range_name=AREA_WORDS.get(area_type, area_type),
        title=f"{area_name}: every indicator at its latest period",
    )  # fmt: skip


def write_chart(spec: dict[str, Any], path: str | Path) -> list[Path]:
    """Write the chart by the path's suffix (.png or .svg); without one, both."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix and suffix not in ("png", "svg"):
        raise ValidationError(f"unsupported chart type '.{suffix}'", file=path,
                              hint="use .png or .svg")  # fmt: skip
    return export_chart(spec, path, (suffix,) if suffix else ("png", "svg"))
