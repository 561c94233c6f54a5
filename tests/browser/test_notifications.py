"""Notifications in the browser (issue 13, point 2): a provider receives an urgent orientation
and sees the unread count and the dashboard's count rise, the notification marked urgent with
its kind, and chooses how it is e-mailed from the preferences page reached from the
notifications page."""

import re

import pytest
from playwright.sync_api import Page, expect

from opennrm.core.models import NotificationPreference
from opennrm.support.models import Urgency
from tests.browser.pages import DashboardPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory
from tests.support.conftest import make_presumed, sent, service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_provider_is_told_of_an_urgent_orientation_and_chooses_its_e_mails(
    page: Page, base_url: str, cast
):
    LoginPage(page, base_url).log_in(cast.ines.email, PASSWORD, TOTP_SECRET)
    dashboard = DashboardPage(page, base_url)
    expect(dashboard.unread_count).to_have_count(0)
    waiting = page.locator("#dashboard-orientations [data-count]")
    expect(waiting).to_have_attribute("data-count", "0")
    case = make_presumed(CaseFactory(owner=cast.association), cast.amina, shelter=True)
    sent(case, service(cast.accommodation, name="Shelter 93"), cast.amina, urgency=Urgency.URGENT)
    dashboard.navigate()
    expect(dashboard.unread_count).to_contain_text("1")
    expect(waiting).to_have_attribute("data-count", "1")  # the dashboard's count rose too
    with page.expect_navigation():
        page.locator(".fr-header__tools #notifications-link").click()
    expect(page.locator("main .opennrm-urgent")).to_have_count(1)
    with page.expect_navigation():
        page.locator("#notification-preferences-link").click()
    expect(page).to_have_url(re.compile(r"/notifications/preferences/$"))
    page.locator("input[name=kind_support__orientation_received][value=none]").check(force=True)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".fr-alert--success")).to_have_count(1)
    assert (
        NotificationPreference.objects.get(
            user=cast.ines, kind="support.orientation_received"
        ).email
        == "none"
    )
