"""Quantified aims from the seeds' text, kept as plan rows (each cites its seed line)."""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from placehealth.periods import parse_period
from placehealth.plans.trajectory import compute
from tests.conftest import seed_quote
from tests.plans.helpers import SeedPlan

CATALOGUE = load_catalogue()


def test_flu_vaccination_75_percent_seed_004_line_615() -> None:
    assert seed_quote(
        "close to reaching the 75% target with approximately 73% of over 65s", "004", 615
    )
    a = SeedPlan("sefton-bcf-2014").ambition("flu-vaccination-65-south-sefton")
    assert a.target is not None and (a.target.value, a.area) == (75, "South Sefton CCG")
    assert [p.value for p in a.published] == [73]


def test_choose_and_book_90_percent_by_march_2011_seed_003_line_1663() -> None:
    assert seed_quote(
        "90% of 1st outpatient consultant appointments by the end of March 2011", "003", 1663
    )
    a = SeedPlan("pct-2010").ambition("choose-and-book")
    assert a.target is not None and a.target.value == 90
    assert parse_period(a.target.period).kind == "month"


def test_deep_clean_100_percent_seed_003_line_713() -> None:
    assert seed_quote("100% uptake of the deep clean initiative", "003", 713)
    a = SeedPlan("pct-2010").ambition("care-home-deep-clean")
    assert a.target is not None and a.target.value == 100
    assert compute(a, CATALOGUE).target == 100


def test_more_active_by_2_percent_a_year_seed_001_line_4201() -> None:
    assert seed_quote("active by 2% per year", "001", 4201)
    a = SeedPlan("blueprint-2015").ambition("adults-active")
    assert [h.change_pct for h in a.headlines] == [2]
    assert CATALOGUE[a.indicator].unit == "percent"


def test_80_percent_active_and_30_percent_more_participation_seed_001_486_896() -> None:
    assert seed_quote("at least 80% of the", "001", 486, 488)
    assert seed_quote("(PAS) by 30%", "001", 896)
    blueprint = SeedPlan("blueprint-2015")
    active = blueprint.ambition("adults-beneficially-active")
    assert active.target is not None and (active.target.period, active.target.value) == (
        "2021",
        80,
    )
    (head,) = blueprint.ambition("physical-activity-participation").headlines
    assert (head.change_pct, head.to_period) == (30, "2021")


def test_waits_14_months_to_18_weeks_in_weeks_seed_001_line_4467() -> None:
    """Seed 001 4467: 'from 14 months to 18 weeks'. Both ends are in weeks, with the
    conversion recorded (14 × 52/12 = 60.7 weeks), so the trajectory is on one scale."""
    assert seed_quote("from 14 months to 18 weeks", "001", 4467)
    a = SeedPlan("blueprint-2015").ambition("neurodevelopment-wait")
    assert a.baseline is not None and a.target is not None
    assert a.baseline.value == round(14 * 52 / 12, 1) and a.target.value == 18
    assert a.notes is not None and "14 × 52 / 12 = 60.7 weeks" in a.notes
    assert "weeks" in (CATALOGUE[a.indicator].definition or "")
    t = compute(a, CATALOGUE)
    assert t.values[0] == 60.7 and t.target == 18 and all(t.values[1:] < t.values[:-1])


def test_chlamydia_screening_10_percent_increase_seed_003_lines_675_1964() -> None:
    """Seed 003 1964: the 35% target (also 675) and, among under 25s, 'a 10% increase over the
    next year in the percentage of individuals accessing chlamydia screening'."""
    assert seed_quote("35% chlamydia screening target", "003", 1964)
    assert seed_quote("a 10% increase over the next year", "003", 1964)
    plan = SeedPlan("pct-2010")
    target = plan.ambition("chlamydia-screening")
    assert target.target is not None and target.target.value == 35
    (head,) = plan.ambition("chlamydia-screening-uptake-increase").headlines
    assert (head.change_pct, head.from_period, head.to_period) == (10, "2009/10", "2010/11")
    assert plan.ambition("chlamydia-screening-uptake-increase").indicator == target.indicator


def test_staff_survey_aims_seed_003_line_1979() -> None:
    """Seed 003 1979: response rate up from 61% in 2009/10; fewer unaware of the Staff Support
    Service, from 25% in 2009/10."""
    assert seed_quote("response rate for 2010/11 from 61% in 2009/10", "003", 1979)
    assert seed_quote("(from 25% in 2009/10)", "003", 1979)
    plan = SeedPlan("pct-2010")
    response = plan.ambition("staff-survey-response-rate")
    unaware = plan.ambition("staff-unaware-of-staff-support")
    assert response.baseline is not None and unaware.baseline is not None
    assert (response.baseline.period, response.baseline.value) == ("2009/10", 61)
    assert (unaware.baseline.period, unaware.baseline.value) == ("2009/10", 25)
    assert CATALOGUE[response.indicator].polarity == "higher_is_better"
    assert CATALOGUE[unaware.indicator].polarity == "lower_is_better"


def test_at_least_6_nihr_bids_seed_003_line_1542() -> None:
    """Seed 003 1542: 'in 2010/11 that at least 6 collaborative bids to the National
    Institute of Health Research (NIHR) will be produced'."""
    assert seed_quote("at least 6 collaborative bids", "003", 1542)
    a = SeedPlan("pct-2010").ambition("nihr-collaborative-bids")
    assert a.target is not None and (a.target.period, a.target.value) == ("2010/11", 6)
    assert CATALOGUE[a.indicator].unit == "count"
