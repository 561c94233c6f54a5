"""Consent given again does not share by itself: after a withdrawal, the provider stays cut off
until the responsible organisation shares again, on the person's current consent."""

import json

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ShareReason
from opennrm.cases.models import CaseShare
from opennrm.core.models import Organisation
from opennrm.support.models import ServiceType
from tests.factories import MembershipFactory, OrganisationFactory
from tests.privacy.conftest import ALIAS, FAMILY_NAME, GIVEN_NAMES, client_for
from tests.support.conftest import make_presumed, sent, service, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(cast):
    organisation = OrganisationFactory(
        name="Clinic 93 (fictional)", kind="health", territories=[territory("93")]
    )
    doctor = MembershipFactory(
        organisation=organisation,
        role="service_provider",
        user__full_name="Doctor (fictional)",
        user__email="doctor.share-again@test.opennrm.invalid",
    ).user
    return organisation, doctor, service(organisation, service_type=ServiceType.HEALTH)


def _url(name: str, orientation) -> str:
    return reverse(
        f"web:support_orientation_{name}", args=[orientation.case.reference, orientation.pk]
    )


def _has_orientation_access(case, organisation: Organisation) -> bool:
    return CaseShare.objects.filter(
        case=case, organisation=organisation, reason=ShareReason.ORIENTATION, revoked_at=None
    ).exists()


def test_consent_given_again_shares_nothing_until_the_organisation_shares_again(cast, case, clinic):
    organisation, doctor, health = clinic
    make_presumed(case, cast.amina, medical=True)
    orientation = sent(case, health, cast.amina)
    provider, owner = client_for(doctor), client_for(cast.amina)
    received = reverse("web:orientation_received", args=[orientation.pk])
    inbox = reverse("web:orientations_received")
    share_again, consent_again = (
        _url("share_again", orientation),
        _url("consent_again", orientation),
    )
    assert provider.get(received).status_code == 200

    # Withdrawn on the case's consents page: the provider gets 404 at once.
    url = reverse("web:consent_withdraw", args=[case.reference, orientation.consent_id])
    assert owner.post(url).status_code == 302
    assert provider.get(received).status_code == 404
    assert case.reference not in provider.get(inbox).content.decode()

    # Sharing again is refused while the person has not consented again.
    assert owner.post(share_again).status_code == 302
    assert not _has_orientation_access(case, organisation)
    assert provider.get(received).status_code == 404

    # Consent given again: recorded, nothing shared.
    assert owner.post(consent_again, {"method": "interpreted"}).status_code == 302
    assert not _has_orientation_access(case, organisation)
    assert provider.get(received).status_code == 404
    assert provider.get(reverse("web:case", args=[case.reference])).status_code == 404

    # The organisation shares again, after confirming: the provider gets the case back.
    assert owner.get(share_again).status_code == 200
    assert not _has_orientation_access(case, organisation)
    assert owner.post(share_again).status_code == 302
    assert _has_orientation_access(case, organisation)
    page = provider.get(received)
    assert page.status_code == 200
    assert case.person.pseudonym in page.content.decode()
    assert FAMILY_NAME not in page.content.decode()  # the orientation does not need it
    assert case.reference in provider.get(inbox).content.decode()

    # Nothing personal in the audit entries of the whole path.
    entries = AuditEntry.objects.filter(
        action__in=["orientation.share_again", "consent.record", "case.share", "consent.withdraw"]
    )
    assert entries.filter(action="orientation.share_again").count() == 1
    text = json.dumps([entry.details for entry in entries])
    for value in (*GIVEN_NAMES.split(), FAMILY_NAME, ALIAS, case.person.pseudonym):
        assert value not in text


def test_an_outsider_cannot_share_again(cast, case, clinic):
    _organisation, doctor, health = clinic
    make_presumed(case, cast.amina, medical=True)
    orientation = sent(case, health, cast.amina)
    share_again, consent_again = (
        _url("share_again", orientation),
        _url("consent_again", orientation),
    )
    url = reverse("web:consent_withdraw", args=[case.reference, orientation.consent_id])
    client_for(cast.amina).post(url)
    for user in (cast.yasmine, doctor, cast.louis):
        client = client_for(user)
        assert client.post(consent_again, {"method": "oral"}).status_code == 404
        assert client.get(share_again).status_code == 404
        assert client.post(share_again).status_code == 404
    assert not AuditEntry.objects.filter(action="orientation.share_again").exists()
