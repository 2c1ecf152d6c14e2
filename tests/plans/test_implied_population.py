"""The populations two documents' numbers imply for one indicator are compared."""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Severity, check_plans
from placehealth.plans.load import load_plans
from tests.conftest import ROOT, seed_lines


def test_care_home_admissions_imply_different_populations_seed_001_323_seed_000_4711() -> None:
    """Seed 001 321-325: 767.3 to 612.9 per 100,000, '87' fewer admissions, so 56,347
    people aged 65+; seed 000 4711-4714 prints 520 admissions in 67,380."""
    assert "87" in seed_lines("001", 323, 325) and "67380" in seed_lines("000", 4711, 4714)
    findings = check_plans(load_plans(ROOT / "plans"), load_catalogue())
    (finding,) = [f for f in findings if f.id == "population/care-home-admissions-65/Liverpool"]
    assert finding.severity == Severity.WARNING and finding.check == "implied-population"
    assert (finding.expected, finding.stated) == (56347, 68387)  # 87 / 154.4 × 100,000
    assert "seed 001, 323–325" in finding.sources and "seed 000, 4711–4714" in finding.sources
    assert finding.message.count("ccg-2014/bcf-residential-admissions") == 2  # 67,380; 68,387
    # one finding per indicator and area, however many sources
    ids = [f.id for f in findings if f.check == "implied-population"]
    assert len(ids) == len(set(ids))


def test_threshold_operators_are_kept_seed_003_lines_643_1837() -> None:
    """Seed 003 643 'HbA1c is 7 or less' and 1837 'HbA1c < 7': the same number, another
    threshold; 1751's '7.5 or less' differs in the number."""
    assert "7 or less" in seed_lines("003", 643) and "HbA1c < 7" in seed_lines("003", 1837)
    findings = check_plans(load_plans(ROOT / "plans/pct-2010"), load_catalogue())
    by_id = {f.id: f for f in findings}
    operator = by_id["statement/hba1c-threshold-diabetes-vital-sign/3"]
    assert (operator.expected, operator.stated) == ("<= 7", "< 7")
    number = by_id["statement/hba1c-threshold-diabetes-vital-sign/2"]
    assert (number.expected, number.stated) == (7, 7.5) and "<= 7 but <= 7.5" in number.message


def test_the_same_period_under_two_labels_is_compared(tmp_path) -> None:
    """'2013/14' in one document and '2013-14' in another are one financial year."""
    from tests.plans.helpers import write_plan

    body = """
    ambitions:
      - id: reablement
        indicator: reablement-91-days
        baseline: {{period: "{label}", value: {value}}}
    """
    write_plan(tmp_path, body.format(label="2013/14", value=79.9), name="a.yaml",
               document='document: {id: a, seed: "000", title: A}\n')  # fmt: skip
    write_plan(tmp_path, body.format(label="2013-14", value=79.7), name="b.yaml",
               document='document: {id: b, seed: "001", title: B}\n')  # fmt: skip
    findings = check_plans(load_plans(tmp_path), load_catalogue())
    (clash,) = [f for f in findings if f.check == "conflicting-baseline"]
    assert clash.id == "conflict/reablement-91-days/Liverpool/2013/14/a.reablement/b.reablement"
    assert (clash.expected, clash.stated) == (79.9, 79.7)
