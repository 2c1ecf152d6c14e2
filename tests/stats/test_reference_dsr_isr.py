"""Directly and indirectly standardised rates against the PHE reference files."""

from __future__ import annotations

import pandas as pd
import pytest

from placehealth.errors import ValidationError
from placehealth.stats import ESP2013, dsr, isr
from tests.stats.helpers import assert_close, ref

LIMITS = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
DSR = "testdata_DSR_ISR__testresults_DSR.csv"


def check(got: pd.DataFrame, expected: pd.DataFrame, columns: list[str] = LIMITS) -> None:
    assert_close(got.numerator, expected.total_count)
    assert_close(got.denominator, expected.total_pop)
    assert_close(got.value, expected.value)
    for column in columns:
        assert_close(got[column], expected[column])
    assert list(got.statistic) == list(expected.statistic)
    assert list(got.method) == list(expected.method)


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_dsr_esp2013_by_age_band(multiplier: int) -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea.csv")
    first = 0 if multiplier == 10_000 else 4  # rows 1-3 per 10,000, rows 5-7 per 100,000
    expected = ref(DSR).iloc[first : first + 3]
    got = dsr(data, "count", "pop", "area", age_band="ageband", multiplier=multiplier)
    check(got, expected.reset_index(drop=True))


def test_dsr_matches_by_position_when_no_band_column_is_named() -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea.csv")
    by_band = dsr(data, "count", "pop", "area", age_band="ageband")
    by_position = dsr(data.drop(columns="ageband"), "count", "pop", "area")
    assert_close(by_position.value, by_band.value)
    assert_close(by_position.upper99_8cl, by_band.upper99_8cl)


def test_multiarea_lookup_totals() -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea.csv")
    lookup = ref("testdata_DSR_ISR__testdata_multiarea_lookup.csv")
    got = dsr(data, "count", "pop", "area", age_band="ageband")
    assert_close(got.set_index("area").loc[lookup.area].numerator, lookup.total_count)


def test_dsr_esp1976_named_and_as_a_column() -> None:
    data = ref("testdata_DSR_ISR__testdata_1976.csv")
    expected = ref(DSR).query("area == 'testdata_1976'").iloc[:1].reset_index(drop=True)
    named = dsr(data, "count", "pop", age_band="Age Band", standard="esp1976", multiplier=10_000)
    column = dsr(data, "count", "pop", standard_column="esp1976", multiplier=10_000)
    for got in (named, column):
        check(got, expected, ["lower95_0cl", "upper95_0cl"])
        # The reference sheet's 99.8% limits for this row are printed x10 (7659 for 765.9,
        # below the 95% lower limit of 799): compare at the sheet's scale.
        assert_close(got.lower99_8cl * 10, expected.lower99_8cl)
        assert_close(got.upper99_8cl * 10, expected.upper99_8cl)


def test_dsr_non_independent_events() -> None:
    wide = ref("testdata_DSR_ISR__testdata_nonindepe.csv")
    long = wide.melt(
        id_vars=["area", "ageband", "pop"],
        value_vars=["f1", "f2", "f3", "f4"],
        var_name="f",
        value_name="persons",
    )
    long["frequency"] = long.f.str[1].astype(int)
    long["events"] = long.persons.fillna(0) * long.frequency
    expected = ref(DSR)
    expected = expected[expected.area.str.startswith("testdata_nonind")].reset_index(drop=True)
    got = dsr(long, "events", "pop", "area", age_band="ageband", event_frequency="frequency")
    check(got, expected)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("err1", r"column 'count'.*count must be at least 0 \(found -26\)"),
        ("err3", r"column 'pop'.*population must be greater than zero \(found -558\)"),
        ("err4", r"column 'stdpop'.*standard population must be at least 0 \(found -6000\)"),
    ],
)
def test_dsr_error_files_with_own_standard(name: str, message: str) -> None:
    data = ref(f"testdata_DSR_ISR__testdata_{name}.csv")
    with pytest.raises(ValidationError, match=message):
        dsr(data, "count", "pop", age_band="Age Band", standard_column="stdpop")


def test_dsr_error_file_zero_population_names_the_group() -> None:
    data = ref("testdata_DSR_ISR__testdata_err2.csv")
    with pytest.raises(ValidationError, match=r"row 2, column 'pop': group area='Area1'"):
        dsr(data, "count", "pop", "area")


def test_dsr_error_files_with_esp2013_bands() -> None:
    data = ref("testdata_DSR_ISR__testdata_err1.csv")
    with pytest.raises(ValidationError, match="count must be at least 0"):
        dsr(data, "count", "pop", age_band="Age Band", standard=ESP2013)


@pytest.mark.parametrize(
    ("kind", "multiplier"), [("rate", 100_000), ("rate", 1000), ("ratio", 1), ("ratio", 100)]
)
def test_isr_with_reference_columns(kind: str, multiplier: int) -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea_isr.csv")
    results = ref("testdata_DSR_ISR__testresults_ISR.csv")
    word = "rate per" if kind == "rate" else "ratio x"
    expected = results[
        results.statistic.eq(f"indirectly standardised {word} {multiplier}")
        & results.area.str.startswith("testdata")
    ].reset_index(drop=True)
    got = isr(
        data,
        "count",
        "pop",
        "area",
        ref_count="refcount",
        ref_population="refpop",
        kind=kind,
        multiplier=multiplier,
        missing="zero",  # type: ignore[arg-type]
    )
    assert_close(got.numerator, expected.observed)
    assert_close(got.denominator, expected.expected)
    assert_close(got.ref_rate, expected.ref_rate)
    assert_close(got.value, expected.value)
    for column in LIMITS:
        assert_close(got[column], expected[column])
    assert list(got.method) == list(expected.method)
    assert list(got.statistic) == list(expected.statistic)


def test_isr_with_a_separate_reference_table() -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea_isr.csv").drop(columns=["refcount", "refpop"])
    reference = ref("testdata_DSR_ISR__refdata.csv").rename(columns={"Age Band": "ageband"})
    results = ref("testdata_DSR_ISR__testresults_ISR.csv").iloc[:3]
    got = isr(
        data,
        "count",
        "pop",
        "area",
        reference=reference,
        age_band="ageband",
        ref_count="refcount",
        ref_population="refpop",
        missing="zero",
    )
    assert_close(got.value, results.value)
    assert_close(got.upper99_8cl, results.upper99_8cl)


def test_isr_refuses_a_missing_population_by_default() -> None:
    data = ref("testdata_DSR_ISR__testdata_multiarea_isr.csv")
    with pytest.raises(ValidationError, match=r"group area='testdata_tiny': population is missing"):
        isr(data, "count", "pop", "area", ref_count="refcount", ref_population="refpop")


ISR_INPUT = "testdata_DSR_ISR__testdata_multiarea_isr.csv"
ISR_COLUMNS = {"ref_count": "refcount", "ref_population": "refpop"}


def test_isr_accepts_a_zero_population_band_as_the_reference_does() -> None:
    """calculate_ISRate refuses only negative populations (ISRate.R: ``n < 0``); a band
    with no people adds nothing to the expected events. The reference's own result for
    testdata_tiny (whose 10-14 band is empty) must come out without ``missing="zero"``."""
    data = ref(ISR_INPUT).query("area == 'testdata_tiny'").fillna({"count": 0, "pop": 0})
    expected = ref("testdata_DSR_ISR__testresults_ISR.csv").iloc[[2]]
    got = isr(data, "count", "pop", "area", **ISR_COLUMNS)
    assert_close(got.value, expected.value)
    for column in LIMITS:
        assert_close(got[column], expected[column])


def test_isr_zero_population_band_with_reference_events_adds_no_expected_events() -> None:
    data = ref(ISR_INPUT).query("area == 'testdata_big'").reset_index(drop=True)
    full = isr(data, "count", "pop", **ISR_COLUMNS, kind="ratio")
    emptied = data.assign(pop=data["pop"].where(data.index != 0, 0))
    got = isr(emptied, "count", "pop", **ISR_COLUMNS, kind="ratio")
    # the 0-4 band's share, n * R / P, leaves the expected total (hand-derived from ISRate.R)
    band = 636.0 * 10303.0 / 50520.0
    assert_close(got.denominator, full.denominator - band)
    assert_close(got.value, 895 / (full.denominator - band) * 100)


def test_isr_missing_population_counted_as_zero_adds_no_expected_events() -> None:
    data = ref(ISR_INPUT).query("area == 'testdata_big'").reset_index(drop=True)
    full = isr(data, "count", "pop", **ISR_COLUMNS, kind="ratio")
    gap = data.assign(pop=data["pop"].where(data.index != 0))
    got = isr(gap, "count", "pop", **ISR_COLUMNS, kind="ratio", missing="zero")
    assert_close(got.denominator, full.denominator - 636.0 * 10303.0 / 50520.0)
    assert got.ref_rate.dtype == float and got.ref_rate.isna().all()  # no rate for ratios


def small_isr(**changes: object) -> pd.DataFrame:
    data = pd.DataFrame(
        {"area": "a", "x": [1, 2], "n": [10, 20], "ref_count": [5, 5], "ref_population": [100] * 2}
    )
    return data.assign(**changes)


def test_isr_with_less_than_one_expected_event_is_computed() -> None:
    got = isr(small_isr(n=[5, 10]), "x", "n", "area", kind="ratio", confidence=0.9)
    assert_close(got.denominator, [0.75])  # 5 * 5 / 100 + 10 * 5 / 100
    assert_close(got.value, [400.0])
    assert "lower90_0cl" in got.columns and "lower95_0cl" not in got.columns


@pytest.mark.parametrize(
    ("changes", "kind", "message", "column"),
    [
        ({"ref_count": [0, 0]}, "rate",
         "group area='a' has no expected events (reference counts are all 0)", "ref_count"),
        ({"x": [1, -1]}, "rate", "group area='a': count must be at least 0 (found -1)", "x"),
        ({"n": [10, -5]}, "rate",
         "group area='a': population must be at least 0 (found -5)", "n"),
        ({"ref_count": [5, -5]}, "rate",
         "group area='a': reference count must be at least 0 (found -5)", "ref_count"),
        ({"ref_population": [100, 0]}, "rate",
         "group area='a': reference population must be greater than zero (found 0)",
         "ref_population"),
        ({}, "rates", "unknown kind 'rates'", None),
    ],
)  # fmt: skip
def test_isr_bad_input_messages(changes: dict, kind: str, message: str, column: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        isr(small_isr(**changes), "x", "n", "area", kind=kind)  # type: ignore[arg-type]
    assert caught.value.message == message
    assert caught.value.column == column
    if kind == "rates":
        assert caught.value.hint == "rate or ratio"


def test_isr_missing_population_is_refused_saying_how_to_count_it_as_zero() -> None:
    with pytest.raises(ValidationError) as caught:
        isr(small_isr(n=[10, None]), "x", "n", "area")
    assert caught.value.message == "group area='a': population is missing"
    assert caught.value.column == "n"
    assert caught.value.hint == (
        "fill the cell, or count it as 0 as the reference does (--missing zero)"
    )
