"""The shell at the widths people use (issue 13): the header never overflows for any role's
menu, at 1280, 1366 and 1536 px and on a 390 px phone; the quick exit is one tap away on a
phone; the unread count tells a person something waits for them."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from opennrm.core.models import Notification
from tests.browser.pages import DashboardPage, FormPage, HomePage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOPS = (1280, 1366, 1536)
PHONE = 390
# The personas with the longest menus, and one of each other kind of work.
PERSONAS = ("louis", "nadia", "amina", "paul", "claire", "ines", "robert")


# What sticks out on the right, to say so when a page is too wide.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 4)
    .map(e => e.tagName + '.' + String(e.className).slice(0, 40) + '#' + e.id);
}"""


def _settled_overflow(page: Page, shell: DashboardPage) -> int:
    """The page's overflow once the design system's script has set it up: while it starts, it
    measures menus and tables by opening them for an instant, which is not a page that scrolls
    sideways. A width that stays is."""
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")
    if shell.overflow() <= 0:
        return 0
    page.wait_for_timeout(500)
    return shell.overflow()


def _menu_paths(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#header-navigation a.fr-nav__link", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(href for href in hrefs if href and href.startswith("/")))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_of_a_role_s_menu_scrolls_sideways(page: Page, base_url: str, cast, persona):
    user = getattr(cast, persona)
    LoginPage(page, base_url).log_in(user.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    dashboard = DashboardPage(page, base_url)
    paths = _menu_paths(page)
    assert "/dashboard/" in paths
    wide = []
    for width in (*LAPTOPS, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        # Every page of the menu at the narrowest laptop and the phone; the header's worst
        # case (the dashboard) at the others.
        for path in paths if width in (LAPTOPS[0], PHONE) else ["/dashboard/"]:
            page.goto(f"{base_url}{path}")
            if _settled_overflow(page, dashboard) > 0:
                culprits = page.evaluate(WIDEST)
                wide.append(f"{path} at {width} px: {dashboard.overflow()} px too wide: {culprits}")
    assert wide == []


def test_the_state_block_is_whole_and_the_menu_opens_by_keyboard(page: Page, base_url, cast):
    page.set_viewport_size({"width": 1280, "height": 900})
    LoginPage(page, base_url).log_in(cast.louis.email, PASSWORD, TOTP_SECRET)
    logo = page.locator(".fr-header__logo .fr-logo")
    assert logo.evaluate("e => e.scrollWidth <= e.parentElement.parentElement.clientWidth")
    expect(logo).to_contain_text("République")
    # A menu group opens with the keyboard and shows its entries.
    button = page.locator("#header-navigation button.fr-nav__btn").first
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    menu = page.locator(f"#{button.get_attribute('aria-controls')}")
    expect(menu.locator("a").first).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/report/"])
def test_the_quick_exit_is_one_tap_away_on_a_phone(page: Page, base_url: str, path):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{base_url}{path}")
    visible = page.locator("[data-quick-exit]:visible")
    expect(visible).to_have_count(1)  # without opening the menu
    assert visible.get_attribute("href") == settings.OPENNRM_QUICK_EXIT_URL
    box = visible.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    assert box["y"] + box["height"] <= 800
    assert HomePage(page, base_url).overflow() == 0


def test_the_unread_count_says_something_waits(page: Page, base_url: str, cast):
    LoginPage(page, base_url).log_in(cast.ines.email, PASSWORD, TOTP_SECRET)
    dashboard = DashboardPage(page, base_url)
    expect(dashboard.unread_count).to_have_count(0)
    Notification.send(
        [cast.ines], kind="identification.referred", message="Something waits for you (fictional)."
    )
    dashboard.navigate()
    expect(dashboard.unread_count).to_contain_text("1")
    with page.expect_navigation():
        page.locator(".fr-header__tools #notifications-link").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    # Marked read, the count is gone.
    FormPage(page, base_url).submit_form()
    expect(dashboard.unread_count).to_have_count(0)
