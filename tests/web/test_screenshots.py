"""Screenshots of the views are written into docs/images only when asked for, so an ordinary
test run leaves the repository's images alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web import conftest
from tests.web.conftest import ENV_SCREENSHOTS, PNG, screenshot


class Page:
    """Stands in for a browser page: what Playwright's screenshot returns, a PNG's bytes."""

    def __init__(self) -> None:
        self.full_page: list[bool] = []

    def screenshot(self, *, full_page: bool) -> bytes:
        self.full_page.append(full_page)
        return PNG + b"image"


@pytest.fixture
def images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(conftest, "IMAGES", tmp_path / "images")
    return tmp_path / "images"


def test_an_ordinary_run_writes_no_screenshot(
    images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_SCREENSHOTS, raising=False)
    page = Page()
    assert screenshot(page, "overview") == PNG + b"image"
    assert page.full_page == [True]  # still taken: the test that takes it still runs
    assert not images.exists()


def test_asked_for_screenshots_are_written(images: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_SCREENSHOTS, "1")
    screenshot(Page(), "plans", full_page=False)
    assert (images / "web-plans.png").read_bytes() == PNG + b"image"


def test_a_screenshot_that_is_not_a_png_fails(
    images: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_SCREENSHOTS, "1")
    page = Page()
    page.screenshot = lambda *, full_page: b"<html>"  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="not a PNG"):
        screenshot(page, "login")
    assert not (images / "web-login.png").exists()
