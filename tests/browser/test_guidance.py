"""Public guidance by sector through a real browser (issue 17, point 1): a visitor on a 390 px
phone goes from the home page to a sector page, reads it, reaches the report form and the
contact persons of their département; axe-core clean, no horizontal overflow at 390, 1280 and
1366 px, the quick exit on every page."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from opennrm.core.models import Territory
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.factories import ContactEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_on_a_phone_reads_a_sector_and_reaches_the_report_and_directory(
    base_url: str, contexts: Any, territories: None
) -> None:
    ContactEntryFactory(post_title="THB contact post, prefecture 93 (fictional)")
    ContactEntryFactory(
        territory=Territory.objects.get(code="13"),
        post_title="THB contact post, prefecture 13 (fictional)",
    )
    page = contexts(390)
    page.goto("/")
    page.locator("#home-guidance").click()
    expect(page.locator("h1")).to_have_text(french("Recognise exploitation: guidance by sector"))
    expect(page.locator("[data-quick-exit]").first).to_be_attached()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name="Travail domestique chez des particuliers").click()
    expect(page).to_have_url(re.compile(r"/guidance/domestic_work/$"))
    expect(page.locator("h1")).to_have_text("Travail domestique chez des particuliers")
    expect(page.locator("#signs")).to_have_text(french("Signs you may notice"))
    expect(page.locator("#emergency-numbers a[href='tel:17']")).to_be_visible()
    expect(page.locator("[data-quick-exit]").first).to_be_attached()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.locator("#guidance-report").click()
    expect(page).to_have_url(re.compile(r"/report/$"))
    expect(page.locator("[data-quick-exit]").first).to_be_attached()
    page.go_back()

    page.locator("#guidance-territory").select_option("93")
    page.locator("#guidance-directory button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/directory/\?territory=93$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("THB contact post, prefecture 93 (fictional)")


@pytest.mark.parametrize("width", [390, 1280, 1366])
def test_the_guidance_pages_fit_every_width_and_are_accessible(
    base_url: str, contexts: Any, territories: None, width: int
) -> None:
    page = contexts(width)
    for path in ("/guidance/", "/guidance/street_begging/", "/guidance/health_care/"):
        page.goto(path)
        expect(page.locator("[data-quick-exit]").first).to_be_attached()
        assert_accessible(page)
        assert_no_horizontal_overflow(page)
    page.goto("/")
    expect(page.locator("#footer-guidance")).to_have_attribute("href", "/guidance/")
