"""Share again: after the person withdrew their consent to share with a provider and then gave
it again, the responsible organisation gives the provider its access back — deliberately, on
the current consent, with a confirmation step. Never without that consent, never for anyone but
the responsible organisation's field staff."""

import datetime
from functools import partial

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope, ShareReason
from opennrm.cases.models import CaseEvent, CaseShare, Consent, TransitionError
from opennrm.detection import actions as detection_actions
from opennrm.support import plans
from opennrm.support.models import Orientation, OrientationStatus, OrientationTransition
from tests.support.conftest import acting, client_for, proposed, race, sent

pytestmark = pytest.mark.django_db


def received(orientation):
    return reverse("web:orientation_received", args=[orientation.pk])


def owner_page(orientation):
    return reverse("web:support_orientation", args=[orientation.case.reference, orientation.pk])


def share_again_url(orientation):
    return reverse(
        "web:support_orientation_share_again", args=[orientation.case.reference, orientation.pk]
    )


def consent_again_url(orientation):
    return reverse(
        "web:support_orientation_consent_again", args=[orientation.case.reference, orientation.pk]
    )


def withdrawn(orientation, user):
    orientation.consent.withdraw(actor=acting(user))
    orientation.refresh_from_db()
    return orientation


def test_withdrawn_given_again_then_shared_again_through_the_pages(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    doctor, amina = client_for(providers.doctor), client_for(cast.amina)
    assert doctor.get(received(orientation)).status_code == 200
    transitions = OrientationTransition.objects.filter(orientation=orientation).count()

    # Withdrawn: the provider gets 404 at once; nothing to share again yet.
    withdrawn(orientation, cast.amina)
    assert doctor.get(received(orientation)).status_code == 404
    page = amina.get(owner_page(orientation)).content.decode()
    assert 'id="share-again"' in page
    assert consent_again_url(orientation) in page
    assert share_again_url(orientation) not in page

    # Consent given again: recorded only, the provider still gets nothing.
    response = amina.post(consent_again_url(orientation), {"method": ConsentMethod.WRITTEN})
    assert response.status_code == 302
    consent = plans.share_consent(presumed, providers.health_org)
    assert consent is not None and consent.pk != orientation.consent_id
    assert consent.method == ConsentMethod.WRITTEN
    assert doctor.get(received(orientation)).status_code == 404
    assert (
        presumed.reference not in doctor.get(reverse("web:orientations_received")).content.decode()
    )
    assert not plans.provider_has_access(orientation)
    page = amina.get(owner_page(orientation)).content.decode()
    assert f"Share again with {providers.health_org.name}" in page
    assert share_again_url(orientation) in page

    # The confirmation step shares nothing.
    confirm = amina.get(share_again_url(orientation))
    assert confirm.status_code == 200
    assert "Confirm: share again with" in confirm.content.decode()
    assert doctor.get(received(orientation)).status_code == 404

    # Shared again: the provider has the orientation back, and it continues where it was.
    response = amina.post(share_again_url(orientation))
    assert response.status_code == 302
    assert doctor.get(received(orientation)).status_code == 200
    assert presumed.reference in doctor.get(reverse("web:orientations_received")).content.decode()
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT
    assert orientation.consent_id == consent.pk
    assert OrientationTransition.objects.filter(orientation=orientation).count() == transitions
    share = CaseShare.objects.get(
        case=presumed,
        organisation=providers.health_org,
        reason=ShareReason.ORIENTATION,
        revoked_at__isnull=True,
    )
    assert share.consent_id == consent.pk
    assert not share.identity
    plans.accept(orientation, actor=acting(providers.doctor))
    assert CaseEvent.objects.filter(case=presumed, kind="orientation.shared_again").exists()


def test_without_consent_given_again_sharing_again_is_refused(cast, presumed, providers):
    orientation = withdrawn(sent(presumed, providers.health, cast.amina), cast.amina)
    assert plans.lost_access(orientation)
    assert not plans.may_share_again(orientation)
    with pytest.raises(TransitionError, match="record it first"):
        plans.share_again(orientation, actor=acting(cast.amina))
    amina = client_for(cast.amina)
    for response in (
        amina.get(share_again_url(orientation), follow=True),
        amina.post(share_again_url(orientation), follow=True),
    ):
        assert response.redirect_chain[-1][0] == owner_page(orientation)
        assert "has not given their consent to share with this provider again" in (
            response.content.decode()
        )
    assert not plans.provider_has_access(orientation)
    assert client_for(providers.doctor).get(received(orientation)).status_code == 404
    assert not AuditEntry.objects.filter(action="orientation.share_again").exists()


def test_a_consent_withdrawn_again_cuts_the_provider_off_again(cast, presumed, providers):
    orientation = withdrawn(sent(presumed, providers.health, cast.amina), cast.amina)
    consent = plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.share_again(orientation, actor=acting(cast.amina))
    assert plans.provider_has_access(orientation)
    consent.withdraw(actor=acting(cast.amina))
    assert not plans.provider_has_access(orientation)
    assert client_for(providers.doctor).get(received(orientation)).status_code == 404


def test_a_consent_recorded_on_the_consents_page_allows_sharing_again(cast, presumed, providers):
    """Consent to share with the provider recorded on the case's consents page covers it too;
    the orientation still waits for the organisation to share it again."""
    orientation = withdrawn(sent(presumed, providers.health, cast.amina), cast.amina)
    detection_actions.record_consent(
        presumed,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.ORAL,
        organisation=providers.health_org,
        actor=acting(cast.amina),
    )
    assert client_for(providers.doctor).get(received(orientation)).status_code == 404
    assert plans.may_share_again(orientation)
    plans.share_again(orientation, actor=acting(cast.amina))
    assert client_for(providers.doctor).get(received(orientation)).status_code == 200


def test_every_live_orientation_of_the_provider_rests_on_the_new_consent(cast, presumed, providers):
    first = sent(presumed, providers.health, cast.amina)
    second = sent(presumed, providers.health, cast.amina, brief="Second appointment")
    assert first.consent_id == second.consent_id
    withdrawn(first, cast.amina)
    consent = plans.consent_again(first, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.share_again(first, actor=acting(cast.amina))
    second.refresh_from_db()
    assert second.consent_id == consent.pk
    assert client_for(providers.doctor).get(received(second)).status_code == 200
    assert not plans.lost_access(second)


def test_the_answer_of_a_sent_orientation_is_due_again_from_today(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    past = timezone.localdate() - datetime.timedelta(days=30)
    Orientation.objects.filter(pk=orientation.pk).update(sent_on=past, response_due=past)
    orientation = withdrawn(orientation, cast.amina)
    assert orientation.is_overdue
    plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.share_again(orientation, actor=acting(cast.amina))
    assert orientation.response_due >= timezone.localdate()
    assert orientation.sent_on == past
    assert not orientation.is_overdue


def test_an_accepted_orientation_continues_without_a_new_due_date(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    plans.accept(orientation, actor=acting(providers.doctor))
    orientation = withdrawn(orientation, cast.amina)
    due = orientation.response_due
    plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.share_again(orientation, actor=acting(cast.amina))
    assert (orientation.status, orientation.response_due) == (OrientationStatus.ACCEPTED, due)
    plans.start(orientation, actor=acting(providers.doctor))


def test_what_cannot_be_shared_again(cast, presumed, child, providers):
    # Access never lost.
    orientation = sent(presumed, providers.legal, cast.amina)
    assert not plans.lost_access(orientation)
    with pytest.raises(TransitionError, match="already has access"):
        plans.share_again(orientation, actor=acting(cast.amina))
    with pytest.raises(TransitionError, match="not lost"):
        plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    # An orientation that has ended: propose a new one.
    plans.cancel(orientation, reason="Fictional: moved away", actor=acting(cast.amina))
    orientation.refresh_from_db()
    with pytest.raises(TransitionError, match="propose a new one"):
        plans.share_again(orientation, actor=acting(cast.amina))
    # Not sent yet: nothing was shared, nothing to share again.
    waiting = proposed(presumed, providers.health, cast.amina)
    assert not plans.lost_access(waiting)
    with pytest.raises(TransitionError, match="propose a new one"):
        plans.share_again(waiting, actor=acting(cast.amina))
    # A child's orientation needs no consent.
    home = sent(child, providers.health, cast.amina)
    with pytest.raises(TransitionError, match="no consent"):
        plans.share_again(home, actor=acting(cast.amina))


def test_only_the_responsible_organisations_field_staff_share_again(cast, presumed, providers):
    orientation = withdrawn(sent(presumed, providers.health, cast.amina), cast.amina)
    plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    for user in (cast.yasmine, cast.ines, providers.doctor, cast.louis, cast.sophie):
        client = client_for(user)
        assert client.get(share_again_url(orientation)).status_code == 404
        assert client.post(share_again_url(orientation)).status_code == 404
        assert client.post(consent_again_url(orientation), {"method": "oral"}).status_code == 404
    for user in (cast.yasmine, providers.doctor):
        with pytest.raises(TransitionError):
            plans.share_again(orientation, actor=acting(user))
    assert not plans.provider_has_access(orientation)
    anonymous = client_for(cast.amina)
    anonymous.logout()
    response = anonymous.get(share_again_url(orientation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_audit_entry_holds_ids_and_codes_only(cast, presumed, providers):
    orientation = withdrawn(sent(presumed, providers.health, cast.amina), cast.amina)
    consent = plans.consent_again(orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina))
    plans.share_again(orientation, actor=acting(cast.amina))
    entry = AuditEntry.objects.get(action="orientation.share_again")
    assert (entry.actor, entry.organisation) == (cast.amina, cast.association)
    assert (entry.object_type, entry.object_id) == ("support.orientation", str(orientation.pk))
    assert entry.details == {
        "case": presumed.pk,
        "provider": providers.health_org.pk,
        "consent": consent.pk,
        "status": OrientationStatus.SENT,
        "response_due_restarted": False,
    }
    person = presumed.person
    text = str(entry.details)
    for value in (person.given_names, person.family_name, person.pseudonym, presumed.reference):
        assert value and value not in text
    # The share itself is audited as every share is: sent once, shared again once.
    assert (
        AuditEntry.objects.filter(
            action="case.share", details__organisation=providers.health_org.pk
        ).count()
        == 2
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_sharing_again_while_the_consent_is_withdrawn_never_leaves_access(cast, providers):
    """Withdrawing the new consent at the moment the organisation shares again: whichever goes
    first, the provider ends without access."""
    from tests.factories import CaseFactory, PersonFactory
    from tests.support.conftest import make_presumed

    for _ in range(4):
        case = make_presumed(
            CaseFactory(owner=cast.association, person=PersonFactory()), cast.amina, medical=True
        )
        orientation = withdrawn(sent(case, providers.health, cast.amina), cast.amina)
        consent = plans.consent_again(
            orientation, method=ConsentMethod.ORAL, actor=acting(cast.amina)
        )
        errors = race(
            partial(plans.share_again, orientation, actor=acting(cast.amina)),
            partial(Consent.objects.get(pk=consent.pk).withdraw, actor=acting(cast.amina)),
        )
        assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
        assert not plans.provider_has_access(orientation), errors
