"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Chromium is never downloaded by Playwright: the tests use the system's /usr/bin/chromium
(override with OPENNRM_CHROMIUM). Without it the tests are skipped, unless
OPENNRM_REQUIRE_BROWSER=1 (as in .ci/run), where a missing browser or any skipped browser test
is a failure.
"""

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

CHROMIUM = Path(os.environ.get("OPENNRM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000


def browser_required() -> bool:
    return os.environ.get("OPENNRM_REQUIRE_BROWSER", "").lower() in {"1", "true", "yes", "on"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory drives the browser, marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """When CI requires the browser, a skipped browser test is a failure, not a skip."""
    report = yield
    if report.skipped and browser_required() and item.get_closest_marker("browser"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"Browser test skipped but OPENNRM_REQUIRE_BROWSER=1 requires it to run: {reason}"
        )
    return report


def launch_browser() -> Iterator[Any]:
    """The one Chromium of the session (the `browser` fixture of tests/conftest.py): two
    Playwright sync instances cannot run at once in one thread."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if browser_required():
            pytest.fail(f"{message}; OPENNRM_REQUIRE_BROWSER=1 requires the browser tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def base_url(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def page(transactional_db: None, browser: Any, base_url: str) -> Generator[Any]:
    """A fresh browser context (no cookies, French visitor) for each test."""
    cache.clear()  # allauth remembers used TOTP codes in the cache
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    yield new_page
    context.close()


@pytest.fixture
def contexts(browser: Any, base_url: str) -> Iterator[Any]:
    """Opens a French browser context of the given width (and closes them all after the test):
    `page = contexts(390)`."""
    opened: list[Any] = []

    def open_context(width: int) -> Any:
        context = browser.new_context(
            base_url=base_url, locale="fr-FR", viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        opened.append(context)
        return context.new_page()

    yield open_context
    for context in opened:
        context.close()
