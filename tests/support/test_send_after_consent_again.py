"""Send after consent given again: an orientation the person consented to but that was never
sent, whose consent they then withdrew, cannot be sent; once they give their consent to share
with the provider again, sending works, on that new consent. Withdrawn consent still stops
everything at once, and only the responsible organisation's field staff send."""

import json
from functools import partial

import pytest
from django.db import connection
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope, ShareReason
from opennrm.cases.models import CaseShare, Consent, TransitionError
from opennrm.detection import actions as detection_actions
from opennrm.support import plans
from opennrm.support.models import OrientationStatus, OrientationTransition
from tests.support.conftest import acting, client_for, consented, race, sent

pytestmark = pytest.mark.django_db

REFUSED = "The person withdrew their consent: the orientation cannot be sent."


def _url(name: str, orientation) -> str:
    return reverse(
        f"web:support_orientation_{name}", args=[orientation.case.reference, orientation.pk]
    )


def owner_page(orientation) -> str:
    return reverse("web:support_orientation", args=[orientation.case.reference, orientation.pk])


def received(orientation) -> str:
    return reverse("web:orientation_received", args=[orientation.pk])


def withdrawn(orientation, user):
    orientation.consent.withdraw(actor=acting(user))
    orientation.refresh_from_db()
    return orientation


def orientation_shares(case, organisation):
    return CaseShare.objects.filter(
        case=case, organisation=organisation, reason=ShareReason.ORIENTATION
    )


def test_consented_withdrawn_refused_consented_again_then_sent(cast, presumed, providers):
    orientation = consented(presumed, providers.health, cast.amina)
    old_consent = orientation.consent_id
    amina, doctor = client_for(cast.amina), client_for(providers.doctor)

    # Withdrawn before sending: the page offers to record the consent again, not to send.
    orientation = withdrawn(orientation, cast.amina)
    assert plans.awaits_consent_again(orientation)
    page = amina.get(owner_page(orientation)).content.decode()
    assert 'id="consent-again"' in page
    assert _url("consent_again", orientation) in page
    assert _url("send", orientation) not in page

    # Sending is refused, by the action and through the page; nothing reaches the provider.
    with pytest.raises(TransitionError, match="withdrew their consent"):
        plans.send(orientation, actor=acting(cast.amina))
    response = amina.post(_url("send", orientation), follow=True)
    assert response.redirect_chain[-1][0] == owner_page(orientation)
    assert REFUSED in response.content.decode()
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.CONSENTED
    assert orientation.consent_id == old_consent
    assert not orientation_shares(presumed, providers.health_org).exists()
    assert doctor.get(received(orientation)).status_code == 404
    assert not AuditEntry.objects.filter(
        action="orientation.transition", object_id=str(orientation.pk), details__to="sent"
    ).exists()

    # Consent given again, on the orientation page: recorded only, nothing shared yet.
    response = amina.post(
        _url("consent_again", orientation), {"method": ConsentMethod.WRITTEN}, follow=True
    )
    assert "send the orientation when you are ready" in response.content.decode()
    consent = plans.share_consent(presumed, providers.health_org)
    assert consent is not None and consent.pk != old_consent
    assert consent.method == ConsentMethod.WRITTEN
    assert not orientation_shares(presumed, providers.health_org).exists()
    assert doctor.get(received(orientation)).status_code == 404
    page = amina.get(owner_page(orientation)).content.decode()
    assert 'id="consent-given-again"' in page
    assert _url("send", orientation) in page
    assert _url("consent_again", orientation) not in page

    # Sent: on the new consent, the provider has the orientation, the log has its step.
    transitions = OrientationTransition.objects.filter(orientation=orientation).count()
    response = amina.post(_url("send", orientation))
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT
    assert orientation.consent_id == consent.pk
    assert orientation.response_due is not None
    step = OrientationTransition.objects.filter(orientation=orientation).latest("at", "pk")
    assert (step.source, step.target) == (OrientationStatus.CONSENTED, OrientationStatus.SENT)
    assert OrientationTransition.objects.filter(orientation=orientation).count() == transitions + 1
    share = orientation_shares(presumed, providers.health_org).get(revoked_at__isnull=True)
    assert share.consent_id == consent.pk
    assert not share.identity
    assert plans.provider_has_access(orientation)
    assert doctor.get(received(orientation)).status_code == 200
    assert presumed.reference in doctor.get(reverse("web:orientations_received")).content.decode()
    plans.accept(orientation, actor=acting(providers.doctor))

    # Withdrawn again: the provider is cut off at once.
    Consent.objects.get(pk=consent.pk).withdraw(actor=acting(cast.amina))
    assert not plans.provider_has_access(orientation)
    assert doctor.get(received(orientation)).status_code == 404


def test_the_audit_entries_of_the_send_hold_ids_and_codes_only(cast, presumed, providers):
    orientation = withdrawn(consented(presumed, providers.health, cast.amina), cast.amina)
    consent = plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.send(orientation, actor=acting(cast.amina))
    transition = AuditEntry.objects.get(
        action="orientation.transition", object_id=str(orientation.pk), details__to="sent"
    )
    assert transition.details == {"case": presumed.pk, "from": "consented", "to": "sent"}
    moved = AuditEntry.objects.get(action="orientation.consent_moved")
    assert (moved.actor, moved.organisation) == (cast.amina, cast.association)
    assert (moved.object_type, moved.object_id) == ("support.orientation", str(orientation.pk))
    assert moved.details == {
        "case": presumed.pk,
        "provider": providers.health_org.pk,
        "consent": consent.pk,
        "orientations": [orientation.pk],
    }
    shared = AuditEntry.objects.get(
        action="case.share", details__organisation=providers.health_org.pk
    )
    assert shared.details["reason"] == ShareReason.ORIENTATION
    person = presumed.person
    text = json.dumps([entry.details for entry in (transition, moved, shared)])
    for value in (
        *person.given_names.split(),
        person.family_name,
        person.pseudonym,
        presumed.reference,
        providers.health_org.name,
    ):
        assert value and value not in text


def test_a_send_on_the_original_consent_moves_nothing(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    assert orientation.status == OrientationStatus.SENT
    assert not AuditEntry.objects.filter(action="orientation.consent_moved").exists()


def test_a_consent_recorded_on_the_consents_page_allows_sending(cast, presumed, providers):
    orientation = withdrawn(consented(presumed, providers.health, cast.amina), cast.amina)
    consent = detection_actions.record_consent(
        presumed,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.ORAL,
        organisation=providers.health_org,
        actor=acting(cast.amina),
    )
    assert client_for(providers.doctor).get(received(orientation)).status_code == 404
    plans.send(orientation, actor=acting(cast.amina))
    orientation.refresh_from_db()
    assert (orientation.status, orientation.consent_id) == (OrientationStatus.SENT, consent.pk)
    assert client_for(providers.doctor).get(received(orientation)).status_code == 200


def test_a_consent_given_again_then_withdrawn_again_stops_the_send(cast, presumed, providers):
    orientation = withdrawn(consented(presumed, providers.health, cast.amina), cast.amina)
    consent = plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    consent.withdraw(actor=acting(cast.amina))
    assert plans.awaits_consent_again(orientation)
    with pytest.raises(TransitionError, match="withdrew their consent"):
        plans.send(orientation, actor=acting(cast.amina))
    assert not orientation_shares(presumed, providers.health_org).exists()


def test_a_consent_to_share_with_another_provider_does_not_do(cast, presumed, providers):
    orientation = withdrawn(consented(presumed, providers.health, cast.amina), cast.amina)
    detection_actions.record_consent(
        presumed,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.ORAL,
        organisation=providers.legal_org,
        actor=acting(cast.amina),
    )
    with pytest.raises(TransitionError, match="withdrew their consent"):
        plans.send(orientation, actor=acting(cast.amina))
    assert not orientation_shares(presumed, providers.health_org).exists()


def test_the_providers_live_orientations_rest_on_the_consent_sent_on(cast, presumed, providers):
    """A sent orientation cut off by the withdrawal, and one consented to but not sent: sending
    the second on the consent given again gives the provider its access to the case back, so
    the first now rests on that consent too, and a new withdrawal cuts both off."""
    first = sent(presumed, providers.health, cast.amina)
    second = consented(presumed, providers.health, cast.amina, brief="Second appointment")
    assert first.consent_id == second.consent_id
    withdrawn(first, cast.amina)
    second.refresh_from_db()
    assert plans.lost_access(first) and plans.awaits_consent_again(second)
    consent = plans.consent_again(second, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.send(second, actor=acting(cast.amina))
    first.refresh_from_db()
    assert first.consent_id == second.consent_id == consent.pk
    moved = AuditEntry.objects.get(action="orientation.consent_moved")
    assert moved.details["orientations"] == sorted([first.pk, second.pk])
    doctor = client_for(providers.doctor)
    assert doctor.get(received(first)).status_code == 200
    assert doctor.get(received(second)).status_code == 200
    consent.withdraw(actor=acting(cast.amina))
    assert doctor.get(received(first)).status_code == 404
    assert doctor.get(received(second)).status_code == 404


def test_only_the_responsible_organisations_field_staff_send(cast, presumed, providers):
    orientation = withdrawn(consented(presumed, providers.health, cast.amina), cast.amina)
    plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    for user in (cast.yasmine, cast.ines, providers.doctor, cast.louis, cast.sophie):
        client = client_for(user)
        assert client.get(owner_page(orientation)).status_code == 404
        assert client.post(_url("send", orientation)).status_code == 404
        assert client.post(_url("consent_again", orientation), {"method": "oral"}).status_code == (
            404
        )
    for user in (cast.yasmine, providers.doctor):
        with pytest.raises(TransitionError):
            plans.send(orientation, actor=acting(user))
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.CONSENTED
    assert not orientation_shares(presumed, providers.health_org).exists()
    assert Consent.objects.filter(case=presumed, scope=ConsentScope.SHARE).count() == 2
    anonymous = client_for(cast.amina)
    anonymous.logout()
    response = anonymous.post(_url("send", orientation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_childs_orientation_is_sent_without_consent_as_before(cast, child, providers):
    orientation = sent(child, providers.health, cast.amina)
    assert orientation.status == OrientationStatus.SENT
    assert orientation.consent_id is None
    assert not plans.awaits_consent_again(orientation)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_sending_while_the_new_consent_is_withdrawn_never_leaves_access(cast, providers):
    """Withdrawing the consent given again at the moment the orientation is sent: whichever goes
    first, the provider ends without access."""
    from tests.factories import CaseFactory, PersonFactory
    from tests.support.conftest import make_presumed

    for _ in range(4):
        case = make_presumed(
            CaseFactory(owner=cast.association, person=PersonFactory()), cast.amina, medical=True
        )
        orientation = withdrawn(consented(case, providers.health, cast.amina), cast.amina)
        consent = plans.consent_again(
            orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina)
        )
        errors = race(
            partial(plans.send, orientation, actor=acting(cast.amina)),
            partial(Consent.objects.get(pk=consent.pk).withdraw, actor=acting(cast.amina)),
        )
        assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
        assert not plans.provider_has_access(orientation), errors
