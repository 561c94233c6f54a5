"""Need-to-know: a provider sees only the cases oriented to it, only what the orientation
needs, only with the person's consent; everyone else gets 404."""

import pytest
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.support import plans
from tests.factories import MembershipFactory, OrganisationFactory
from tests.support.conftest import acting, client_for, proposed, sent, territory

pytestmark = pytest.mark.django_db


def case_url(case):
    return reverse("web:case", args=[case.reference])


def test_the_provider_sees_the_orientation_and_the_case_not_the_identity(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina, brief="Arrives tonight")
    client = client_for(cast.ines)
    inbox = client.get(reverse("web:orientations_received"))
    assert presumed.reference in inbox.content.decode()
    page = client.get(reverse("web:orientation_received", args=[orientation.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert presumed.person.pseudonym in text
    assert "Arrives tonight" in text
    assert presumed.person.given_names not in text  # no identity unless needed
    assert 'id="identity"' not in text
    # Need-to-know: the orientation page, never the whole case file.
    assert client.get(case_url(presumed)).status_code == 404
    assert AuditEntry.objects.filter(
        action="orientation.read", object_id=str(orientation.pk), actor=cast.ines
    ).exists()


def test_the_identity_is_shown_when_the_orientation_needs_it_and_audited(cast, presumed, providers):
    orientation = sent(presumed, providers.legal, cast.amina, identity_needed=True)
    page = client_for(providers.lawyer).get(
        reverse("web:orientation_received", args=[orientation.pk])
    )
    assert presumed.person.given_names in page.content.decode()
    assert AuditEntry.objects.filter(action="person.read_identity", actor=providers.lawyer).exists()


def test_a_proposal_the_person_did_not_agree_to_is_not_seen(cast, presumed, providers):
    orientation = proposed(presumed, providers.shelter, cast.amina)
    client = client_for(cast.ines)
    assert client.get(reverse("web:orientation_received", args=[orientation.pk])).status_code == 404
    assert client.get(case_url(presumed)).status_code == 404


def test_consent_alone_shares_nothing_until_the_orientation_is_sent(cast, presumed, providers):
    from tests.support.conftest import consented

    orientation = consented(presumed, providers.shelter, cast.amina)
    assert orientation.status == "consented"
    assert client_for(cast.ines).get(case_url(presumed)).status_code == 404
    plans.send(orientation, actor=acting(cast.amina))
    received = reverse("web:orientation_received", args=[orientation.pk])
    assert client_for(cast.ines).get(received).status_code == 200


def test_a_consent_recorded_on_the_consents_page_is_used(cast, presumed, providers):
    from opennrm.cases.enums import ConsentMethod, ConsentScope
    from opennrm.detection.actions import record_consent

    consent = record_consent(
        presumed,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.WRITTEN,
        organisation=cast.accommodation,
        actor=acting(cast.amina),
    )
    orientation = proposed(presumed, providers.shelter, cast.amina)
    response = client_for(cast.amina).post(
        reverse("web:support_orientation_consent", args=[presumed.reference, orientation.pk])
    )
    assert response.status_code == 302
    orientation.refresh_from_db()
    assert (orientation.status, orientation.consent_id) == ("consented", consent.pk)


def test_a_provider_outside_the_orientation_gets_404(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina)
    other = OrganisationFactory(kind="accommodation", territories=[territory("93")])
    stranger = MembershipFactory(organisation=other, role="service_provider").user
    for user in (stranger, providers.doctor, cast.yasmine):
        client = client_for(user)
        assert client.get(case_url(presumed)).status_code == 404
        assert (
            client.get(reverse("web:orientation_received", args=[orientation.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("web:orientation_accept", args=[orientation.pk])).status_code == 404
        )


def test_without_consent_to_share_the_provider_gets_404_at_once(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina)
    client = client_for(cast.ines)
    received = reverse("web:orientation_received", args=[orientation.pk])
    assert client.get(received).status_code == 200
    orientation.consent.withdraw(actor=acting(cast.amina))
    assert client.get(case_url(presumed)).status_code == 404
    assert client.get(reverse("web:orientation_received", args=[orientation.pk])).status_code == 404
    assert client.post(reverse("web:orientation_accept", args=[orientation.pk])).status_code == 404
    assert (
        presumed.reference not in client.get(reverse("web:orientations_received")).content.decode()
    )
    owner_page = client_for(cast.amina).get(
        reverse("web:support_orientation", args=[presumed.reference, orientation.pk])
    )
    assert 'id="provider-access"' in owner_page.content.decode()
    assert "withdrew their consent" in owner_page.content.decode()


def test_after_a_decline_the_provider_no_longer_sees_the_case(cast, presumed, providers):
    orientation = sent(presumed, providers.shelter, cast.amina)
    client = client_for(cast.ines)
    response = client.post(
        reverse("web:orientation_decline", args=[orientation.pk]), {"reason": "Full tonight"}
    )
    assert response.status_code == 302
    assert client.get(reverse("web:orientation_received", args=[orientation.pk])).status_code == 404


SUPPORT_PAGES = (
    "web:support_plan",
    "web:support_residence",
    "web:support_non_punishment",
    "web:support_compensation",
    "web:support_close",
)


@pytest.mark.parametrize("name", SUPPORT_PAGES)
def test_the_support_pages_are_for_the_responsible_organisations_field_staff(
    cast, presumed, providers, name
):
    sent(presumed, providers.shelter, cast.amina)
    url = reverse(name, args=[presumed.reference])
    assert client_for(cast.amina).get(url).status_code == 200
    assert client_for(cast.hugo).get(url).status_code == 200
    # The provider with access to the case, the coordinator, the outsider: not found.
    for user in (cast.ines, cast.louis, cast.yasmine, cast.nadia, cast.paul):
        assert client_for(user).get(url).status_code == 404, user


def test_documents_and_records_of_another_case_are_not_found(cast, presumed):
    from opennrm.support import non_punishment
    from tests.factories import CaseFactory
    from tests.support.conftest import make_presumed

    entry = non_punishment.record_offences(
        presumed,
        actor=acting(cast.amina),
        offences="Shoplifting",
        circumstances="Ordered by the exploiters.",
    )
    other = make_presumed(CaseFactory(owner=cast.association), cast.amina)
    url = reverse("web:support_non_punishment_note", args=[other.reference, entry.pk])
    assert client_for(cast.amina).get(url).status_code == 404
    url = reverse("web:support_non_punishment_note", args=[presumed.reference, entry.pk])
    assert client_for(cast.yasmine).get(url).status_code == 404


def test_only_providers_have_an_inbox(cast):
    assert client_for(cast.amina).get(reverse("web:orientations_received")).status_code == 404
    assert client_for(cast.ines).get(reverse("web:orientations_received")).status_code == 200


def test_plans_actions_refuse_other_organisations(cast, presumed, providers):
    orientation = proposed(presumed, providers.shelter, cast.amina)
    with pytest.raises(plans.TransitionError):
        plans.cancel(orientation, reason="no", actor=acting(cast.yasmine))
