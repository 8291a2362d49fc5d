"""A real browser (Debian's Chromium, driven by Playwright) against the live server.

Chromium is an operating-system package (``apt-get install chromium``); Playwright's own
browser downloads are never used. Without Chromium the tests are skipped on a
developer's machine and fail in CI, like the other servers the suite needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI needs it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def browser(monkeypatch, settings) -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the test's own
    # database calls are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            # The test's queries ran while Playwright's event loop was running, on a
            # connection Django keeps apart from the one it closes at the end of the
            # run; left open, PostgreSQL would refuse to drop the test database.
            connections.close_all()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves docs/screenshots/name.png when asked to
    (``FACTCHECK_SCREENSHOTS=1``, as ``make screenshots`` does)."""

    def save(page, name: str, *, full_page: bool = False) -> None:
        if os.environ.get("FACTCHECK_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return save
