"""How to reach the person safely, as a provider sees it (issue #12, point 6): the
precautions, the language, the safe times and the organisation to go through for every
orientation it may read; the telephone and the address only when the orientation needs the
identity. The support plan shows it all to the owner's field staff."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentScope
from opennrm.cases.safe_contact import record_safe_contact
from tests.support.conftest import acting, client_for, sent

pytestmark = pytest.mark.django_db

PHONE = "+33 6 00 00 00 43"
ADDRESS = "Fictional: 7 impasse des Songes"
PRECAUTIONS = "Fictional: never mention the association on the phone."


def _record(cast, case):
    record_safe_contact(
        case,
        {
            "phone": PHONE,
            "address": ADDRESS,
            "do_not_write": True,
            "through_organisation": True,
            "contact_organisation": cast.association,
            "safe_times": "Fictional: after 6 pm",
            "precautions": PRECAUTIONS,
        },
        actor=acting(cast.amina),
    )


def _page(user, orientation):
    return client_for(user).get(reverse("web:orientation_received", args=[orientation.pk]))


def test_a_provider_without_the_identity_gets_the_precautions_not_the_coordinates(
    cast, presumed, providers
):
    _record(cast, presumed)
    orientation = sent(presumed, providers.shelter, cast.amina)
    text = _page(cast.ines, orientation).content.decode()
    assert 'id="safe-contact"' in text
    assert PRECAUTIONS in text and "after 6 pm" in text
    assert "Do not write to the person's address." in text
    assert cast.association.name in text
    assert PHONE not in text and "impasse des Songes" not in text
    read = AuditEntry.objects.filter(action="safe_contact.read", actor=cast.ines).get()
    assert read.details == {
        "case": presumed.pk,
        "via": "orientation",
        "orientation": orientation.pk,
        "coordinates": False,
    }


def test_a_provider_that_needs_the_identity_gets_the_coordinates(cast, presumed, providers):
    _record(cast, presumed)
    orientation = sent(presumed, providers.legal, cast.amina, identity_needed=True)
    text = _page(providers.lawyer, orientation).content.decode()
    assert PHONE in text and "impasse des Songes" in text and PRECAUTIONS in text


def test_nothing_recorded_says_whom_to_ask(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina)
    text = _page(cast.ines, orientation).content.decode()
    assert "Nothing recorded yet: ask the responsible organisation" in text


def test_withdrawn_consent_ends_it_with_the_orientation(cast, presumed, providers):
    _record(cast, presumed)
    orientation = sent(presumed, providers.shelter, cast.amina)
    for consent in presumed.consents.filter(scope=ConsentScope.SHARE):
        consent.withdraw(actor=acting(cast.amina))
    assert _page(cast.ines, orientation).status_code == 404


def test_the_support_plan_shows_it_all_to_the_owner_staff(cast, presumed):
    _record(cast, presumed)
    text = (
        client_for(cast.amina)
        .get(reverse("web:support_plan", args=[presumed.reference]))
        .content.decode()
    )
    assert PHONE in text and "impasse des Songes" in text and PRECAUTIONS in text
    assert reverse("web:case_safe_contact", args=[presumed.reference]) in text
