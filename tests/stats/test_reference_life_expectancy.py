"""Life expectancy against the worked values of PHEindicatormethods' testLifeExpectancy.R.

The input (df1) and expected values (answer1) below are the small tables
inline in ukhsa-collaboration/PHEindicatormethods, tests/testthat/
testLifeExpectancy.R; that file compares them at 4 decimal places, and we
compare at 1e-6 relative (which they meet).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import life_expectancy
from tests.stats.helpers import assert_close

STARTS = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]
POPS = [
    7060,
    35059,
    46974,
    48489,
    43219,
    38561,
    46009,
    57208,
    61435,
    55601,
    50209,
    56416,
    46411,
    39820,
    37978,
    37039,
    33288,
    23306,
    11936,
    11936,
]
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
VALUE = [
    80.16960813,
    79.36245674,
    75.44193645,
    70.47299936,
    65.52909542,
    60.67510088,
    55.78835987,
    50.92752727,
    46.06740425,
    41.24505636,
    36.49322717,
    31.83343842,
    27.26027992,
    22.9719144,
    18.76856852,
    14.95858336,
    11.51684445,
    8.618849241,
    6.163942934,
    6.16210635,
]
LOWER = [
    79.88268548,
    79.0898816,
    75.17407307,
    70.20675732,
    65.26548673,
    60.41876577,
    55.53801579,
    50.68279939,
    45.82666794,
    41.00842831,
    36.26223216,
    31.60996318,
    27.04337271,
    22.76653134,
    18.57570352,
    14.77985004,
    11.34831778,
    8.451134045,
    5.978358351,
    5.887683386,
]
UPPER = [
    80.45653078,
    79.63503188,
    75.70979983,
    70.7392414,
    65.79270412,
    60.931436,
    56.03870395,
    51.17225516,
    46.30814055,
    41.48168441,
    36.72422219,
    32.05691365,
    27.47718713,
    23.17729746,
    18.96143352,
    15.13731667,
    11.68537112,
    8.786564437,
    6.349527517,
    6.436529314,
]
LABELS = ["0", "1-4", "5-9", *(f"{a} – {a + 4}" for a in range(10, 90, 5)), "90 +"]


def df1() -> pd.DataFrame:
    return pd.DataFrame({"startage": STARTS, "pops": POPS, "deaths": DEATHS})


def check(got: pd.DataFrame) -> None:
    assert_close(got.value, VALUE)
    assert_close(got.lower95_0cl, LOWER)
    assert_close(got.upper95_0cl, UPPER)


def test_worked_example_every_age() -> None:
    got = life_expectancy(df1(), "deaths", "pops", age_band="startage", confidence=0.95)
    check(got)
    assert got.statistic.iloc[2] == "life expectancy at 5"
    assert got.method.iloc[0] == "Chiang, using Silcocks et al for confidence limits"
    assert got.numerator.iloc[-1] == 1937 and got.denominator.iloc[0] == sum(POPS)


def test_band_order_labels_and_grouping_do_not_matter() -> None:
    shuffled = df1().sample(frac=1, random_state=np.random.default_rng(3).integers(1 << 31))
    check(life_expectancy(shuffled, "deaths", "pops", age_band="startage"))
    labelled = df1().assign(startage=LABELS).iloc[::-1]
    check(life_expectancy(labelled, "deaths", "pops", age_band="startage"))
    two = pd.concat([df1().assign(area="a"), df1().assign(area="b")])
    got = life_expectancy(two, "deaths", "pops", "area", age_band="startage")
    assert_close(got.value, VALUE * 2)


def test_selected_ages_only() -> None:
    got = life_expectancy(df1(), "deaths", "pops", age_band="startage", ages=[5, 25])
    assert_close(got.value, [VALUE[2], VALUE[6]])


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ({"deaths": (3, -5)}, "negative deaths"),
        ({"pops": (5, 0)}, "zero or less population"),
        ({"pops": (18, 119)}, "more deaths than population"),
    ],
)
def test_reference_rules_suppress_a_group(change: dict, note: str) -> None:
    bad = df1()
    for column, (row, new) in change.items():
        bad.loc[row, column] = new
    data = pd.concat([df1().assign(area="good"), bad.assign(area="bad")])
    got = life_expectancy(data, "deaths", "pops", "area", age_band="startage", invalid="suppress")
    assert got[got.area == "bad"].value.isna().all()
    assert got[got.area == "bad"].note.str.contains(note).all()
    assert_close(got[got.area == "good"].value, VALUE)
    assert len(got) == 40


def test_missing_band_small_population_and_no_deaths_at_90() -> None:
    missing = df1().iloc[:-1].assign(area="missing")
    small = df1().assign(pops=[250] * 20, deaths=[5] * 20, area="small")
    none_at_90 = df1().assign(area="none90")
    none_at_90.loc[19, "deaths"] = 0
    data = pd.concat([missing, small, none_at_90, df1().assign(area="good")])
    got = life_expectancy(data, "deaths", "pops", "area", age_band="startage", invalid="suppress")
    assert len(got) == 79  # every input row comes back, as in the reference
    for area, note in [("missing", "missing age bands"), ("small", "5,000"), ("none90", "90+")]:
        rows = got[got.area == area]
        assert rows.value.isna().all() and rows.note.str.contains(note).all(), area
    # the small-population rule holds even when values are otherwise refused
    with pytest.raises(ValidationError, match="missing age band '90\\+'"):
        life_expectancy(missing, "deaths", "pops", "area", age_band="startage")


def test_strict_mode_names_group_and_column() -> None:
    bad = df1().assign(area="x")
    bad.loc[3, "deaths"] = -5
    with pytest.raises(ValidationError, match=r"row 4, column 'deaths': group area='x'"):
        life_expectancy(bad, "deaths", "pops", "area", age_band="startage")
    bad = df1()
    bad.loc[18, "pops"] = 119
    with pytest.raises(ValidationError, match=r"deaths .1936. are more than the population"):
        life_expectancy(bad, "deaths", "pops", age_band="startage")


def test_hand_computed_chiang_table_for_two_bands_of_the_worked_example() -> None:
    """Independent check of the last two rows from the Chiang II formulas by hand."""
    m85, m90 = 1936 / 11936, 1937 / 11936
    q85 = 5 * m85 / (1 + 5 * m85 * 0.5)
    # e(90) = 1 / M(90); e(85) = (5 (l90 + 0.5 d85) + l90 / M90) / l85 with l85 = 1
    assert_close(
        life_expectancy(df1(), "deaths", "pops", age_band="startage").value.iloc[-1], 1 / m90
    )
    l90 = 1 - q85
    e85 = (5 * (l90 + 0.5 * q85) + l90 / m90) / 1
    assert_close(
        life_expectancy(df1(), "deaths", "pops", age_band="startage", ages=[85]).value, [e85]
    )


@pytest.mark.parametrize(("pop_90", "suppressed"), [(41, True), (40, False)])
def test_the_20_year_rule_at_its_edge(pop_90: int, suppressed: bool) -> None:
    """LifeExpectancy.R: a value is NA when qnorm(0.975) * SE > 10. In the open 90+ band
    SE = 1 / (M sqrt(d)) = p / d^1.5, so with 4 deaths the 95% interval is
    2 * 1.96 * p / 8 years wide: 20.09 for 41 people, 19.60 for 40 (by hand)."""
    data = df1()
    data.loc[19, ["pops", "deaths"]] = [pop_90, 4]
    got = life_expectancy(data, "deaths", "pops", age_band="startage", confidence=0.95)
    at_90 = got.iloc[-1]
    se = pop_90 / 4**1.5
    assert_close(at_90.lower95_0cl, pop_90 / 4 - 1.959963984540054 * se)
    assert_close(at_90.upper95_0cl - at_90.lower95_0cl, 2 * 1.959963984540054 * se)
    if suppressed:
        assert np.isnan(at_90.value)
        assert at_90.note == "value suppressed: 95% interval wider than 20 years"
    else:
        assert at_90.value == pytest.approx(pop_90 / 4, rel=1e-12)
        assert at_90.note == ""
    assert got.value.iloc[:-1].notna().all()  # narrower intervals at younger ages are kept
