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

    def show_nav_link(self, label: str) -> Locator:
        """A menu entry, its group opened first when it sits in one (as a person does)."""
        link = self.nav_link(label)
        hidden = self.navigation.get_by_role("link", name=label, exact=True, include_hidden=True)
        menu = hidden.locator("xpath=ancestor::div[contains(@class, 'fr-menu')]")
        if menu.count():
            self.navigation.locator(f"button[aria-controls='{menu.get_attribute('id')}']").click()
        return link

    @property
    def unread_count(self) -> Locator:
        return self.page.locator(".fr-header__tools #unread-count")

    def overflow(self) -> int:
        """How many pixels the page is wider than the window (0: no horizontal scroll)."""
        width: int = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        return width

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


# Detection and preliminary identification (issue 3) -----------------------------------------


class FormPage(BasePage):
    """A page with DSFR form controls: radios and checkboxes are chosen through their label
    (the DSFR draws its own box over the native input), as a person clicks them."""

    def tick(self, name: str, value: str) -> None:
        control = self.page.locator(f"main input[name='{name}'][value='{value}']")
        self.page.locator(f"main label[for='{control.get_attribute('id')}']").click()

    def tick_box(self, field_id: str) -> None:
        """A single checkbox (a BooleanField), by its id."""
        self.page.locator(f"main label[for='{field_id}']").click()

    def submit_form(self, form: str = "main form[method=post]", button: str = "") -> None:
        selector = f"{form} button[type=submit]{button}"
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    @property
    def alerts(self) -> Locator:
        return self.page.locator(".fr-alert")

    @property
    def field_errors(self) -> Locator:
        return self.page.locator("main .fr-error-text, main .fr-message--error")


class ReportConcernPage(FormPage):
    """The public report: no account, no JavaScript needed."""

    path = "/report/"

    def fill(
        self,
        *,
        description: str,
        territory: str,
        commune: str,
        place_type: str,
        sector: str,
        signs: list[str],
        child_involved: str,
        contact: str = "",
    ) -> None:
        self.page.locator("#id_description").fill(description)
        self.page.locator("#id_territory").select_option(territory)
        self.page.locator("#id_commune").fill(commune)
        self.page.locator("#id_place_type").select_option(place_type)
        self.page.locator("#id_sector").select_option(sector)
        for sign in signs:
            self.tick("signs", sign)
        self.tick("child_involved", child_involved)
        self.page.locator("#id_contact").fill(contact)

    def send(self) -> None:
        self.submit_form("main form[action$='/report/']")


class ReportThanksPage(BasePage):
    path = "/report/thanks/"

    @property
    def reference(self) -> Locator:
        return self.page.locator("#concern-reference")


class ConcernListPage(BasePage):
    path = "/concerns/"

    @property
    def rows(self) -> Locator:
        return self.page.locator("main table tbody tr")

    def row(self, reference: str) -> Locator:
        return self.rows.filter(has_text=reference)

    def open(self, reference: str) -> None:
        with self.page.expect_navigation():
            self.page.locator("main table").get_by_role("link", name=reference, exact=True).click()


class ConcernPage(FormPage):
    def open_case_for(self, organisation: str) -> None:
        form = "main form[action$='/open-case/']"
        self.page.locator(f"{form} select[name=owner]").select_option(label=organisation)
        self.submit_form(form)


class CaseListPage(BasePage):
    path = "/cases/"

    @property
    def rows(self) -> Locator:
        return self.page.locator("#cases tbody tr")

    def row(self, reference: str) -> Locator:
        return self.rows.filter(has_text=reference)

    def open(self, reference: str) -> None:
        with self.page.expect_navigation():
            self.page.locator("#cases").get_by_role("link", name=reference, exact=True).click()


class CasePage(BasePage):
    """The pseudonymised case page: status, due dates, next steps, timeline."""

    def __init__(self, page: Page, base_url: str, reference: str = ""):
        super().__init__(page, base_url)
        self.reference = reference

    @property
    def path(self) -> str:  # type: ignore[override]
        return f"/cases/{self.reference}/"

    @classmethod
    def current(cls, page: Page, base_url: str) -> "CasePage":
        """The case page the browser shows now (its reference read from the address)."""
        reference = page.url.rstrip("/").rsplit("/", 1)[-1]
        return cls(page, base_url, reference)

    @property
    def status(self) -> Locator:
        return self.page.locator("#status")

    @property
    def age_group(self) -> Locator:
        return self.page.locator("#age-group")

    @property
    def responsible(self) -> Locator:
        return self.page.locator("main dl").first

    @property
    def due_dates(self) -> Locator:
        return self.page.locator("#due-dates")

    @property
    def timeline(self) -> Locator:
        return self.page.locator("#timeline")

    @property
    def assessments(self) -> Locator:
        return self.page.locator("#assessments")

    def follow(self, label: str) -> None:
        """A link of the page's main content (next steps, sections), by its text."""
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("link", name=label, exact=True).first.click()

    def show_identity(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("#show-identity").click()


class IdentityPage(FormPage):
    @property
    def identity(self) -> Locator:
        return self.page.locator("#identity")

    def correct(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("main a[href$='/identity/edit/']").click()

    def fill_identity(
        self,
        *,
        given_names: str,
        family_name: str,
        date_of_birth: str,
        sex: str,
        nationalities: list[str],
        languages: list[str],
    ) -> None:
        self.page.locator("#id_given_names").fill(given_names)
        self.page.locator("#id_family_name").fill(family_name)
        self.page.locator("#id_date_of_birth").fill(date_of_birth)
        self.page.locator("#id_sex").select_option(sex)
        self.choose("nationalities", nationalities)
        self.choose("languages", languages)

    def choose(self, name: str, codes: list[str]) -> None:
        """Tick choices in a long list (SearchableMultipleChoiceField): open it, filter, tick."""
        fieldset = self.page.locator(f"#fieldset-id_{name}")
        if fieldset.locator("details[open]").count() == 0:
            fieldset.locator("summary").click()
        for code in codes:
            box = fieldset.locator(f"input[type=checkbox][value='{code}']")
            label = fieldset.locator(f"label[for='{box.get_attribute('id')}']")
            fieldset.locator("input[type=search]").fill(label.inner_text())
            label.click()
        fieldset.locator("input[type=search]").fill("")

    def save(self) -> None:
        self.submit_form()


class AssessmentStartPage(FormPage):
    def start(self, set_code: str) -> None:
        self.page.locator(f"main label[for='set-{set_code}']").click()
        self.submit_form()


class AssessmentPage(FormPage):
    """Indicators answered present / absent / unknown; the advice; the conclusion."""

    def answer(self, code: str, value: str, note: str = "") -> None:
        self.page.locator(f"main label[for='id_answer_{code}_{value}']").click()
        if note:
            self.page.locator(f"#id_note_{code}").fill(note)

    def _press(self, action: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(f"#assessment-form button[name=action][value={action}]").click()

    def save_draft(self) -> None:
        self._press("save")

    def see_advice(self) -> None:
        self._press("advice")

    def conclude(self, conclusion: str, reasons: str) -> None:
        self.tick("conclusion", conclusion)
        self.page.locator("#id_reasons").fill(reasons)
        self._press("conclude")

    @property
    def status(self) -> Locator:
        return self.page.locator("#assessment-status")

    @property
    def advice(self) -> Locator:
        return self.page.locator("#advice")

    @property
    def advice_outcome(self) -> Locator:
        return self.page.locator("#advice-outcome")

    def checked(self, code: str, value: str) -> Locator:
        return self.page.locator(f"#id_answer_{code}_{value}")


class RightsPage(FormPage):
    def record(self, *, language: str, leaflet_language: str) -> None:
        self.page.locator("#id_language").select_option(language)
        if not self.page.locator("#id_leaflet_given").is_checked():
            self.tick_box("id_leaflet_given")
        self.page.locator("#id_leaflet_language").select_option(leaflet_language)
        self.submit_form()

    @property
    def records(self) -> Locator:
        return self.page.locator("main table tbody tr")


class ConsentsPage(FormPage):
    def record(self, *, scope: str, method: str) -> None:
        self.tick("scope", scope)
        self.tick("method", method)
        self.submit_form()

    @property
    def rows(self) -> Locator:
        return self.page.locator("main table tbody tr")


class ProtectionPage(FormPage):
    @property
    def reflection_period(self) -> Locator:
        return self.page.locator("main dl").first


class ReferralPage(FormPage):
    def choose(self, *, route: str, target: str, leave_out: tuple[str, ...] = ()) -> None:
        """Choose the route and the recipient, untick what the person does not share, and go
        to the check before sending."""
        self.tick("route", route)
        self.page.locator("#id_target").select_option(label=target)
        for item in leave_out:
            self.tick("items", item)
        self.submit_form()

    @property
    def check(self) -> Locator:
        return self.page.locator("#check-title")

    def send(self) -> None:
        self.submit_form(button="[name=send]")

    def refer(self, *, route: str, target: str) -> None:
        self.choose(route=route, target=target)
        self.send()

    @property
    def referrals(self) -> Locator:
        return self.page.locator("main h2 + ul").first


class AnonymousNotificationPage(FormPage):
    def confirm_refusal(self) -> None:
        self.tick_box("id_refuses")
        self.submit_form()


# Formal identification (issue 4) --------------------------------------------------------------


class JudicialReferralListPage(BasePage):
    path = "/judicial/"

    def open(self, reference: str) -> None:
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("link", name=reference, exact=True).click()


class JudicialReferralPage(FormPage):
    """A referral received by a police, gendarmerie or labour inspection service."""

    def record_statement(
        self, *, kind: str, recorded_on: str, service: str, offence: str, procedure_reference: str
    ) -> None:
        self.tick("kind", kind)
        self.page.locator("#statement_recorded_on").fill(recorded_on)
        self.page.locator("#statement_service").fill(service)
        self.page.locator("#statement_offence").fill(offence)
        self.page.locator("#statement_procedure_reference").fill(procedure_reference)
        self.submit_form("main form[action$='/statement/']")

    def record_decision(self, *, outcome: str, reasons: str) -> None:
        self.tick("outcome", outcome)
        self.page.locator("#decision_reasons").fill(reasons)
        self.submit_form("main form[action$='/decision/']")

    @property
    def statement(self) -> Locator:
        return self.page.locator("section[aria-labelledby=statement-title]")

    @property
    def decision(self) -> Locator:
        return self.page.locator("section[aria-labelledby=decision-title]")


class PlatformWorkspacePage(BasePage):
    path = "/platform/"

    def open(self, reference: str) -> None:
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("link", name=reference, exact=True).first.click()


class PlatformCasePage(FormPage):
    """A case before the département platform: the file, the votes, the chair's decision."""

    def vote(self, *, choice: str, reasons: str) -> None:
        self.tick("choice", choice)
        self.page.locator("#vote_reasons").fill(reasons)
        self.submit_form("main form[action$='/vote/']")

    def decide(self, *, outcome: str, reasons: str) -> None:
        self.tick("outcome", outcome)
        self.page.locator("#decision_reasons").fill(reasons)
        self.submit_form("main form[action$='/decision/']")

    @property
    def votes(self) -> Locator:
        return self.page.locator("section[aria-labelledby=votes-title] table tbody tr")

    @property
    def vote_form(self) -> Locator:
        return self.page.locator("main form[action$='/vote/']")

    @property
    def decision_form(self) -> Locator:
        return self.page.locator("main form[action$='/decision/']")

    @property
    def decision(self) -> Locator:
        """The platform's decision (an h2 callout; the file's reconsidered decision is an h3)."""
        return self.page.locator("main .fr-callout").filter(
            has=self.page.locator("h2.fr-callout__title")
        )


class CaseIdentificationPage(FormPage):
    """The referring organisation's follow-up of a case's formal identification."""

    def __init__(self, page: Page, base_url: str, reference: str = ""):
        super().__init__(page, base_url)
        self.reference = reference

    @property
    def path(self) -> str:  # type: ignore[override]
        return f"/cases/{self.reference}/identification/"

    @property
    def status(self) -> Locator:
        return self.page.locator("main h1 + p.fr-badge")

    @property
    def referrals(self) -> Locator:
        return self.page.locator("section[aria-labelledby=referrals-title]")

    def ask_for_reconsideration(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("main a[href$='/reconsideration/']").click()


class ReconsiderationPage(FormPage):
    def ask(self, new_elements: str) -> None:
        self.page.locator("#id_new_elements").fill(new_elements)
        self.submit_form()
