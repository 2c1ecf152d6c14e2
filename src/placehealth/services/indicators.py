"""Every indicator for every area and period, computed on the warehouse and published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from placehealth.errors import ValidationError
from placehealth.services.progress import Progress, counted, quiet


@dataclass(frozen=True)
class IndicatorRun:
    """What the computation gave: values and indicators counted, cells hidden, file written."""

    path: Path
    values: int
    indicators: int
    hidden: int
    engine: str
    place: str


def compute(
    warehouse: Path,
    output: Path,
    *,
    engine: str = "duckdb",
    years: list[int] | None = None,
    place: str | None = None,
    bom: bool = True,
    progress: Progress | None = None,
) -> IndicatorRun:
    """Compute, publish through disclosure control and write every indicator value.

    ``years`` are the financial years by their first calendar year (default: every
    whole year in the data); three-year pooled windows are the calendar years fully
    inside them. ``place`` must be the warehouse's own (default: it).
    """
    from placehealth.engine import open_backend
    from placehealth.engine.geography import area_names, warehouse_place
    from placehealth.engine.indicators import PIPELINES, Context, compute_all
    from placehealth.publish import write
    from placehealth.publish.indicators import publish_indicators

    backend = open_backend(engine, warehouse)
    try:
        if years is None:
            from placehealth.engine.window import data_window

            years = data_window(backend).whole_financial_years
            if not years:
                raise ValidationError(
                    "the data hold no whole financial year", column="--years", hint="name the years"
                )
        place = warehouse_place(backend, place)
    except ValidationError:
        backend.close()
        raise
    calendar = list(range(years[0] + 1, years[-1] + 1))  # whole calendar years inside the span
    pooled = [(y, y + 2) for y in calendar if y + 2 <= calendar[-1]]
    ctx = Context(backend, years=years, pooled=pooled, place=place)
    try:
        values = compute_all(ctx, progress=counted(progress, len(PIPELINES)))
        lsoa, practice = ctx.geography
        names = area_names(backend, place)
    finally:
        backend.close()
    (progress or quiet)("disclosure control", len(PIPELINES), len(PIPELINES))
    published = publish_indicators(values, lsoa, practice, place=place, names=names)
    path = write(published, output, bom=bom)
    return IndicatorRun(
        path=path,
        values=len(values),
        indicators=int(values["indicator_id"].nunique()),
        hidden=int(published.frame["suppressed"].sum()),
        engine=engine,
        place=place,
    )
