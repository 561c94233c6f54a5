"""The assessment as a guided form, in a browser (issue 13, point 5): at 1280 px and on a 390 px
phone the side menu of sections is reachable (on a phone through its button), the page never
scrolls sideways, a draft saved from a section comes back to it with the answer kept, the
progress counts follow the answers, and on a refused conclusion the error summary at the top
takes the focus and its link moves the focus to the field. Checked with axe-core, and no
Content Security Policy error (the page's script is a static file)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.detection import actions
from opennrm.detection.models import PreliminaryAssessment
from opennrm.indicators.catalogue import latest_catalogue
from tests.browser.helpers import assert_accessible
from tests.browser.pages import LoginPage
from tests.cases.conftest import actor_for
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_horizontal_overflow(page: Page) -> None:
    page.wait_for_function("() => document.documentElement.dataset.frJs === 'true'")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        page.wait_for_timeout(500)  # DSFR measures menus by opening them for an instant
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert overflow <= 0, f"{overflow}px of horizontal overflow on {page.url}"


def open_section(page: Page, code: str, width: int) -> None:
    """Follow the side menu to a section, opening the menu first on a phone."""
    link = page.locator(f"#menu-section-{code}")
    if width < 768:
        expect(link).to_be_hidden()
        button = page.locator("#sections-menu .fr-sidemenu__btn")
        expect(button).to_be_visible()
        button.click()
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(rf"#section-{code}$"))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_worker_fills_the_assessment_section_by_section(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    draft = actions.start_assessment(
        case,
        set_code="adults_labour",
        version=latest_catalogue().version,
        actor=actor_for(cast.amina),
    )
    page = contexts(width)
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    url = f"/assessments/{draft.pk}/"
    page.goto(url)
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    total = len(latest_catalogue().indicator_set("adults_labour").all_indicators())
    # The overall count is in view: in the side menu, or above the form on a phone.
    overall = page.locator("[data-progress-overall]:visible").first
    expect(overall).to_be_visible()
    expect(overall).to_contain_text(f"0 / {total}")

    # The side menu leads to a section; an answer there counts at once.
    open_section(page, "exploitation", width)
    page.locator("label[for='id_answer_AL-EX-01_present']").click()
    page.locator("#id_note_AL-EX-01").fill("Note fictive : quatorze heures par jour.")
    progress = page.locator(
        '#section-exploitation-legend [data-progress-for="section-exploitation"]'
    )
    expect(progress).to_contain_text("1 / 9")
    expect(overall).to_contain_text(f"1 / {total}")

    # Saved from the section: back to it, the answer and the note kept.
    page.locator("#save-section-exploitation").click()
    expect(page).to_have_url(re.compile(rf"{url}\?saved=exploitation#section-exploitation$"))
    expect(page.locator("#saved-section-exploitation")).to_be_in_viewport()
    expect(page.locator("#id_answer_AL-EX-01_present")).to_be_checked()
    expect(page.locator("#id_note_AL-EX-01")).to_have_value(
        "Note fictive : quatorze heures par jour."
    )
    expect(page.locator("#section-exploitation")).to_be_in_viewport()
    assert_no_horizontal_overflow(page)

    # The main button saves back to the section last worked in.
    page.locator("label[for='id_answer_AL-CD-01_present']").click()
    with page.expect_navigation():
        page.locator("#assessment-form button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(r"#section-coercion_destination$"))
    expect(page.locator("#saved-section-coercion_destination")).to_be_visible()
    expect(page.locator("#id_answer_AL-CD-01_present")).to_be_checked()

    # A conclusion differing from the advice without reasons: the summary takes the focus and
    # its link leads to the field.
    page.locator("label[for='id_conclusion_0']").click()
    with page.expect_navigation():
        page.locator("#assessment-form button[name=action][value=conclude]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    summary.locator("a[href='#id_reasons']").click()
    expect(page.locator("#id_reasons")).to_be_focused()
    expect(page.locator("#id_reasons")).to_be_in_viewport()
    assert not PreliminaryAssessment.objects.get(pk=draft.pk).is_final
    assert not csp_errors, csp_errors


def test_the_national_coordinator_reads_the_catalogue_on_a_phone(
    base_url: str, cast: Any, contexts: Any
) -> None:
    page = contexts(390)
    LoginPage(page, base_url).log_in(cast.nadia.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/indicators/catalogue/")
    expect(page.locator("h1")).to_contain_text("Catalogue des indicateurs")
    expect(page.locator("#set-adults_labour")).to_contain_text("wcms_105023")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
