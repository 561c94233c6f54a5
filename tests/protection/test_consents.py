"""Consent: recorded with how it was given, withdrawn at once; children: guardian and child
protection instead."""

import pytest
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.access import get_case_for_member
from opennrm.cases.enums import ConsentScope, ShareReason
from opennrm.cases.models import Case
from opennrm.detection.actions import record_consent
from tests.acting import actor_for
from tests.factories import CaseFactory, OrganisationFactory
from tests.protection.conftest import acting, client_in_english


def _consents_url(case):
    return reverse("web:consents", args=[case.reference])


def _member_request(user):
    return actor_for(user)


def test_consent_to_referral_is_recorded_with_how_it_was_given(cast, presumed):
    client = client_in_english(cast, cast.amina)
    response = client.post(_consents_url(presumed), {"scope": "referral", "method": "interpreted"})
    assert response.status_code == 302
    consent = presumed.active_consent(ConsentScope.REFERRAL)
    assert consent is not None
    assert (consent.method, consent.recorded_by, consent.recorded_for) == (
        "interpreted",
        cast.amina,
        cast.association,
    )
    assert AuditEntry.objects.filter(action="consent.record", object_id=str(consent.pk)).exists()
    page = client.get(_consents_url(presumed)).content.decode()
    assert "Active" in page
    assert reverse("web:consent_withdraw", args=[presumed.reference, consent.pk]) in page


def test_consent_to_share_opens_the_case_to_the_named_organisation(cast, presumed):
    client = client_in_english(cast, cast.amina)
    response = client.post(
        _consents_url(presumed),
        {"scope": "share", "method": "written", "organisation": cast.accommodation.pk},
    )
    assert response.status_code == 302
    share = presumed.shares.get(organisation=cast.accommodation)
    assert share.reason == ShareReason.CONSENTED_SHARE
    assert share.revoked_at is None
    assert Case.objects.visible_to(cast.accommodation).filter(pk=presumed.pk).exists()
    assert AuditEntry.objects.filter(action="case.share").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope": "share", "method": "oral"}, "organisation"),
        ({"scope": "referral", "method": "oral", "organisation": "ORG"}, "organisation"),
        ({"scope": "referral"}, "method"),
        ({"method": "oral"}, "scope"),
        ({"scope": "everything", "method": "oral"}, "scope"),
    ],
)
def test_consent_form_errors(cast, presumed, data, field):
    data = {
        key: (cast.accommodation.pk if value == "ORG" else value) for key, value in data.items()
    }
    response = client_in_english(cast, cast.amina).post(_consents_url(presumed), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not presumed.consents.exists()


def test_the_organisation_choice_excludes_the_owner(cast, presumed):
    response = client_in_english(cast, cast.amina).post(
        _consents_url(presumed),
        {"scope": "share", "method": "oral", "organisation": cast.association.pk},
    )
    assert "organisation" in response.context["form"].errors


def test_a_second_consent_to_referral_is_refused_while_the_first_is_active(cast, presumed):
    client = client_in_english(cast, cast.amina)
    client.post(_consents_url(presumed), {"scope": "referral", "method": "oral"})
    response = client.post(_consents_url(presumed), {"scope": "referral", "method": "oral"})
    assert "scope" in response.context["form"].errors
    assert presumed.consents.count() == 1


def test_withdrawal_asks_for_confirmation_then_revokes_the_share_at_once(cast, presumed):
    client = client_in_english(cast, cast.amina)
    client.post(
        _consents_url(presumed),
        {"scope": "share", "method": "oral", "organisation": cast.accommodation.pk},
    )
    consent = presumed.consents.get()
    url = reverse("web:consent_withdraw", args=[presumed.reference, consent.pk])
    # Ines (the shelter) sees the case while the consent holds.
    assert get_case_for_member(_member_request(cast.ines), presumed.reference) == presumed

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert cast.accommodation.name in confirmation.content.decode()
    consent.refresh_from_db()
    assert consent.is_active  # a GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == cast.amina
    share = presumed.shares.get(organisation=cast.accommodation)
    assert share.revoked_at is not None
    assert not Case.objects.visible_to(cast.accommodation).filter(pk=presumed.pk).exists()
    with pytest.raises(Http404):
        get_case_for_member(_member_request(cast.ines), presumed.reference)
    entry = AuditEntry.objects.get(action="consent.withdraw")
    assert entry.details == {"case": presumed.pk, "shares_revoked": 1}
    try:
        case_url = reverse("web:case", args=[presumed.reference])
    except NoReverseMatch:  # the case page belongs to the cases area
        case_url = None
    if case_url is not None:
        assert cast.client_for(cast.ines).get(case_url).status_code == 404
    # Withdrawn, it cannot be withdrawn again; the page says so.
    again = client.post(url, follow=True)
    assert "already withdrawn" in again.content.decode()
    assert AuditEntry.objects.filter(action="consent.withdraw").count() == 1


def test_withdrawing_the_referral_consent_revokes_the_referral_share(cast, presumed):
    client = client_in_english(cast, cast.amina)
    client.post(_consents_url(presumed), {"scope": "referral", "method": "oral"})
    client.post(
        reverse("web:refer", args=[presumed.reference]),
        {"route": "judicial", "target": cast.police.pk, "send": "1"},
    )
    assert Case.objects.visible_to(cast.police).filter(pk=presumed.pk).exists()
    consent = presumed.consents.get()
    client.post(reverse("web:consent_withdraw", args=[presumed.reference, consent.pk]))
    assert not Case.objects.visible_to(cast.police).filter(pk=presumed.pk).exists()


def test_a_consent_of_another_case_cannot_be_withdrawn_through_this_one(cast, presumed):
    other = CaseFactory(owner=cast.association)
    consent = record_consent(
        other, scope="referral", method="oral", organisation=None, actor=acting(cast.amina)
    )
    url = reverse("web:consent_withdraw", args=[presumed.reference, consent.pk])
    assert client_in_english(cast, cast.amina).post(url).status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


# Children -----------------------------------------------------------------------------------


def test_a_childs_page_explains_no_consent_is_needed_and_shows_the_child_forms(cast, child):
    response = client_in_english(cast, cast.amina).get(_consents_url(child))
    page = response.content.decode()
    assert "without needing consent" in page
    assert reverse("web:guardian", args=[child.reference]) in page
    assert reverse("web:child_protection", args=[child.reference]) in page
    assert response.context["form"] is None


def test_no_consent_is_recorded_for_a_child(cast, child):
    response = client_in_english(cast, cast.amina).post(
        _consents_url(child), {"scope": "referral", "method": "oral"}
    )
    assert response.status_code == 302
    assert not child.consents.exists()


def test_a_guardian_is_recorded(cast, child):
    response = client_in_english(cast, cast.amina).post(
        reverse("web:guardian", args=[child.reference]),
        {
            "kind": "ad_hoc",
            "name": "Fictional ad hoc administrator",
            "contact": "Fictional bar association",
            "appointed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    guardian = child.guardians.get()
    assert (guardian.kind, guardian.recorded_by) == ("ad_hoc", cast.amina)
    assert AuditEntry.objects.filter(action="guardian.record").exists()
    page = client_in_english(cast, cast.amina).get(_consents_url(child)).content.decode()
    assert "Fictional ad hoc administrator" in page


def test_guardian_form_errors(cast, child):
    response = client_in_english(cast, cast.amina).post(
        reverse("web:guardian", args=[child.reference]), {"kind": "uncle", "name": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "name"}
    assert not child.guardians.exists()


def test_child_protection_services_are_alerted_and_see_the_case(cast, child):
    from opennrm.core.models import Territory

    service = OrganisationFactory(
        name="Child protection 93 (fictional)",
        kind="child_protection",
        territories=[Territory.objects.get(code="93")],
    )
    OrganisationFactory(
        name="Child protection 13 (fictional)",
        kind="child_protection",
        territories=[Territory.objects.get(code="13")],
    )
    url = reverse("web:child_protection", args=[child.reference])
    page = client_in_english(cast, cast.amina).get(url)
    choices = [label for _value, label in page.context["form"].fields["service"].choices]
    assert "Child protection 93 (fictional)" in choices
    assert "Child protection 13 (fictional)" not in choices
    response = client_in_english(cast, cast.amina).post(
        url, {"service": service.pk, "alerted_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    alert = child.child_protection_alerts.get()
    assert alert.service == service
    share = child.shares.get(organisation=service)
    assert (share.reason, share.identity) == (ShareReason.CHILD_PROTECTION, True)
    assert AuditEntry.objects.filter(action="child_protection.alert").exists()


def test_a_service_outside_opennrm_can_be_named(cast, child):
    response = client_in_english(cast, cast.amina).post(
        reverse("web:child_protection", args=[child.reference]),
        {"service_name": "Fictional child protection unit", "alerted_on": "2025-01-06"},
    )
    assert response.status_code == 302
    assert child.child_protection_alerts.get().service_name == "Fictional child protection unit"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"alerted_on": "2025-01-06"}, "service"),
        ({"service_name": "Fictional unit", "alerted_on": "2999-01-01"}, "alerted_on"),
        ({"service_name": "Fictional unit"}, "alerted_on"),
    ],
)
def test_child_protection_form_errors(cast, child, data, field):
    response = client_in_english(cast, cast.amina).post(
        reverse("web:child_protection", args=[child.reference]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not child.child_protection_alerts.exists()


@pytest.mark.parametrize("name", ["guardian", "child_protection"])
def test_the_child_forms_send_an_adults_case_back_to_consent(cast, presumed, name):
    response = client_in_english(cast, cast.amina).post(
        reverse(f"web:{name}", args=[presumed.reference]),
        {"kind": "guardian", "name": "Fictional", "service_name": "Fictional"},
    )
    assert response.status_code == 302
    assert response["Location"] == _consents_url(presumed)
    assert not presumed.guardians.exists()
    assert not presumed.child_protection_alerts.exists()
