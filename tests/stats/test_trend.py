"""Recent trend (Fingertips' rule): the chi-square test for trend and the markers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats.trend import chi_square_for_trend, recent_trend, weighted_trend
from tests.conftest import reference_file


def test_chi_square_for_trend_matches_r_prop_trend_test() -> None:
    """R's documented example (tests/reference-data/r-stats), to the 5 figures R prints."""
    ref = pd.read_csv(reference_file("r-stats/prop_trend_test.csv"))
    for _case, rows in ref.groupby("case"):
        chi, _ = chi_square_for_trend(
            rows["x"].to_numpy(), rows["n"].to_numpy(), rows["score"].to_numpy(float)
        )
        assert float(chi) == pytest.approx(rows["chi_square"].iloc[0], abs=5e-4)


def test_chi_square_for_trend_by_hand() -> None:
    """x = 100, 120 … 180 of 1,000 each: p = 0.14, Σ n (t - 2)(x/n - p) = 200,
    Σ n (t - 2)² = 10,000, so chi-square = 200² / (0.14 × 0.86 × 10,000) = 33.2226."""
    chi, sign = chi_square_for_trend(np.array([100, 120, 140, 160, 180]), np.full(5, 1000))
    assert float(chi) == pytest.approx(40_000 / (0.14 * 0.86 * 10_000), rel=1e-12)
    assert float(chi) == pytest.approx(33.2226, abs=5e-5)
    assert sign == 1


def test_weighted_trend_by_hand() -> None:
    """Values rising 0.2 a period with SE 0.1: Σ w (t - t̄)² = 100 × 10 = 1,000, slope 0.2,
    chi-square = 0.2² × 1,000 = 40."""
    chi, sign = weighted_trend(np.array([78.0, 78.2, 78.4, 78.6, 78.8]), np.full(5, 0.1))
    assert float(chi) == pytest.approx(40.0, rel=1e-9)
    assert sign == 1


def series(name: str, counts: list[float], denominators: float = 1000) -> pd.DataFrame:
    years = [f"{2014 + i}/{15 + i}" for i in range(len(counts))]
    return pd.DataFrame({"area": name, "period": years, "numerator": counts,
                         "denominator": denominators})  # fmt: skip


def test_recent_trend_markers_for_proportions() -> None:
    data = pd.concat([
        series("rising", [5, 100, 120, 140, 160, 180]),  # only the last five count
        series("flat", [100, 102, 99, 101, 100]),
        series("outlier", [100, 100, 100, 100, 300]),  # without the last point: no slope
        series("short", [100, 120, 140, 160]),
        series("gap", [100, 120, np.nan, 160, 180]),
    ], ignore_index=True).sample(frac=1, random_state=3)  # fmt: skip
    data["polarity"] = "lower_is_better"
    got = recent_trend(data, "period", "area", polarity="polarity").set_index("area")
    assert got.loc["rising", "recent_trend"] == "Increasing and getting worse"
    assert got.loc["rising", "period"] == "2019/20"
    assert got.loc["flat", "recent_trend"] == "No significant change"
    assert got.loc["flat", "recent_trend_reason"] == "No significant trend"
    assert got.loc["outlier", "chi_square"] > 9.5495
    assert got.loc["outlier", "recent_trend"] == "No significant change"
    assert got.loc["outlier", "recent_trend_reason"] == "Outlier found"
    assert got.loc["short", "recent_trend"] == "Cannot be calculated"
    assert got.loc["short", "recent_trend_reason"] == "Not enough data points"
    assert got.loc["gap", "recent_trend"] == "Cannot be calculated"
    assert got.loc["gap", "recent_trend_reason"] == "Missing values"


def test_recent_trend_for_other_values_and_no_polarity() -> None:
    values = [79.0, 78.8, 78.6, 78.4, 78.2]
    data = pd.DataFrame({"period": ["2015-17", "2016-18", "2017-19", "2018-20", "2019-21"],
                         "value": values, "lower95_0cl": np.subtract(values, 0.196),
                         "upper95_0cl": np.add(values, 0.196)})  # fmt: skip
    got = recent_trend(data, "period", value_type="other")
    assert got["recent_trend"].iloc[0] == "Decreasing"
    assert got["chi_square"].iloc[0] == pytest.approx(0.04 * 10 / 0.1**2, rel=1e-3)


def test_a_period_twice_in_a_series_is_refused() -> None:
    data = series("a", [1, 2, 3, 4, 5])
    data.loc[1, "period"] = data.loc[0, "period"]
    with pytest.raises(ValidationError, match="comes twice"):
        recent_trend(data, "period", "area")
