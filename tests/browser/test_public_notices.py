"""The accessibility statement, the legal notice and the personal-data notice through a real
browser (issue 17, point 7): reached from the footer, axe-core clean at 1280 px and on a 390 px
phone without horizontal overflow; the display settings dialog opens from the footer and
switches the theme (the DSFR's own script, no inline script)."""

from collections.abc import Iterator
from typing import Any, cast

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICES = ("/accessibility/", "/legal/", "/personal-data/")


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


@pytest.fixture
def contexts(browser: Any, base_url: str) -> Iterator[Any]:
    opened: list[Any] = []

    def open_context(width: int) -> Page:
        context = browser.new_context(
            base_url=base_url, locale="fr-FR", viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        opened.append(context)
        return cast("Page", context.new_page())

    yield open_context
    for context in opened:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_notices_are_reached_from_the_footer_and_accessible(
    base_url: str, contexts: Any, width: int, settings: Any
) -> None:
    settings.OPENNRM_ACCESSIBILITY_STATUS = "partially_compliant"
    page = contexts(width)
    page.goto("/")
    footer_link = page.locator("#footer-accessibility")
    expect(footer_link).to_have_text("Accessibilité\u00a0: partiellement conforme")
    footer_link.click()
    expect(page.locator("h1")).to_have_text(french("Accessibility statement"))
    for path in NOTICES:
        page.goto(path)
        expect(page.locator("[data-quick-exit]").first).to_be_attached()
        assert_accessible(page)
        assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_display_settings_switch_to_the_dark_theme(
    base_url: str, contexts: Any, width: int
) -> None:
    page = contexts(width)
    page.goto("/legal/")
    page.locator("#footer-display-settings").click()
    dialog = page.locator("#fr-theme-modal")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    dialog.locator("label[for='fr-radios-theme-dark']").click()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")
    dialog.locator(".fr-btn--close").click()
    expect(dialog).to_be_hidden()
    assert_accessible(page)  # the dark theme too
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")  # kept
