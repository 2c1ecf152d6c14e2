"""``placehealth finance show`` and the finance findings in ``placehealth plan check``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT
from tests.test_cli import run_cli

CCG = str(ROOT / "plans" / "ccg-2014")


def test_show_json_puts_recomputed_beside_printed() -> None:
    """Seed 000, 5320–5324: the 2015/16 TOTAL allocation, printed 775.6, recomputed 789.2
    both across (754.6 + 34.6) and down (750.6 + 14.8 + 10.2 + 13.6)."""
    result = run_cli("finance", "show", CCG, "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    tables = {t["table"]: t for t in shown["tables"]}
    assert sorted(tables) == [
        "B11",
        "B8",
        "F02",
        "F03",
        "F04",
        "F05",
        "F06",
        "F07",
        "F08",
        "F10",
        "I3",
    ]
    f06 = tables["F06"]
    assert f06["source"] == "seed 000, 5285–5374" and f06["unit"] == "£m"
    row = next(r for r in f06["rows"] if r["id"] == "allocation")
    total = next(c for c in row["cells"] if c["column"] == "total")
    assert total["printed"] == "775.6"
    assert {(r["check"], round(r["value"], 1), r["agrees"]) for r in total["recomputed"]} == {
        ("total-column", 789.2, False),
        ("row-sum", 789.2, False),
    }
    assert tables["F10"]["printed_unit"] == "£m" and tables["F10"]["unit"] == "£000"
    qipp = next(f for f in shown["figures"] if f["figure"] == "qipp-planned-savings")
    assert (qipp["printed"], qipp["shown"], qipp["agrees"]) == ("2.6", "26.504", False)
    assert qipp["source"] == "seed 000, 5747" and qipp["equals"] == ["-F10/total/2014-15"]


def test_show_prints_tables() -> None:
    result = run_cli("finance", "show", CCG)
    assert result.returncode == 0, result.stderr
    assert "F06 Financial Position 2015/16" in result.stdout and "789.2" in result.stdout
    assert "Figures in the text against the tables" in result.stdout


def test_help_has_an_example() -> None:
    result = run_cli("finance", "show", "--help")
    assert "Example: placehealth finance show plans/ccg-2014" in result.stdout


def test_plan_check_reports_finance_findings_and_accepts_them(tmp_path: Path) -> None:
    """One checker: the finance findings come with the outcome plans' (seed 000, 5747 and
    5651–5653 for the QIPP figure) and the accepted-findings file silences them by id."""
    qipp = "ccg-2014/finance/text/qipp-planned-savings/figure"
    result = run_cli("plan", "check", CCG, "--json")
    assert result.returncode == 0, result.stderr
    found = {f["id"]: f for f in json.loads(result.stdout)}
    assert found[qipp]["sources"] == ["seed 000, 5747", "seed 000, 5651–5653"]
    assert any(i.startswith("ccg-2014/") and "/finance/" not in i for i in found)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(f"accepted:\n  - {{id: {qipp}, reason: reviewed}}\n")
    result = run_cli("plan", "check", CCG, "--json", "--accepted", str(accepted))
    assert qipp not in {f["id"] for f in json.loads(result.stdout)}
    assert "1 accepted finding(s) left out" in result.stderr


def test_the_demo_writes_the_finance_findings_with_the_plans(tmp_path: Path) -> None:
    """The demo's findings table holds the financial tables' findings too (seed 000's QIPP
    figure, 5747), counted with the outcome plans'."""
    import pandas as pd

    from placehealth.services.demo import review_plans

    review = review_plans(tmp_path, ROOT / "plans")
    table = pd.read_csv(review.findings_table)
    assert "ccg-2014/finance/text/qipp-planned-savings/figure" in set(table["id"])
    assert sum(review.findings.values()) == len(table)
