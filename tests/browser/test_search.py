"""Search through a real browser (issue #13, point 1, acceptance).

Louis, the local coordinator, finds a case by the beginning of its pseudonym, then attaches a
concern to it through the case picker: he types in the picker, chooses the case offered, and
the reference field is filled for him. A field worker allowed to see identities finds a person
whose name is written in Cyrillic by its Latin spelling. At 1280 px and at 390 px (a phone),
without horizontal overflow; every page checked with axe-core.
"""

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.cases.enums import ShareReason
from opennrm.cases.models import CaseShare
from opennrm.detection.models import Concern
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory, ConcernFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search_cases(page: Page, **fields: str) -> None:
    page.goto("/cases/")
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#case-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/\?"))


@pytest.mark.parametrize("width", [1280, 390])
def test_louis_finds_a_case_by_pseudonym_and_attaches_a_concern_through_the_picker(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    CaseShare.objects.create(
        case=case, organisation=cast.coordination, reason=ShareReason.COORDINATION
    )
    CaseFactory(owner=cast.association)  # not shared with the coordination: never offered
    concern = ConcernFactory()
    pseudonym = case.person.pseudonym
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.louis.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The case list's search, by the beginning of the pseudonym, typed without "P-".
    _search_cases(page, pseudonym=pseudonym[2:7].lower())
    table = page.locator("#cases tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text(case.reference)
    expect(table).to_contain_text(pseudonym)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    # The concern: the picker offers the case as Louis types; choosing it fills the field.
    page.goto(f"/concerns/{concern.reference}/")
    page.locator("#id_case_search").press_sequentially(pseudonym[:7], delay=30)
    option = page.locator(f"[data-case-pick='{case.reference}']")
    expect(option).to_be_visible()
    expect(page.locator("[data-case-pick]")).to_have_count(1)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    option.click()
    expect(page.locator("#id_case_reference")).to_have_value(case.reference)
    expect(page.locator("#id_case_reference")).to_be_focused()
    page.locator("#attach-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/$"))
    concern.refresh_from_db()
    assert concern.case_id == case.pk
    assert Concern.objects.get(pk=concern.pk).status == "attached"
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_worker_finds_a_person_by_the_latin_spelling_of_a_cyrillic_name(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    found = CaseFactory(
        owner=cast.association,
        person=PersonFactory(
            given_names="Наталья", family_name="Иванова", date_of_birth=datetime.date(1994, 3, 2)
        ),
    )
    CaseFactory(owner=cast.association)  # someone else
    page = contexts(width)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/cases/")
    page.locator("#id_name").fill("Natalya Ivanova")
    page.locator("#identity-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))  # sent by POST: no name in the address
    table = page.locator("#cases tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text(found.reference)
    expect(table).not_to_contain_text("Иванова")  # the list stays pseudonymised
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
