"""Where a case stands, in a browser (issue 13): the case page's stepper and its steps fit a
390 px phone and a laptop without sideways scroll."""

import pytest
from playwright.sync_api import Page, expect

from opennrm.cases.enums import ConsentScope
from opennrm.support.services import open_protection, record_immediate_needs
from tests.browser.pages import DashboardPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET
from tests.identification.conftest import actor_for, presumed_case, referred

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_stepper_fits_the_page(page: Page, base_url: str, cast, width):
    case = presumed_case(cast)
    request = actor_for(cast.amina)
    open_protection(case, actor=request)
    record_immediate_needs(case, actor=request, shelter=True)
    assert case.active_consent(ConsentScope.REFERRAL) is not None
    referred(cast, case, "platform")
    page.set_viewport_size({"width": width, "height": 900})
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    page.goto(f"{base_url}/cases/{case.reference}/")
    expect(page.locator(".fr-stepper")).to_be_visible()
    expect(page.locator('#case-steps li[data-step="protection"]')).to_have_attribute(
        "data-state", "done"
    )
    assert DashboardPage(page, base_url).overflow() == 0
