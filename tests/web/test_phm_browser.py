"""Population health in a real browser: `placehealth serve` under a deployment, driven by
Playwright with Debian's chromium. The views load and pass axe-core; a team of another
neighbourhood is refused the case list and the refusal is in the audit log; the
neighbourhood's own team downloads it and the download is audited. The views'
screenshots are saved to docs/images/web-phm-*.png with PLACEHEALTH_SCREENSHOTS=1."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from placehealth.deployment import ENV_DEPLOYMENT
from tests.web.conftest import PASSWORD
from tests.web.phm_outputs import OTHER_TEAM, TEAM, build_phm_outputs, write_deployment
from tests.web.test_browser import _placehealth, accessible, browser, serving

ACCOUNTS = {"ana": ("analyst", None), "ned": ("neighbourhood_team", TEAM),
            "nia": ("neighbourhood_team", OTHER_TEAM)}  # fmt: skip
__all__ = ["browser"]  # Debian's chromium, as the site's browser test launches it


@pytest.fixture(scope="module")
def served(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The run with its population health outputs; `placehealth serve` over it on a free
    loopback port under a development deployment, with an analyst and two teams' accounts.
    Yields the deployment's folder (its audit log); the address is in ``served / 'address'``."""
    outputs = build_phm_outputs(site_outputs, tmp_path_factory.mktemp("phm-browser") / "outputs")
    folder = outputs.parent / "deployment"
    deployment = write_deployment(outputs, folder)
    url = f"sqlite:///{outputs.parent / 'site.db'}"
    for name, (role, team) in ACCOUNTS.items():
        extra = ["--neighbourhood", team] if team else []
        added = _placehealth(
            "site", "user", "add", name, "--role", role, *extra, "--password-stdin",
            "--database-url", url, stdin=PASSWORD + "\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    with serving(outputs, url, {ENV_DEPLOYMENT: str(deployment)}) as address:
        (folder / "address").write_text(address)
        yield folder


def audit_log(folder: Path) -> list[dict[str, Any]]:
    log = folder / "audit.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def sign_in(page: Any, address: str, name: str) -> None:
    page.goto(f"{address}/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{address}/")


def sign_out(page: Any, address: str) -> None:
    page.click("text=Sign out")
    page.wait_for_url(f"{address}/login")


def test_population_health_views_and_the_case_list_in_a_browser(
    served: Path, browser: Any, tmp_path: Path
) -> None:
    address = (served / "address").read_text()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    # an analyst browses the aggregate views from the site's menu
    sign_in(page, address, "ana")
    page.click("a.nhsuk-header__navigation-link[href='/population-health']")
    page.wait_for_url(f"{address}/population-health")
    assert page.locator("h1").inner_text() == "Segments by neighbourhood"
    page.select_option("#area", "imd_decile")
    page.click("form.area-form button")
    page.wait_for_url("**area=imd_decile")
    deciles = page.locator("#segments-table tbody th").all_inner_texts()
    assert deciles == sorted(deciles, key=int) and len(deciles) >= 2
    accessible(page, "phm-segments")
    page.click("a.nhsuk-contents-list__link[href='/population-health/concentration']")
    page.wait_for_load_state("networkidle")
    assert page.eval_on_selector("figure.chart img", "i => i.naturalWidth") > 0
    assert page.locator("#shares-table tbody tr").count() >= 4
    accessible(page, "phm-concentration")
    page.click("a.nhsuk-contents-list__link[href='/population-health/at-risk']")
    page.wait_for_url(f"{address}/population-health/at-risk")
    assert "hidden" in page.locator("#at-risk-table").inner_text()
    accessible(page, "phm-at-risk")
    answer = page.goto(f"{address}/population-health/case-list/{TEAM}")
    assert answer is not None and answer.status == 403
    accessible(page, "phm-refused")
    sign_out(page, address)
    assert audit_log(served) == []  # the analyst was refused at the site's door

    # another neighbourhood's team is refused, and the refusal is in the audit log
    sign_in(page, address, "nia")
    answer = page.goto(f"{address}/population-health/case-list/{TEAM}")
    assert answer is not None and answer.status == 403
    assert "may not see identifiable rows" in page.locator("main").inner_text()
    [refused] = audit_log(served)
    assert (refused["user"], refused["neighbourhood"]) == ("nia", TEAM)
    assert (refused["outcome"], refused["rows_released"]) == ("denied", 0)
    sign_out(page, address)

    # the neighbourhood's team opens its list from the menu and downloads it: both audited
    sign_in(page, address, "ned")
    page.goto(f"{address}/population-health")
    page.click(f"a.nhsuk-contents-list__link[href='/population-health/case-list/{TEAM}']")
    page.wait_for_url(f"{address}/population-health/case-list/{TEAM}")
    rows = page.locator("#case-list-table tbody tr").count()
    accessible(page, "phm-case-list")
    with page.expect_download() as download:
        page.click("text=Download the list (CSV)")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    listed = pd.read_csv(saved, encoding="utf-8-sig")
    assert len(listed) == rows >= 1
    _, shown, downloaded = audit_log(served)
    assert (shown["user"], shown["output"], shown["outcome"]) == ("ned", "site page", "released")
    assert (downloaded["output"], downloaded["rows_released"]) == ("site download", rows)
    assert downloaded["identifiable"] is True
    assert downloaded["output_sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    sign_out(page, address)
    refusals = [p for p in problems if "status of 403" in p]
    assert len(refusals) == 2 and len(problems) == 2, problems  # the two refusals, nothing else
    context.close()
