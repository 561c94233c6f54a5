"""What several browser tests check on a page: axe-core, horizontal overflow, and the French
text of a message."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Page


def french(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    if results.violations_count:
        pytest.fail(
            f"axe-core found {results.violations_count} violation(s) on {page.url}:\n"
            f"{results.generate_report()}",
            pytrace=False,
        )


def assert_no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of horizontal overflow on {page.url}"
