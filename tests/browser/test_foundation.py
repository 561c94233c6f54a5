"""The foundation seen through a real browser: login with MFA, roles, language, directory, a11y."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from opennrm.core.models import Territory
from tests.browser.helpers import assert_accessible
from tests.browser.pages import (
    DashboardPage,
    DirectoryPage,
    HomePage,
    LegalPage,
    LoginPage,
    current_totp_code,
)
from tests.factories import PASSWORD, TOTP_SECRET, ContactEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def french(message: str) -> str:
    """The text French visitors see for a message of the project's catalogue."""
    with translation.override("fr"):
        return translation.gettext(message)


def test_two_personas_log_in_and_see_the_navigation_of_their_role(
    page: Page, base_url: str, cast
) -> None:
    coverage = french("Directory coverage")
    dashboard = DashboardPage(page, base_url)
    login = LoginPage(page, base_url)

    login.log_in(cast.nadia.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(dashboard.current_user).to_contain_text("Nadia")
    expect(dashboard.show_nav_link(coverage)).to_be_visible()
    dashboard.sign_out()
    expect(dashboard.current_user).to_have_count(0)

    login.log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(dashboard.current_user).to_contain_text("Amina")
    expect(dashboard.acting_as).to_contain_text(cast.association.name)
    expect(dashboard.nav_link(french("Dashboard"))).to_be_visible()
    expect(dashboard.nav_link(coverage)).to_have_count(0)
    dashboard.sign_out()
    expect(dashboard.current_user).to_have_count(0)
    # Signed out, the dashboard is out of reach again.
    dashboard.navigate()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_language_switch_turns_french_pages_into_english(
    page: Page, base_url: str, cast
) -> None:
    login = LoginPage(page, base_url)
    login.navigate()
    assert login.html_lang == "fr"
    expect(login.heading).to_have_text("Se connecter")
    expect(login.password_label).to_contain_text("Mot de passe")  # allauth's own catalogue
    login.switch_language()
    assert login.html_lang == "en"
    expect(login.heading).to_have_text("Sign in")
    expect(login.password_label).to_contain_text("Password")
    expect(login.language_button).to_have_text("Français")

    # The choice sticks: once signed in, the dashboard and the navigation are in English.
    login.log_in(cast.nadia.email, PASSWORD, TOTP_SECRET)
    dashboard = DashboardPage(page, base_url)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert dashboard.html_lang == "en"
    expect(dashboard.heading).to_have_text("Dashboard")
    expect(dashboard.show_nav_link("Directory coverage")).to_be_visible()
    # And back to French.
    dashboard.switch_language()
    assert dashboard.html_lang == "fr"
    expect(dashboard.heading).to_have_text("Tableau de bord")
    expect(dashboard.show_nav_link("Couverture de l’annuaire")).to_be_visible()
    expect(dashboard.language_button).to_have_text("English")


def test_an_anonymous_visitor_finds_the_contact_persons_of_a_departement(
    page: Page, base_url: str, territories
) -> None:
    entry = ContactEntryFactory(post_title="THB contact post, prefecture 93 (fictional)")
    ContactEntryFactory(
        territory=Territory.objects.get(code="13"),
        post_title="THB contact post, prefecture 13 (fictional)",
    )
    directory = DirectoryPage(page, base_url)
    directory.navigate()
    expect(directory.rows).to_have_count(2)
    assert_accessible(page)

    directory.search("93")
    expect(page).to_have_url(re.compile(r"/directory/\?territory=93$"))
    expect(directory.results_heading).to_contain_text("(93)")
    expect(directory.rows).to_have_count(1)
    expect(directory.rows.first).to_contain_text("THB contact post, prefecture 93 (fictional)")
    expect(directory.rows.first).to_contain_text(entry.email)
    assert_accessible(page)

    directory.search("75")
    expect(directory.rows).to_have_count(0)
    expect(directory.no_entry).to_be_visible()


def test_public_pages_login_and_dashboard_have_no_accessibility_violation(
    page: Page, base_url: str, cast
) -> None:
    HomePage(page, base_url).navigate()
    assert_accessible(page)
    LegalPage(page, base_url).navigate()
    assert_accessible(page)
    login = LoginPage(page, base_url)
    login.navigate()
    assert_accessible(page)
    login.email.fill(cast.amina.email)
    login.password.fill(PASSWORD)
    login.submit()
    expect(login.code).to_be_visible()  # the MFA stage
    assert_accessible(page)
    login.code.fill("000000")
    login.submit()
    # A wrong code: the error is announced on an accessible page too.
    expect(login.code).to_be_visible()
    assert_accessible(page)
    login.code.fill(current_totp_code(TOTP_SECRET))
    login.submit()
    dashboard = DashboardPage(page, base_url)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert_accessible(page)  # with the "signed in" message
    dashboard.navigate()
    assert_accessible(page)
    DirectoryPage(page, base_url).navigate()  # a public page seen by a signed-in user
    assert_accessible(page)


def test_the_demonstration_notice_is_inside_a_landmark(page: Page, base_url: str, settings) -> None:
    settings.DEMO_MODE = True
    HomePage(page, base_url).navigate()
    expect(page.locator(".fr-notice")).to_be_visible()
    assert_accessible(page)


def test_quick_exit_leaves_at_once_and_replaces_the_history_entry(
    page: Page, base_url: str, settings
) -> None:
    settings.OPENNRM_QUICK_EXIT_URL = f"{base_url}/legal/"
    DirectoryPage(page, base_url).navigate()
    home = HomePage(page, base_url)
    home.navigate()
    expect(home.quick_exit).to_be_visible()
    with page.expect_navigation():
        home.quick_exit.click()
    expect(page).to_have_url(f"{base_url}/legal/")
    # "Back" does not return to the page the visitor left: it was replaced in the history.
    page.go_back()
    expect(page).to_have_url(f"{base_url}/directory/")


def test_escape_key_triggers_the_quick_exit(page: Page, base_url: str, settings) -> None:
    settings.OPENNRM_QUICK_EXIT_URL = f"{base_url}/legal/"
    directory = DirectoryPage(page, base_url)
    directory.navigate()
    with page.expect_navigation():
        page.keyboard.press("Escape")
    expect(page).to_have_url(f"{base_url}/legal/")


def test_the_skip_link_to_the_content_is_the_first_focusable_element(
    page: Page, base_url: str
) -> None:
    HomePage(page, base_url).navigate()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "#content")
    expect(focused).to_have_text(french("Content"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
