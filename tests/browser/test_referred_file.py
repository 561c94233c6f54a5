"""The file that travels, end to end in a real browser (issue #12, acceptance).

A field worker records the person's account (three sections), facts in standard terms, an
exploiter and a workplace, attaches a photograph (its location in its EXIF) and a PDF, checks
the file as the platform will read it, and sends the referral. A platform member reads the
account and the documents in the platform's file, downloads the photograph — its location is
gone — and votes. An organisation the case is not shared with gets "Page not found" on every
page and download of it.
"""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import Page, expect

from opennrm.cases.models import Evidence
from opennrm.detection.models import AccountFacts, Exploiter, Workplace
from opennrm.identification.models import Referral, Vote
from tests.browser.pages import PlatformCasePage, ReferralPage
from tests.browser.test_account import SECTIONS, save
from tests.browser.test_detection import assert_accessible, contexts, signed_in
from tests.browser.test_evidence import attach
from tests.cases.test_evidence import PDF, jpeg_with_location
from tests.identification.conftest import platform93, presumed_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["contexts", "platform93"]  # fixtures used by the test below

EXPLOITER = "Fictif Grigore Exploitant"
WORKPLACE = "SARL Fictive des Serres du Nord"
PHOTO_NOTE = "Photo fictive : le dortoir du chantier."
PDF_NOTE = "Certificat médical fictif (test)."


def _download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def test_the_file_is_told_once_checked_and_read_by_the_platform(
    base_url: str, cast: Any, contexts: Any, platform93: Any
) -> None:
    case = presumed_case(cast)  # a presumed victim with the consent to referral
    amina = signed_in(contexts, base_url, cast.amina)

    # The account: three sections, each saved on its own.
    amina.goto(f"{base_url}/cases/{case.reference}/account/")
    for section, (field, text) in SECTIONS.items():
        amina.locator(f"#id_{section}-{field}").fill(text)
        save(amina, section)

    # Facts in standard terms.
    amina.goto(f"{base_url}/cases/{case.reference}/account/facts/")
    amina.locator("#facts-form input[name='facts-recruitment_methods']").first.check(force=True)
    amina.locator("#save-facts").click()
    expect(amina.locator("#facts-saved")).to_be_visible()
    assert AccountFacts.objects.get(account__case=case).recruitment_methods

    # An exploiter and a workplace.
    amina.goto(f"{base_url}/cases/{case.reference}/account/exploiters/")
    amina.locator("#id_exploiter-new-name").fill(EXPLOITER)
    amina.locator("#add-exploiter").click()
    expect(amina.locator("#exploiters input[name$='-name']").first).to_have_value(EXPLOITER)
    amina.locator("#id_workplace-new-name").fill(WORKPLACE)
    amina.locator("#add-workplace").click()
    expect(amina.locator("#workplaces input[name$='-name']").first).to_have_value(WORKPLACE)
    assert Exploiter.objects.filter(account__case=case).count() == 1
    assert Workplace.objects.filter(account__case=case).count() == 1

    # A photograph taken by a phone, and a PDF.
    amina.goto(f"{base_url}/cases/{case.reference}/evidence/")
    attach(amina, "IMG_0042.jpg", "image/jpeg", jpeg_with_location(), "photo", PHOTO_NOTE)
    attach(amina, "certificat.pdf", "application/pdf", PDF, "medical_certificate", PDF_NOTE)
    photo = Evidence.objects.get(case=case, file_format="jpeg")

    # The check before sending: everything the platform will read, nothing sent yet.
    amina.goto(f"{base_url}/cases/{case.reference}/referral/")
    referral_page = ReferralPage(amina, base_url)
    referral_page.choose(route="platform", target=cast.coordination.name)
    expect(referral_page.check).to_be_visible()
    main = amina.locator("main")
    for text in (SECTIONS["recruitment"][1], EXPLOITER, WORKPLACE, PHOTO_NOTE, PDF_NOTE):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text(case.person.family_name)
    assert not Referral.objects.filter(case=case).exists()
    assert_accessible(amina)
    for width in (390, 1280):  # the check reads on a phone too
        amina.set_viewport_size({"width": width, "height": 900})
        assert referral_page.overflow() == 0, width
    referral_page.send()
    expect(referral_page.alerts.filter(has_text=cast.coordination.name)).to_be_visible()
    referral = Referral.objects.get(case=case)

    # A platform member reads the account and the documents, downloads the photograph, votes.
    paul = signed_in(contexts, base_url, cast.paul)
    paul.goto(f"{base_url}/platform/cases/{referral.pk}/")
    file = paul.locator("main")
    for text in (SECTIONS["conditions"][1], EXPLOITER, WORKPLACE, PHOTO_NOTE, PDF_NOTE):
        expect(file).to_contain_text(text)
    expect(file).not_to_contain_text(case.person.family_name)
    assert_accessible(paul)
    image = Image.open(io.BytesIO(_download(paul, f"#evidence-{photo.pk} a[download]")))
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the location is gone
    PlatformCasePage(paul, base_url).vote(
        choice="identified", reasons="Fictional: the account and the documents agree."
    )
    expect(paul).to_have_url(re.compile(rf"/platform/cases/{referral.pk}/$"))
    assert Vote.objects.filter(referral=referral, member__membership__user=cast.paul).exists()

    # An organisation the case is not shared with: "Page not found" everywhere.
    yasmine = signed_in(contexts, base_url, cast.yasmine)
    for path in (
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/account/",
        f"/cases/{case.reference}/account/facts/",
        f"/cases/{case.reference}/account/exploiters/",
        f"/cases/{case.reference}/evidence/",
        f"/cases/{case.reference}/evidence/{photo.pk}/download/",
        f"/cases/{case.reference}/referral/",
        f"/platform/cases/{referral.pk}/",
        f"/identification/evidence/{photo.pk}/",
    ):
        response = yasmine.request.get(f"{base_url}{path}")
        assert response.status == 404, path
