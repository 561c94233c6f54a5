"""The person's account through a real browser (issue #12, point 1, acceptance).

A field worker opens the account from the case page, writes three sections and the interview
record, each saved on its own; the page comes back at the section saved, says "saved" and when;
after a reload everything is there, and the case page counts the sections filled. At 1280 px
and at 390 px (a phone), without horizontal overflow; every page checked with axe-core.
"""

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opennrm.detection.models import PersonAccount
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "background": ("background", "Récit fictif : a grandi dans un village de montagne."),
    "recruitment": ("recruitment", "Récit fictif : un voisin a promis un emploi en cuisine."),
    "conditions": ("conditions", "Récit fictif : quatorze heures par jour, jamais payée."),
}
INSIGHT = "Analyse fictive : récit constant de tromperie et de servitude pour dettes."


def save(page: Page, section: str) -> None:
    page.locator(f"#save-{section}").click()
    expect(page).to_have_url(re.compile(rf"/account/#section-{section}$"))
    saved = page.locator(f"#saved-{section}")
    expect(saved).to_contain_text(french("Saved — last saved on %(when)s").split(" — ")[0])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_worker_writes_the_account_section_by_section(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"/cases/{case.reference}/")
    page.locator("#account-link").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/account/$"))
    expect(page.locator("h1")).to_have_text(french("The person's account"))
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    for section, (field, text) in SECTIONS.items():
        page.locator(f"#id_{section}-{field}").fill(text)
        save(page, section)
    page.locator("#id_interview-interview_place").fill("Locaux de l’association (fictif)")
    page.locator("#id_interview-interview_on").fill(timezone.localdate().isoformat())
    page.locator("#id_interview-interpreter_language").select_option("ro")
    page.locator("#id_interview-present").fill("Interprète par téléphone (fictif).")
    page.locator("#id_interview-insight").fill(INSIGHT)
    save(page, "interview")
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    page.reload()
    for section, (field, text) in SECTIONS.items():
        expect(page.locator(f"#id_{section}-{field}")).to_have_value(text)
    expect(page.locator("#id_interview-insight")).to_have_value(INSIGHT)
    expect(page.locator("#id_interview-interpreter_language")).to_have_value("ro")
    expect(page.locator("#account-completeness")).to_contain_text("4")

    page.goto(f"/cases/{case.reference}/")
    expect(page.locator("#account-status")).to_contain_text("4")
    assert_no_horizontal_overflow(page)
    account = PersonAccount.objects.get(case=case)
    assert account.insight == INSIGHT
    assert set(account.saved_at) == {*SECTIONS, "interview"}
