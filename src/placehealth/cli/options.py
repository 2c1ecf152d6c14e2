"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from placehealth.services.progress import Progress

console = Console()

DEFAULT_PLANS = Path("plans")
# The synthetic place's size wherever one is made (demo, synth): quick to build, big
# enough for every indicator; the place file gives the full size.
DEFAULT_PERSONS = 20_000
PERSONS_HELP = "People registered in 2014 in the synthetic place (full size: the place file)."

# Options every command that reads a table or dates offers, spelt and explained once.
SHEET = typer.Option(
    None, "--sheet", help="Excel input: the sheet to read, by name or number (default: the first)."
)
HEADER_ROW = typer.Option(
    1, "--header-row", min=1, help="Row of the input holding the column names (default: 1)."
)
MONTH_FIRST = typer.Option(
    False,
    "--month-first/--day-first",
    help="Read dates such as 01/04/2022 month first (4 January); by default they are day "
    "first (1 April), as UK files write them.",
)

# One option, the same in every command that writes a CSV: by default a CSV starts with
# the UTF-8 byte-order mark so Excel shows £, – and × (placehealth.tables.serialise_table).
PLAIN_UTF8: Any = typer.Option(
    False,
    "--plain-utf8",
    help="Write CSV as plain UTF-8, without the byte-order mark that tells Excel the "
    "file is UTF-8 (for tools that do not expect one).",
)


def print_json(data: Any) -> None:
    """Machine output: plain JSON on stdout, nothing else; a missing number is ``null``.

    Python's json writes NaN and Infinity, which no JSON parser outside Python
    accepts, so they become null and the output is checked to be strict JSON.
    """
    print(json.dumps(_strict(data), indent=2, default=str, allow_nan=False))


def _strict(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±inf, numpy or not) replaced by None."""
    import numpy as np  # here, not above: the CLI starts without numpy and pandas
    import pandas as pd

    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def default_plans_path() -> Path:
    """``plans/`` in the working directory, else the project's own plans folder."""
    if DEFAULT_PLANS.exists():
        return DEFAULT_PLANS
    return Path(__file__).resolve().parents[3] / "plans"


# Which rows of a Fingertips download to read (docs/plans.md).
SEX_OPTION = typer.Option(
    "persons",
    "--sex",
    help="Fingertips rows to read: persons (default: an indicator's Persons rows, or its "
    "rows by sex when it has no Persons rows, never added together), male, female or all.",
)
AGE_OPTION = typer.Option(
    None,
    "--age",
    help="Fingertips age band to read (default: All ages, else the indicator's only band), "
    "e.g. '65+ yrs', or all.",
)


@contextmanager
def progress_bar(first: str, unit: str = "", *, disable: bool = False) -> Iterator[Progress]:
    """A transient bar on the console, fed by a service's progress callback.

    ``first`` names the bar until the first step is done; ``unit`` follows the count.
    """
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    count = "{task.completed}/{task.total}" + (f" {unit}" if unit else "")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn(count),
               TimeElapsedColumn())  # fmt: skip
    with Bar(*columns, console=console, transient=True, disable=disable) as bar:
        task = bar.add_task(first, total=None)

        def update(step: str, done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total, description=step)

        yield update
