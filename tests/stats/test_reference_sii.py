"""SII and RII against the PHE reference file (limits within the reference suite's 0.05)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import sii
from tests.stats.helpers import assert_close, ref

TOL = 0.05  # the tolerance testSII.R uses on simulated limits
REPS = 10_000  # as testSII.R
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
        assert_close(s[lower], expected[f"sii_lowercl_{i}"], rel=TOL)
        assert_close(s[upper], expected[f"sii_uppercl_{i}"], rel=TOL)
        if expected[f"rii_lowercl_{i}"].notna().all():
            assert_close(r[lower], expected[f"rii_lowercl_{i}"], rel=TOL)
            assert_close(r[upper], expected[f"rii_uppercl_{i}"], rel=TOL)


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
