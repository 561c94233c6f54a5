"""What several browser tests check on a page: axe-core, horizontal overflow, the French
text of a message, and Content-Security-Policy violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import ConsoleMessage, Page


def french(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    if results.violations_count:
        pytest.fail(
            f"axe-core found {results.violations_count} violation(s) on {page.url}:\n"
            f"{results.generate_report()}",
            pytrace=False,
        )


def assert_no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of horizontal overflow on {page.url}"


# Console messages of a Content-Security-Policy violation, and the event the page fires for each.
CSP_CONSOLE_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
LISTEN_TO_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class CspViolations:
    """Collects a page's CSP violations, from the console and from `securitypolicyviolation`
    events. Create it before the page's first navigation."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.add_init_script(LISTEN_TO_CSP_VIOLATIONS)

    def _on_console(self, message: ConsoleMessage) -> None:
        if any(word in message.text for word in CSP_CONSOLE_WORDS):
            self.console.append(f"{self.page.url}: {message.text}")

    def assert_none(self) -> None:
        in_page = self.page.evaluate("window.__cspViolations || []")
        found = self.console + [f"{self.page.url}: {violation}" for violation in in_page]
        assert found == [], "\n".join(found)
