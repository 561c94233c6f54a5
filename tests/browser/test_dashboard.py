"""The dashboard's tiles of what waits (issue 13, point 3) in a real browser, at 1280 px and on
a 390 px phone: each tile readable (its title, its count or "none"), no horizontal overflow, no
axe-core violation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opennrm.core.models import Notification
from tests.browser.helpers import assert_accessible
from tests.browser.pages import DashboardPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory, ConcernFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# persona: the tiles that show a count (the others say "none")
WAITING = {
    "louis": ("triage", "overdue"),
    "amina": ("assess", "due-assessments", "notifications"),
    "ines": (),
}


def _settled_overflow(page: Page, shell: DashboardPage) -> int:
    """The overflow once the design system's script has set the page up."""
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")
    if shell.overflow() <= 0:
        return 0
    page.wait_for_timeout(500)
    return shell.overflow()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("persona", list(WAITING))
def test_tiles_are_readable_and_fit(page: Page, base_url: str, cast, persona, width):
    today = timezone.localdate()
    ConcernFactory()
    ConcernFactory(triage_due=today - datetime.timedelta(days=1))
    CaseFactory(owner=cast.association, assessment_due=today + datetime.timedelta(days=2))
    Notification.send([cast.amina], kind="identification.referred", message="Fictional.")
    page.set_viewport_size({"width": width, "height": 900})
    LoginPage(page, base_url).log_in(getattr(cast, persona).email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    dashboard = DashboardPage(page, base_url)
    tiles = page.locator("#waiting .fr-tile")
    assert tiles.count() >= 2
    for index in range(tiles.count()):
        tile = tiles.nth(index)
        expect(tile).to_be_visible()
        key = (tile.get_attribute("id") or "").removeprefix("dashboard-")
        title = tile.locator(".fr-tile__title a")
        expect(title).to_be_visible()
        box = title.bounding_box()
        assert box is not None and box["width"] > 40, f"{key}: title squeezed"
        if key in WAITING[persona]:
            expect(tile.locator(".opennrm-tile__count")).to_have_text(re.compile(r"^\d+\+?$"))
        else:
            expect(tile.locator(".opennrm-tile__none")).to_be_visible()
    assert _settled_overflow(page, dashboard) <= 0, f"overflow at {width}px for {persona}"
    assert_accessible(page)
