"""Board pack: what it contains, and that its PDF pages all render with content."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from placehealth.catalogue import load_catalogue
from placehealth.plans.check import check_plans
from placehealth.reports.board import board_html, write_board
from placehealth.reports.figures import attach_charts, attach_spc
from placehealth.reports.icons import ASSURANCE, VARIATION
from placehealth.reports.pack import assemble
from tests.reports.helpers import load, write_actuals, write_plan
from tests.test_cli import run_cli


@pytest.fixture
def pack(tmp_path: Path):
    plans, actuals = load(tmp_path)
    catalogue = load_catalogue()
    data = assemble(plans, catalogue, actuals)
    attach_spc(data)
    attach_charts(data, scale=0.5)
    return data, check_plans(plans, catalogue)


def test_pack_has_every_ambition_each_objective_and_the_findings(pack) -> None:
    data, findings = pack
    html = board_html(data, findings, source="actuals.csv")
    for view in data.ambitions:
        assert view.name in html
    # the ambitions' groups, and the ungrouped ones together; a group whose only
    # ambition has no data (dementia) has no cards: it is in the list without data
    assert [g for g, _ in data.groups()] == ["Experience", "Independence", "Other ambitions"]
    for group in ("Experience", "Independence"):
        assert f'<p class="group">{group}</p>' in html
    assert '<p class="group">Other ambitions</p>' not in html
    assert "<h2>Ambitions without data</h2>" in html
    assert "Performance to March 2016" in html
    # the deliberately wrong headline is reported in the methods page
    assert any(f.check == "headline-point-to-point" for f in findings)
    assert "t/inpatient/headline-point-to-point" in html
    # icons carry a text alternative
    inpatient = next(v for v in data.ambitions if v.id == "inpatient")
    assert VARIATION[inpatient.variation][3] in html
    assert inpatient.assurance is not None and ASSURANCE[inpatient.assurance][2] in html
    # the exception page shows the off-track ambition with an empty narrative box
    assert 'id="exception-t-inpatient"' in html
    assert "To be completed by the lead" in html
    assert html.count("<svg") >= len(data.ambitions) * 2  # icons and charts inline


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is missing (scripts/system-deps.sh installs poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_every_pdf_page_has_content(pack, tmp_path: Path) -> None:
    _need("pdftoppm")
    data, findings = pack
    attach_charts(data, scale=0.5, image="png")  # as the CLI does for a PDF
    pdf = write_board(data, findings, tmp_path / "pack.pdf")
    subprocess.run(["pdftoppm", "-r", "20", "-gray", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    # cover, summary, the objectives' cards flowing on, one exception, methods
    assert len(pages) >= 5
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert (
        "Exception 1 of 1" in text and f"Page {len(pages)} of" in text
    )  # running header and footer
    for page in pages:
        image = Image.open(page).convert("L")
        width, height = image.size
        body = image.crop((0, int(height * 0.12), width, int(height * 0.9)))
        dark = sum(body.histogram()[:200])  # pixels darker than light grey
        assert dark > 40, f"{page.name} is blank below its header ({dark} dark pixels)"


def test_cli_writes_html_and_rejects_other_suffixes(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    actuals = write_actuals(tmp_path)
    args = ["report", "board", "--plan", str(plan), "--actuals", str(actuals), "--scale", "0.5"]
    ok = run_cli(*args, "-o", str(tmp_path / "pack.html"))
    assert ok.returncode == 0, ok.stderr
    html = (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Summary of ambitions" in html
    bad = run_cli(*args, "-o", str(tmp_path / "pack.docx"))
    assert bad.returncode == 2
    assert "unsupported output type '.docx'" in bad.stderr
    assert "Traceback" not in bad.stderr
    late = run_cli(*args, "--month", "2013-01", "-o", str(tmp_path / "pack.html"))
    assert late.returncode == 2
    assert "no actuals on or before 2013-01" in late.stderr
