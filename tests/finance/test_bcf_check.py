"""The BCF checker: what it finds in the seeds' plans (each with both numbers and both
sources), and each check firing on a plan edited to disagree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from placehealth.errors import ValidationError
from placehealth.finance.bcf_check import check_bcf
from placehealth.finance.bcf_load import load_bcf
from placehealth.plans.check.findings import Finding
from placehealth.plans.severity import Severity
from tests.conftest import ROOT, seed_figures

FOUND = {f.id: f for f in check_bcf(load_bcf(ROOT / "plans"))}


def test_stated_share_paid_for_outcomes_against_the_rules() -> None:
    """Seed 000, 4624: "Approximately 25% of the BCF is paid for improving outcomes";
    seed 004, 119: £1bn of £3.8bn is 26.3%."""
    f = FOUND["ccg-2014/bcf/stated/performance-share/performance-share"]
    assert (f.severity, f.stated, f.expected) == (Severity.NOTE, 25.0, 26.32)
    assert f.sources == ["seed 000, 4624", "seed 004, 117–156"]
    assert seed_figures("000", 4624).split() == ["25%"]


def test_pool_totals_agree_with_the_partners_where_both_are_printed() -> None:
    """Seed 000, 2988–2992: £44.970m and £52.553m are B8's partner sums (39.832 + 5.138,
    39.832 + 12.721), and 2014/15's £49.502m its spending (31.646 + 17.856); seed 004, 252–254:
    £24.040M against 2.8 + 9.3 + 11.9 = 24.0 within rounding. None is a finding."""
    assert not [k for k in FOUND if "/pool-total" in k]


def test_declared_totals_without_partners_or_values() -> None:
    """Seed 000, 2985–2987: a minimum 2014/15 of £2.969m no contribution makes up; seed 004,
    251: Sefton's minimum 2014/15 left blank."""
    unsplit = FOUND["ccg-2014/bcf/pool/minimum/2014-15/total-unsplit"]
    assert unsplit.stated == 2.969 and unsplit.sources == ["seed 000, 2985–2987"]
    assert "2.969" in seed_figures("000", 2986).split()
    assert FOUND["sefton-bcf-2014/bcf/pool/minimum/2014-15/total-blank"].severity == "warning"


def test_a_zero_pool_against_the_text() -> None:
    """Seed 004, 253: a total agreed pool of £0.00 for 2014/15, while the report (111) speaks
    of £200 million transferred in 2014/15 to build momentum."""
    f = FOUND["sefton-bcf-2014/bcf/pool/agreed/2014-15/total-zero"]
    assert f.severity == "note" and f.sources == ["seed 004, 253", "seed 004, 111"]
    assert "£200 million" in f.message and "0.00" in seed_figures("004", 253).split()


def test_metrics_without_targets() -> None:
    """Seed 004 sets no trajectories (864): neither payment's metrics can be earned; seed 000,
    4661–4664: the national patient-experience metric has no target."""
    assert FOUND["sefton-bcf-2014/bcf/metrics/april-2015/no-targets"].severity == "warning"
    october = FOUND["sefton-bcf-2014/bcf/metrics/october-2015/no-targets"]
    assert "none of the 6 metrics" in october.message
    assert "ccg-2014/bcf/metrics/patient-experience/october-2015/no-target" in FOUND


def test_template_gaps() -> None:
    """Seed 000, 4628–4648: a blank contingency plan; 3018–3028: the board's chair signs
    without a date; seed 004, 258–278: five undated signatures; 248–250: submitted
    14/02/2014, before the board agreed it on 19/02/2014; both plans' acute-sector condition
    without evidence; neither plan gives a scheme any money."""
    assert "5 of 5 cells" in FOUND["ccg-2014/bcf/contingency/contingency-blank"].message
    assert "ccg-2014/bcf/signoff/3/signoff-undated" in FOUND
    assert sum("sefton-bcf-2014/bcf/signoff/" in k for k in FOUND) == 5
    assert FOUND["sefton-bcf-2014/bcf/dates/submitted-before-agreed"].severity == "note"
    for doc in ("ccg-2014", "sefton-bcf-2014"):
        assert f"{doc}/bcf/conditions/acute-impact/condition-evidence" in FOUND
        assert f"{doc}/bcf/schemes/schemes-unfunded" in FOUND
    assert not [f for f in FOUND.values() if f.severity == Severity.ERROR]


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A copy of the two BCF plans' folders (their finance tables and outcome plans too)."""
    for name in ("ccg-2014", "sefton-bcf-2014"):
        shutil.copytree(ROOT / "plans" / name, tmp_path / name)
    return tmp_path


def _edit(plans: Path, doc: str, old: str, new: str) -> dict[str, Finding]:
    path = plans / doc / "bcf" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return {f.id: f for f in check_bcf(load_bcf(plans))}


def test_a_total_edited_to_disagree_is_an_error(plans: Path) -> None:
    found = _edit(plans, "ccg-2014", 'amount: "£52.553"', 'amount: "£53.553"')
    f = found["ccg-2014/bcf/pool/agreed/2015-16/pool-total"]
    assert (f.severity, f.stated, f.expected) == (Severity.ERROR, 53.553, 52.553)
    assert "39.832 + 12.721" in f.message and "seed 000, 4614" in f.sources


def test_a_part_larger_than_its_whole(plans: Path) -> None:
    found = _edit(plans, "ccg-2014", "amount: 3.5, src: 403", "amount: 6.5, src: 403")
    assert found["ccg-2014/bcf/pool/dfg-2015-16/part-exceeds"].severity == Severity.ERROR


def test_a_release_split_that_does_not_add_up(plans: Path) -> None:
    found = _edit(plans, "sefton-bcf-2014", 'metrics_share: "£250m"', 'metrics_share: "£200m"')
    f = found["sefton-bcf-2014/bcf/payment/april-2015/release-split"]
    assert (f.stated, f.expected) == (500.0, 450.0)


def test_releases_that_do_not_make_the_performance_element(plans: Path) -> None:
    found = _edit(plans, "sefton-bcf-2014", 'performance: "£1bn"', 'performance: "£1.2bn"')
    assert found["sefton-bcf-2014/bcf/payment/releases/releases-total"].severity == "error"


def test_an_unknown_condition_is_refused_with_its_line(plans: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        _edit(plans, "ccg-2014", "  - {id: joint-plan,", "  - {id: joint-plan-x,")
    assert caught.value.line == 49 and "conditions.0.id" in caught.value.message


def test_a_missing_condition(plans: Path) -> None:
    path = plans / "ccg-2014" / "bcf" / "plan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(x for x in lines if not x.startswith("  - {id: data-sharing,")) + "\n",
        encoding="utf-8",
    )
    found = {f.id for f in check_bcf(load_bcf(plans / "ccg-2014"))}
    assert "ccg-2014/bcf/conditions/data-sharing/condition-missing" in found


def test_every_bcf_finding_on_the_seeds_is_listed() -> None:
    """The whole list, so a finding that appears or goes is seen (docs/seed-contradictions.md)."""
    assert sorted(FOUND) == sorted(
        [
            "ccg-2014/bcf/pool/minimum/2014-15/total-unsplit",
            "ccg-2014/bcf/stated/performance-share/performance-share",
            "ccg-2014/bcf/metrics/patient-experience/october-2015/no-target",
            "ccg-2014/bcf/conditions/acute-impact/condition-evidence",
            "ccg-2014/bcf/contingency/contingency-blank",
            "ccg-2014/bcf/signoff/3/signoff-undated",
            "ccg-2014/bcf/schemes/schemes-unfunded",
            "sefton-bcf-2014/bcf/pool/minimum/2014-15/total-blank",
            "sefton-bcf-2014/bcf/pool/agreed/2014-15/total-zero",
            "sefton-bcf-2014/bcf/metrics/april-2015/no-targets",
            "sefton-bcf-2014/bcf/metrics/october-2015/no-targets",
            "sefton-bcf-2014/bcf/conditions/acute-impact/condition-evidence",
            *(f"sefton-bcf-2014/bcf/signoff/{n}/signoff-undated" for n in range(1, 6)),
            "sefton-bcf-2014/bcf/schemes/schemes-unfunded",
            "sefton-bcf-2014/bcf/dates/submitted-before-agreed",
        ]
    )
