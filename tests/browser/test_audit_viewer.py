"""The audit viewer through a real browser (issue #13, point 8): at 1280 px and on a 390 px
phone the page never scrolls sideways, the table scrolls inside its own box (reachable by the
keyboard), the action is chosen from the labelled list, details read as labels; axe-core clean.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _trail(cast: Any) -> None:
    long_named = MembershipFactory(
        organisation=cast.association,
        user__email="a.very.long.address.of.a.fictional.field.worker@association-93.test.invalid",
    ).user
    for n in range(12):
        record(
            "audit.export",
            actor=Actor.for_user(long_named),
            organisation=cast.association,
            details={
                "rows": n,
                "filters": {"action": "case.read", "date_from": "2026-01-01", "actor": True},
                "format": "csv",
                "note": "x" * 120,
            },
        )
        record("case.read", actor=Actor.for_user(cast.amina), organisation=cast.association)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_audit_viewer_fits_the_page_and_filters_by_a_labelled_action(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    _trail(cast)
    page: Page = contexts(width)
    LoginPage(page, base_url).log_in(cast.robert.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/audit/")
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")
    table = page.locator("#audit-entries")
    expect(table).to_contain_text("Filtres\u00a0: Action\u00a0: Dossier consulté")
    assert "filters=" not in table.inner_text()
    assert_no_horizontal_overflow(page)
    # The table's own box scrolls, and takes the keyboard's focus.
    box = page.locator(".opennrm-audit-table .fr-table__container")
    assert box.get_attribute("tabindex") == "0"
    assert_accessible(page)

    # The action from the list, by its label.
    page.locator("#id_action").select_option(label="Dossier consulté")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"action=case\.read"))
    rows = page.locator("#audit-entries tbody tr")
    expect(rows).to_have_count(12)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
