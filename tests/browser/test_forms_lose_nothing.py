"""Forms that lose nothing, in a real browser: a long text is never cut by the browser, a
character count shows the length and the limit, and the server refuses an over-long text with
the whole text kept on the form."""

import pytest
from playwright.sync_api import Page, expect

from opennrm.detection.models import DESCRIPTION_MAX, Concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_report_counts_characters_and_keeps_an_over_long_text(
    page: Page, base_url: str, territories
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{base_url}/report/")
    description = page.locator("textarea[name=description]")
    count = page.locator(".opennrm-count").first
    expect(count).to_have_text(f"0 / {DESCRIPTION_MAX} caractères")
    typed = "Une personne travaille sans salaire. " * 120  # more than the limit
    description.fill(typed)
    assert description.input_value() == typed  # not cut at the limit
    expect(count).to_contain_text(f"{len(typed)} / {DESCRIPTION_MAX} caractères")
    expect(count).to_contain_text("de trop")
    expect(count).to_have_class("fr-hint-text opennrm-count opennrm-count--over")
    page.get_by_role("button", name="Envoyer le signalement").click()
    kept = page.locator("textarea[name=description]").input_value()
    assert kept.strip() == typed.strip(), f"{len(kept)} characters shown back of {len(typed)}"
    expect(page.locator("body")).to_contain_text(str(DESCRIPTION_MAX))
    assert Concern.objects.count() == 0
    assert not [error for error in errors if "Content Security Policy" in error]
