"""Byar's, Wilson, proportions, crude rates and means against the PHE reference files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import byars_lower, byars_upper, mean, proportion, rate, wilson
from tests.stats.helpers import assert_close, ref


def halves(frame: pd.DataFrame) -> pd.DataFrame:
    """Each area split into two rows of half its numerator and denominator."""
    half = frame[["Area", "Numerator", "Denominator"]].copy()
    half[["Numerator", "Denominator"]] /= 2
    return pd.concat([half, half], ignore_index=True)


LIMITS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


def test_byars_and_wilson_limits() -> None:
    data = ref("testdata_Byars_Wilson__testdata_B_W.csv")
    for _, row in data.iterrows():
        level = float(row.confidence.rstrip("%")) / 100
        if row.method == "Byars":
            lower = byars_lower(np.array([row.x]), level)
            upper = byars_upper(np.array([row.x]), level)
        else:
            lower, upper = wilson(np.array([row.x]), np.array([row.n]), level)
        assert_close(lower, [row.lowercl])  # NaN where Byar's goes negative, as the reference
        assert_close(upper, [row.uppercl])


@pytest.mark.parametrize("multiplier", [1, 100])
def test_proportions_ungrouped(multiplier: int) -> None:
    data = ref("testdata_Proportion__testdata_Prop.csv")
    expected = data[data.multiplier == multiplier]
    got = proportion(
        expected, "Numerator", "Denominator", "Area", multiplier=multiplier, missing="na"
    )
    got = got.set_index("Area").loc[expected.Area]
    assert_close(got.value, expected.value)
    for column in LIMITS:
        assert_close(got[column], expected[column])
    assert list(got.statistic) == list(expected.statistic)
    assert set(got.method) == {"Wilson"}


def test_proportions_grouped_sum_numerators_and_denominators() -> None:
    expected = ref("testdata_Proportion__testdata_Prop_g.csv")
    got = proportion(
        halves(expected), "Numerator", "Denominator", "Area", confidence=0.95, missing="na"
    )
    got = got.set_index("Area").loc[expected.Area]
    assert_close(got.numerator, expected.Numerator)
    assert_close(got.value, expected.value)
    assert_close(got.lower95_0cl, expected.lowercl)
    assert_close(got.upper95_0cl, expected.uppercl)


def test_missing_proportion_inputs_are_refused_by_default() -> None:
    data = ref("testdata_Proportion__testdata_Prop.csv")
    with pytest.raises(ValidationError, match=r"group Area='Area09'.*numerator is missing"):
        proportion(data, "Numerator", "Denominator", "Area")


@pytest.mark.parametrize("multiplier", [100, 100000])
def test_crude_rates_exact_below_10_and_byars_above(multiplier: int) -> None:
    data = ref("testdata_Rate__testdata_Rate.csv")
    expected = data[data.multiplier == multiplier]
    got = rate(expected, "Numerator", "Denominator", "Area", multiplier=multiplier, missing="na")
    got = got.set_index("Area").loc[expected.Area]
    assert_close(got.value, expected.value)
    for column in LIMITS:
        assert_close(got[column], expected[column])
    assert list(got.statistic) == list(expected.statistic)
    known = expected.method.notna().to_numpy() & got.numerator.notna().to_numpy()
    assert list(got.method[known]) == list(expected.method[known])


def test_crude_rates_grouped() -> None:
    expected = ref("testdata_Rate__testdata_Rate_g.csv")
    got = rate(halves(expected), "Numerator", "Denominator", "Area", confidence=95, missing="na")
    got = got.set_index("Area").loc[expected.Area]
    assert_close(got.value, expected.value)
    assert_close(got.lower95_0cl, expected.lowercl)
    assert_close(got.upper95_0cl, expected.uppercl)


def test_means_with_t_limits_grouped_and_ungrouped() -> None:
    data = ref("testdata_Mean__testdata_Mean.csv")
    expected = ref("testdata_Mean__testdata_Mean_results.csv").set_index("area")
    grouped = mean(data, "values", "area")
    whole = mean(data, "values")
    for got, key in (
        (grouped.iloc[0], "Area1"),
        (grouped.iloc[1], "Area2"),
        (whole.iloc[0], "No grouping"),
    ):
        row = expected.loc[key]
        assert_close(
            [got.numerator, got.denominator, got.stdev, got.value, *(got[c] for c in LIMITS)],
            [row.value_sum, row.value_count, row.stdev, row.value, *(row[c] for c in LIMITS)],
        )
        assert got.method == row.method
