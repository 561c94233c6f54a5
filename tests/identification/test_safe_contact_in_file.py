"""How to reach the person safely, in the file put to formal identification: the judicial
route shares the identity, so the service the case was referred to reads it; the platform
route does not, so its members never do."""

from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.safe_contact import record_safe_contact
from tests.acting import actor_for
from tests.identification.conftest import client_as

PHONE = "+33 6 00 00 00 44"
PRECAUTIONS = "Fictional: call from a withheld number only."


def _record(cast, case):
    record_safe_contact(
        case, {"phone": PHONE, "precautions": PRECAUTIONS}, actor=actor_for(cast.amina)
    )


def test_the_judicial_service_reads_it_in_the_file(cast, judicial_referral):
    _record(cast, judicial_referral.case)
    page = client_as(cast, cast.claire).get(
        reverse("web:judicial_referral", args=[judicial_referral.pk])
    )
    text = page.content.decode()
    assert PHONE in text and PRECAUTIONS in text
    read = AuditEntry.objects.filter(action="safe_contact.read", actor=cast.claire).get()
    assert read.details["via"] == "referral" and read.details["coordinates"] is True


def test_the_platform_does_not(cast, platform_referral):
    _record(cast, platform_referral.case)
    page = client_as(cast, cast.paul).get(reverse("web:platform_case", args=[platform_referral.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert PHONE not in text and PRECAUTIONS not in text
    assert not AuditEntry.objects.filter(action="safe_contact.read", actor=cast.paul).exists()
