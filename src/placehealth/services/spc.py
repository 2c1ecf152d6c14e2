"""XmR charts over a file of series: the chart columns, a summary a series and the charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from placehealth.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ShortSeries:
    """Series with a group of fewer points than limits need, and what that means for them."""

    names: list[str]
    says: str


@dataclass(frozen=True)
class SpcRun:
    """The chart columns and every file written, with what a reader should be warned of."""

    frame: pd.DataFrame
    path: Path
    series: int
    min_points: int
    summary: Path | None = None
    summary_series: int = 0
    chart: Path | None = None
    short: list[ShortSeries] = field(default_factory=list)
    dates_note: str | None = None


def chart(
    input_path: Path,
    output: Path,
    *,
    value: str,
    date: str,
    by: list[str] | None = None,
    target: float | str | None = None,
    improvement: str = "neutral",
    rebase: list[str] | None = None,
    fix_after: int | None = None,
    min_points: int | None = None,
    trial_limits: bool = False,
    rebase_exact: bool = False,
    month_first: bool = False,
    sheet: str | None = None,
    header_row: int = 1,
    chart_path: Path | None = None,
    summary: Path | None = None,
    bom: bool = True,
) -> SpcRun:
    """Read the series, compute their XmR columns and write them (and the summary, the chart).

    Every output's type is checked before any work; a user error in the data comes
    back naming ``input_path``. ``target`` is a number or the name of a column.
    """
    from placehealth.dates import ambiguity_note
    from placehealth.reports.charts import check_chart_path
    from placehealth.spc import MIN_POINTS, xmr
    from placehealth.tables import check_writable, read_table, write_table

    least = MIN_POINTS if min_points is None else min_points
    keys = by or []
    for path in (output, summary):
        if path is not None:
            check_writable(path)
    if chart_path is not None:
        check_chart_path(chart_path)
    frame = read_table(input_path, sheet=sheet, header_row=header_row)
    try:
        result = xmr(
            frame, value, date, keys, improvement=improvement, target=target, rebase=rebase,
            fix_after=fix_after, min_points=least, trial_limits=trial_limits,
            rebase_exact=rebase_exact, month_first=month_first,
        )  # fmt: skip
    except ValidationError as exc:
        raise ValidationError(
            exc.message, file=input_path, row=exc.row, column=exc.column, hint=exc.hint
        ) from None
    written = write_table(result, output, bom=bom)
    summary_path, summary_series = None, 0
    if summary is not None:
        from placehealth.spc.summary import series_summary

        table = series_summary(result, value, date, keys, target=target)
        summary_path, summary_series = write_table(table, summary, bom=bom), len(table)
    drawn = None
    if chart_path is not None:
        from placehealth.reports.charts import spc_panels, write_chart

        spec = spc_panels(result, value=value, date=date, by=keys, target=target)
        drawn = write_chart(spec, chart_path)
    return SpcRun(
        frame=result,
        path=written,
        series=result.groupby(keys).ngroups if keys else 1,
        min_points=least,
        summary=summary_path,
        summary_series=summary_series,
        chart=drawn,
        short=_short_series(result, keys or [value]),
        dates_note=ambiguity_note(frame[date], month_first=month_first),
    )


def _short_series(result: pd.DataFrame, label: list[str]) -> list[ShortSeries]:
    """The series without limits, then those with trial limits, each named by ``label``."""
    found = []
    for rows, says in (
        (result[result["point_type"] == "insufficient_data"], "have no limits"),
        (result[result["trial_limits"]], "have trial limits, revised as points are added"),
    ):
        if len(rows):
            names = rows.drop_duplicates(label)[label].astype(str).agg(", ".join, axis=1)
            found.append(ShortSeries(list(names), says))
    return found
