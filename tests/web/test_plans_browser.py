"""The plans' workflows in a real browser: upload actuals with a bad row (named, nothing
saved), then a good file confirmed and saved; accept a finding (in the checker's file and the
audit); open the board pack and download its PDF. axe-core checks each new view and the
screenshots go to docs/images/ with PLACEHEALTH_SCREENSHOTS=1."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from PIL import Image

from placehealth.cli.options import default_plans_path
from placehealth.services.reports import sample_actuals
from placehealth.services.site_plans import accepted_file, saved_actuals
from placehealth.web.db import make_engine
from placehealth.web.settings import ENV_SITE_FILES
from tests.web.conftest import IMAGES, PASSWORD, screenshots_wanted
from tests.web.test_browser import (
    accessible,
    add_analyst,
    browser,
    serving,
    watched_page,
)
from tests.web.test_plans_workflows import PLAN, with_bad_rows

__all__ = ["browser"]  # the fixture, shared with the site's first browser test


@pytest.fixture(scope="module")
def plans_site(
    site_outputs: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, str]]:
    """The served site's address, its files folder and its database."""
    folder = tmp_path_factory.mktemp("plans-site")
    url = f"sqlite:///{folder / 'site.db'}"
    add_analyst(url)
    with serving(site_outputs, url, {ENV_SITE_FILES: str(folder / "files")}) as address:
        yield address, folder / "files", url


def test_upload_review_and_board_pack_in_a_browser(
    plans_site: tuple[str, Path, str], browser: Any, tmp_path: Path
) -> None:
    address, files, url = plans_site
    good = tmp_path / "actuals.csv"
    sample_actuals(default_plans_path() / PLAN, good, seed=1)
    bad = tmp_path / "actuals-with-a-bad-row.csv"
    bad.write_bytes(with_bad_rows(good.read_bytes()))
    context, page, problems = watched_page(browser)

    page.goto(f"{address}/plans")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{address}/plans")
    page.click(f"#plan-links a[href='/plans/{PLAN}/actuals']")
    page.wait_for_url(f"{address}/plans/{PLAN}/actuals")
    accessible(page, "plans-actuals")

    # a file with bad rows: each is named, and nothing is saved
    page.set_input_files("#file", str(bad))
    page.click("button:has-text('Check the file')")
    page.wait_for_load_state()
    assert "nothing was saved" in page.locator(".nhsuk-error-summary").inner_text()
    rows = page.locator("#problems tbody tr td:first-child").all_inner_texts()
    assert [r.split()[-1] for r in rows] == ["3", "5", "7"]
    assert "no-such-indicator" in page.locator("#problems").inner_text()
    accessible(page, "plans-actuals-problems")
    assert saved_actuals(files, PLAN) is None

    # a good file: previewed, then saved once confirmed
    page.click("text=Upload a corrected file")
    page.set_input_files("#file", str(good))
    page.click("button:has-text('Check the file')")
    page.wait_for_load_state()
    count = len(pd.read_csv(good))
    assert page.locator("#row-count").inner_text() == f"{count} rows"
    accessible(page, "plans-actuals-preview")
    assert saved_actuals(files, PLAN) is None
    page.click("button:has-text('Save these actuals')")
    page.wait_for_url(f"{address}/plans/{PLAN}/actuals")
    assert f"{count}" in page.locator("#saved-actuals").inner_text()
    saved = saved_actuals(files, PLAN)
    assert saved is not None and saved.read_bytes() == good.read_bytes()

    # accept a finding: it shows as accepted, in the checker's file and in the audit
    page.goto(f"{address}/plans")
    review = page.locator("a[href^='/plans/findings/review']").first
    review.click()
    page.wait_for_url(lambda u: "/plans/findings/review" in u)
    finding = page.locator("input[name=finding]").get_attribute("value")
    accessible(page, "plans-review")
    reason = "Reviewed by the plan leads: the printed figure was rounded."
    page.fill("#reason", reason)
    page.click("button:has-text('Accept the finding')")
    page.wait_for_url(f"{address}/plans#findings")
    assert page.locator(f"td:has-text('{reason}')").count() == 1
    written = accepted_file(files).read_text()
    assert f"id: {finding}" in written and reason in written and "by: ana" in written
    engine = make_engine(url)
    with engine.connect() as connection:
        logged = connection.execute(
            sa.text("SELECT \"user\", target, outcome FROM audit WHERE action = 'accept finding'")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in logged] == [("ana", finding, "accepted")]

    # the board pack for a chosen month: HTML to read, PDF to download
    page.click(f"#plan-links a[href='/plans/{PLAN}/board-pack']")
    page.wait_for_url(f"{address}/plans/{PLAN}/board-pack")
    page.select_option("#month", "2017-06")
    page.click("button:has-text('Choose')")
    page.wait_for_url("**month=2017-06")
    accessible(page, "board-pack")
    with page.expect_download(timeout=120_000) as download:
        page.click("text=Download the board pack for 2017-06 (PDF)")
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == f"board-pack-{PLAN}-2017-06.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages >= 3  # cover, summary, an objective's page and more
    # the PDF's second page, for the documentation when asked (PLACEHEALTH_SCREENSHOTS=1)
    first = (IMAGES if screenshots_wanted() else tmp_path) / "web-board-pack-pdf"
    subprocess.run(
        ["pdftoppm", "-f", "2", "-l", "2", "-r", "60", "-png", "-singlefile", str(pdf), str(first)],
        check=True,
    )  # fmt: skip
    with Image.open(first.with_suffix(".png")) as png:
        pixels = np.asarray(png.convert("L"))
    height, width = pixels.shape
    assert abs(width / height - 297 / 210) < 0.02  # an A4 page, landscape, as the pack sets it
    assert (pixels < 128).mean() > 0.003  # text and a table on it, not a blank page
    page.click("text=Open the board pack for 2017-06 (HTML)")
    page.wait_for_url(f"{address}/plans/{PLAN}/board-pack/2017-06.html")
    assert "June 2017" in page.locator("body").inner_text()
    accessible(page, "board-pack-html")
    # the refused upload's page comes with 422, which the browser notes; nothing else may fail
    assert [p for p in problems if "status of 422" not in p] == [], problems
    assert len(problems) == 1
    context.close()
