"""Exact Poisson limits are computed only for counts under 10 (where the reference uses them).

PHEindicatormethods (Rates.R, ISRate.R, ISRatio.R, Funnels.R) takes the exact
chi-square limit where the count is under 10 and Byar's approximation
otherwise; computing the chi-square quantile for every row costs seconds over
a million rows and is thrown away for all the large counts.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from placehealth.stats import (
    byars_lower,
    byars_upper,
    exact_lower,
    exact_upper,
    funnel_significance,
    isr,
    rate,
)
from placehealth.stats.confidence import poisson_limits

COUNTS = np.array([0, 1, 3, 9, 10, 11, 50, 999, 12_345, 9.5, np.nan])


@pytest.fixture
def chi2_sizes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many values each chi-square quantile call is given."""
    sizes: list[int] = []
    original = st.chi2.ppf

    def counting(q: object, df: object, *args: object, **kwargs: object) -> object:
        sizes.append(int(np.broadcast(np.asarray(q), np.asarray(df)).size))
        return original(q, df, *args, **kwargs)

    monkeypatch.setattr(st.chi2, "ppf", counting)
    yield sizes


def test_limits_are_exact_below_10_and_byars_from_10_exactly_as_before() -> None:
    for level in (0.95, 0.998):
        lower, upper, exact = poisson_limits(COUNTS, level)
        small = COUNTS < 10
        assert exact.tolist() == small.tolist()
        want_lower = np.where(small, exact_lower(COUNTS, level), byars_lower(COUNTS, level))
        want_upper = np.where(small, exact_upper(COUNTS, level), byars_upper(COUNTS, level))
        np.testing.assert_array_equal(lower, want_lower)
        np.testing.assert_array_equal(upper, want_upper)


def test_rate_computes_exact_limits_only_for_small_counts(chi2_sizes: list[int]) -> None:
    counts = np.array([2, 500, 700, 800, 900, 1000, 5, 12, 40, 60])
    data = pd.DataFrame({"area": range(10), "x": counts, "n": 10_000})
    got = rate(data, "x", "n", "area", confidence=0.95)
    assert sum(chi2_sizes) == 2 * 2  # lower and upper, for the two counts under 10
    assert got.method.tolist() == ["Exact", *["Byars"] * 5, "Exact", *["Byars"] * 3]


def test_isr_computes_exact_limits_only_for_small_counts(chi2_sizes: list[int]) -> None:
    data = pd.DataFrame(
        {"area": ["a", "a", "b", "b", "c", "c"], "x": [1, 2, 300, 400, 30, 40], "n": 1000}
    ).assign(ref_count=[10, 20] * 3, ref_population=[1000, 1000] * 3)
    got = isr(data, "x", "n", "area", confidence=[0.95, 0.998])
    assert sum(chi2_sizes) == 2 * 2 * 1  # two levels, lower and upper, one small group
    assert got.method.tolist() == ["Exact", "Byars", "Byars"]


def test_ratio_funnel_significance_computes_exact_limits_only_for_small_counts(
    chi2_sizes: list[int],
) -> None:
    data = pd.DataFrame({"obs": [3, 120, 80, 200, 150], "exp": [2.0, 100, 100, 150, 160]})
    got = funnel_significance(data, "obs", "exp", statistic="ratio")
    assert 0 < sum(chi2_sizes) <= 2 * 2  # two levels and two sides, for the one small count
    assert got.significance.tolist()[3] == "High (0.001)"


def test_exact_limits_are_computed_once_per_distinct_count(chi2_sizes: list[int]) -> None:
    counts = np.tile([0, 3, 7, 250], 1000)
    lower, upper, exact = poisson_limits(counts, 0.95)
    assert sum(chi2_sizes) == 2 * 3  # lower and upper for 0, 3 and 7
    np.testing.assert_array_equal(lower[1::4], exact_lower(np.array([3.0]), 0.95)[0])
    np.testing.assert_array_equal(upper[2::4], exact_upper(np.array([7.0]), 0.95)[0])
    assert exact.sum() == 3000
