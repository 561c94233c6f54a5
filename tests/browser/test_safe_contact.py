"""How to reach the person safely through a real browser (issue #12, point 6, acceptance).

A field worker opens the form from the case page, records how the person can be reached
(only through the association, never by telephone, safe times, precautions) and finds it at
the top of the case page — the precautions, not the telephone, which is with the identity. At
1280 px and at 390 px (a phone), without horizontal overflow; every page checked with axe-core.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from opennrm.cases.models import SafeContact
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "06 00 00 00 99 (fictif)"
PRECAUTIONS = (
    "Précautions fictives : son employeur lit ses messages ; se présenter comme le médecin."
)
SAFE_TIMES = "En semaine, de 9 h à 11 h (fictif)"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_worker_records_it_and_sees_it_on_the_case_page(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"/cases/{case.reference}/")
    page.locator("#safe-contact-edit").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/safe-contact/$"))
    expect(page.locator("h1")).to_have_text(french("How to reach the person safely"))
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.locator("#id_phone").fill(PHONE)
    page.locator("label[for=id_do_not_call]").click()
    page.locator("label[for=id_through_organisation]").click()
    page.locator("#id_contact_organisation").select_option(str(cast.association.pk))
    page.locator("#id_preferred_language").select_option("ro")
    page.locator("#id_safe_times").fill(SAFE_TIMES)
    page.locator("#id_precautions").fill(PRECAUTIONS)
    page.locator("#safe-contact-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/#safe-contact$"))
    notice = page.locator("#safe-contact")
    expect(notice).to_contain_text(french("Do not call, do not leave messages."))
    expect(notice).to_contain_text(PRECAUTIONS)
    expect(notice).to_contain_text(SAFE_TIMES)
    expect(notice).to_contain_text(cast.association.name)
    expect(notice).not_to_contain_text(PHONE)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.goto(f"/cases/{case.reference}/identity/")
    expect(page.locator("#safe-contact")).to_contain_text(PHONE)
    assert_no_horizontal_overflow(page)
    contact = SafeContact.objects.get(case=case)
    assert contact.do_not_call and contact.precautions == PRECAUTIONS
