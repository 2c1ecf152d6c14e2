"""The projection from printed group changes (by hand), the comparison with the plans, and
the fan and waterfall charts' specs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.activity.model import PopulationChange
from placehealth.charts.demand import fan_chart, waterfall_chart
from placehealth.demand.growth import projection_from_change, ring_factors

CHANGE = PopulationChange.model_validate(
    {"id": "p", "title": "P", "area": "A", "start_year": 2020, "end_year": 2022, "src": 1,
     "groups": [{"ages": "all", "change": "10%", "src": 1},
                {"ages": "80+", "start": "100", "end": "150", "change": "50%", "src": 1}]}
)  # fmt: skip


def test_rings_grow_by_what_is_left_of_each_group() -> None:
    """19 bands of 10 people (190): 80+ (3 bands, 30) × 1.5 = 45; all × 1.1 = 209, so the 16
    bands under 80 go from 160 to 164 (× 1.025)."""
    factors = ring_factors(CHANGE, np.full(19, 10.0))
    assert factors[16:] == pytest.approx([1.5] * 3)
    assert factors[:16] == pytest.approx([164 / 160] * 16)


def test_years_between_are_geometric() -> None:
    frame = projection_from_change(CHANGE, [10.0] * 19, persons=190)
    old = frame[frame.age_band == "90+"].set_index("year")["population"]
    assert old.to_dict() == pytest.approx({2020: 10, 2021: 10 * 1.5**0.5, 2022: 15})
    assert frame[frame.year == 2022].population.sum() == pytest.approx(209)
    assert set(frame.sex) == {"P"} and len(frame) == 3 * 19


def _projection() -> pd.DataFrame:
    return pd.DataFrame({"measure": "activity", "pod": "ae", "year": [2020, 2021],
                         "p10": [90.0, 95.0], "p50": [100.0, 105.0], "p90": [110.0, 118.0],
                         "mean": [100.0, 105.0]})  # fmt: skip


def test_the_fan_chart_draws_the_band_the_median_and_the_plan() -> None:
    plan = pd.DataFrame({"pod": ["ae"], "table": ["A9"], "year": [2021], "plan": [120.0]})
    spec = fan_chart(_projection(), pod="ae", plan=plan)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line", "point"]
    assert spec["data"]["values"][1] == {"year": 2021, "p10": 95.0, "p50": 105.0, "p90": 118.0}
    assert spec["layer"][2]["data"]["values"] == [{"year": 2021, "plan": 120.0, "table": "A9"}]
    assert "crosses: the provider plans' totals" in spec["description"]


def test_the_waterfall_steps_from_the_running_total() -> None:
    steps = pd.DataFrame({"pod": "ae", "year": 2030,
                          "step": ["baseline", "demographic growth", "activity avoidance",
                                   "efficiency", "projection"],
                          "value": [100.0, 20.0, -15.0, -5.0, 100.0]})  # fmt: skip
    bars = waterfall_chart(steps, pod="ae")["data"]["values"]
    assert [(b["start"], b["end"], b["kind"]) for b in bars] == [
        (0, 100, "level"), (100, 120, "up"), (120, 105, "down"), (105, 100, "down"),
        (0, 100, "level"),
    ]  # fmt: skip
