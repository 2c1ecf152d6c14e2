"""The site in a real browser: `placehealth serve` started as a person would, driven by
Playwright with Debian's chromium; axe-core checks each view; the views' screenshots are
taken, and saved to docs/images/ for the documentation with PLACEHEALTH_SCREENSHOTS=1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from placehealth.web.settings import ENV_SITE_FILES
from tests.conftest import missing_outside_ci
from tests.web.conftest import PASSWORD, screenshot

CHROMIUM = Path("/usr/bin/chromium")
BLOCKING = {"serious", "critical"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _placehealth(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "placehealth", *args],
        input=stdin, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@contextmanager
def serving(outputs: Path, url: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`placehealth serve` over ``outputs`` on a free loopback port, as a person starts it;
    yields its address and stops it after."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "placehealth", "serve", "--outputs", str(outputs),
         "--database-url", url, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.5)
        else:
            pytest.fail("placehealth serve did not start within 120 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def add_analyst(url: str) -> None:
    """An analyst account, ana, in the site's database at ``url``, added as a person would."""
    added = _placehealth(
        "site", "user", "add", "ana", "--role", "analyst", "--password-stdin",
        "--database-url", url, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr


@pytest.fixture(scope="module")
def address(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`placehealth serve` on a free loopback port, with one analyst account."""
    url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.db'}"
    add_analyst(url)
    files = tmp_path_factory.mktemp("site-files")  # what the site writes, never the project's
    with serving(site_outputs, url, {ENV_SITE_FILES: str(files)}) as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing_outside_ci(
            f"{CHROMIUM} is missing (scripts/system-deps.sh installs Debian's chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def watched_page(browser: Any) -> tuple[Any, Any, list[str]]:
    """A new browser context and page, and the list its console errors and script errors go to."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def accessible(page: Any, view: str) -> None:
    """No serious or critical axe-core violation on the page, and a screenshot of it."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{view}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}" for v in blocking
    )
    screenshot(page, view, full_page=view != "plans")


def test_sign_in_browse_and_download_in_a_browser(
    address: str, browser: Any, site_outputs: Path, tmp_path: Path
) -> None:
    context, page, problems = watched_page(browser)

    page.goto(f"{address}/")
    assert page.url.startswith(f"{address}/login")
    accessible(page, "login")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{address}/")
    assert page.locator("h1").inner_text() == "Place overview"
    indicators = pd.read_csv(site_outputs / "indicators.csv")["indicator_id"].unique()
    assert page.locator("#overview tbody tr").count() >= len(indicators)
    # the NHS.UK frontend's script ran under the site's policy (no inline script)
    assert "js-enabled" in (page.locator("body").get_attribute("class") or "")
    page.wait_for_load_state("networkidle")
    spine = page.eval_on_selector("#chart-spine img", "i => i.naturalWidth")
    assert spine > 0  # the spine chart drew
    accessible(page, "overview")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "overview-first-screen", full_page=False)  # the README's picture

    page.click("a[href='/indicators/ae-attendances']")
    page.wait_for_url(f"{address}/indicators/ae-attendances")
    page.select_option("#area", "neighbourhood")
    page.click("form.area-form button")
    page.wait_for_url("**area=neighbourhood")
    assert page.locator("#values-table tbody tr").first.inner_text().startswith("Neighbourhood")
    page.wait_for_load_state("networkidle")
    drawn = page.eval_on_selector_all("figure.chart img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(drawn) == 4 and all(width > 0 for width in drawn)  # every chart drew
    accessible(page, "indicator")
    page.goto(f"{address}/indicators/ae-attendances?area=lsoa&page=2")
    assert page.locator("nav.nhsuk-pagination [aria-current=page]").inner_text() == "2"
    page.click("nav.nhsuk-pagination a[rel=prev]")
    page.wait_for_url("**page=1#values")
    accessible(page, "indicator-pages")
    page.goto(f"{address}/indicators/ae-attendances?area=neighbourhood")

    with page.expect_download() as download:
        page.click("text=CSV")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "ae-attendances-neighbourhood.csv"
    frame = pd.read_csv(saved, encoding="utf-8-sig")
    assert set(frame["area_code"]) >= {"NBSYN01"} and "value" in frame.columns

    page.click("a.nhsuk-header__navigation-link[href='/plans']")
    page.wait_for_url(f"{address}/plans")
    assert page.locator("h2#findings").is_visible()
    accessible(page, "plans")

    page.click("text=Sign out")
    page.wait_for_url(f"{address}/login")
    page.goto(f"{address}/plans")
    assert page.url.startswith(f"{address}/login")
    assert not problems, problems
    context.close()


def test_chromium_is_debians(browser: Any) -> None:
    assert shutil.which("chromium") == str(CHROMIUM)
    assert browser.version
