"""Quantiles and funnel plots against the PHE reference files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import funnel_limits, funnel_points, funnel_significance, quantiles
from tests.stats.helpers import assert_close, ref

QUANT = "testdata_Quantiles__testdata_Quantiles.csv"


def good() -> pd.DataFrame:
    data = ref(QUANT)
    return data[data.Test.isin(["Gooddata", "GooddataDups"])]


def same_quantiles(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    a = got["quantile"].astype(float).fillna(-1).to_numpy()
    assert np.array_equal(a, expected.QuantileInGrp.fillna(-1).to_numpy())


def test_deciles_within_region_with_polarity_column() -> None:
    data = good().query("GroupSet == 'IndSexReg'")
    same_quantiles(
        quantiles(data, "Value", ["IndSexRef", "ParentCode"], invert_column="Polarity"), data
    )


def test_deciles_with_fixed_polarity_and_too_few_areas() -> None:
    data = good().query("GroupSet == 'IndSexReg' and IndSexRef == '90366Female'")
    got = quantiles(data, "Value", ["IndSexRef", "ParentCode"], invert=False)
    same_quantiles(got, data)
    assert got["quantile"].isna().any()  # a region with fewer areas than deciles gets none
    assert set(got.qinverted) == {"lowest quantile represents lowest values"}


def test_septiles_by_indicator_and_quartiles_ungrouped() -> None:
    data = good().query("GroupSet == 'IndSex'")
    same_quantiles(quantiles(data, "Value", invert_column="Polarity", n=7), data)
    whole = ref(QUANT)
    whole = whole[whole.GroupSet.isna()]
    same_quantiles(quantiles(whole, "Value", n=4), whole)


def test_mixed_polarity_in_a_group_is_refused() -> None:
    data = ref(QUANT).query("Test == 'BadPolarity'")
    with pytest.raises(ValidationError, match="mixes polarities"):
        quantiles(data, "Value", invert_column="Polarity")


def test_non_numeric_values_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"column 'AreaName'.*is not a number"):
        quantiles(good(), "AreaName", "IndSexRef")


PROP_LIMITS = [
    "Population",
    "lower_2s_limit",
    "upper_2s_limit",
    "lower_3s_limit",
    "upper_3s_limit",
    "baseline",
]


@pytest.mark.parametrize(
    ("name", "subset"),
    [
        ("testdata_funnel_prop_outputs.csv", None),
        ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31000),
    ],
)
def test_proportion_funnel_limits(name: str, subset: int | None) -> None:
    inputs = ref("testdata_funnel_prop_inputs.csv")
    if subset:
        inputs = inputs[inputs.denominator < subset]
    got = funnel_limits(inputs, "numerator", "denominator", statistic="proportion")
    expected = ref(name)
    assert_close(got[PROP_LIMITS].to_numpy(), expected.to_numpy())
    assert set(got.method) == {"Wilson"}


def test_proportion_funnel_significance() -> None:
    inputs = ref("testdata_funnel_prop_inputs.csv")
    got = funnel_significance(inputs.drop(columns="significance"), "numerator", "denominator")
    assert list(got.significance) == list(inputs.significance)


def ratio_outputs() -> pd.DataFrame:
    out = ref("testdata_funnel_ratio_outputs.csv")
    return out.rename(columns={out.columns[0]: "Observed_events"})


def test_ratio_funnel_limits_as_isr() -> None:
    got = funnel_limits(
        ref("testdata_funnel_ratio_inputs.csv"),
        "obs",
        "expected",
        statistic="ratio",
        ratio_type="isr",
    )
    expected = ratio_outputs()
    columns = [c for c in expected.columns if not c.endswith("count")]
    assert_close(
        got[[c.replace("isr", "limit") for c in columns]].to_numpy(), expected[columns].to_numpy()
    )
    assert set(got.statistic) == {"ratio (isr)"} and set(got.method) == {"Poisson"}


def test_ratio_funnel_limits_as_count() -> None:
    got = funnel_limits(
        ref("testdata_funnel_ratio_inputs.csv"),
        "obs",
        "expected",
        statistic="ratio",
        ratio_type="count",
    )
    expected = ratio_outputs()
    columns = [c for c in expected.columns if c.endswith("count")]
    # The count form is ratio - 1: compare the ratio, to keep 1e-6 relative meaningful near 0.
    assert_close(got[[c.replace("count", "limit") for c in columns]] + 1, expected[columns] + 1)
    assert set(got.statistic) == {"ratio (count)"}


def test_ratio_funnel_significance() -> None:
    inputs = ref("testdata_funnel_ratio_inputs.csv")
    got = funnel_significance(inputs[["obs", "expected"]], "obs", "expected", statistic="ratio")
    assert list(got.significance) == list(inputs.significance)


RATE_COLUMNS = [
    "Events",
    "lower_2s_population_1_year",
    "lower_2s_limit",
    "upper_2s_population_1_year",
    "upper_2s_limit",
    "lower_3s_population_1_year",
    "lower_3s_limit",
    "upper_3s_population_1_year",
    "upper_3s_limit",
    "baseline",
]


def rate_inputs() -> pd.DataFrame:
    return ref("testdata_funnel_rate_input_funnels.csv")


def test_rate_funnel_limits_dsr() -> None:
    got = funnel_limits(
        rate_inputs(),
        "ev",
        rate="rate",
        multiplier=1e5,
        statistic="rate",
        rate_type="dsr",
        years_of_data=3,
    )
    expected = ref("testdata_funnel_rate_outputs.csv")
    assert_close(got[RATE_COLUMNS].to_numpy(), expected[RATE_COLUMNS].to_numpy())
    assert list(got.statistic) == list(expected.statistic)


def test_rate_funnel_limits_crude_with_few_events() -> None:
    data = rate_inputs()
    data.loc[data.ev == data.ev.max(), "ev"] = 5
    got = funnel_limits(
        data,
        "ev",
        rate="rate",
        multiplier=1e5,
        statistic="rate",
        rate_type="crude",
        years_of_data=3,
    )
    expected = ref("testdata_funnel_rate_outputs_2.csv")
    assert_close(got[RATE_COLUMNS].to_numpy(), expected[RATE_COLUMNS].to_numpy())


def test_rate_funnel_limits_crude_with_zero_events_and_denominator() -> None:
    data = rate_inputs()[["ev", "rate"]].copy()
    data["pop"] = 1e5 * data.ev / data.rate
    top = data.ev == data.ev.max()
    data.loc[top, ["ev", "rate"]] = 0
    data = data[data["pop"] > data["pop"].max() / 2]
    got = funnel_limits(
        data,
        "ev",
        "pop",
        rate="rate",
        multiplier=1e5,
        statistic="rate",
        rate_type="crude",
        years_of_data=3,
    )
    expected = ref("testdata_funnel_rate_outputs_3.csv")
    assert_close(got[RATE_COLUMNS].to_numpy(), expected[RATE_COLUMNS].to_numpy())


@pytest.mark.parametrize(
    ("rate", "rate_type", "multiplier", "column", "drop_zero"),
    [
        ("rate_dsr", "dsr", 1e5, "dsr_per_100000_with_0", False),
        ("rate_dsr", "dsr", 1e5, "dsr_per_100000_without_0", True),
        ("rate_dsr", "dsr", 100, "dsr_per_100_without_0", True),
        ("rate_crude_per_100000", "crude", 1e5, "crude_per_100000_with_0", False),
        ("rate_crude_per_100", "crude", 100, "crude_per_100_with_0", False),
        ("rate_crude_per_100000", "crude", 1e5, "crude_per_100000_without_0", True),
        ("rate_crude_per_100", "crude", 100, "crude_per_100_without_0", True),
    ],
)
def test_rate_funnel_significance(
    rate: str, rate_type: str, multiplier: float, column: str, drop_zero: bool
) -> None:
    data = ref("testdata_funnel_rate_dsr_inputs.csv")
    if drop_zero:
        data = data[data["count"] != 0]
    got = funnel_significance(
        data[["count", rate, "pop"]],
        "count",
        "pop",
        statistic="rate",
        rate=rate,
        rate_type=rate_type,
        multiplier=multiplier,
    )  # type: ignore[arg-type]
    assert list(got.significance) == list(data[column])


def test_rate_funnel_points() -> None:
    data = rate_inputs()
    few = data.copy()
    few.loc[few.ev == few.ev.max(), "ev"] = 5
    got = funnel_points(few, "ev", rate="rate", rate_type="dsr", years_of_data=3, multiplier=1e5)
    assert_close(got.rate_chart, few.rate_chart)
    assert_close(got.denominator_derived, few.denominator_derived)
    got = funnel_points(data, "ev", rate="rate", rate_type="crude", years_of_data=3, multiplier=1e5)
    assert_close(got.rate_chart, data.rate_chart_crude)
    assert_close(got.denominator_derived, data.denominator_derived_crude)
    zero = data.copy()
    zero.loc[zero.ev == zero.ev.max(), "ev"] = 0
    got = funnel_points(
        zero,
        "ev",
        rate="rate",
        rate_type="crude",
        years_of_data=5,
        multiplier=1e5,
        denominator="pop",
    )
    assert_close(got.denominator_derived, zero.denominator_derived_crude_with_denom)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"obs": [65, 80, 30], "pop": [100, 100, 0]}),
            "denominator must be greater than zero",
        ),
        (
            pd.DataFrame({"obs": [65, -80, 30], "pop": [100, 100, 200]}),
            "numerator must be at least 0",
        ),
        (
            pd.DataFrame({"obs": [65, 80, 30], "pop": [100, 100, 20]}),
            r"numerator \(30\) is greater than denominator",
        ),
    ],
)
def test_funnel_errors(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        funnel_significance(frame, "obs", "pop", statistic="proportion")


def test_unknown_funnel_statistic() -> None:
    with pytest.raises(ValidationError, match="unknown funnel statistic 'pop'"):
        funnel_limits(
            ref("testdata_funnel_prop_inputs.csv"), "numerator", "denominator", statistic="pop"
        )  # type: ignore[arg-type]


def test_inverted_polarity_ranks_minus_value_not_top_minus_value() -> None:
    """The reference ranks ``-value`` (Quantiles.R: ``rank(- values)``), so values near 1
    keep their order beside 1e9; ``1e9 - value`` would make them all equal."""
    values = [1e9, *(1 + k * 1e-9 for k in range(1, 10))]
    got = quantiles(pd.DataFrame({"v": values}), "v", n=10, invert=True)
    assert got["quantile"].tolist() == [1, 10, 9, 8, 7, 6, 5, 4, 3, 2]
    ordinary = quantiles(pd.DataFrame({"v": values}), "v", n=10, invert=False)
    assert ordinary["quantile"].tolist() == [10, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_quantile_output_columns_as_the_reference() -> None:
    """Quantiles.R adds quantile (whole numbers, NA without a value), nquantiles and
    qinverted ('lowest quantile represents highest values' when inverted)."""
    data = pd.DataFrame({"v": [5.0, None, 1.0, 3.0, 2.0, 4.0]})
    got = quantiles(data, "v", n=5)
    assert str(got["quantile"].dtype) == "Int64"
    assert got["quantile"].tolist() == [1, pd.NA, 5, 3, 4, 2]
    assert got["nquantiles"].tolist() == [5] * 6
    assert set(got["qinverted"]) == {"lowest quantile represents highest values"}
    got = quantiles(data, "v", n=5, invert=False)
    assert set(got["qinverted"]) == {"lowest quantile represents lowest values"}


def test_two_quantiles_are_the_fewest() -> None:
    data = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0]})
    assert quantiles(data, "v", n=2, invert=False)["quantile"].tolist() == [1, 1, 2, 2]
    with pytest.raises(ValidationError, match=r"^the number of quantiles must be at least 2$"):
        quantiles(data, "v", n=1)


def test_mixed_polarity_names_the_group_column_and_fix() -> None:
    data = pd.DataFrame({"ind": ["a", "a", "b"], "v": [1.0, 2.0, 3.0], "pol": [True, False, True]})
    with pytest.raises(ValidationError) as caught:
        quantiles(data, "v", "ind", n=2, invert_column="pol")
    err = caught.value
    assert err.message == "group ind='a' mixes polarities; it must be the same for every area"
    assert err.column == "pol"
    assert err.hint == "group by the indicator (and sex) so each group has one polarity"


def test_bad_value_and_polarity_cells_name_row_column_and_group() -> None:
    data = pd.DataFrame({"ind": ["a", "a"], "v": [1.0, "x"], "pol": ["True", "sideways"]})
    with pytest.raises(ValidationError) as caught:
        quantiles(data, "v", "ind", n=2)
    assert caught.value.message == "group ind='a': value 'x' is not a number"
    assert (caught.value.row, caught.value.column) == (2, "v")
    with pytest.raises(ValidationError) as caught:
        quantiles(data.assign(v=[1.0, 2.0]), "v", "ind", n=2, invert_column="pol")
    assert caught.value.message == "polarity 'sideways' is not understood"
    assert (caught.value.row, caught.value.column) == (2, "pol")
