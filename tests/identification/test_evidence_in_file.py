"""The documents attached to the case travel with the referral (issue #12, points 3 and 4):
those who decide on it read and download them from the file, within the person's consent;
each read and download is audited; anyone else gets 404."""

import pytest
from django.http import Http404
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentScope
from opennrm.detection.access import evidence_in_referred_file, get_evidence_in_referred_file
from tests.acting import actor_for
from tests.cases.test_evidence import PDF, attach
from tests.identification.conftest import client_as


def test_the_platform_members_read_and_download_the_documents(cast, platform_referral):
    case = platform_referral.case
    evidence = attach(case, cast.amina, name="receipt.pdf", kind="complaint_receipt")
    page = client_as(cast, cast.paul).get(reverse("web:platform_case", args=[platform_referral.pk]))
    text = page.content.decode()
    assert "receipt.pdf" in text
    url = reverse("web:referred_evidence_download", args=[evidence.pk])
    assert url in text
    read = AuditEntry.objects.filter(action="evidence.read").latest("pk")
    assert read.details["via"] == "referral" and read.details["evidence"] == [evidence.pk]

    download = client_as(cast, cast.paul).get(url)
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert "no-store" in download["Cache-Control"]
    entry = AuditEntry.objects.filter(action="evidence.download").latest("pk")
    assert entry.details["via"] == "referral" and entry.object_id == str(evidence.pk)


def test_the_judicial_service_reads_them_until_consent_is_withdrawn(cast, judicial_referral):
    case = judicial_referral.case
    evidence = attach(case, cast.amina)
    claire = actor_for(cast.claire)
    assert [item.pk for item in evidence_in_referred_file(claire, case)] == [evidence.pk]
    assert get_evidence_in_referred_file(claire, evidence.pk) == evidence
    url = reverse("web:referred_evidence_download", args=[evidence.pk])
    assert client_as(cast, cast.claire).get(url).status_code == 200

    case.active_consent(ConsentScope.REFERRAL).withdraw(actor=actor_for(cast.amina))
    with pytest.raises(Http404):
        evidence_in_referred_file(claire, case)
    assert client_as(cast, cast.claire).get(url).status_code == 404


def test_nobody_else_downloads_from_the_file(cast, platform_referral):
    evidence = attach(platform_referral.case, cast.amina)
    url = reverse("web:referred_evidence_download", args=[evidence.pk])
    # hugo and amina reach it from the case's own page, not as deciders.
    for name in ("hugo", "amina", "claire", "ines", "yasmine", "nadia", "robert"):
        assert client_as(cast, getattr(cast, name)).get(url).status_code == 404, name
    missing = reverse("web:referred_evidence_download", args=[evidence.pk + 1000])
    assert client_as(cast, cast.paul).get(missing).status_code == 404
