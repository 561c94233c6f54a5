"""Acceptance (issue 5), through the pages: a presumed victim without residence rights who
does not cooperate is oriented to accommodation; the provider accepts; the free places go down
by one; health and legal aid orientations follow; after formal identification the support
closes as self-reliant. Every change is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.support.models import (
    Need,
    Orientation,
    OrientationStatus,
    ServiceType,
    SupportRecord,
    SupportStatus,
)
from tests.support.conftest import acting, client_for

pytestmark = pytest.mark.django_db


def _orient(amina, case, need, service, *, accommodation=False, method="oral"):
    """amina proposes `service` for `need`, records the person's consent, sends it."""
    ref = case.reference
    if accommodation:
        url = reverse("web:support_accommodation", args=[ref, need.pk])
        page = amina.get(
            url,
            {"location": "either", "setting": "either", "accompanying_children": 0, "area": "93"},
        )
        assert page.status_code == 200
        assert service.name in page.content.decode()
        response = amina.post(
            url + "?location=either&setting=either&accompanying_children=0&area=93",
            {"service": service.pk, "urgency": "immediate", "brief": "Needs a bed tonight."},
        )
    else:
        url = reverse("web:support_orient", args=[ref, need.pk])
        assert amina.get(url).status_code == 200
        response = amina.post(url, {"service": service.pk, "urgency": "urgent", "brief": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    orientation = Orientation.objects.get(need=need, service=service)
    assert (
        amina.post(
            reverse("web:support_orientation_consent", args=[ref, orientation.pk]),
            {"method": method},
        ).status_code
        == 302
    )
    assert (
        amina.post(reverse("web:support_orientation_send", args=[ref, orientation.pk])).status_code
        == 302
    )
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT
    return orientation


def _accept(provider, orientation):
    client = client_for(provider)
    assert (
        orientation.case.reference
        in client.get(reverse("web:orientations_received")).content.decode()
    )
    assert client.get(reverse("web:orientation_received", args=[orientation.pk])).status_code == 200
    assert client.post(reverse("web:orientation_accept", args=[orientation.pk])).status_code == 302
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.ACCEPTED


def test_from_presumed_victim_to_self_reliance(cast, presumed, providers):
    case = presumed
    # No residence application, no referral: not cooperating, no residence rights.
    assert not case.residence_applications.exists()
    assert not case.referrals.exists()
    amina = client_for(cast.amina)
    plan_url = reverse("web:support_plan", args=[case.reference])
    assert amina.get(plan_url).status_code == 200

    # The needs come from the immediate needs assessment; legal aid is added.
    assert amina.post(reverse("web:support_needs_import", args=[case.reference])).status_code == 302
    assert (
        amina.post(
            reverse("web:support_need_add", args=[case.reference]),
            {"service_type": ServiceType.LEGAL_AID, "description": "Rights, compensation"},
        ).status_code
        == 302
    )
    needs = {need.service_type: need for need in Need.objects.filter(case=case)}
    assert set(needs) == {ServiceType.ACCOMMODATION, ServiceType.HEALTH, ServiceType.LEGAL_AID}

    # Accommodation: matched, consented, sent; the provider accepts; one place fewer.
    free_before = providers.shelter.places_free
    shelter = _orient(
        amina, case, needs[ServiceType.ACCOMMODATION], providers.shelter, accommodation=True
    )
    _accept(cast.ines, shelter)
    providers.shelter.refresh_from_db()
    assert providers.shelter.places_free == free_before - 1
    client_for(cast.ines).post(
        reverse("web:orientation_start", args=[shelter.pk]),
        {"start-day": timezone.localdate().isoformat()},
    )
    shelter.refresh_from_db()
    assert shelter.status == OrientationStatus.IN_PROGRESS

    # Health care and legal aid follow.
    health = _orient(amina, case, needs[ServiceType.HEALTH], providers.health)
    _accept(providers.doctor, health)
    legal = _orient(amina, case, needs[ServiceType.LEGAL_AID], providers.legal, method="written")
    _accept(providers.lawyer, legal)
    assert (
        client_for(providers.lawyer)
        .post(
            reverse("web:orientation_provider_complete", args=[legal.pk]),
            {"end-day": timezone.localdate().isoformat()},
        )
        .status_code
        == 302
    )

    # Formal identification (another step) happens meanwhile.
    case.transition(IdentificationStatus.IDENTIFIED_VICTIM, actor=acting(cast.claire))

    # The person is self-reliant: support closes, with a follow-up date.
    follow_up = timezone.localdate() + datetime.timedelta(days=90)
    response = amina.post(
        reverse("web:support_close", args=[case.reference]),
        {
            "reason": "self_reliance",
            "closed_on": timezone.localdate().isoformat(),
            "follow_up_on": follow_up.isoformat(),
            "note": "Job and flat found.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SupportRecord.objects.get(case=case).status == SupportStatus.CLOSED
    page = amina.get(plan_url).content.decode()
    assert "The person is self-reliant" in page
    providers.shelter.refresh_from_db()
    assert providers.shelter.places_free == free_before  # the stay ended: the place is free
    for orientation in (shelter, health, legal):
        orientation.refresh_from_db()
        assert orientation.status == OrientationStatus.COMPLETED
    # The providers no longer see the case.
    assert client_for(cast.ines).get(reverse("web:case", args=[case.reference])).status_code == 404
    assert (
        client_for(cast.ines)
        .get(reverse("web:orientation_received", args=[shelter.pk]))
        .status_code
        == 404
    )

    # Every change was audited.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "need.record",
        "orientation.propose",
        "consent.record",
        "case.share",
        "orientation.transition",
        "placement.start",
        "placement.end",
        "case.share_revoke",
        "support.close",
    } <= actions
    transitions = AuditEntry.objects.filter(action="orientation.transition")
    # shelter 5 (consented, sent, accepted, in progress, completed), health 4, legal 4.
    assert transitions.count() == 13
