"""Page objects for the browser tests, one class per screen (in the style of betagouv/seves)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Locator, Page

TOTP_PERIOD = 30


def current_totp_code(secret: str) -> str:
    """A valid authenticator code now, waiting for the next period if this one is ending."""
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 3:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


class BasePage:
    """The shell every page shares: header, navigation, language switch, quick exit."""

    path = "/"

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url

    def navigate(self) -> None:
        self.page.goto(f"{self.base_url}{self.path}")

    @property
    def html_lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    @property
    def heading(self) -> Locator:
        return self.page.locator("main h1")

    @property
    def navigation(self) -> Locator:
        return self.page.locator("#header-navigation")

    def nav_link(self, label: str) -> Locator:
        return self.navigation.get_by_role("link", name=label, exact=True)

    @property
    def current_user(self) -> Locator:
        return self.page.locator(".fr-header__tools #current-user")

    @property
    def quick_exit(self) -> Locator:
        return self.page.locator(".fr-header__tools [data-quick-exit]")

    @property
    def language_button(self) -> Locator:
        return self.page.locator(".fr-header__tools form.opennrm-language button[name=language]")

    def switch_language(self) -> None:
        with self.page.expect_navigation():
            self.language_button.click()

    def sign_out(self) -> None:
        with self.page.expect_navigation():
            self.page.locator(
                ".fr-header__tools form[action$='/accounts/logout/'] button[type=submit]"
            ).click()


class LoginPage(BasePage):
    path = "/accounts/login/"

    @property
    def email(self) -> Locator:
        return self.page.locator("#id_login")

    @property
    def password(self) -> Locator:
        return self.page.locator("#id_password")

    @property
    def password_label(self) -> Locator:
        return self.page.locator("label[for=id_password]")

    @property
    def code(self) -> Locator:
        return self.page.locator("#id_code")

    def submit(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").first.click()

    def log_in(self, email: str, password: str, totp_secret: str) -> None:
        """E-mail and password, then the authenticator code of the MFA stage."""
        self.navigate()
        self.email.fill(email)
        self.password.fill(password)
        self.submit()
        self.code.fill(current_totp_code(totp_secret))
        self.submit()


class DashboardPage(BasePage):
    path = "/dashboard/"

    @property
    def acting_as(self) -> Locator:
        return self.page.locator("#acting-as")


class DirectoryPage(BasePage):
    path = "/directory/"

    @property
    def territory_select(self) -> Locator:
        return self.page.locator("main select[name=territory]")

    def search(self, code: str) -> None:
        self.territory_select.select_option(code)
        with self.page.expect_navigation():
            self.page.locator("main form[role=search] button[type=submit]").click()

    @property
    def results_heading(self) -> Locator:
        return self.page.locator("#results")

    @property
    def rows(self) -> Locator:
        return self.page.locator("main table tbody tr")

    @property
    def no_entry(self) -> Locator:
        return self.page.locator("#no-entry")


class HomePage(BasePage):
    path = "/"


class LegalPage(BasePage):
    path = "/legal/"
