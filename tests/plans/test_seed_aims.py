"""Quantified aims from the seeds' text, kept as plan rows (each cites its seed line)."""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from placehealth.periods import parse_period
from placehealth.plans.trajectory import compute
from tests.conftest import seed_lines
from tests.plans.helpers import SeedPlan

CATALOGUE = load_catalogue()


def test_flu_vaccination_75_percent_seed_004_line_615() -> None:
    text = seed_lines("004", 615)
    assert "close to reaching the 75% target with approximately 73% of over 65s" in text
    a = SeedPlan("sefton-bcf-2014").ambition("flu-vaccination-65-south-sefton")
    assert a.target is not None and (a.target.value, a.area) == (75, "South Sefton CCG")
    assert [p.value for p in a.published] == [73]


def test_choose_and_book_90_percent_by_march_2011_seed_003_line_1663() -> None:
    assert "90% of 1st outpatient consultant appointments by the end of March 2011" in (
        seed_lines("003", 1663)
    )
    a = SeedPlan("pct-2010").ambition("choose-and-book")
    assert a.target is not None and a.target.value == 90
    assert parse_period(a.target.period).kind == "month"


def test_deep_clean_100_percent_seed_003_line_713() -> None:
    assert "100% uptake of the deep clean initiative" in seed_lines("003", 713)
    a = SeedPlan("pct-2010").ambition("care-home-deep-clean")
    assert a.target is not None and a.target.value == 100
    assert compute(a, CATALOGUE).target == 100


def test_more_active_by_2_percent_a_year_seed_001_line_4201() -> None:
    assert "active by 2% per year" in seed_lines("001", 4201)
    a = SeedPlan("blueprint-2015").ambition("adults-active")
    assert [h.change_pct for h in a.headlines] == [2]
    assert CATALOGUE[a.indicator].unit == "percent"


def test_80_percent_active_and_30_percent_more_participation_seed_001_486_896() -> None:
    assert "at least 80% of the" in seed_lines("001", 486, 488)
    assert "(PAS) by 30%" in seed_lines("001", 896)
    blueprint = SeedPlan("blueprint-2015")
    active = blueprint.ambition("adults-beneficially-active")
    assert active.target is not None and (active.target.period, active.target.value) == (
        "2021",
        80,
    )
    (head,) = blueprint.ambition("physical-activity-participation").headlines
    assert (head.change_pct, head.to_period) == (30, "2021")
