"""Indicator statistics over a file: read it, compute, write or hand back the table.

The statistics themselves are pure functions in :mod:`placehealth.stats`; an
interface maps its arguments onto one of them and hands it here as ``compute``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placehealth.errors import UserError, ValidationError

if TYPE_CHECKING:
    import pandas as pd

Compute = Callable[["pd.DataFrame"], "pd.DataFrame"]


@dataclass(frozen=True)
class StatsRun:
    """The computed table and, when an output was asked for, the file written."""

    frame: pd.DataFrame
    path: Path | None


def compute_file(
    input_path: Path,
    compute: Compute,
    *,
    output: Path | None = None,
    sheet: str | None = None,
    header_row: int = 1,
    bom: bool = True,
) -> StatsRun:
    """Read ``input_path``, apply ``compute``, write the result to ``output`` if given.

    A user error raised by ``compute`` comes back naming the input file and the
    row as the file counts it, so the message points at the cell at fault.
    """
    from placehealth.tables import file_row, read_table, write_table

    data = read_table(input_path, sheet=sheet, header_row=header_row)
    try:
        result = compute(data)
    except UserError as exc:
        raise type(exc)(
            exc.message,
            file=input_path,
            row=None if exc.row is None else file_row(data, exc.row - 1),  # data row → file row
            column=exc.column,
            hint=exc.hint,
        ) from None
    path = write_table(result, output, bom=bom) if output is not None else None
    return StatsRun(result, path)


def csv_text(frame: pd.DataFrame) -> str:
    """The table as plain CSV text, for an interface that shows it rather than saves it."""
    return str(frame.to_csv(index=False))


def read_reference(path: Path | None) -> pd.DataFrame | None:
    """A separate reference table (indirect standardisation), or None when none is given."""
    from placehealth.tables import read_table

    return read_table(path) if path is not None else None


def funnel(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    *,
    table: str = "significance",
    statistic: str = "proportion",
    rate: str | None = None,
    rate_type: str = "dsr",
    ratio_type: str = "count",
    years: float = 1,
    multiplier: float = 100,
) -> pd.DataFrame:
    """Funnel limits, each area's significance, or the chart's points: ``table`` says which.

    The choices (statistic, rate and ratio types) are checked by the statistics themselves.
    """
    from placehealth import stats

    kinds: dict[str, Any] = {"statistic": statistic, "rate_type": rate_type}
    if table == "limits":
        return stats.funnel_limits(
            data, numerator, denominator, rate=rate, multiplier=multiplier,
            ratio_type=ratio_type, years_of_data=years, **kinds,  # type: ignore[arg-type]
        )  # fmt: skip
    if table == "significance":
        return stats.funnel_significance(
            data, numerator, denominator, rate=rate, multiplier=multiplier, **kinds
        )
    if table == "points":
        if rate is None:
            raise ValidationError("--table points needs --rate", hint="name the rate column")
        return stats.funnel_points(
            data, numerator, rate=rate, rate_type=kinds["rate_type"], years_of_data=years,
            multiplier=multiplier, denominator=denominator,
        )  # fmt: skip
    raise ValidationError(f"unknown table '{table}'", hint="significance, limits or points")
