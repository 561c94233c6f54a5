"""Documents attached to a case through a real browser (issue #12, point 3, acceptance).

A field worker opens the case's documents from the case page, attaches a photograph taken by a
phone (its GPS position in its EXIF) and a PDF, finds both in the list, downloads the photograph
— its location is gone — and the PDF as it was, then removes the PDF after a confirmation. At
1280 px and at 390 px (a phone), without horizontal overflow; every page checked with axe-core.
"""

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import Page, expect

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import Evidence
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import assert_accessible, assert_no_horizontal_overflow, french
from tests.browser.pages import LoginPage
from tests.cases.test_evidence import PDF, jpeg_with_location
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO_NOTE = "Photo fictive : la chambre sous l’escalier où elle dormait."
PDF_NOTE = "Certificat fictif des urgences (test)."


@pytest.fixture
def open_page(browser: Any, base_url: str) -> Iterator[Any]:
    opened: list[Any] = []

    def open_context(width: int) -> Page:
        context = browser.new_context(
            base_url=base_url,
            locale="fr-FR",
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        opened.append(context)
        return cast("Page", context.new_page())

    yield open_context
    for context in opened:
        context.close()


def attach(page: Page, name: str, mime: str, content: bytes, kind: str, note: str) -> None:
    page.locator("#id_file").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_description").fill(note)
    page.locator("#evidence-form button[type=submit]").click()
    expect(page.locator("#evidence-list")).to_contain_text(note)


def download(page: Page, evidence: Evidence) -> bytes:
    with page.expect_download() as info:
        page.locator(f"#evidence-{evidence.pk} a[download]").click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_worker_attaches_a_photo_and_a_pdf(
    base_url: str, cast: Any, open_page: Any, width: int
) -> None:
    case = CaseFactory(owner=cast.association)
    page = open_page(width)
    LoginPage(page, base_url).log_in(cast.hugo.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"/cases/{case.reference}/")
    page.locator("#evidence-link").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/evidence/$"))
    expect(page.locator("h1")).to_have_text(french("Documents"))
    expect(page.locator("#evidence-none")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    photo = jpeg_with_location()
    attach(page, "IMG_20240302_0815.jpg", "image/jpeg", photo, "photo", PHOTO_NOTE)
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/evidence/#evidence-list$"))
    attach(page, "certificat-urgences.pdf", "application/pdf", PDF, "medical_certificate", PDF_NOTE)
    expect(page.locator("#evidence-list > li")).to_have_count(2)
    assert_accessible(page)
    assert_no_horizontal_overflow(page)

    photo_row, pdf_row = Evidence.objects.filter(case=case).order_by("pk")
    assert (photo_row.file_format, pdf_row.file_format) == ("jpeg", "pdf")
    downloaded = download(page, photo_row)
    image = Image.open(io.BytesIO(downloaded))
    assert image.format == "JPEG"
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the location is gone
    assert download(page, pdf_row) == PDF
    assert AuditEntry.objects.filter(action="evidence.download").count() == 2

    # Removal asks for a confirmation first.
    page.locator(f"#evidence-{pdf_row.pk} a[href$='/remove/']").click()
    expect(page.locator("h1")).to_have_text(french("Remove a document"))
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.locator("label[for=id_confirm]").click()
    page.locator("#evidence-remove-form button[type=submit]").click()
    expect(page.locator("#evidence-list > li")).to_have_count(1)
    expect(page.locator("#evidence-list")).not_to_contain_text(PDF_NOTE)
    assert list(Evidence.objects.filter(case=case)) == [photo_row]

    # The case page counts what is attached.
    page.goto(f"/cases/{case.reference}/")
    expect(page.locator("#evidence-status")).to_contain_text("1")
