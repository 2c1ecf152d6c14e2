"""Activity and demand for the site: the provider activity plans and their findings
(``placehealth activity show|check``), and the demand projection ``placehealth activity
project`` makes from the worked example docs/activity.md runs.

A projection takes seconds (a thousand runs), so the site makes it once per state of its
inputs, into its own files folder, and reads the tables and charts back from there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from placehealth.errors import UserError

EXAMPLES = "examples"  # beside the plans folder, as in the repository
BASELINE, STEPS = "demand-baseline.csv", "demand-steps.yaml"
RUNS, SEED, YEAR = 1000, 7, 2014  # docs/activity.md's worked example (its baseline year)
TABLES = ("projection", "waterfall", "plan")
CHARTS = ("fan", "waterfall")


def activity_plans(plans_root: Path) -> list[str]:
    """The plans with provider activity tables (``placehealth activity show``)."""
    from placehealth.services import activity

    out = []
    for folder in sorted(p for p in plans_root.iterdir() if p.is_dir()):
        try:
            if activity.tables(folder)["tables"]:
                out.append(folder.name)
        except UserError:
            continue
    return out


@dataclass(frozen=True)
class Demand:
    """A projection as the command wrote it: its three tables and its two charts' files."""

    folder: Path

    def table(self, name: str) -> pd.DataFrame:
        from placehealth.tables import read_table

        return read_table(self.folder / f"{name}.csv")

    def chart(self, name: str) -> Path:
        return self.folder / f"{name}.svg"


def _inputs(plans_root: Path) -> tuple[Path, Path, Path]:
    """The worked example's baseline and steps, and the first plan printing a population."""
    from placehealth.activity.load import load_activity

    examples = plans_root.parent / EXAMPLES
    baseline, steps = examples / BASELINE, examples / STEPS
    for path in (baseline, steps):
        if not path.is_file():
            raise UserError(f"no demand inputs: {path} is missing", hint="see docs/activity.md")
    for folder in sorted(p for p in plans_root.iterdir() if p.is_dir()):
        if load_activity(folder).populations:
            return baseline, steps, folder
    raise UserError("no plan prints a population projection", hint="see docs/activity.md")


def demand(plans_root: Path, files: Path) -> Demand:
    """The projection, made by the command's service the first time its inputs are seen."""
    from placehealth.activity.files import activity_files
    from placehealth.services import activity
    from placehealth.tables import write_table

    baseline, steps, population_plan = _inputs(plans_root)

    inputs = [baseline, steps, *activity_files(plans_root)]
    stamp = "".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size};" for p in inputs)
    key = hashlib.sha256(f"{RUNS};{SEED};{YEAR};{stamp}".encode()).hexdigest()[:16]
    found = Demand(files / "demand" / key)
    if found.chart("waterfall").is_file():
        return found
    work = found.folder.with_name(f"{key}.partial")
    work.mkdir(parents=True, exist_ok=True)
    population = work / "population.csv"
    activity.population(population_plan, output=population, bom=False)
    run = activity.project(
        projection=population, baseline=baseline, year=YEAR, steps=steps, runs=RUNS,
        seed=SEED, plan=plans_root, output=work / "projection.csv", bom=False,
        chart=work / "fan.svg", waterfall_chart=work / "waterfall.svg",
    )  # fmt: skip
    write_table(run.waterfall.round(3), work / "waterfall.csv", bom=False)
    write_table(run.plan.round(3), work / "plan.csv", bom=False)
    work.replace(found.folder)
    return found
