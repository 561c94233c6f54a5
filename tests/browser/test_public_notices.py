"""The accessibility statement, the legal notice and the personal-data notice through a real
browser (issue 17, point 7): reached from the footer, axe-core clean at 1280 px and on a 390 px
phone without horizontal overflow; the display settings dialog opens from the footer and
switches the theme (the DSFR's own script, no inline script)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICES = ("/accessibility/", "/legal/", "/personal-data/")


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


def settled(page: Any) -> None:
    """Wait until no CSS transition or animation runs (the modal fades in and out; a theme
    change eases the colours): contrast is measured on the colours that stay."""
    page.wait_for_function(
        "() => document.getAnimations().every((animation) => animation.playState !== 'running')"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_display_settings_switch_to_the_dark_theme(
    base_url: str, contexts: Any, width: int
) -> None:
    page = contexts(width)
    page.goto("/legal/")
    # The dialog opens once the design system's script has set the page up (seen in CI: a
    # click before that opened nothing).
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")
    page.locator("#footer-display-settings").click()
    dialog = page.locator("#fr-theme-modal")
    expect(dialog).to_be_visible()
    settled(page)  # axe measured the legend's colour halfway through the fade-in (CI)
    assert_accessible(page)
    dialog.locator("label[for='fr-radios-theme-dark']").click()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")
    dialog.locator(".fr-btn--close").click()
    expect(dialog).to_be_hidden()
    settled(page)
    assert_accessible(page)  # the dark theme too
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")  # kept
