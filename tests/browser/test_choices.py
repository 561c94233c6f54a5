"""Long lists of choices without Ctrl-click, named in French (issue #13, point 7).

Hugo corrects a person's nationalities and languages: the lists name the countries in French,
a filter box (accents ignored) narrows them, boxes are ticked with a click or the keyboard and
shown as tags; a single select (the safe contact's language) gets a filter box too. Every page
checked with axe-core, without horizontal overflow at 1280 and 390 px.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_nationalities_are_chosen_by_filtering_a_french_list(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"/cases/{case.reference}/identity/edit/")
    nationalities = page.locator("#fieldset-id_nationalities")
    nationalities.locator("summary").click()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    search = nationalities.locator("input[type=search]")
    expect(search).to_be_visible()
    search.fill("egy")  # "Égypte": accents ignored
    expect(nationalities.locator("label", has_text="Égypte")).to_be_visible()
    expect(nationalities.locator("label", has_text="Allemagne")).to_be_hidden()
    nationalities.locator("label", has_text="Égypte").click()
    expect(nationalities.locator(".fr-tag")).to_have_text(["Égypte", "Roumanie"])
    search.fill("bulg")
    # The keyboard: Tab from the filter box to the first box left, Space ticks it.
    search.press("Tab")
    page.keyboard.press("Space")
    expect(nationalities.locator(".fr-tag")).to_have_text(["Bulgarie", "Égypte", "Roumanie"])

    languages = page.locator("#fieldset-id_languages")
    languages.locator("summary").click()
    languages.locator("input[type=search]").fill("arabe")
    languages.locator("label", has_text=re.compile(r"^Arabe$")).click()
    page.locator("main form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/identity/$"))
    expect(page.locator("main")).to_contain_text("Bulgarie, Égypte, Roumanie")
    expect(page.locator("main")).to_contain_text("Arabe, Roumain")


def test_a_single_select_gets_a_filter_box(base_url: str, cast: Any, contexts: Any) -> None:
    case = CaseFactory(owner=cast.association)
    page = contexts(1280)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(f"/cases/{case.reference}/safe-contact/")
    select = page.locator("#id_preferred_language")
    expect(select.locator("option[value=ro]")).to_have_text("Roumain")
    page.get_by_label("Filtrer la liste").fill("roum")
    expect(select).to_have_value("ro")
    assert_accessible(page)
