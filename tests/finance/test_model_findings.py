"""The finance findings added with the financial model and the narrative tables: the
positions' growth against the allocations, the Blueprint's investment forecast against
seed 000's positions, One Liverpool's lost decimal point, and the narratives that agree."""

from __future__ import annotations

import pytest

from placehealth.finance.check import check_book
from placehealth.finance.load import load_book
from placehealth.plans.severity import Severity
from tests.conftest import ROOT

FINDINGS = {f.id: f for f in check_book(load_book(ROOT / "plans"))}


def test_position_growth_against_the_allocations() -> None:
    """Seed 000: F04 growth 16.0 (5155) against F03's 719,111 − 704,044 = £15.067m (4997,
    4993); F06 growth 10.2 (5313) against 731,336 − 719,111 = £12.225m (5011, 4997)."""
    f = FINDINGS["ccg-2014/finance/text/growth-2014-15-from-allocations/figure"]
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (16.0, pytest.approx(15.067))
    assert f.sources == ["seed 000, 5155", "seed 000, 4997", "seed 000, 4993"]
    g = FINDINGS["ccg-2014/finance/text/growth-2015-16-from-allocations/figure"]
    assert (g.stated, g.expected) == (10.2, pytest.approx(12.225))
    assert g.sources == ["seed 000, 5313", "seed 000, 5011", "seed 000, 4997"]


def test_blueprint_investment_forecast_against_seed_000s_positions() -> None:
    """Seed 001, 4046: investing in transformation £25,840k (2014/15) and £29,343k (2015/16)
    against seed 000's planned investments, £44.0m (5173–5177) and £37.7m (5336–5340)."""
    f = FINDINGS["blueprint-2015/finance/F14/investing/2014-15/same-as"]
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (25_840, pytest.approx(44_000))
    assert f.sources == ["seed 001, 4046", "seed 000, 5173–5177"]
    g = FINDINGS["blueprint-2015/finance/F14/investing/2015-16/same-as"]
    assert (g.stated, g.expected) == (29_343, pytest.approx(37_700))


def test_one_liverpool_nhs_funding_lost_its_decimal_point() -> None:
    """Seed 002: the infographic's "£11 bn" by 2023/24 (654) against the text's
    "£1.1billion" (672)."""
    f = FINDINGS["one-liverpool-2019/finance/F16/nhs-funding-2023-24-infographic/billions/same-as"]
    assert f.severity == Severity.ERROR and (f.stated, f.expected) == (11, pytest.approx(1.1))
    assert "10 times" in f.message
    assert f.sources == ["seed 002, 654", "seed 002, 672"]


def test_the_narratives_that_agree_raise_nothing() -> None:
    """Seed 003, 1275: £14m + £5.4m = £19.4m; 1309: £63.0m − £28.4m − £5.4m = £29.2m (and
    the lodgement restates F18's (14.0), 1305); seed 002, 672 and 678 restate the
    infographic's £934m, 63%, £436m and £57.6m; seed 001, 4035 restates 3997's £73m."""
    quiet = ("F15", "F22", "F23", "text/available-after", "text/planned-surplus",
             "text/nhs-funding", "text/council", "text/new-ways")  # fmt: skip
    assert not [i for i in FINDINGS if any(q in i for q in quiet)]
    book = load_book(ROOT / "plans")
    assert {"F15", "F16", "F22", "F23"} <= set(book.tables)
    aggregate = next(r for r in book.tables["F22"].rows if r.id == "aggregate-surplus")
    assert aggregate.sum_of == ["lodgement", "in-year-surplus"]
