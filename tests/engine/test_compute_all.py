"""compute_all: the long table of every pipeline chosen, even when none gives a value."""

from __future__ import annotations

from pathlib import Path

from placehealth.engine.backends import DuckDBBackend
from placehealth.engine.indicators import Context, compute_all
from placehealth.engine.indicators.context import VALUE_COLUMNS


def test_pipelines_with_no_values_give_an_empty_long_table(tiny_warehouse: Path) -> None:
    # no area of the tiny population has people in every age band: no years of life lost
    backend = DuckDBBackend(tiny_warehouse)
    try:
        ctx = Context(backend, years=[2015], pooled=[(2015, 2017)], place="Tinytown")
        values = compute_all(ctx, only=["years of life lost"])
        assert len(compute_all(ctx, only=["infant mortality"])) > 0
    finally:
        backend.close()
    assert values.empty
    assert list(values.columns) == VALUE_COLUMNS
