"""Every page of the support area renders, in each state, for the people who use it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.support import closure, compensation, non_punishment, plans, residence
from opennrm.support.models import ServiceType
from tests.support.conftest import acting, client_for, need_for, proposed, sent

pytestmark = pytest.mark.django_db


def ok(client, url, *texts):
    response = client.get(url)
    assert response.status_code == 200, url
    content = response.content.decode()
    for text in texts:
        assert text in content, (url, text)
    return content


def test_owner_pages_in_every_state(cast, presumed, providers):
    amina = client_for(cast.amina)
    ref = presumed.reference
    draft = proposed(presumed, providers.health, cast.amina)
    ok(amina, reverse("web:support_orientation", args=[ref, draft.pk]), "The person agrees")
    waiting = sent(presumed, providers.shelter, cast.amina)
    ok(amina, reverse("web:support_orientation", args=[ref, waiting.pk]), 'id="response-due"')
    plans.accept(waiting, actor=acting(cast.ines))
    ok(amina, reverse("web:support_orientation", args=[ref, waiting.pk]), "Mark as completed")
    ok(amina, reverse("web:support_plan", args=[ref]), 'id="placements"', "Find accommodation")
    legal = need_for(presumed, ServiceType.LEGAL_AID, cast.amina)
    ok(amina, reverse("web:support_orient", args=[ref, legal.pk]), providers.legal.name)
    empty = need_for(presumed, ServiceType.LANGUAGE_CLASSES, cast.amina)
    ok(amina, reverse("web:support_orient", args=[ref, empty.pk]), "No service of this type")
    shelter_need = need_for(presumed, ServiceType.ACCOMMODATION, cast.amina)
    ok(
        amina,
        reverse("web:support_accommodation", args=[ref, shelter_need.pk]),
        'id="no-candidates"',  # the only shelter is already proposed for this need
    )
    application = residence.apply(
        presumed,
        actor=acting(cast.amina),
        basis="residence_complaint",
        prefecture=cast.prefecture,
        applied_on=timezone.localdate(),
    )
    ok(amina, reverse("web:support_residence", args=[ref]), application.basis_label)
    ok(amina, reverse("web:support_residence_detail", args=[ref, application.pk]), "Decision")
    entry = non_punishment.record_offences(
        presumed, actor=acting(cast.amina), offences="Theft", circumstances="Forced."
    )
    ok(amina, reverse("web:support_non_punishment_detail", args=[ref, entry.pk]), "Theft")
    claim = compensation.lodge(
        presumed, actor=acting(cast.amina), kind="labour_court", body_name="Labour court"
    )
    ok(amina, reverse("web:support_compensation_detail", args=[ref, claim.pk]), "Labour court")
    ok(amina, reverse("web:support_close", args=[ref]), "Closing ends what is still running")
    closure.close_support(
        presumed,
        actor=acting(cast.amina),
        reason="lost_contact",
        follow_up_on=timezone.localdate(),
    )
    ok(amina, reverse("web:support_plan", args=[ref]), 'id="closure"', "Record the follow-up")


def test_provider_pages_in_every_state(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina)
    ines = client_for(cast.ines)
    url = reverse("web:orientation_received", args=[orientation.pk])
    ok(ines, reverse("web:orientations_received"), 'id="waiting"')
    ok(ines, url, "Accept and reserve the place")
    plans.accept(orientation, actor=acting(cast.ines))
    ok(ines, url, "Record the start", 'id="placement"')
    ok(ines, reverse("web:orientations_received"), 'id="current"')
    ok(ines, reverse("web:services_mine"), providers.shelter.name)
    ok(ines, reverse("web:service_create"), "Add a service")
    ok(ines, reverse("web:services"), providers.shelter.name)
