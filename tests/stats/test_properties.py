"""Properties that must hold for any valid input (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as hs

from placehealth.stats import ESP2013, dsr, life_expectancy, proportion, rate
from tests.stats.helpers import assert_close
from tests.stats.test_reference_life_expectancy import DEATHS, POPS, STARTS

FAST = settings(max_examples=40, deadline=None)
levels = hs.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


@FAST
@given(
    x=hs.integers(0, 5000),
    extra=hs.integers(0, 5000),
    lo=levels,
    hi=levels,
)
def test_proportion_limits_contain_value_and_widen(
    x: int, extra: int, lo: float, hi: float
) -> None:
    n = x + extra + 1
    a, b = sorted((lo, hi))
    got = proportion(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=[a, b]).iloc[0]
    cols = [c for c in got.index if c.endswith("cl")]
    l_a, u_a, l_b, u_b = (got[c] for c in cols) if a != b else (got[cols[0]], got[cols[1]]) * 2
    assert l_a <= got.value <= u_a
    assert l_b <= l_a + 1e-12 and u_a <= u_b + 1e-12


@FAST
@given(x=hs.integers(0, 100000), n=hs.integers(1, 10**7))
def test_rate_limits_contain_value_and_widen(x: int, n: int) -> None:
    got = rate(pd.DataFrame({"x": [x], "n": [n]}), "x", "n", confidence=[0.95, 0.998]).iloc[0]
    assert got.lower99_8cl <= got.lower95_0cl <= got.value <= got.upper95_0cl <= got.upper99_8cl


band_counts = hs.lists(hs.integers(0, 400), min_size=19, max_size=19)


@FAST
@given(counts=band_counts, scale=hs.floats(0.5, 50))
def test_dsr_equals_crude_rate_for_standard_shaped_population(
    counts: list[int], scale: float
) -> None:
    data = pd.DataFrame({"band": ESP2013.index, "x": counts, "n": ESP2013.to_numpy() * scale})
    got = dsr(data, "x", "n", age_band="band").iloc[0]
    crude = rate(data, "x", "n").iloc[0]
    if sum(counts) >= 10:
        assert_close(got.value, crude.value, rel=1e-9)
        assert got.lower99_8cl <= got.lower95_0cl <= got.value <= got.upper95_0cl <= got.upper99_8cl
    else:
        assert np.isnan(got.value)


@FAST
@given(
    counts=band_counts,
    pops=hs.lists(hs.integers(50, 5000), min_size=19, max_size=19),
    seed=hs.integers(0, 2**32 - 1),
)
def test_results_do_not_depend_on_row_order(counts: list[int], pops: list[int], seed: int) -> None:
    one = pd.DataFrame({"band": ESP2013.index, "x": counts, "n": pops, "area": "a"})
    two = one.assign(area="b", x=[c + 3 for c in counts])
    data = pd.concat([one, two], ignore_index=True)
    shuffled = data.sample(frac=1, random_state=np.random.default_rng(seed).integers(1 << 31))
    a = dsr(data, "x", "n", "area", age_band="band")
    b = dsr(shuffled, "x", "n", "area", age_band="band")
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


@FAST
@given(band=hs.integers(0, 19), fraction=hs.floats(0.05, 0.9), seed=hs.integers(0, 2**32 - 1))
def test_life_expectancy_rises_when_deaths_fall(band: int, fraction: float, seed: int) -> None:
    base = pd.DataFrame({"age": STARTS, "pop": POPS, "deaths": DEATHS})
    fewer = base.copy()
    fewer.loc[band, "deaths"] = (
        max(1.0, np.floor(DEATHS[band] * fraction))
        if band == 19
        else np.floor(DEATHS[band] * fraction)
    )
    before = life_expectancy(base, "deaths", "pop", age_band="age")
    after = life_expectancy(
        fewer.sample(frac=1, random_state=seed % (1 << 31)), "deaths", "pop", age_band="age"
    )
    # compare the life table itself (a value may be suppressed if its interval passes 20 years)
    rise = after.lower95_0cl + after.upper95_0cl - before.lower95_0cl - before.upper95_0cl
    assert (rise.to_numpy() >= -1e-9).all()
    assert after.value.iloc[0] > before.value.iloc[0]
    shown = after.value.notna()
    assert (after.lower95_0cl[shown] <= after.value[shown]).all()
    assert (after.value[shown] <= after.upper95_0cl[shown]).all()
