"""Crude rates (phe_rate): the edges the reference file does not reach.

The reference's own figures are compared in ``test_reference_basic.py``; these pin the
refusal of a group with no population, the output's shape and the method of a group
with a gap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import rate
from tests.stats.helpers import ref


def test_a_group_with_no_population_is_refused_naming_group_column_and_fix() -> None:
    data = pd.DataFrame({"area": ["A", "B", "B"], "x": [5, 0, 1], "n": [100, 0, 0]})
    with pytest.raises(ValidationError) as refused:
        rate(data, "x", "n", "area")
    error = refused.value
    assert error.message == "group area='B': population must be greater than zero"
    assert error.column == "n" and error.row is None
    assert error.hint == "a rate needs a population; drop the group or correct the denominator"


def test_a_missing_population_is_not_a_zero_one() -> None:
    """With ``missing="na"`` a gap gives an empty rate (the reference), not the zero refusal."""
    data = pd.DataFrame({"area": ["A", "B"], "x": [5, 12], "n": [100, None]})
    got = rate(data, "x", "n", "area", missing="na")
    assert got["value"].iloc[0] == 5000 and np.isnan(got["value"].iloc[1])


def test_output_columns_default_levels_and_statistic() -> None:
    got = rate(pd.DataFrame({"x": [3, 4], "n": [500, 500]}), "x", "n", multiplier=1000)
    assert list(got.columns) == [
        "numerator", "denominator", "value", "lower95_0cl", "upper95_0cl",
        "lower99_8cl", "upper99_8cl", "statistic", "method",
    ]  # fmt: skip
    assert got.iloc[0][["numerator", "denominator", "value"]].tolist() == [7, 1000, 7]
    assert got["statistic"].iloc[0] == "rate per 1000"


def test_method_as_the_reference_where_a_count_or_population_is_missing() -> None:
    """testdata_Rate.csv: no count gives no method; a count of 10 without a population is
    still "Byars" (the method follows the count)."""
    data = ref("testdata_Rate__testdata_Rate.csv")
    expected = data[data.multiplier == 100_000]
    got = rate(expected, "Numerator", "Denominator", "Area", missing="na")
    got = got.set_index("Area").loc[expected.Area]

    def named(column: pd.Series) -> list[str | None]:
        return [m if isinstance(m, str) else None for m in column]

    want = named(expected["method"])
    assert named(got["method"]) == want
    assert None in want and "Exact" in want and "Byars" in want


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        (None, 100, "row 2, column 'x': group area='B': count is missing"),
        (12, None, "row 2, column 'n': group area='B': population is missing"),
        (-1, 100, "row 2, column 'x': group area='B': count must be at least 0"),
        (12, -5, "row 2, column 'n': group area='B': population must be at least 0"),
    ],
)
def test_a_gap_or_negative_is_refused_by_default_naming_what_it_is(
    x: float | None, n: float | None, message: str
) -> None:
    data = pd.DataFrame({"area": ["A", "B"], "x": [5, x], "n": [100, n]})
    with pytest.raises(ValidationError) as refused:
        rate(data, "x", "n", "area")
    assert str(refused.value).startswith(message)
