"""Sullivan's state-free life expectancy, on life tables worked by hand.

When every death is at 90 or over, a Chiang II table keeps everyone alive to 90:
L is 1 year of 100,000 in band 0, 4 years in 1-4, 5 in each band to 85-89, and
100,000 / M at 90+ (M = deaths / population at 90+), so life expectancy at birth
is 90 + 1 / M and the years free of a state are sum(years × (1 - prevalence)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats.healthy_life import sullivan
from placehealth.stats.life_expectancy import LABELS

WIDTHS = np.array([1, 4] + [5] * 17 + [0], dtype=float)


def table(prevalence: np.ndarray, area: str = "A") -> pd.DataFrame:
    population = np.full(20, 1000.0)
    deaths = np.zeros(20)
    deaths[-1] = 400  # M = 0.4 at 90+: life expectancy 90 + 2.5
    return pd.DataFrame({"area": area, "age_band": LABELS, "deaths": deaths,
                         "population": population,
                         "prevalent": np.round(prevalence * population)})  # fmt: skip


def test_a_state_only_at_90_plus_takes_its_share_of_those_years() -> None:
    prevalence = np.zeros(20)
    prevalence[-1] = 0.5
    got = sullivan(table(prevalence), "deaths", "population", "prevalent", "area")
    assert got["value"].iloc[0] == pytest.approx(90 + 0.5 * 2.5, rel=1e-12)
    # var = (L90 / l0)^2 × 0.25 / 1000 = 2.5^2 × 0.00025
    half = 1.959964 * np.sqrt(2.5**2 * 0.25 / 1000)
    assert got["lower95_0cl"].iloc[0] == pytest.approx(91.25 - half, rel=1e-6)
    assert got["numerator"].iloc[0] == 500 and got["denominator"].iloc[0] == 20_000


def test_the_same_prevalence_everywhere_scales_life_expectancy() -> None:
    frame = pd.concat([table(np.full(20, 0.2), "A"), table(np.zeros(20), "B")])
    got = sullivan(frame, "deaths", "population", "prevalent", "area").set_index("area")
    assert got.loc["A", "value"] == pytest.approx(0.8 * 92.5, rel=1e-12)
    assert got.loc["B", "value"] == pytest.approx(92.5, rel=1e-12)
    assert got.loc["B", "upper95_0cl"] == pytest.approx(92.5, rel=1e-12)  # no prevalence, no error


def test_no_life_table_no_value_with_the_reason() -> None:
    frame = table(np.zeros(20))
    frame.loc[19, "deaths"] = 0
    got = sullivan(frame, "deaths", "population", "prevalent", "area")
    assert np.isnan(got["value"].iloc[0])
    assert got["note"].iloc[0] == "no deaths in the 90+ band"


def test_more_prevalent_than_people_is_refused() -> None:
    frame = table(np.zeros(20))
    frame.loc[3, "prevalent"] = 1001
    with pytest.raises(ValidationError, match="prevalent count"):
        sullivan(frame, "deaths", "population", "prevalent", "area")
