"""HTCDS import through a real browser: the local coordinator reaches the page from the menu,
checks a file with problems (the report, by row, in French), then imports a right one with the
keyboard only; nothing stored before. At 1280 px and at 390 px (a phone), without horizontal
overflow; each page checked with axe-core."""

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.detection.models import Concern
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow
from tests.browser.pages import LoginPage
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(records: list[object]) -> dict[str, Any]:
    content = json.dumps({"standard": "HTCDS", "version": "2.0", "records": records}).encode()
    return {"name": "partenaire.json", "mimeType": "application/json", "buffer": content}


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_checks_then_imports_a_file(
    base_url: str, cast: Any, contexts: Any, width: int
) -> None:
    page: Page = contexts(width)
    LoginPage(page, base_url).log_in(cast.louis.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/exchange/")
    expect(page.locator("h1")).to_have_text("Échanges HTCDS")
    assert_accessible(page)

    bad = [{"vic_TypeOfExploitation": ["Esclavage"]}, {"prs_Gender": "Feminine"}]
    page.locator("#id_file").set_input_files(files=[_file(bad)])
    page.locator("button[value=check]").click()
    report = page.locator("table")
    expect(report).to_contain_text("«\u00a0Esclavage\u00a0» n’est pas une valeur de cette liste.")
    expect(report).to_contain_text("Ce champ est obligatoire.")
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    assert not Concern.objects.exists()

    good = [{"vic_TypeOfExploitation": ["ForcedLabour"]}] * 2
    page.locator("#id_file").set_input_files(files=[_file(good)])
    page.locator("button[value=import]").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/concerns/$"))
    expect(page.locator(".fr-alert--success, .fr-notice, [role=alert]").first).to_contain_text(
        "2 signalements"
    )
    assert Concern.objects.count() == 2
