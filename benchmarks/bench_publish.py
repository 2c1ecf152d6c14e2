"""The publishing step (disclosure control) on the 500,000-person outputs, on DuckDB.

1. Indicator values (``placehealth indicators compute``): the long table of every
   indicator, area, period, sex and age band, published through
   :func:`placehealth.publish.indicators.publish_indicators` and written as CSV,
   against writing the same values unsuppressed as CSV, in the same run.
2. Segment profiles (``placehealth phm segments``): every area type × segment ×
   count, published by :func:`placehealth.phm.profiles.profile` (linked secondary
   suppression, rounding, rates) and written as CSV, against the same counts
   grouped and written unsuppressed.

The indicator values and the person table are computed once, untimed, from the
cached 500,000-person warehouse of the pipeline benchmark
(``PLACEHEALTH_BENCH_WAREHOUSE`` to use another); only publishing is timed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from benchmarks import bench_pipeline
from benchmarks.harness import measure, record
from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.geography import lookups
from placehealth.engine.indicators import Context, compute_all
from placehealth.phm.profiles import AREA_TYPES, _raw_counts, person_table, profile
from placehealth.publish import Published, write
from placehealth.publish.indicators import publish_indicators
from placehealth.tables import write_table

PERSONS = 500_000
INDEX = pd.Timestamp("2017-04-01").date()


def inputs(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Raw indicator values, the lookups and the person table (cached beside the warehouse)."""
    values_file = path.parent / "values-unpublished.parquet"
    people_file = path.parent / "people-2017-04-01.parquet"
    backend = DuckDBBackend(path)
    try:
        lsoa, practice = lookups(backend)
        if not values_file.exists():
            years = list(range(2014, 2019))
            ctx = Context(backend, years=years, pooled=[(2015, 2017), (2016, 2018)])
            compute_all(ctx).to_parquet(values_file)
        if not people_file.exists():
            person_table(backend, INDEX).to_parquet(people_file)
    finally:
        backend.close()
    return pd.read_parquet(values_file), lsoa, practice, pd.read_parquet(people_file)


def main() -> None:
    path = Path(os.environ.get("PLACEHEALTH_BENCH_WAREHOUSE") or bench_pipeline.warehouse(PERSONS))
    values, lsoa, practice, people = inputs(path)
    out = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    rows = []

    def plain_values() -> None:
        write_table(values, out / "values-plain.csv")

    def published_values() -> pd.DataFrame:
        published = publish_indicators(values, lsoa, practice, place="Liverpool")
        write(published, out / "values.csv")
        return published.frame

    plain_s, _ = measure(plain_values, repeat=3)
    published_s, frame = measure(published_values, repeat=3)
    hidden = int(frame["suppressed"].sum())
    rows.append(
        {
            "output": f"indicator values ({len(values):,} rows)",
            "unsuppressed write (s)": f"{plain_s:.2f}",
            "published: suppress + write (s)": f"{published_s:.2f}",
            "ratio": f"{published_s / plain_s:.1f}×",
            "rows with a hidden count": f"{hidden:,}",
        }
    )

    def plain_profile() -> None:
        write_table(_raw_counts(people, AREA_TYPES, "Liverpool"), out / "profile-plain.csv")

    def published_profile() -> pd.DataFrame:
        table = profile(people, place="Liverpool")
        write(Published(table), out / "profile.csv")
        return table

    plain_s, _ = measure(plain_profile, repeat=3)
    published_s, table = measure(published_profile, repeat=3)
    rows.append(
        {
            "output": f"segment profiles, every area type ({len(table):,} rows)",
            "unsuppressed write (s)": f"{plain_s:.2f}",
            "published: suppress + write (s)": f"{published_s:.2f}",
            "ratio": f"{published_s / plain_s:.1f}×",
            "rows with a hidden count": f"{int(table['suppressed'].sum()):,}",
        }
    )
    record(
        "publish",
        "Publishing step (disclosure control) at 500,000 persons",
        rows,
        notes=(
            "Best of three. The unsuppressed write is the same rows written as CSV through "
            "the same writer (for profiles: the counts grouped, without suppression or "
            "rates). Shared 2-core machine under load from other jobs: figures are noisy."
        ),
    )
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
