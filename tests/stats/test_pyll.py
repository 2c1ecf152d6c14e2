"""PYLL before 75 as the seeds define it."""

from __future__ import annotations

import pandas as pd

from placehealth.stats import ESP2013, dsr, pyll
from tests.conftest import seed_figures, seed_quote
from tests.stats.helpers import assert_close


def frame(deaths: dict[str, float], scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": "A",
            "age_band": ESP2013.index,
            "deaths": [deaths.get(b, 0.0) for b in ESP2013.index],
            "pop": ESP2013.to_numpy() * scale,
        }
    )


def test_seed_001_wording_years_to_75_per_100000() -> None:
    """The definition below is the document's (needs the document's text)."""
    assert seed_quote("under", "001", 252, 265)


def test_seed_001_definition_years_to_75_summed_per_100000() -> None:
    # seed 001 lines 252-265: years between the age a person under 75 dies and 75,
    # summed over deaths in 12 months, reported as a rate per 100,000.
    figures = seed_figures("001", 252, 265).split()
    assert "75" in figures and "100,000" in figures
    data = frame({"70-74": 4, "20-24": 1, "80-84": 50}, scale=2)  # deaths at 80-84 add nothing
    got = pyll(data, "deaths", "pop", "area", kind="crude")
    years = 4 * (75 - 72.5) + 1 * (75 - 22.5)
    under_75 = ESP2013.iloc[:15].sum() * 2
    assert_close(got.numerator, [years])
    assert_close(got.value, [years / under_75 * 100_000])
    assert got.statistic.iloc[0] == "crude PYLL rate per 100000"


def test_seed_000_directly_age_standardised_rate() -> None:
    # seed 000 lines 1346-1349: "Directly age standardised rate of potential years of
    # life lost ... Rate per 100,000" (its wording: tests/seed_wording.py).
    assert "100,000" in seed_figures("000", 1346, 1349).split()
    data = frame({"70-74": 4, "20-24": 1})
    data["pop"] = data["pop"] * [1 + i / 10 for i in range(19)]  # not the standard's shape
    got = pyll(data, "deaths", "pop", "area")
    under = data.iloc[:15]
    years = 75 - (under.age_band.str.split("-").str[0].astype(float) + 2.5)
    expected = (ESP2013.iloc[:15].to_numpy() * under.deaths * years / under["pop"]).sum()
    assert_close(got.value, [expected / ESP2013.iloc[:15].sum() * 100_000])
    assert got.statistic.iloc[0] == "age-standardised PYLL rate per 100000"


def test_standardised_equals_crude_for_a_standard_shaped_population() -> None:
    data = frame({"0-4": 2, "45-49": 7, "70-74": 30}, scale=3)
    crude = pyll(data, "deaths", "pop", "area", kind="crude")
    standard = pyll(data, "deaths", "pop", "area")
    assert_close(standard.value, crude.value)
    assert (standard.lower95_0cl < standard.value).all()
    assert (standard.value < standard.upper99_8cl).all()


def test_bands_above_75_may_be_left_out() -> None:
    data = frame({"70-74": 4})
    assert_close(
        pyll(data.iloc[:15], "deaths", "pop", "area").value,
        pyll(data, "deaths", "pop", "area").value,
    )
    # the standardised PYLL is a DSR whose "events" are years lost
    data["years"] = data.deaths * 2.5
    as_dsr = dsr(
        data.iloc[:15], "years", "pop", "area", age_band="age_band", standard=ESP2013.iloc[:15]
    )
    assert_close(as_dsr.value, pyll(data, "deaths", "pop", "area").value)
