"""``placehealth bcf`` and ``placehealth risks``: JSON output, the workbook round trip, and
bad input — one line with file and line (or sheet and row), exit 2, no file changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from placehealth.finance.bcf_excel import plain, read_workbook, write_workbook
from placehealth.finance.bcf_model import BcfPlan
from placehealth.yamlfile import load_model
from tests.conftest import ROOT
from tests.test_cli import run_cli

CCG = str(ROOT / "plans" / "ccg-2014")


def test_bcf_show_json() -> None:
    result = run_cli("bcf", "show", CCG, "--json")
    assert result.returncode == 0, result.stderr
    (plan,) = json.loads(result.stdout)
    by = {(r["basis"], r["partner"]): r for r in plan["pool_by_partner"]}
    council = by[("agreed", "Liverpool City Council")]
    assert council["2015/16"] == pytest.approx(12.721)  # seed 000, 4607
    assert len(plan["conditions"]) == 6 and len(plan["schemes"]) == 6


def test_bcf_payment_json_with_set_and_vary() -> None:
    result = run_cli(
        "bcf", "payment", CCG, "--set", "delayed-transfers@april-2015=228",
        "--vary", "dementia=57,58", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (out,) = json.loads(result.stdout)
    april = out["releases"][0]
    assert april["metrics_met"] == 1
    assert april["released"] == pytest.approx(250 / 3 * 44.970 / 3800 * 1e6)
    assert [w["value"] for w in out["what_if"]] == [57.0, 58.0]
    assert out["what_if"][1]["released"] > out["what_if"][0]["released"]


@pytest.mark.parametrize(
    ("value", "says"),
    [("nosuch=1", "has no metric 'nosuch'"), ("dementia=high", "write metric=value"),
     ("dementia@june=1", "does not count in a release 'june'")],
)  # fmt: skip
def test_bad_set_is_one_line_and_exit_2(value: str, says: str) -> None:
    result = run_cli("bcf", "payment", CCG, "--set", value)
    assert result.returncode == 2 and says in result.stderr
    assert "Traceback" not in result.stderr


def test_workbook_round_trip(tmp_path: Path) -> None:
    """Export, import, compare: every printed number's text, every link and note survive."""
    for doc in ("ccg-2014", "sefton-bcf-2014"):
        plan = load_model(ROOT / "plans" / doc / "bcf" / "plan.yaml", BcfPlan)
        book = write_workbook(plan, tmp_path / f"{doc}.xlsx")
        back = read_workbook(book)
        assert plain(back) == plain(plan) and back == plan


def test_cli_export_import_writes_the_same_plan(tmp_path: Path) -> None:
    book, yaml_out = tmp_path / "bcf.xlsx", tmp_path / "plan.yaml"
    assert run_cli("bcf", "export", CCG, "-o", str(book)).returncode == 0
    result = run_cli("bcf", "import", str(book), "-o", str(yaml_out))
    assert result.returncode == 0, result.stderr
    original = load_model(ROOT / "plans" / "ccg-2014" / "bcf" / "plan.yaml", BcfPlan)
    assert load_model(yaml_out, BcfPlan) == original


def test_a_malformed_workbook_changes_no_file(tmp_path: Path) -> None:
    bad, out = tmp_path / "bad.xlsx", tmp_path / "plan.yaml"
    bad.write_bytes(b"not a workbook")
    out.write_text("kept\n", encoding="utf-8")
    result = run_cli("bcf", "import", str(bad), "-o", str(out))
    assert (
        result.returncode == 2
        and "bad.xlsx" in result.stderr
        and "not an Excel workbook" in result.stderr
    )
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_a_bad_cell_names_its_sheet_and_row(tmp_path: Path) -> None:
    import openpyxl

    book = write_workbook(
        load_model(ROOT / "plans" / "ccg-2014" / "bcf" / "plan.yaml", BcfPlan), tmp_path / "b.xlsx"
    )
    wb = openpyxl.load_workbook(book)
    sheet = wb["Finance - Summary"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=8, column=header.index("unit") + 1, value="dollars")
    wb.save(book)
    result = run_cli("bcf", "import", str(book))
    assert result.returncode == 2
    assert "sheet 'Finance - Summary' row 8, unit" in result.stderr


def test_an_unknown_unit_in_a_plan_is_exit_2_with_its_line(tmp_path: Path) -> None:
    for name in ("ccg-2014", "sefton-bcf-2014"):
        shutil.copytree(ROOT / "plans" / name, tmp_path / name)
    path = tmp_path / "ccg-2014" / "bcf" / "plan.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "amount: 3.5, src: 403", "amount: 3.5, unit: £k, src: 403"
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("bcf", "show", str(tmp_path / "ccg-2014"))
    assert result.returncode == 2
    assert f"{path}:" in result.stderr and "pool.7.unit" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # the message and its hint
    assert path.read_text(encoding="utf-8") == text


def test_risks_show_json_sorted_and_filtered() -> None:
    result = run_cli("risks", "show", str(ROOT / "plans"), "--category", "work", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [r["risk"] for r in shown["risks"]] == ["workforce-development"]
    assert shown["risks"][0]["score"] == 9


def test_risks_heatmap_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"
    result = run_cli("risks", "heatmap", CCG, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_negative_likelihood_is_exit_2_and_draws_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "risks"
    folder.mkdir()
    text = (ROOT / "plans/ccg-2014/risks/bcf-risks.yaml").read_text(encoding="utf-8")
    (folder / "r.yaml").write_text(
        text.replace("likelihood: 4\n", "likelihood: -1\n"), encoding="utf-8"
    )
    out = tmp_path / "heat.png"
    result = run_cli("risks", "heatmap", str(tmp_path), "-o", str(out))
    assert result.returncode == 2 and "r.yaml:19" in result.stderr and "likelihood" in result.stderr
    assert not out.exists()
