"""Authorised reporters through a real browser (issue 17, point 5): the national coordinator
recognises an organisation from the menu, with its agreement's clauses; a visitor finds it in
the public list from the directory; then the coordinator withdraws it after the confirmation
page, and it leaves the list. axe-core clean on every page."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from opennrm.core.models import Organisation
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import DashboardPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recognise_publish_withdraw(base_url: str, contexts: Any, cast: Any) -> None:
    from opennrm.core.models import Territory

    organisation = OrganisationFactory(
        kind="association",
        name="Fictional harbour association",
        territories=[Territory.objects.get(code="13")],
    )
    page = contexts(1280)
    LoginPage(page, base_url).log_in(cast.nadia.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    DashboardPage(page, base_url).show_nav_link(french("Authorised reporters")).click()
    expect(page.locator("h1")).to_have_text(french("Authorised reporters"))
    assert_accessible(page)
    page.goto(f"/manage/recognitions/{organisation.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name=french("Recognise as authorised reporter")).click()
    page.get_by_label(french("Recognition reference")).fill("AR-BROWSER-1")
    page.get_by_label(french("Recognition date")).fill("2026-11-02")
    page.locator("label", has_text="Non-éloignement d’une victime présumée").click()
    assert_accessible(page)
    page.get_by_role("button", name=french("Record the recognition")).click()
    expect(page.locator("body")).to_contain_text("AR-BROWSER-1")
    assert Organisation.objects.get(pk=organisation.pk).authorised_reporter

    visitor = contexts(390)
    visitor.goto("/directory/")
    visitor.get_by_role("link", name=french("Authorised reporters")).first.click()
    expect(visitor.locator("#authorised-reporters")).to_contain_text(organisation.name)
    assert_accessible(visitor)
    assert_no_horizontal_overflow(visitor)

    page.get_by_role("link", name=french("Withdraw the recognition")).click()
    assert_accessible(page)
    page.get_by_label(french("Reason for the withdrawal")).fill("Agreement ended.")
    page.get_by_role("button", name=french("Withdraw the recognition")).click()
    expect(page.locator("body")).to_contain_text("Agreement ended.")
    visitor.reload()
    expect(visitor.locator("body")).not_to_contain_text(organisation.name)
