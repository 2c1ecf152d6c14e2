"""What the activity checker finds in the seeds' activity plans (plans/*/activity): each
finding with both numbers and its lines, and nothing else — every total row and every
year-on-year % of A1–A10 agrees with its values."""

from __future__ import annotations

import pytest

from placehealth.activity.check import check_activity
from placehealth.activity.load import load_activity
from placehealth.plans.check.findings import Finding
from placehealth.plans.severity import Severity
from tests.conftest import ROOT, seed_figures

FINDINGS = {f.id: f for f in check_activity(load_activity(ROOT / "plans"))}


def finding(finding_id: str) -> Finding:
    assert finding_id in FINDINGS, sorted(FINDINGS)
    return FINDINGS[finding_id]


@pytest.mark.parametrize(
    ("provider", "total", "gp", "other", "lines"),
    [
        ("liverpool-heart-chest", 4134, 2786, 776, (2332, 2287, 2310)),
        ("st-helens-knowsley", 4864, 9016, 2078, (2333, 2288, 2311)),
        ("spire-liverpool", 9016, 3358, 0, (2334, 2289, 2312)),
    ],
)
def test_gp_and_other_referrals_do_not_make_all_referrals_for_three_providers(
    provider: str, total: int, gp: int, other: int, lines: tuple[int, int, int]
) -> None:
    """Seed 000, A6 against A4 + A5 (2013-14 at 2328–2336, 2283–2291, 2306–2314; the same in
    every year): both numbers and all three lines."""
    for line, value in zip(lines, (total, gp, other), strict=True):
        assert seed_figures("000", line) == f"{value:,}"
    f = finding(f"ccg-2014/activity/referral-split/{provider}")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (total, gp + other)
    assert [f"seed 000, {n}" for n in lines] == f.sources[:3]
    assert "in every year (2013-14 to 2018-19)" in f.message


def test_the_three_referral_gaps_cancel_so_the_totals_add_up() -> None:
    """Seed 000: 572 + 5,658 − 6,230 = 0 — values moved between rows, the TOTAL (171,554,
    2336) still GP 111,262 + other 60,292; the other five providers agree."""
    gaps = [
        f.stated - f.expected  # type: ignore[operator]
        for i, f in FINDINGS.items()
        if i.startswith("ccg-2014/activity/referral-split/")
    ]
    assert sorted(gaps) == [-6230, 572, 5658] and sum(gaps) == 0
    assert seed_figures("000", 2336) == "171,554"


def test_day_cases_and_ordinary_admissions_make_all_elective() -> None:
    """Seed 000, A3 = A1 + A2 for every provider and year (29,650 = 4,978 + 24,672, ...)."""
    assert not [i for i in FINDINGS if "/elective-split/" in i]


def test_every_total_row_and_year_on_year_change_agrees() -> None:
    """Seed 000, A1–A10: the TOTAL rows add up and the printed changes (−5.20%, −1.09%, ...)
    are the values' changes at two decimals."""
    assert not [
        f for f in FINDINGS.values() if f.check in ("activity-row-sum", "activity-pct-change")
    ]


def test_spire_plans_three_first_attendances_per_gp_referral() -> None:
    """Seed 000: Spire's first outpatient attendances after GP referral (10,334, 2846) are
    3.08 times its GP written referrals (3,358, 2289), in every year."""
    f = finding("ccg-2014/activity/first-op-per-gp-referral/spire-liverpool")
    assert f.severity == Severity.WARNING
    assert f.stated == pytest.approx(10334 / 3358, abs=1e-4) and f.expected == 1.0
    assert {"seed 000, 2846", "seed 000, 2289"} <= set(f.sources)
    others = [i for i in FINDINGS if "/first-op-per-gp-referral/" in i]
    assert others == ["ccg-2014/activity/first-op-per-gp-referral/spire-liverpool"]
    assert not [i for i in FINDINGS if "/follow-up-per-first/" in i]


def test_non_elective_plan_falls_less_than_the_emergency_admissions_ambition() -> None:
    """Seed 000: non-elective FFCEs 50,911 (2452) → 49,659 (2507) is 1,252 fewer; the
    avoidable emergency admissions ambition 12,055 → 10,425 (1486–1509) is 1,630 fewer."""
    f = finding("ccg-2014/activity/non-elective-for-emergency-ambition")
    assert f.severity == Severity.WARNING
    assert (f.stated, f.expected) == (1252, 1630)
    assert "short in 5 year(s)" in f.message and "2014-15 99 against 123" in f.message
    assert seed_figures("000", 2452) == "50,911" and seed_figures("000", 2507) == "49,659"


def test_non_elective_plan_falls_less_than_the_bcf_metric_in_2014_15() -> None:
    """Seed 000: the BCF metric's 10,559 (4723–4726) → 4,897 + 5,555 (4737–4740, 4756–4759)
    is 107 fewer; A7 falls 99 (50,911 → 50,812, 2463)."""
    f = finding("ccg-2014/activity/non-elective-for-bcf-avoidable-admissions")
    assert (f.stated, f.expected) == (99, 107)


def test_schemes_double_count_a_quarter_of_their_gross() -> None:
    """Seed 001, 4147–4174 add up to 2,235; the net is 1,659 (4136–4137): 576 (25.8%)
    counted more than once."""
    f = finding("blueprint-2015/activity/avoidable-admissions-by-scheme/overlap")
    assert f.severity == Severity.NOTE
    assert (f.stated, f.expected) == (1659, 2235)
    assert "576 (25.8% of the gross)" in f.message and "13.8% of the 12,055" in f.message
    assert f.sources[0] == "seed 001, 4136–4137" and len(f.sources) == 13


def test_nothing_else_is_found() -> None:
    assert len(FINDINGS) == 7
