"""An adult who refuses referral: an anonymous notification with no identifying data; the case
stays open for assistance."""

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case, Person
from opennrm.detection.models import AnonymousNotification
from opennrm.support.models import SupportRecord
from tests.protection.conftest import client_in_english

FORBIDDEN = {
    "name",
    "names",
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "estimated_age",
    "contact",
    "person",
    "case",
    "reference",
    "pseudonym",
    "notes",
    "description",
    "places",
}
ALLOWED = {
    "id",
    "notified_on",
    "forms",
    "age_group",
    "sex",
    "nationality",
    "territory",
    "sector",
    "notified_by",
}


def _url(case):
    return reverse("web:anonymous_notification", args=[case.reference])


def test_the_model_holds_no_identifying_field():
    fields = AnonymousNotification._meta.get_fields()
    names = {field.name for field in fields}
    assert not names & FORBIDDEN
    assert names == ALLOWED
    for field in fields:
        assert getattr(field, "related_model", None) not in {Person, Case}
        assert not isinstance(field, models.TextField)  # no free text


def test_the_confirmation_page_explains_what_is_sent_and_changes_nothing(cast, presumed):
    page = client_in_english(cast, cast.amina).get(_url(presumed)).content.decode()
    for what in ("forms of exploitation", "age group", "sex", "nationality", "sector"):
        assert what in page
    assert "no link to this case" in page
    assert not AnonymousNotification.objects.exists()


def test_a_refusal_creates_a_notification_with_only_the_allowed_values(cast, presumed):
    person = presumed.person
    person.nationalities = ["RO", "MD"]
    person.save()
    response = client_in_english(cast, cast.amina).post(_url(presumed), {"refuses": "on"})
    assert response.status_code == 302
    notification = AnonymousNotification.objects.get()
    values = {
        field.attname: getattr(notification, field.attname)
        for field in AnonymousNotification._meta.concrete_fields
        if field.name != "id"
    }
    assert values == {
        "notified_on": timezone.localdate(),
        "forms": ["forced_labour"],
        "age_group": "adult",
        "sex": "female",
        "nationality": "RO",
        "territory_id": presumed.territory_id,
        "sector": "construction",
        "notified_by_id": cast.association.pk,
    }
    stored = " ".join(str(value) for value in values.values())
    for secret in (person.given_names, person.family_name, presumed.reference, person.pseudonym):
        assert secret not in stored
    entry = AuditEntry.objects.get(action="anonymous_notification.create")
    assert entry.details == {}
    # The case stays open for assistance.
    presumed.refresh_from_db()
    assert presumed.status == IdentificationStatus.PRESUMED_VICTIM
    assert SupportRecord.objects.get(case=presumed).status == "open"
    assert presumed.events.filter(kind="referral.refused").exists()


def test_the_refusal_must_be_confirmed(cast, presumed):
    response = client_in_english(cast, cast.amina).post(_url(presumed), {})
    assert response.status_code == 200
    assert "refuses" in response.context["form"].errors
    assert not AnonymousNotification.objects.exists()


def test_it_is_sent_once(cast, presumed):
    client = client_in_english(cast, cast.amina)
    client.post(_url(presumed), {"refuses": "on"})
    response = client.post(_url(presumed), {"refuses": "on"}, follow=True)
    assert "already sent" in response.content.decode()
    assert AnonymousNotification.objects.count() == 1


@pytest.mark.parametrize("situation", ["child", "consented", "assessed"])
def test_no_notification_when_it_does_not_apply(cast, presumed, child, assessed, situation):
    case = {"child": child, "consented": presumed, "assessed": assessed}[situation]
    client = client_in_english(cast, cast.amina)
    if situation == "consented":
        client.post(
            reverse("web:consents", args=[case.reference]), {"scope": "referral", "method": "oral"}
        )
    page = client.get(_url(case))
    assert page.context["refusal"]
    response = client.post(_url(case), {"refuses": "on"})
    assert response.status_code == 302
    assert not AnonymousNotification.objects.exists()
