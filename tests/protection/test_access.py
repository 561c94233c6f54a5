"""Every protection page: the responsible organisation's field staff only; outsiders get 404.

Yasmine (another organisation, another département) and Claire (police 93, before any referral)
are outsiders; so are the other organisations of 93. Paul belongs to Association 93 but sits on
the platform: he neither reports nor triages, so he gets 404 too.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope
from opennrm.detection.actions import record_consent
from tests.protection.conftest import acting

PAGES = (
    "rights",
    "leaflet",
    "consents",
    "consent_withdraw",
    "guardian",
    "child_protection",
    "protection",
    "reflection_attestation",
    "refer",
    "anonymous_notification",
)
OUTSIDERS = ("yasmine", "claire", "louis", "sophie", "ines", "nadia", "robert", "paul")


def _url(name, case, consent):
    args = [case.reference, consent.pk] if name == "consent_withdraw" else [case.reference]
    return reverse(f"web:{name}", args=args)


@pytest.fixture
def world(cast, presumed):
    consent = record_consent(
        presumed,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        organisation=None,
        actor=acting(cast.amina),
    )
    return cast, presumed, consent


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_not_found(world, name, persona):
    cast, case, consent = world
    client = cast.client_for(getattr(cast, persona))
    url = _url(name, case, consent)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code in {404, 405}
    assert case.consents.get().is_active


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(world, name):
    cast, case, consent = world
    response = cast.client_for(None).get(_url(name, case, consent))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")


@pytest.mark.parametrize("persona", ["amina", "hugo"])
@pytest.mark.parametrize(
    "name", ["rights", "consents", "consent_withdraw", "protection", "refer", "leaflet"]
)
def test_field_staff_of_the_responsible_organisation_reach_the_pages(world, name, persona):
    cast, case, consent = world
    response = cast.client_for(getattr(cast, persona)).get(_url(name, case, consent))
    assert response.status_code == 200


def test_an_unknown_reference_is_not_found_like_a_foreign_case(world):
    cast, _case, _consent = world
    client = cast.client_for(cast.amina)
    assert client.get(reverse("web:rights", args=["C-0000-0000"])).status_code == 404


def test_an_outsiders_attempt_is_audited_as_nothing_more_than_a_miss(world):
    """A refused outsider reads nothing: no identity read, no document entry."""
    cast, case, consent = world
    cast.client_for(cast.yasmine).get(_url("reflection_attestation", case, consent))
    assert not AuditEntry.objects.filter(
        action__in=["person.read_identity", "document.reflection_attestation"]
    ).exists()


def test_the_public_leaflet_needs_no_account(cast):
    response = cast.client_for(None).get(reverse("web:public_leaflet", args=["en"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
