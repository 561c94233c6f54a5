"""Transfer of a case through a real browser (issue #12, point 7, acceptance).

Amina, coordinator of the association of 93, proposes from the case page to hand the case to
the association of Bouches-du-Rhône, recording the person's consent and that her association
keeps read-only access; Yasmine, its coordinator, is told on her dashboard, reads the proposal
(pseudonymised), confirms and accepts: the case is her association's, in 13, with its history;
Amina's association reads it read only. At 1280 px and at 390 px (a phone), without horizontal
overflow; every page checked with axe-core.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.cases.models import Case, CaseEvent, CaseTransfer
from opennrm.core.models import Territory
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPLANATION = "Explication fictive : une place l’attend dans le réseau d’accueil éloigné."


def _choose(page: Page, name: str, value: str) -> None:
    """Tick a DSFR radio or checkbox by its label (the input itself is drawn over)."""
    field = page.locator(f"input[name={name}][value={value}]")
    page.locator(f"label[for={field.get_attribute('id')}]").click()


def _checked_page(page: Page) -> None:
    assert_accessible(page)
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_proposes_a_transfer_and_the_other_accepts_it(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    CaseEvent.log(case, "case.opened", actor=_actor(cast.amina))
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The proposal, from the case page.
    page.goto(f"/cases/{case.reference}/")
    page.locator("#transfer-case").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/transfer/$"))
    _checked_page(page)
    page.locator("#id_to_organisation").select_option(str(cast.other_association.pk))
    page.locator("#id_to_territory").select_option(str(Territory.objects.get(code="13").pk))
    _choose(page, "reason", "distancing")
    page.locator("#id_explanation").fill(EXPLANATION)
    page.locator("label[for=id_person_consents]").click()
    _choose(page, "method", "interpreted")
    _choose(page, "former_access", "read_only")
    page.locator("#transfer-form button[type=submit]").click()
    transfer = CaseTransfer.objects.get(case=case)
    expect(page).to_have_url(re.compile(rf"/transfers/{transfer.pk}/$"))
    expect(page.locator("#transfer-status")).to_have_text(french("Awaiting a decision"))
    _checked_page(page)

    # The receiving coordinator is told on the dashboard, reads and confirms (her own browser).
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.yasmine.email, PASSWORD, TOTP_SECRET)
    alert = page.locator("#transfers-alert")
    expect(alert).to_be_visible()
    _checked_page(page)
    alert.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/transfers/$"))
    _checked_page(page)
    page.locator("#awaiting").get_by_role("link", name=case.reference).click()
    summary = page.locator("#transfer-summary")
    expect(summary).to_contain_text(EXPLANATION)
    expect(summary).not_to_contain_text(case.person.given_names)
    _checked_page(page)
    page.locator("#accept").click()
    expect(page).to_have_url(re.compile(rf"/transfers/{transfer.pk}/accept/$"))
    _checked_page(page)
    page.locator("#confirm-accept").click()  # not confirmed: the page says so
    expect(page.locator("#accept-form")).to_contain_text(french("Tick the box to confirm."))
    assert Case.objects.get(pk=case.pk).owner == cast.association
    page.locator("label[for=id_confirm]").click()
    page.locator("#confirm-accept").click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/$"))
    expect(page.locator("main")).to_contain_text(cast.other_association.name)
    expect(page.locator("#timeline")).to_contain_text(
        french("Case transferred to another organisation")
    )
    expect(page.locator("#former-share")).to_contain_text(cast.association.name)
    _checked_page(page)
    moved = Case.objects.get(pk=case.pk)
    assert (moved.owner, moved.territory.code) == (cast.other_association, "13")

    # The former owner reads it, read only, as the person agreed (an authenticator code is
    # used once: the page is read without signing in through the browser again).
    html = cast.client_for(cast.amina).get(f"/cases/{case.reference}/").content.decode()
    assert 'id="read-only"' in html and 'id="show-identity"' not in html


def _actor(user: Any) -> Any:
    from tests.acting import actor_for

    return actor_for(user)
