"""Inequality by decile: bars as wide as each decile's population, and stats' SII line."""

from __future__ import annotations

import pandas as pd
import pytest

from placehealth.charts import inequality_chart
from placehealth.charts.inequality import decile_frame, slope_index
from placehealth.stats import sii
from tests.charts.helpers import row


def _deciles(values: list[float | None]) -> pd.DataFrame:
    rows = [row("imd_decile", str(d), v, 4.0, 6.0, denominator=1000 * d)
            for d, v in enumerate(values, start=1)]  # fmt: skip
    return pd.DataFrame(rows)


def test_ranks_are_the_midpoints_of_the_population_shares() -> None:
    frame = decile_frame(_deciles([50, 40, 30, 20, 10]))
    # populations 1000 … 5000, total 15000: decile 1 spans 0 … 1/15, its middle 1/30
    assert frame["rank"].iloc[0] == pytest.approx(1 / 30)
    assert frame["rank_to"].iloc[-1] == pytest.approx(1.0)
    assert frame["rank_from"].iloc[1] == pytest.approx(1 / 15)
    assert list(frame["decile"]) == [1, 2, 3, 4, 5]  # numeric order, not '1', '10', '2'


def test_the_line_is_stats_sii() -> None:
    frame = decile_frame(_deciles([150, 140, 120, 118, 100, 96, 90, 85, 80, 60]))
    index = slope_index(frame)
    assert index is not None
    ref = sii(frame.assign(lo=frame["lower95_0cl"], hi=frame["upper95_0cl"]),
              quantile="decile", population="denominator", value="value",
              value_type="rate", lower_cl="lo", upper_cl="hi", repetitions=10_000)  # fmt: skip
    spec = inequality_chart(frame, index, title="T")
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    (start, end) = line["data"]["values"]
    slope = (end["fitted"] - start["fitted"]) / (end["rank"] - start["rank"])
    assert slope == pytest.approx(ref["value"].iloc[0], rel=1e-9)
    assert start["fitted"] == pytest.approx(ref["intercept"].iloc[0], rel=1e-9)
    assert slope < 0  # the most deprived (rank 0) have the highest values here
    words = spec["title"]["subtitle"][1]
    assert f"{ref['value'].iloc[0]:,.1f}" in words
    assert f"{ref['value'].iloc[1]:,.2f}" in words  # the RII


def test_too_few_deciles_draw_bars_without_a_line() -> None:
    frame = decile_frame(_deciles([50, None, 30, None, 10, None]))
    assert list(frame["decile"]) == [1, 3, 5]  # blanks left out
    assert slope_index(frame) is None
    spec = inequality_chart(frame, None, title="T")
    assert all(layer["mark"]["type"] != "line" for layer in spec["layer"])
    assert "at least 5 deciles" in spec["title"]["subtitle"][1]
