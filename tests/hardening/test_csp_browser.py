"""In Chromium: the Content-Security-Policy reports no violation on the main pages, the DSFR
JavaScript still works under it (the mobile menu opens), and a violation would be seen."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = pytest.mark.browser

# Console messages about our headers: CSP violations, and a malformed Permissions-Policy.
CSP_WORDS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Refused to",
    "Permissions-Policy",
)
# Also collected in the page itself: the event the browser fires for each violation.
LISTEN_TO_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class Violations:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.add_init_script(LISTEN_TO_VIOLATIONS)

    def _on_console(self, message: ConsoleMessage) -> None:
        if any(word in message.text for word in CSP_WORDS):
            self.console.append(f"{self.page.url}: {message.text}")

    def in_page(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def assert_none(self, where: str) -> None:
        found = self.console + [f"{where}: {v}" for v in self.in_page()]
        assert found == [], "\n".join(found)


def visit(page: Page, base_url: str, path: str, violations: Violations) -> None:
    response = page.goto(f"{base_url}{path}")
    assert response is not None
    assert response.status < 500, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    violations.assert_none(path)


def test_public_pages_raise_no_violation(page: Page, base_url: str, territories) -> None:
    violations = Violations(page)
    for path in ["/", "/directory/", "/report/", "/legal/", "/accounts/login/", "/missing/"]:
        visit(page, base_url, path, violations)


def test_staff_pages_raise_no_violation(page: Page, base_url: str, cast) -> None:
    case = CaseFactory(owner=cast.association)
    violations = Violations(page)
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    violations.assert_none("login")
    for path in [
        "/dashboard/",
        "/cases/",
        f"/cases/{case.reference}/",
        "/cases/new/",
        "/concerns/new/",
        f"/organisations/{cast.association.pk}/",
        "/accounts/2fa/",
    ]:
        visit(page, base_url, path, violations)


def test_totp_activation_raises_no_violation(page: Page, base_url: str, cast) -> None:
    """The allauth page with the QR code (a data: image), for a user without MFA."""
    from tests.factories import MembershipFactory, UserFactory

    user = MembershipFactory(organisation=cast.association, user=UserFactory(mfa=False)).user
    violations = Violations(page)
    login = LoginPage(page, base_url)
    login.navigate()
    login.email.fill(user.email)
    login.password.fill(PASSWORD)
    login.submit()
    page.goto(f"{base_url}{reverse('mfa_activate_totp')}")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    qr_code = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", qr_code.element_handle())
    violations.assert_none("totp activation")


def test_the_dsfr_menu_opens_on_a_phone(page: Page, base_url: str, territories) -> None:
    violations = Violations(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base_url}/")
    button = page.locator("#header-menu-button")
    expect(button).to_be_visible()
    menu = page.locator("#header-menu")
    expect(menu).not_to_have_class(re.compile(r"fr-modal--opened"))
    button.click()
    expect(menu).to_have_class(re.compile(r"fr-modal--opened"))
    expect(menu.locator("a.fr-nav__link[href='/report/']")).to_be_visible()
    menu.locator(".fr-btn--close").click()
    expect(menu).not_to_have_class(re.compile(r"fr-modal--opened"))
    violations.assert_none("mobile menu")


def test_an_injected_inline_script_is_blocked_and_seen(
    page: Page, base_url: str, territories
) -> None:
    """The control: a script slipped into one of our pages (as an XSS would) does not run, and
    the listeners above report it."""

    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(
            "</body>", "<script>document.title = 'pwned';</script></body>"
        )
        route.fulfill(response=response, body=body)

    page.route(f"{base_url}/legal/", inject)
    violations = Violations(page)
    page.goto(f"{base_url}/legal/")
    page.wait_for_load_state("load")
    assert page.title() != "pwned"
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("script-src" in violation for violation in violations.in_page())
    assert violations.console, "Chromium reports the violation on the console"
