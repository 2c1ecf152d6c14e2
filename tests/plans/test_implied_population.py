"""The populations two documents' numbers imply for one indicator are compared."""

from __future__ import annotations

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import Severity, check_plans
from placehealth.plans.load import load_plans
from tests.conftest import ROOT, seed_figures, seed_quote


def test_care_home_admissions_imply_different_populations_seed_001_323_seed_000_4711() -> None:
    """Seed 001 321-325: 767.3 to 612.9 per 100,000, '87' fewer admissions, so 56,347
    people aged 65+; seed 000 4711-4714 prints 520 admissions in 67,380."""
    assert "87" in seed_figures("001", 323, 325) and "67380" in seed_figures("000", 4711, 4714)
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
    assert seed_quote("7 or less", "003", 643) and seed_quote("HbA1c < 7", "003", 1837)
    findings = check_plans(load_plans(ROOT / "plans/pct-2010"), load_catalogue())
    (fact,) = [f for f in findings if f.subject == "hba1c-threshold-diabetes-vital-sign"]
    # one finding for the fact, with its three readings as printed, operators kept
    assert "<= 7 (" in fact.message and "but <= 7.5 (" in fact.message
    assert "but < 7 (" in fact.message
    assert (fact.expected, fact.stated) == (7, 7.5)
    assert fact.sources == ["seed 003, 643", "seed 003, 1751", "seed 003, 1837"]


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
    assert clash.id == "conflict/reablement-91-days/Liverpool/2013/14"
    assert "period (2013/14 = 2013-14)" in clash.why
    assert (clash.expected, clash.stated) == (79.9, 79.7)


def test_one_finding_per_fact_with_a_stable_id_seed_000_4778_seed_001_341(tmp_path) -> None:
    """Seed 001 341 (70% by March 2016) and seed 000 1650 (70% in 2015/16) against seed 000's
    BCF table (57.8%, 4778): one finding for dementia diagnosis in 2015/16, listing every
    source; a further document stating the same period adds a source, not a finding, and the
    id stays the same (so an accepted finding stays accepted)."""
    from tests.plans.helpers import write_plan

    assert "57.8" in seed_figures("000", 4778) and "70%" in seed_figures("001", 341)
    body = """
    ambitions:
      - id: dementia
        indicator: dementia-diagnosis
        target: {{period: 2015/16, value: {value}, src: {line}}}
    """
    write_plan(tmp_path, body.format(value=70.0, line=341), name="a.yaml",
               document='document: {id: a, seed: "001", title: A}\n')  # fmt: skip
    write_plan(tmp_path, body.format(value=57.8, line=4778), name="b.yaml",
               document='document: {id: b, seed: "000", title: B}\n')  # fmt: skip
    (before,) = [f for f in check_plans(load_plans(tmp_path), load_catalogue())
                 if f.check.startswith("conflicting")]  # fmt: skip
    assert before.id == "conflict/dementia-diagnosis/Liverpool/2015/16"
    assert before.severity == "warning"  # two documents
    write_plan(tmp_path, body.format(value=70.0, line=1650), name="c.yaml",
               document='document: {id: c, seed: "000", title: C}\n')  # fmt: skip
    (after,) = [f for f in check_plans(load_plans(tmp_path), load_catalogue())
                if f.check.startswith("conflicting")]  # fmt: skip
    assert after.id == before.id
    assert after.sources == ["seed 001, 341", "seed 000, 4778", "seed 000, 1650"]
    assert "70 (target in a/dementia, target in c/dementia); 57.8 (target in b/dementia)" in (
        after.message
    )


def test_a_measured_baseline_against_another_plan_is_a_note_seed_000_1619_001_4410(
    tmp_path,
) -> None:
    """Seed 000 1619 gives IAPT access 8.7% as the 2013/14 baseline; seed 001 4410 restates the
    baseline as 8.6% (a restated baseline across vintages: a warning). A plan's target for
    2013/14 set before the year against a later document's measured baseline need not agree:
    a note, saying why."""
    from tests.plans.helpers import write_plan

    assert "8.7" in seed_figures("000", 1619) and "8.6" in seed_figures("001", 4410)
    base = """
    ambitions:
      - id: iapt
        indicator: iapt-access
        {what}: {{period: "{label}", value: {value}, src: {line}}}
    """
    write_plan(tmp_path, base.format(what="baseline", label="2013/14", value=8.7, line=1619),
               name="a.yaml", document='document: {id: a, seed: "000", title: A}\n')  # fmt: skip
    write_plan(tmp_path, base.format(what="baseline", label="2013-14", value=8.6, line=4410),
               name="b.yaml", document='document: {id: b, seed: "001", title: B}\n')  # fmt: skip
    (restated,) = [f for f in check_plans(load_plans(tmp_path), load_catalogue())
                   if f.check.startswith("conflicting")]  # fmt: skip
    assert restated.check == "conflicting-baseline" and restated.severity == "warning"
    assert "restated by a later document" in restated.why and "2013/14 = 2013-14" in restated.why
    (tmp_path / "b.yaml").unlink()
    write_plan(tmp_path, base.format(what="target", label="2013/14", value=9.0, line=4410),
               name="b.yaml", document='document: {id: b, seed: "001", title: B}\n')  # fmt: skip
    (note,) = [f for f in check_plans(load_plans(tmp_path), load_catalogue())
               if f.check.startswith("conflicting")]  # fmt: skip
    assert note.severity == "note" and "need not agree" in note.why


def test_a_restatement_for_another_period_is_a_note_seed_000_720(tmp_path) -> None:
    """Seed 000 720 ('from our current position of 79.9%') restates the reablement baseline
    of the BCF table (79.7%, 2012/13, 4715-4717). Printed for the same dates under another
    label it is an error; printed for another year it need not agree, so it is a note."""
    from tests.plans.helpers import findings_for

    assert "79.9" in seed_figures("000", 720)
    body = """
    ambitions:
      - id: reablement
        indicator: reablement-91-days
        baseline: {{period: 2012/13, value: 79.7, src: 4715-4717}}
        restated:
          - {{what: baseline, value: 79.9, period: "{label}", src: 720}}
    """
    (same,) = [f for f in findings_for(tmp_path, body.format(label="2012-13"))
               if f.check == "restated-baseline"]  # fmt: skip
    assert same.severity == "error" and "same period (2012-13 = 2012/13)" in same.why
    (other,) = [f for f in findings_for(tmp_path, body.format(label="2013/14"))
                if f.check == "restated-baseline"]  # fmt: skip
    assert other.severity == "note" and "need not agree" in other.why
    assert other.sources == ["seed 000, 4715–4717", "seed 000, 720"]
