"""The case file printed (issue #13, point 8): a PDF for whoever reads the case page, with the
summary, the steps and a timeline in words, marked confidential with the day and who printed
it; the identity only for who may see it; an attachment never cached; every print audited."""

import io

from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from opennrm.audit.models import AuditEntry
from tests.cases.conftest import FAMILY_NAME, GIVEN_NAMES


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _url(case) -> str:
    return reverse("web:case_print", args=[case.reference])


def test_the_owner_s_staff_print_the_case_file_with_the_identity(cast, case):
    response = _client(cast, cast.hugo).get(_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert case.reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Confidential" in text
    assert f"Case file {case.reference}" in text
    assert case.person.pseudonym in text
    assert "Hugo" in text and "Association 93 (fictional)" in text
    assert "Status Under preliminary assessment" in text
    assert "Preliminary identification — In progress" in text
    assert "Where the case stands" in text and "Timeline" in text
    assert f"{GIVEN_NAMES} {FAMILY_NAME}" in text
    # The timeline in words, never its codes.
    assert "Access given to another organisation — Amina, Association 93 (fictional)" in text
    assert "case.share" not in text
    entry = AuditEntry.objects.filter(action="case.print").latest("id")
    assert entry.actor == cast.hugo
    assert entry.object_id == str(case.pk)
    assert entry.details["identity"] is True
    assert AuditEntry.objects.filter(action="person.read_identity", actor=cast.hugo).exists()


def test_a_reader_without_identity_rights_gets_the_pseudonym_only(cast, case):
    response = _client(cast, cast.louis).get(_url(case))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert case.person.pseudonym in text
    assert GIVEN_NAMES.split()[0] not in text and FAMILY_NAME not in text
    assert "Identity" not in text
    entry = AuditEntry.objects.filter(action="case.print").latest("id")
    assert entry.actor == cast.louis and entry.details["identity"] is False
    assert not AuditEntry.objects.filter(action="person.read_identity", actor=cast.louis).exists()


def test_an_outsider_gets_404_and_nothing_is_printed(cast, case):
    for user in (cast.yasmine, cast.ines):
        assert _client(cast, user).get(_url(case)).status_code == 404
    assert not AuditEntry.objects.filter(action="case.print").exists()
    anonymous = cast.client_for(None).get(_url(case))
    assert anonymous.status_code == 302


def test_the_case_page_links_to_the_print(cast, case):
    html = _client(cast, cast.hugo).get(reverse("web:case", args=[case.reference])).content
    assert _url(case) in html.decode()
    assert "Print the case file" in html.decode()
