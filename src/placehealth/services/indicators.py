"""Every indicator for every area and period, computed on the warehouse and published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from placehealth.errors import ValidationError
from placehealth.services.progress import Progress, counted, quiet

if TYPE_CHECKING:
    import pandas as pd

    from placehealth.engine.indicators import Context


@dataclass(frozen=True)
class IndicatorRun:
    """What the computation gave: values and indicators counted, cells hidden, file written."""

    path: Path
    values: int
    indicators: int
    hidden: int
    engine: str
    place: str
    periods: int = 0
    recomputed: tuple[str, ...] | None = None  # incremental runs: the periods computed
    note: str = ""  # incremental runs: why the saved state was not used


def compute(
    warehouse: Path,
    output: Path,
    *,
    engine: str = "duckdb",
    years: list[int] | None = None,
    place: str | None = None,
    bom: bool = True,
    incremental: bool = False,
    progress: Progress | None = None,
) -> IndicatorRun:
    """Compute, publish through disclosure control and write every indicator value.

    ``years`` are the financial years by their first calendar year (default: every
    whole year in the data); three-year pooled windows are the calendar years fully
    inside them. ``place`` must be the warehouse's own (default: it).

    ``incremental``: reuse the values of the last incremental run for the periods whose
    data have not changed since (placehealth.engine.incremental); the values equal a
    full run's, and disclosure control still runs on the whole table.
    """
    from placehealth.engine.geography import area_names
    from placehealth.engine.incremental import period_ends
    from placehealth.engine.incremental_state import (
        check_apart,
        compute_incrementally,
        state_folder,
    )
    from placehealth.engine.indicators import PIPELINES, compute_all
    from placehealth.publish import write
    from placehealth.publish.indicators import publish_indicators

    folder = state_folder(warehouse)
    if incremental:
        check_apart(folder, output)
    ctx = _context(warehouse, engine, years, place)
    backend, place = ctx.backend, ctx.place_name
    recomputed: tuple[str, ...] | None = None
    note = ""
    try:
        if incremental:
            run = compute_incrementally(ctx, folder, engine=engine, progress=progress)
            values, recomputed, note = run.values, run.computed, run.note
        else:
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
        periods=len(period_ends(ctx.years, ctx.pooled)),
        recomputed=recomputed,
        note=note,
    )


def _context(warehouse: Path, engine: str, years: list[int] | None, place: str | None) -> Context:
    """The engine over the warehouse, with its periods and place (the backend is closed
    again if they cannot be settled)."""
    from placehealth.engine import open_backend
    from placehealth.engine.geography import warehouse_place
    from placehealth.engine.indicators import Context

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
    return Context(backend, years=years, pooled=pooled, place=place)


@dataclass(frozen=True)
class InequalityRun:
    """What ``indicators inequalities`` wrote: rows, indices, gaps, cells hidden."""

    path: Path
    rows: int
    indices: int
    gaps: int
    hidden: int
    engine: str
    place: str


def inequalities(
    warehouse: Path,
    output: Path,
    *,
    engine: str = "duckdb",
    years: list[int] | None = None,
    place: str | None = None,
    fingertips: Path | None = None,
    repetitions: int = 10_000,
    seed: int = 1,
    bom: bool = True,
    progress: Progress | None = None,
) -> InequalityRun:
    """Values by deprivation decile and quintile, SII and RII, and gaps to England, published.

    Every indicator is computed; its decile rows go through disclosure control with the
    life-expectancy rows by decile and quintile, and the indices are fitted on what is
    published (a decile hidden leaves its series out). England's values are the package's
    (ONS's SII in life expectancy) and, with ``fingertips``, a Fingertips download's
    rows for England.
    """
    import pandas as pd

    from placehealth.engine import inequalities as ineq
    from placehealth.engine.geography import area_names
    from placehealth.engine.indicators import PIPELINES, compute_all
    from placehealth.publish import Published, write
    from placehealth.publish.indicators import publish_indicators

    comparator = _england(fingertips)
    steps = len(PIPELINES) + 3
    ctx = _context(warehouse, engine, years, place)
    backend, place = ctx.backend, ctx.place_name
    try:
        values = compute_all(ctx, progress=counted(progress, steps))
        (progress or quiet)("life expectancy by deprivation", len(PIPELINES) + 1, steps)
        deprivation = ineq.by_deprivation(ctx)
        lsoa, practice = ctx.geography
        names = pd.concat([area_names(backend, place), ineq.quintile_names()], ignore_index=True)
    finally:
        backend.close()
    # the same numbers, by construction; and the pipeline's own SII of life expectancy is
    # the `slope index of inequality` measure of life-expectancy-birth here
    mine = {*deprivation["indicator_id"], "life-expectancy-sii"}
    values = values[~values["indicator_id"].isin(mine)]
    wanted = values[values["area_type"].isin(["place", ineq.DECILE])]
    both = pd.concat([wanted, deprivation], ignore_index=True)
    (progress or quiet)("disclosure control", len(PIPELINES) + 2, steps)
    published = publish_indicators(both, lsoa, practice, place=place, names=names).frame
    shown = published[~published["suppressed"].astype(bool)]
    indices = ineq.inequality_indices(shown, repetitions=repetitions, seed=seed)
    indices["area_code"] = place
    on_place = pd.concat(
        [shown[shown["area_type"] == "place"].assign(measure="value"), indices], ignore_index=True
    )
    gaps = ineq.comparator_gaps(on_place, comparator)
    gaps["area_code"] = place
    for derived in (indices, gaps):  # no counts of their own: fitted on published values
        derived["suppressed"] = False
    rows = pd.concat(
        [published.assign(measure="value"), indices, gaps], ignore_index=True
    ).sort_values(["indicator_id", "measure", "area_type", "area_code", "period", "sex"],
                  kind="stable")  # fmt: skip
    (progress or quiet)("written", steps, steps)
    path = write(Published(rows.reset_index(drop=True)), output, bom=bom)
    return InequalityRun(
        path=path,
        rows=len(rows),
        indices=len(indices),
        gaps=len(gaps),
        hidden=int(published["suppressed"].sum()),
        engine=engine,
        place=place,
    )


def _england(fingertips: Path | None) -> pd.DataFrame:
    """England's values: the package's, and a Fingertips download's England rows."""
    import pandas as pd

    from placehealth.engine.inequalities import england

    shipped = england()
    if fingertips is None:
        return shipped
    from placehealth.catalogue.load import load_catalogue
    from placehealth.fingertips import read_fingertips

    download = read_fingertips(fingertips, load_catalogue(), sex="all", age="all")
    rows = download[download["area_code"].astype(str) == ENGLAND]
    if rows.empty:
        raise ValidationError(
            f"the Fingertips download has no rows for England ({ENGLAND})",
            file=fingertips,
            hint="download the indicators with England as a comparator area",
        )
    read = pd.DataFrame(
        {
            "indicator_id": rows["indicator"],
            "measure": "value",
            "period": rows["period"].astype(str).str.replace(" ", "", regex=False),
            "sex": rows["sex"].map(SEX_CODES).fillna(rows["sex"]),
            "age_band": rows["age_band"],
            "value": rows["value"],
        }
    )
    return pd.concat([shipped, read], ignore_index=True)


ENGLAND = "E92000001"
SEX_CODES = {"male": "M", "female": "F"}  # the engine's codes for a Fingertips download's sexes


@dataclass(frozen=True)
class BenchmarkRun:
    """What ``indicators benchmark`` wrote: rows, and how many were compared."""

    path: Path
    rows: int
    compared: int
    trends: int


def benchmark(
    actuals: Path,
    fingertips: Path,
    output: Path,
    *,
    level: str = "both",
    bom: bool = True,
) -> BenchmarkRun:
    """The place's indicator values beside England's from a Fingertips download, with
    Fingertips' benchmarking columns (compared to England, quintiles, recent trend).

    ``actuals`` is the published output of ``indicators compute``; the columns added are
    labels of numbers it already publishes, so it is written as it was read plus them.
    """
    from placehealth.publish import Published, write
    from placehealth.stats.benchmark import (
        COMPARED,
        TREND,
        benchmark_table,
        levels_of,
    )
    from placehealth.tables import read_table, require_columns

    levels = levels_of(level)
    values = read_table(actuals)
    require_columns(values, ["indicator_id", "area_type", "area_code", "period", "sex",
                             "age_band", "value"], file=actuals)  # fmt: skip
    comparator = _england(fingertips)
    comparator = comparator[comparator["measure"] == "value"]
    values = values.assign(sex=values["sex"].astype(str))
    table = benchmark_table(values, comparator, levels=levels)
    path = write(Published(table), output, bom=bom)
    trends = table[TREND].notna() & (table[TREND] != "Cannot be calculated")
    return BenchmarkRun(
        path=path,
        rows=len(table),
        compared=int((table[COMPARED] != "Not compared").sum()),
        trends=int(trends.sum()),
    )
