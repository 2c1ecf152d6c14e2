"""What the finance checker finds in the seeds' tables (plans/*/finance): each finding with
both numbers and both sources, and nothing else — every table that adds up stays silent."""

from __future__ import annotations

import pytest

from placehealth.finance.check import check_book
from placehealth.finance.load import load_book
from placehealth.plans.check.findings import Finding
from placehealth.plans.severity import Severity
from tests.conftest import ROOT

FINDINGS = {f.id: f for f in check_book(load_book(ROOT / "plans"))}


def finding(finding_id: str) -> Finding:
    assert finding_id in FINDINGS, sorted(FINDINGS)
    return FINDINGS[finding_id]


def test_2015_16_total_allocation_is_not_recurrent_plus_non_recurrent() -> None:
    """Seed 000, 5320–5324: 754.6 + 34.6 = 789.2, printed 775.6; the gap is the Better Care
    Fund row (13.6, 5314/5360), which the TOTAL column leaves out."""
    f = finding("ccg-2014/finance/F06/allocation/total/total-column")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (775.6, pytest.approx(789.2))
    assert "seed 000, 5320–5324" in f.sources
    assert "'Better Care Fund' row" in f.message
    rows = finding("ccg-2014/finance/F06/allocation/total/row-sum")
    assert (rows.stated, rows.expected) == (775.6, pytest.approx(789.2))
    assert {"seed 000, 5311", "seed 000, 5360"} <= set(rows.sources)


def test_2015_16_surplus_follows_the_wrong_total() -> None:
    """Seed 000, 5343, 5347, 5351: recurrent 29.0 and non-recurrent −7.7 make 21.3; the
    printed 7.7 is 775.6 − 767.9, the TOTAL column's own arithmetic."""
    f = finding("ccg-2014/finance/F06/surplus/total/total-column")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (7.7, pytest.approx(21.3))
    assert f.sources == ["seed 000, 5351", "seed 000, 5343", "seed 000, 5347"]
    assert "ccg-2014/finance/F06/surplus/total/row-sum" not in FINDINGS


def test_qipp_summary_is_a_tenth_of_the_qipp_table() -> None:
    """Seed 000, 5747 ("£2.6m planned QIPP savings") against the QIPP table's 2014/15 total,
    −£26,504 thousand (5651–5653): a decimal point lost."""
    f = finding("ccg-2014/finance/text/qipp-planned-savings/figure")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (2.6, pytest.approx(26.504))
    assert f.sources == ["seed 000, 5747", "seed 000, 5651–5653"]
    assert "1/10" in f.message


def test_qipp_header_says_pounds_million_for_thousands() -> None:
    """Seed 000, 5633–5653: the header prints £m over values in £000."""
    f = finding("ccg-2014/finance/F10/printed-unit")
    assert f.severity == Severity.WARNING and (f.stated, f.expected) == ("£m", "£000")


def test_allocation_growth_differs_between_assumptions_and_allocations() -> None:
    """Seed 000: the planning assumptions give 2.29% growth for 2014/15 (4902); the
    allocations table (4999) and the text (5025) 2.14%, which 704,044 → 719,111 gives."""
    f = finding("ccg-2014/finance/F02/allocation-growth/2014-15/same-as")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (2.29, 2.14)
    assert f.sources == ["seed 000, 4902", "seed 000, 4999"]


def test_running_cost_cut_is_not_in_the_planned_spend() -> None:
    """Seed 000: the assumptions cut the running cost allowance by 10.89% in 2015/16 (4908;
    "10.9% reduction", 5368), but the planned spend prints 10.1 in 2014/15 and in 2015/16
    (5261, 5418): no change at all, and none within the rounding of 10.1."""
    f = finding("ccg-2014/finance/F02/running-cost-allowance/2015-16/change-across")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (-10.89, 0.0)
    assert f.sources == ["seed 000, 4908", "seed 000, 5418", "seed 000, 5261"]


def test_rlbuht_contract_difference_is_off() -> None:
    """Seed 000, 5470–5474: 182.402 − 185.167 = −2.765, printed (2.75)."""
    f = finding("ccg-2014/finance/F08/rlbuht/difference/difference")
    assert f.severity == Severity.ERROR
    assert (f.stated, f.expected) == (-2.75, pytest.approx(-2.765))


def test_summary_recurrent_investment_against_the_position() -> None:
    """Seed 000, 5743: "£20m recurrent investment available in 2014/15", where the 2014/15
    position (5173) plans 30.0 recurrent (a £20m reserve and £10m for social care, 5758–
    5760); 2015/16's 20.0 (5336) agrees."""
    f = finding("ccg-2014/finance/text/recurrent-investment-available-2014-15/figure")
    assert (f.stated, f.expected) == (20, 30)
    assert "ccg-2014/finance/text/recurrent-investment-available-2015-16/figure" not in FINDINGS


def test_pct_2010_investment_in_the_text() -> None:
    """Seed 003, 1309: "£56.8m" against the tables' £56.9m (1319): one unit of the last
    printed digit, so minor."""
    f = finding("pct-2010/finance/text/additional-investment/figure")
    assert f.severity == Severity.MINOR
    assert (f.stated, f.expected) == (56.8, 56.9)
    assert f.sources == ["seed 003, 1309", "seed 003, 1319"]


def test_blueprint_running_costs_against_seed_000s() -> None:
    """Seed 001, 4020: CCG running costs £10,429,000 in 2015/16, against seed 000's running
    cost allowance for 2015/16, £10.1m (5418): compared in one unit, both sources named."""
    f = finding("blueprint-2015/finance/F13/ccg-running-costs/spend/same-as")
    assert (f.stated, f.expected) == (10_429_000, 10_100_000)
    assert f.sources == ["seed 001, 4020", "seed 000, 5418"]


def test_one_plan_folder_reads_the_tables_it_cites_from_its_siblings() -> None:
    """Checking seed 001's folder alone still compares its running costs (4020) with seed
    000's planned spend (5418), read for that only: seed 000's tables are not checked."""
    book = load_book(ROOT / "plans" / "blueprint-2015")
    assert book.context >= {"F07"} and {"F13", "F14"} <= {t.id for t in book.checked()}
    found = {f.id: f for f in check_book(book)}
    assert "blueprint-2015/finance/F13/ccg-running-costs/spend/same-as" in found
    assert found["blueprint-2015/finance/F13/ccg-running-costs/spend/same-as"].sources == [
        "seed 001, 4020",
        "seed 000, 5418",
    ]


def test_planned_spend_restates_the_positions() -> None:
    """Seed 000: the planned-spend totals, contingencies and surpluses (5269–5277, 5428–5440)
    are the positions' (F04, F06) — 2015/16's 775.6 included, which is why the position's
    TOTAL column and not the planned spend is reported."""
    assert not [i for i in FINDINGS if "/F05/" in i or "/F07/" in i]


def test_the_bcf_pool_in_the_finance_paper_adds_up() -> None:
    """Seed 000, 5581–5613: CCG lines 10.584 + 14.093 + 10 = 34.677 and 13.553 + 16.279 +
    10 = 39.832, with the council 49.502 and 52.553; its 2015/16 NHS England funding is the
    position's BCF row (13.6, 5314) and the covering paper's £39.8m (399) its CCG total."""
    assert not [i for i in FINDINGS if "/B11/" in i or "/bcf-" in i]


def test_the_pool_is_split_differently_in_the_template_and_the_finance_paper() -> None:
    """Seed 000: the BCF template's 2014/15 spending (4610, 4612) gives the council 17.856 and
    the CCG 31.646; the finance paper (5603–5607, 5597–5601) 14.825 and 34.677 — the same
    49.502 in total (4620, 5611), split differently. 2015/16 (4607, 4614, 4622) agrees."""
    council = finding("ccg-2014/finance/B8/council/spending-2014-15/same-as")
    assert (council.stated, council.expected) == (17.856, 14.825)
    assert council.sources == ["seed 000, 4610", "seed 000, 5603–5607"]
    ccg = finding("ccg-2014/finance/B8/ccg/spending-2014-15/same-as")
    assert (ccg.stated, ccg.expected) == (31.646, 34.677)
    assert not [i for i in FINDINGS if "/B8/" in i and "spending-2014-15" not in i]


def test_sefton_pool_adds_up_to_the_templates_value() -> None:
    """Seed 004: £2.8m + £9.3m + £11.9m = £24.0m (49–53), the template's £24.040M (252, 254)
    at the text's precision."""
    assert not [i for i in FINDINGS if i.startswith("sefton-bcf-2014/")]


def test_these_are_all_the_findings() -> None:
    """Every other total, difference, % change, per-head figure, growth rate and restated
    figure agrees at its printed precision: seed 003's five tables (1283–1357) add up, seed
    001's spend by sector sums to £1,249,862,000 (4026) and its investment to £124,934k (4046),
    seed 000's planned spend to 750.6 and 775.6 (5277, 5440), and
    so do F03's per-head figures and distances from target (4975–5021) within the rounding
    of their printed inputs. The F08 total's difference (5564) is the one rounding case."""
    assert sorted(FINDINGS) == sorted(
        [
            "blueprint-2015/finance/F13/ccg-running-costs/spend/same-as",
            "blueprint-2015/finance/F14/investing/2014-15/same-as",
            "blueprint-2015/finance/F14/investing/2015-16/same-as",
            "ccg-2014/finance/text/growth-2014-15-from-allocations/figure",
            "ccg-2014/finance/text/growth-2015-16-from-allocations/figure",
            "one-liverpool-2019/finance/F16/nhs-funding-2023-24-infographic/billions/same-as",
            "ccg-2014/finance/B8/ccg/spending-2014-15/same-as",
            "ccg-2014/finance/B8/council/spending-2014-15/same-as",
            "ccg-2014/finance/F02/allocation-growth/2014-15/same-as",
            "ccg-2014/finance/F02/running-cost-allowance/2015-16/change-across",
            "ccg-2014/finance/F06/allocation/total/row-sum",
            "ccg-2014/finance/F06/allocation/total/total-column",
            "ccg-2014/finance/F06/surplus/total/total-column",
            "ccg-2014/finance/F08/rlbuht/difference/difference",
            "ccg-2014/finance/F08/total/difference/row-sum",
            "ccg-2014/finance/F10/printed-unit",
            "ccg-2014/finance/text/qipp-planned-savings/figure",
            "ccg-2014/finance/text/recurrent-investment-available-2014-15/figure",
            "pct-2010/finance/text/additional-investment/figure",
        ]
    )
    assert FINDINGS["ccg-2014/finance/F08/total/difference/row-sum"].severity == Severity.MINOR
