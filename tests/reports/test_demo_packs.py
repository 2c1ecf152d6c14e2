"""Both demo board packs (a pack per Liverpool plan against its sample actuals, as
``placehealth demo`` writes them), rendered to pictures and read back: the synthetic
watermark on every page, a unit and basis on every summary row, no page of empty
cards, and no status beside a pair that cannot be compared."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from placehealth.catalogue import load_catalogue
from placehealth.cli.options import default_plans_path
from placehealth.places import load_place
from placehealth.plans.load import load_plans
from placehealth.plans.status import read_actuals
from placehealth.reports.pack import assemble
from tests.reports.test_board import _need
from tests.test_cli import run_cli

SUMMARY = "Summary of ambitions"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # a form feed ends every page


@pytest.mark.parametrize("name", load_place("liverpool").defaults.plans)
def test_demo_pack_pictures(name: str, tmp_path: Path) -> None:
    _need("pdftoppm")
    folder = default_plans_path() / name
    actuals, pdf = tmp_path / "actuals.csv", tmp_path / "pack.pdf"
    made = run_cli("report", "sample-actuals", "-p", str(folder), "--seed", "1", "-o", str(actuals))
    assert made.returncode == 0, made.stderr
    # the scale only sizes the charts; small keeps the test quick
    done = run_cli("report", "board", "-p", str(folder), "-a", str(actuals), "-o", str(pdf),
                   "--scale", "0.4")  # fmt: skip
    assert done.returncode == 0, done.stderr
    subprocess.run(["pdftoppm", "-r", "20", "-gray", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    pictures = sorted(tmp_path.glob("page-*.png"))
    pages = _pages(pdf)
    assert len(pictures) == len(pages) >= 5

    # the watermark, on every page: its words in the running header (the big diagonal
    # letters come out of pdftotext scattered)
    for number, page in enumerate(pages, 1):
        header = page.strip("\n").splitlines()[0]
        assert "SYNTHETIC DATA" in header, f"page {number}: no watermark in '{header}'"

    # every summary row has a unit and a basis; annual and monthly never share a row
    catalogue = load_catalogue()
    data = assemble(load_plans(folder), catalogue, read_actuals(actuals, catalogue))
    summary = [p for p in pages if SUMMARY in p.strip("\n").splitlines()[0]]
    assert summary and all("Unit" in p and "Basis" in p for p in summary)
    table = "\n".join(summary)
    for view in data.ambitions:
        assert view.unit_label in table
    split = [v for v in data.ambitions if v.split]
    assert table.count("latest, compared") + table.count("latest actual") == len(split)

    # no status beside an incomparable pair: its reason instead, and exactly as many
    # status badges as ambitions that were compared
    incomparable = [v for v in data.ambitions if v.status == "not comparable"]
    assert table.count("Not compared:") == len(incomparable)
    for line in table.splitlines():
        if "Not compared:" in line:
            assert "on track" not in line and "off track" not in line, line
    for status in ("on track", "off track"):
        expected = sum(v.status == status for v in data.ambitions)
        assert table.count(status) == expected, status

    # no empty card pages: each page after the summary and before the exceptions holds
    # a card (its "plan:" line) or the list of ambitions without data, and ink
    first_exception = next(i for i, p in enumerate(pages) if "Exception 1 of" in p)
    last_summary = max(i for i, p in enumerate(pages) if SUMMARY in p.strip("\n").splitlines()[0])
    for index in range(last_summary + 1, first_exception):
        page = pages[index]
        assert "plan:" in page or "Ambitions without data" in page, f"page {index + 1} empty"
    for picture in pictures:
        image = Image.open(picture).convert("L")
        width, height = image.size
        body = image.crop((0, int(height * 0.12), width, int(height * 0.9)))
        assert sum(body.histogram()[:200]) > 40, f"{picture.name} is blank below its header"
