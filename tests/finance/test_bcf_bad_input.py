"""Bad BCF plans: each refused with one message naming the file and line, before anything
is computed; and the commands' plain-text output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from placehealth.errors import ValidationError
from placehealth.finance.bcf_load import load_bcf
from placehealth.finance.bcf_payment import stake
from tests.conftest import ROOT
from tests.test_cli import run_cli

DFG = "{id: dfg-2015-16, partner: council, year: 2015/16, basis: minimum, kind: capital, label: Disabled Facilities Grant, amount: 3.5, src: 403, part_of: capital-2015-16}"  # noqa: E501


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    for name in ("ccg-2014", "sefton-bcf-2014"):
        shutil.copytree(ROOT / "plans" / name, tmp_path / name)
    return tmp_path


CASES = {
    "amount-and-link": (
        "ccg-2014", "label: CCG minimum contribution (15/16), from:",
        "label: CCG minimum contribution (15/16), amount: 1, src: 1, from:",
        "give an amount or a table cell",
    ),
    "no-lines": (
        "ccg-2014", "amount: 3.5, src: 403, part_of", "amount: 3.5, part_of",
        "say which seed lines print it",
    ),
    "row-not-cell": (
        "ccg-2014", "from: B8/ccg/minimum-2015-16}", "from: B8/ccg}", "names a row, not a cell",
    ),
    "unknown-partner": (
        "ccg-2014", "partner: council, year: 2015/16, basis: minimum, kind: capital, label: "
        "Disabled", "partner: nhs, year: 2015/16, basis: minimum, kind: capital, label: Disabled",
        "no partner 'nhs'",
    ),
    "unknown-part": (
        "ccg-2014", "part_of: capital-2015-16}", "part_of: nothing}",
        "part_of names no contribution",
    ),
    "scheme-metric": (
        "ccg-2014", "metrics: [avoidable-admissions], conditions: [protect", "metrics: [nosuch], "
        "conditions: [protect", "no metric nosuch",
    ),
    "no-rules": (
        "ccg-2014", "payment_rules_from: sefton-bcf-2014\n", "",
        "give the payment rules (payment) or the plan that holds them",
    ),
    "rules-not-found": (
        "ccg-2014", "payment_rules_from: sefton-bcf-2014", "payment_rules_from: elsewhere",
        "payment_rules_from: no BCF plan of 'elsewhere'",
    ),
    "no-such-cell": (
        "ccg-2014", "from: B8/ccg/minimum-2015-16}", "from: B9/ccg/minimum-2015-16}",
        "no such cell",
    ),
    "no-such-ambition": (
        "ccg-2014", "ambition: bcf-dementia,", "ambition: bcf-dementias,",
        "no ambition 'bcf-dementias'",
    ),
    "no-such-release": (
        "ccg-2014", "periods: {october-2015: 2014/15}, src: 4675", "periods: {june-2015: "
        "2014/15}, src: 4675", "no payment 'june-2015'",
    ),
    "no-such-period": (
        "ccg-2014", "october-2015: 2015/16}", "october-2015: 2016/17}",
        "has no target or published point for 2016/17",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("doc", "old", "new", "says"), CASES.values(), ids=list(CASES))
def test_a_bad_plan_names_its_file_and_line(
    plans: Path, doc: str, old: str, new: str, says: str
) -> None:
    path = plans / doc / "bcf" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_bcf(plans / doc)
    assert says in caught.value.message
    assert caught.value.file == str(path) and caught.value.line is not None


def test_no_plan_found_is_an_error(tmp_path: Path) -> None:
    result = run_cli("bcf", "show", str(tmp_path))
    assert result.returncode == 2 and "no Better Care Fund plan found" in result.stderr


def test_sefton_stake_is_its_declared_minimum() -> None:
    """Seed 004, 252: £24.040M, no minimum contributions of its own."""
    (sefton,) = load_bcf(ROOT / "plans" / "sefton-bcf-2014")
    place = stake(sefton)
    assert place.basis == "declared minimum" and place.share == pytest.approx(24.040 / 3800)


def test_plain_text_output() -> None:
    shown = run_cli("bcf", "show", str(ROOT / "plans" / "ccg-2014"))
    assert shown.returncode == 0, shown.stderr
    assert "Pooled budget" in shown.stdout and "National conditions" in shown.stdout
    paid = run_cli(
        "bcf", "payment", str(ROOT / "plans" / "ccg-2014"), "--set", "dementia=58",
        "--vary", "dementia=57,58",
    )  # fmt: skip
    assert paid.returncode == 0, paid.stderr
    assert "What if" in paid.stdout and "Releases" in paid.stdout
    risks = run_cli("risks", "show", str(ROOT / "plans"), "--sort", "register")
    assert risks.returncode == 0, risks.stderr
    assert "R04" in risks.stdout and "no risk printed" in risks.stdout


def test_plan_check_reports_bcf_and_register_findings() -> None:
    import json

    result = run_cli("plan", "check", str(ROOT / "plans" / "sefton-bcf-2014"), "--json")
    assert result.returncode == 0, result.stderr
    checks = {f["check"] for f in json.loads(result.stdout)}
    assert {"bcf-signoff-undated", "risk-not-scored", "risk-not-printed"} <= checks


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("risks", "heatmap", "plans/ccg-2014", "-o", "x.pdf"), "cannot draw '.pdf'"),
        (("risks", "show", "nowhere"), "no such file or folder"),
        (("bcf", "export", "plans", "-o", "x.xlsx"), "2 BCF plans"),
        (("bcf", "export", "plans/ccg-2014", "-o", "x.csv"), "cannot write '.csv'"),
        (("bcf", "payment", "plans/ccg-2014", "--vary", "dementia"), "write metric=v1,v2"),
    ],
)
def test_bad_options_are_exit_2(
    args: tuple[str, ...], says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli(*args)
    assert result.returncode == 2 and says in result.stderr
    assert not (ROOT / "x.pdf").exists() and not (ROOT / "x.xlsx").exists()
