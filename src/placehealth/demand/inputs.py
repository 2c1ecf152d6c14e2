"""The demand model's inputs, read and checked: one clear message (file, row) for the first
problem, never a half-run projection.

* baseline: one row per point of delivery, age band and sex — ``pod, age_band, sex,
  activity, population`` and optionally ``bed_days`` (admitted care); the rate is activity
  per head. A later engine query produces it from the warehouse; any file of that shape will do.
* population projection: ``year, age_band, sex, population`` — every one of the 19 bands
  (0-4 … 85-89, 90+) for every year and sex, the first year the baseline's.
* steps: a YAML list of activity avoidance and efficiency steps, each a range (the 80%
  interval, P10 to P90, of its effect) on some points of delivery, phased in over years.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from placehealth.activity.pods import PODS, Pod
from placehealth.errors import ValidationError
from placehealth.stats.standards import ESP2013, start_ages
from placehealth.tables import file_row, read_table, require_columns
from placehealth.yamlfile import line_of, load_model

BANDS: list[str] = [str(b) for b in ESP2013.index]  # 0-4 … 85-89, 90+
BAND_STARTS = np.arange(0, 95, 5, dtype=float)
SEXES = ("M", "F", "P")  # male, female, persons (both, where a source does not split)
BASELINE_COLUMNS = ["pod", "age_band", "sex", "activity", "population"]
PROJECTION_COLUMNS = ["year", "age_band", "sex", "population"]


@dataclass(frozen=True)
class Baseline:
    """Activity and population by point of delivery × age band × sex, as arrays."""

    pods: list[str]
    sexes: list[str]
    activity: np.ndarray  # [pod, band, sex]
    population: np.ndarray  # [band, sex] (the same for every pod)
    bed_days: np.ndarray | None  # [pod, band, sex]


@dataclass(frozen=True)
class Projection:
    """Population by year × age band × sex; the first year is the base."""

    years: list[int]
    sexes: list[str]
    population: np.ndarray  # [year, band, sex]


def _bands(frame: pd.DataFrame, file: Path) -> np.ndarray:
    """Each row's band index (0 … 18), or the first unknown label by row."""
    starts = start_ages(frame["age_band"])
    index = np.searchsorted(BAND_STARTS, starts)
    bad = np.isnan(starts) | (index >= len(BANDS))
    bad[~bad] = BAND_STARTS[index[~bad]] != starts[~bad]
    _refuse(
        bad,
        frame,
        "age_band",
        file,
        "age band '{value}' is not a five-year band",
        f"bands: {', '.join(BANDS)}",
    )
    return index.astype(np.intp)


def _refuse(
    bad: np.ndarray, frame: pd.DataFrame, column: str, file: Path, message: str, hint: str
) -> None:
    rows = np.flatnonzero(bad)
    if rows.size:
        first = int(rows[0])
        raise ValidationError(
            message.format(value=frame[column].iloc[first]),
            file=file,
            row=file_row(frame, first),
            column=column,
            hint=hint,
        )


def _numbers(frame: pd.DataFrame, column: str, file: Path) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    _refuse(
        np.isnan(values),
        frame,
        column,
        file,
        "'{value}' is not a number",
        "write a count, e.g. 1250",
    )
    bad = values < 0
    _refuse(
        bad,
        frame,
        column,
        file,
        "{value} is negative",
        "people and activity are counts",
    )
    return values


def _sexes(frame: pd.DataFrame, file: Path) -> np.ndarray:
    sexes = frame["sex"].astype(str).str.strip().str.upper()
    _refuse(
        ~sexes.isin(SEXES).to_numpy(),
        frame,
        "sex",
        file,
        "sex '{value}' is not M, F or P",
        "M male, F female, P persons (both)",
    )
    return sexes.to_numpy()


def _codes(values: np.ndarray, levels: list[str]) -> np.ndarray:
    """Each value's position in ``levels``."""
    return pd.Series(values).map({v: i for i, v in enumerate(levels)}).to_numpy(dtype=np.intp)


def read_baseline(path: Path) -> Baseline:
    """The baseline file (CSV, Parquet or Excel) as arrays."""
    return baseline_arrays(read_table(path), path)


def baseline_arrays(frame: pd.DataFrame, path: Path | str = "baseline") -> Baseline:
    """A baseline frame as arrays; every pod known, every pod × sex with all 19 bands once,
    population the same for a band and sex whatever the pod. ``path`` names it in messages."""
    path = Path(path)
    require_columns(frame, BASELINE_COLUMNS, file=path)
    pods = frame["pod"].astype(str).str.strip()
    _refuse(
        ~pods.isin(PODS).to_numpy(),
        frame,
        "pod",
        path,
        "'{value}' is not a point of delivery",
        f"use one of: {', '.join(PODS)}",
    )
    band = _bands(frame, path)
    sex = _sexes(frame, path)
    activity = _numbers(frame, "activity", path)
    population = _numbers(frame, "population", path)
    _refuse(
        (activity > 0) & (population == 0),
        frame,
        "population",
        path,
        "activity without people (population {value})",
        "a band with activity needs its population: the rate is activity per head",
    )
    bed_days = _numbers(frame, "bed_days", path) if "bed_days" in frame else None
    pod_list = sorted(set(pods), key=PODS.index)
    sex_list = [s for s in SEXES if s in set(sex)]
    p = pods.map({x: i for i, x in enumerate(pod_list)}).to_numpy()
    s = (
        np.searchsorted(np.array(sex_list), sex)
        if sex_list == sorted(sex_list)
        else np.array([sex_list.index(x) for x in sex])
    )
    cells = (p * len(BANDS) + band) * len(sex_list) + s
    _complete(cells, frame, path, pod_list, sex_list, what="pod")
    shape = (len(pod_list), len(BANDS), len(sex_list))
    act = np.zeros(shape)
    act.reshape(-1)[cells] = activity
    pop = np.zeros(shape)
    pop.reshape(-1)[cells] = population
    differs = ~np.isclose(pop, pop[:1]).all(axis=0)
    if differs.any():
        b, x = (int(v[0]) for v in np.nonzero(differs))
        raise ValidationError(
            f"population of band {BANDS[b]}, sex {sex_list[x]} differs between points of delivery",
            file=path,
            column="population",
            hint="every pod's rows carry the same population for a band and sex",
        )
    beds = None
    if bed_days is not None:
        beds = np.zeros(shape)
        beds.reshape(-1)[cells] = bed_days
    return Baseline(pod_list, sex_list, act, pop[0], beds)


def _complete(
    cells: np.ndarray,
    frame: pd.DataFrame,
    file: Path,
    groups: list[str] | list[int],
    sexes: list[str],
    *,
    what: str,
) -> None:
    """Every group × band × sex once: the first repeat, or the first missing band, by row."""
    order = np.argsort(cells, kind="stable")
    repeat = np.zeros(len(cells), dtype=bool)
    repeat[order[1:]] = np.diff(cells[order]) == 0
    _refuse(
        repeat,
        frame,
        "age_band",
        file,
        f"age band '{{value}}' is given twice for its {what} and sex",
        "one row per band",
    )
    count = np.bincount(cells, minlength=len(groups) * len(BANDS) * len(sexes))
    missing = np.flatnonzero(
        count.reshape(len(groups), len(BANDS), len(sexes)).transpose(0, 2, 1).reshape(-1) == 0
    )
    if missing.size:
        g, x, b = np.unravel_index(int(missing[0]), (len(groups), len(sexes), len(BANDS)))
        group_cells = (cells // (len(BANDS) * len(sexes)) == g) & (cells % len(sexes) == x)
        first = int(np.flatnonzero(group_cells)[0]) if group_cells.any() else 0
        raise ValidationError(
            f"{what} {groups[g]}, sex {sexes[x]} has no age band {BANDS[b]}",
            file=file,
            row=file_row(frame, first),
            column="age_band",
            hint=f"every {what} and sex needs all 19 bands ({BANDS[0]} … {BANDS[-1]})",
        )


def read_projection(path: Path) -> Projection:
    """The population projection file (CSV, Parquet or Excel) as an array."""
    return projection_arrays(read_table(path), path)


def projection_arrays(frame: pd.DataFrame, path: Path | str = "population") -> Projection:
    """A projection frame as an array; every year × sex with all 19 bands."""
    path = Path(path)
    require_columns(frame, PROJECTION_COLUMNS, file=path)
    years = _numbers(frame, "year", path)
    _refuse(
        years != np.round(years),
        frame,
        "year",
        path,
        "year '{value}' is not a whole year",
        "write 2021",
    )
    band = _bands(frame, path)
    sex = _sexes(frame, path)
    population = _numbers(frame, "population", path)
    year_list = sorted({int(y) for y in years})
    sex_list = [s for s in SEXES if s in set(sex)]
    y = np.searchsorted(np.array(year_list), years.astype(int))
    s = _codes(sex, sex_list)
    cells = (y * len(BANDS) + band) * len(sex_list) + s
    _complete(cells, frame, path, year_list, sex_list, what="year")
    pop = np.zeros((len(year_list), len(BANDS), len(sex_list)))
    pop.reshape(-1)[cells] = population
    return Projection(year_list, sex_list, pop)


class Step(BaseModel):
    """One activity-avoidance or efficiency step: its effect on the points of delivery named,
    as a % of their activity (or bed-days), P10 to P90, reached in full by ``full_year``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["avoidance", "efficiency"]
    pods: list[Pod] = Field(min_length=1)
    low_pct: float
    high_pct: float
    measure: Literal["activity", "bed-days"] = "activity"
    start_year: int | None = None  # no effect before; default the first projected year
    full_year: int | None = None  # the full effect from; default start_year
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _a_range(self) -> Step:
        if self.low_pct < 0 or self.high_pct < 0:
            raise ValueError(
                f"step '{self.id}': a negative range ({self.low_pct}% to "
                f"{self.high_pct}%) would add activity; effects are reductions"
            )
        if self.low_pct > self.high_pct:
            raise ValueError(
                f"step '{self.id}': low_pct {self.low_pct} is above high_pct {self.high_pct}"
            )
        if self.high_pct >= 100:
            raise ValueError(f"step '{self.id}': high_pct {self.high_pct} removes everything")
        if self.kind == "avoidance" and self.measure != "activity":
            raise ValueError(f"step '{self.id}': avoidance removes activity (and its bed-days)")
        if self.start_year and self.full_year and self.full_year < self.start_year:
            raise ValueError(f"step '{self.id}': full_year is before start_year")
        return self


class StepsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    steps: list[Step] = Field(default_factory=list)


def read_steps(path: Path, pods: list[str] | None = None) -> list[Step]:
    """The steps file; a step naming a pod the baseline lacks is refused at its line."""
    steps = load_model(path, StepsFile).steps
    ids = [s.id for s in steps]
    for n, step in enumerate(steps):
        if ids.index(step.id) != n:
            raise ValidationError(
                f"step id '{step.id}' is used twice",
                file=path,
                line=line_of(path, ("steps", n, "id")),
            )
        unknown = [p for p in step.pods if pods is not None and p not in pods]
        if unknown:
            raise ValidationError(
                f"step '{step.id}' acts on '{unknown[0]}', which the baseline does not have",
                file=path,
                line=line_of(path, ("steps", n, "pods")),
                hint=f"the baseline's points of delivery: {', '.join(pods or [])}",
            )
    return steps
