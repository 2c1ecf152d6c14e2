"""SII and RII against the PHE reference file.

The limits are simulated, by the reference (100,000 repetitions, its own random
numbers) and by us, so they cannot agree to every printed digit: the precision
the reference's figures carry is their Monte Carlo error. Limits are compared
within ``MC_SE`` standard errors of that error (both simulations' shares), from
the standard error of a sample quantile, sqrt(p(1 - p) / n) / density, with the
density of the simulated statistic taken as normal with the spread the
reference's own limits imply. That is some 50-160 times tighter than the gap
between a limit and the point estimate (asserted), where the reference suite's
5% was not.

With ``transform=True`` the reference draws the slope on the log or logit scale
and lays each limit about the fitted midpoint (SII_function.R, the ``xequalshalf``
steps); the SII and RII are smooth, rising functions of that slope, close to
straight lines over an interval this narrow, so the same normal approximation
of the limits' simulation error holds on their own scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from placehealth.errors import ValidationError
from placehealth.stats import sii
from tests.stats.helpers import assert_close, ref

REPS = 100_000  # as the reference's figures (the Repetitions column)
REF_REPS = 100_000
MC_SE = 4.5  # standard errors of simulation error allowed
TYPES = {0: "normal", 1: "rate", 2: "proportion"}


def block(first: int, size: int = 20) -> pd.DataFrame:
    data = ref("testdata_SII__testdata_SII.csv")
    return data[(data.RecordNo >= first) & (data.RecordNo < first + size)]


# (first record, options, uncertainty given as standard error or 95% limits)
CASES = [
    (1, {}, "se"),
    (1, {}, "cl"),
    (21, {"confidence": 0.99}, "cl"),
    (21, {"confidence": 99}, "se"),
    (41, {}, "se"),
    (71, {}, "se"),
    (71, {}, "cl"),
    (91, {}, "se"),
    (91, {}, "cl"),
    (111, {"multiplier": 100}, "cl"),
    (131, {"multiplier": -100}, "cl"),
    (226, {"confidence": [95, 99]}, "se"),
    (246, {}, "cl"),
    (266, {}, "cl"),
    (306, {"transform": True}, "cl"),
    (326, {"transform": True}, "cl"),
    (346, {"transform": True, "multiplier": -1}, "cl"),
    (366, {"transform": True, "confidence": [0.95, 0.98]}, "cl"),
    (386, {"transform": True, "multiplier": -1}, "cl"),
    (406, {"transform": True, "confidence": 98}, "cl"),
    (426, {"transform": True}, "cl"),
    (446, {"transform": True}, "cl"),
    (466, {"transform": True, "confidence": 98}, "cl"),
    (486, {"transform": True, "confidence": [95, 98]}, "cl"),
]


@pytest.mark.parametrize(("first", "options", "uncertainty"), CASES)
def test_sii_reference(first: int, options: dict, uncertainty: str) -> None:
    data = block(first)
    kind = TYPES[int(data.ValueType.iloc[0])]
    given = (
        {"se": "StandardError"}
        if uncertainty == "se"
        else {"lower_cl": "LowerCL", "upper_cl": "UpperCL"}
    )
    got = sii(
        data,
        "Quantile",
        "Population",
        "Area",
        value="Value",
        value_type=kind,  # type: ignore[arg-type]
        repetitions=REPS,
        seed=first,
        **given,
        **options,
    )
    expected = data[data.sii.notna()].reset_index(drop=True)
    s = got[got.statistic.str.startswith("slope")].reset_index(drop=True)
    r = got[got.statistic.str.startswith("relative")].reset_index(drop=True)
    assert_close(s.value, expected.sii)  # the point estimate is exact
    if expected.rii.notna().all():
        assert_close(r.value, expected.rii)
    if expected.Intercept.notna().all():
        assert_close(s.intercept, expected.Intercept)
    levels = [c for c in s.columns if c.startswith("lower")]
    for i, lower in enumerate(levels, start=1):
        upper = lower.replace("lower", "upper")
        level = float(lower[len("lower") : -len("cl")].replace("_", ".")) / 100
        assert_simulated(s, lower, upper, expected, f"sii_lowercl_{i}", "sii", level)
        if expected[f"rii_lowercl_{i}"].notna().all():
            assert_simulated(r, lower, upper, expected, f"rii_lowercl_{i}", "rii", level)


def mc_tolerance(ref_lower: np.ndarray, ref_upper: np.ndarray, level: float) -> np.ndarray:
    """MC_SE standard errors of the two simulations' quantile estimates."""
    z = st.norm.ppf(0.5 + level / 2)
    p = (1 - level) / 2
    spread = (ref_upper - ref_lower) / (2 * z)
    one_draw = np.sqrt(p * (1 - p)) / st.norm.pdf(z) * spread
    return MC_SE * one_draw * np.sqrt(1 / REF_REPS + 1 / REPS)


def assert_simulated(
    got: pd.DataFrame,
    lower: str,
    upper: str,
    expected: pd.DataFrame,
    ref_lower: str,
    point: str,
    level: float,
) -> None:
    el = expected[ref_lower].to_numpy(float)
    eu = expected[ref_lower.replace("lower", "upper")].to_numpy(float)
    tol = mc_tolerance(el, eu, level)
    value = expected[point].to_numpy(float)
    # a limit replaced by the point estimate could not pass
    assert (np.abs(el - value) > 10 * tol).all() and (np.abs(eu - value) > 10 * tol).all()
    np.testing.assert_array_less(np.abs(got[lower].to_numpy() - el), tol)
    np.testing.assert_array_less(np.abs(got[upper].to_numpy() - eu), tol)


def test_quintiles_point_estimate() -> None:
    data = block(61, 10)
    got = sii(
        data,
        "Quantile",
        "Population",
        "Area",
        value="Value",
        se="StandardError",
        repetitions=100,
        rii=False,
    )
    assert_close(got.value, data[data.sii.notna()].sii)


def test_proportion_from_count() -> None:
    data = block(91)
    from_count = sii(
        data,
        "Quantile",
        "Population",
        "Area",
        count="Count",
        value_type="proportion",
        lower_cl="LowerCL",
        upper_cl="UpperCL",
        repetitions=100,
    )
    from_value = sii(
        data,
        "Quantile",
        "Population",
        "Area",
        value="Value",
        value_type="proportion",
        lower_cl="LowerCL",
        upper_cl="UpperCL",
        repetitions=100,
    )
    assert_close(from_count.value, from_value.value, rel=1e-4)


def test_same_seed_same_limits_other_seed_close() -> None:
    data = block(1)
    run = lambda seed: sii(  # noqa: E731
        data,
        "Quantile",
        "Population",
        "Area",
        value="Value",
        se="StandardError",
        repetitions=1000,
        seed=seed,
    )
    a, b, c = run(5), run(5), run(6)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.lower95_0cl, c.lower95_0cl)
    assert_close(a.lower95_0cl, c.lower95_0cl, rel=0.1)


@pytest.mark.parametrize(
    ("first", "size", "options", "message"),
    [
        (151, 10, {"se": "StandardError"}, "population must be greater than zero"),
        (161, 10, {"se": "StandardError"}, "standard error must be at least 0"),
        (
            171,
            10,
            {"lower_cl": "LowerCL", "upper_cl": "UpperCL", "value_type": "proportion"},
            "is not between 0 and 1",
        ),
        (201, 10, {"se": "StandardError"}, "is missing"),
    ],
)
def test_reference_error_records(first: int, size: int, options: dict, message: str) -> None:
    data = block(first, size)
    with pytest.raises(ValidationError, match=message):
        sii(data, "Quantile", "Population", value="Value", repetitions=10, **options)


def test_too_many_or_too_few_quantiles_and_missing_uncertainty() -> None:
    data = block(1, 10)
    with pytest.raises(ValidationError, match="standard error column or both 95% limit"):
        sii(data, "Quantile", "Population", value="Value", lower_cl="LowerCL")
    with pytest.raises(ValidationError, match="needs between 5 and 100"):
        sii(data.head(4), "Quantile", "Population", value="Value", se="StandardError")
    with pytest.raises(ValidationError, match="no row for quantile 10"):
        two = block(1)
        sii(
            two.drop(two.index[-1]),
            "Quantile",
            "Population",
            "Area",
            value="Value",
            se="StandardError",
        )
