"""Seed 001 (Healthy Liverpool: The Blueprint, 2015): measures of success reproduced through
their implied populations, and the document's contradictions found."""

from __future__ import annotations

import pytest

from placehealth.catalogue import load_catalogue
from placehealth.plans.trajectory import compute
from tests.conftest import seed_figures
from tests.plans.helpers import SeedPlan

SEED = SeedPlan("blueprint-2015")

ambition = SEED.ambition

finding = SEED.finding


@pytest.mark.parametrize(
    ("ambition_id", "texts", "population"),
    [
        # seed 001, 318–325: 767.3 → 612.9 per 100,000, 'a reduction of 87 permanent admissions'
        ("care-home-admissions", ("767.3", "612.9", "87"), 56_347),
        # seed 001, 327–333: 2664.5 → 2602.7 per 100,000, 'a reduction of 214 delayed days'
        ("delayed-transfers", ("2664.5", "2602.7", "214"), 346_278),
        # seed 001, 338–343: 54% → 70%, 'an extra 912 people'
        ("dementia-diagnosis", ("54%", "70%", "912"), 5_700),
        # seed 001, 345–351: 78.9% → 83%, 'an extra 196 people'
        ("reablement", ("78.9%", "83%", "196"), 4_780),
    ],
)
def test_measures_of_success_through_the_implied_population(
    ambition_id: str, texts: tuple[str, ...], population: int
) -> None:
    a = ambition(ambition_id)
    assert a.src is not None
    cited = seed_figures("001", a.src.first, a.src.last)
    assert all(text in cited for text in texts)
    t = compute(a, load_catalogue())
    assert t.denominator == pytest.approx(population, abs=1)
    counts = t.counts
    assert counts is not None
    (head,) = a.headlines
    assert head.change_count is not None
    assert counts[-1] - counts[0] == pytest.approx(head.change_count, abs=0.5)


def test_dementia_70_against_64_9() -> None:
    """Seed 001: 70% by March 2016 (341) but 64.9% by 15/16 (4309)."""
    f = finding("blueprint-2015/dementia-diagnosis/restated-target/2")
    assert (f.stated, f.expected) == (64.9, 70)
    assert f.sources == ["seed 001, 341", "seed 001, 4309"]


def test_af_exception_reporting_671_to_504_is_167() -> None:
    """Seed 001, 4244: 'of 168 (from 671 to 504 - 25%)'; 671 − 504 = 167."""
    f = finding("blueprint-2015/af-exception-reporting/headline-count/headline-1")
    assert (f.stated, f.expected) == (-168, -167)


def test_avoidable_admissions_15_vs_15_3_vs_13_8() -> None:
    """Seed 001: 15% (298) and 15.3% (4132) stated with 1,659 of 12,055 (4125, 4137) = 13.8%."""
    first = finding("blueprint-2015/avoidable-admissions/headline-pct-vs-count/headline-1")
    second = finding("blueprint-2015/avoidable-admissions/headline-pct-vs-count/headline-2")
    assert (first.stated, second.stated) == (-15, -15.3)
    assert round(float(first.expected), 1) == round(float(second.expected), 1) == -13.8
    assert first.sources == ["seed 001, 298–301", "seed 001, 4123–4125"]
