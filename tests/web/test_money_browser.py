"""Money and activity in a real browser: `placehealth serve` driven by Playwright with
Debian's chromium. Each view is reached from the site's menu and its section, passes
axe-core, and works without JavaScript (plain GET forms); the BCF what-if names a bad value
and then works the payment out again. Screenshots: docs/images/web-money-*.png and
web-activity-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from placehealth.cli.options import default_plans_path
from placehealth.services import bcf, site_money
from placehealth.web.settings import ENV_SITE_FILES
from tests.web.outputs import with_activity
from tests.web.test_browser import accessible, add_analyst, browser, serving, watched_page
from tests.web.test_money_views import target_of
from tests.web.test_phm_browser import sign_in

__all__ = ["browser"]  # Debian's chromium, as the site's test launches it


@pytest.fixture(scope="module")
def address(site_outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`placehealth serve` over the run's outputs with the demo's activity files, on a free
    loopback port, with one analyst account."""
    outputs = with_activity(site_outputs, tmp_path_factory.mktemp("money") / "outputs")
    url = f"sqlite:///{outputs.parent / 'site.db'}"
    add_analyst(url)
    files = tmp_path_factory.mktemp("site-files")  # what the site writes, never the project's
    with serving(outputs, url, {ENV_SITE_FILES: str(files)}) as started:
        yield started


def test_money_and_activity_views_in_a_browser(address: str, browser: Any) -> None:
    plans = default_plans_path()
    context, page, problems = watched_page(browser)
    sign_in(page, address, "ana")

    page.click("a.nhsuk-header__navigation-link[href='/money']")
    page.wait_for_url(f"{address}/money")
    assert page.locator("h1").inner_text().startswith("Financial position")
    assert page.locator("#position-1 tbody tr").count() >= 5
    accessible(page, "money-position")

    plan = site_money.bcf_plans(plans)[0]
    metric = site_money.bcf_metrics(plans / plan)[0]
    page.click("a.nhsuk-contents-list__link[href='/money/bcf']")
    page.wait_for_url(f"{address}/money/bcf")
    page.fill(f"#{metric}", "lots")
    page.click("text=Work out the payment")
    page.wait_for_load_state()
    assert "write metric=value" in page.locator(".nhsuk-error-summary").inner_text()
    accessible(page, "money-bcf-error")
    assert [p for p in problems if "400 (Bad Request)" not in p] == []  # the page said why
    problems.clear()
    target = target_of(plans / plan, metric)
    page.fill(f"#{metric}", str(target))
    page.click("text=Work out the payment")
    page.wait_for_load_state()
    released = bcf.payment(plans / plan, [f"{metric}={target}"])[0]["released"]
    assert f"released on these actuals: £{released:,.0f}" in page.locator("main").inner_text()
    accessible(page, "money-bcf")

    page.click("a.nhsuk-contents-list__link[href='/money/risks']")
    page.wait_for_url(f"{address}/money/risks")
    page.fill("#category", "finance")
    page.click("form.area-form button")
    page.wait_for_url("**category=finance**")
    categories = page.locator("#risks tbody tr td:nth-child(2)").all_inner_texts()
    assert categories and all("finance" in c.lower() for c in categories)
    assert page.eval_on_selector("figure.chart img", "i => i.naturalWidth") > 0
    accessible(page, "money-risks")

    page.click("a.nhsuk-contents-list__link[href='/money/investments']")
    page.wait_for_url(f"{address}/money/investments")
    assert page.locator("#investments tbody tr").count() >= 2
    accessible(page, "money-investments")

    page.click("a.nhsuk-header__navigation-link[href='/activity']")
    page.wait_for_url(f"{address}/activity")
    assert page.locator("#activity-findings tbody tr").count() >= 1
    accessible(page, "activity-plans")
    page.click("a.nhsuk-contents-list__link[href='/activity/actual']")
    page.wait_for_url(f"{address}/activity/actual")
    assert page.locator("#activity-actual tbody tr").count() >= 5
    accessible(page, "activity-actual")
    page.click("a.nhsuk-contents-list__link[href='/activity/demand']")
    page.wait_for_url(f"{address}/activity/demand")
    page.wait_for_load_state("networkidle")
    widths = page.eval_on_selector_all("figure.chart img", "s => s.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(w > 0 for w in widths)
    assert page.locator("#projection tbody tr").count() >= 5
    accessible(page, "activity-demand")
    assert problems == []
    context.close()
