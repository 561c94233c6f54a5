"""The protocol through a real browser (issue 17, point 3): a visitor reaches it from the
footer, a professional from the menu; axe-core clean at 1280 px and on a 390 px phone without
horizontal overflow; its PDF link gives a PDF listing every step with its timeframe as the
profile sets it; the changes page opens from it."""

import io
import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from opennrm.profiles.loader import active_profile
from opennrm.protocol.building import STEPS
from opennrm.protocol.versions import duration
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import DashboardPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expected() -> dict[str, list[str]]:
    """Each step's French title and its timeframes' durations, as the profile sets them."""
    profile = active_profile()
    with translation.override("fr"):
        return {
            step.code: [
                duration(profile.timeframes[code].days, profile.timeframes[code].unit)
                for code in step.timeframes
            ]
            for step in STEPS
        }


@pytest.mark.parametrize("width", [1280, 390])
def test_a_visitor_reads_the_protocol_and_its_pdf(base_url: str, contexts: Any, width: int) -> None:
    page = contexts(width)
    page.goto("/")
    page.locator("#footer-protocol").click()
    expect(page.locator("h1")).to_contain_text(french("Protocol of the referral mechanism"))
    profile = active_profile()
    expect(page.locator("#protocol-stamp")).to_contain_text(profile.version)
    for code, durations in _expected().items():
        cell = page.locator(f"#row-{code} td.timeframe")
        for text in durations:
            expect(cell).to_contain_text(text)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    if width == 1280:
        href = page.locator("#protocol-pdf").get_attribute("href")
        assert href
        response = page.request.get(href)
        assert response.ok
        assert response.headers["content-type"] == "application/pdf"
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.body()))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        for durations in _expected().values():
            for duration_text in durations:
                assert duration_text in text
        page.get_by_role("link", name=french("What changed since the previous version")).click()
        expect(page.locator("h1")).to_have_text(french("Changes to the protocol"))
        assert_accessible(page)


def test_a_professional_opens_it_from_the_menu(base_url: str, contexts: Any, cast: Any) -> None:
    page = contexts(1280)
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    DashboardPage(page, base_url).show_nav_link(french("Protocol")).click()
    expect(page.locator("h1")).to_contain_text(french("Protocol of the referral mechanism"))
    assert_accessible(page)
