"""Acceptance flows through the pages (Django test client): both routes from referral to
identified victim, and a platform case not identified, reconsidered by a different
composition, then identified."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.core.models import Notification
from opennrm.identification.models import IdentificationDecision, Referral, Route
from tests.identification.conftest import (
    ALIAS,
    FAMILY_NAME,
    GIVEN_NAMES,
    client_as,
    presumed_case,
    referred,
)

pytestmark = pytest.mark.django_db


def assert_ok_redirect(response, url):
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == url


def vote_through_pages(cast, platform93, referral, names, choice):
    url = reverse("web:platform_vote", args=[referral.pk])
    for name in names:
        response = client_as(cast, platform93.users[name]).post(
            url, {"choice": choice, "reasons": f"Fictional reasons of {name}."}
        )
        assert_ok_redirect(response, reverse("web:platform_case", args=[referral.pk]))


def test_judicial_route_from_referral_to_identified_victim(cast, prosecutors):
    case = presumed_case(cast)
    referral = referred(cast, case, Route.JUDICIAL)
    claire = client_as(cast, cast.claire)
    # The service sees the referral in its list and opens it.
    listing = claire.get(reverse("web:judicial_referrals")).content.decode()
    assert case.reference in listing
    page = claire.get(reverse("web:judicial_referral", args=[referral.pk]))
    assert page.status_code == 200
    # It records the complaint, then the decision with reasons.
    response = claire.post(
        reverse("web:judicial_statement", args=[referral.pk]),
        {
            "kind": "complaint",
            "recorded_on": timezone.localdate().isoformat(),
            "service": "Brigade de protection (fictional), Bobigny",
            "offence": "Traite des êtres humains (C. pén., art. 225-4-1)",
            "procedure_reference": "PV-FICT-2026-0042",
        },
    )
    assert_ok_redirect(response, reverse("web:judicial_referral", args=[referral.pk]))
    # The prosecutor's office contact person is informed, with the case reference only.
    informed = Notification.objects.filter(recipient=prosecutors["contact"])
    assert informed.count() == 1
    assert case.reference in informed.get().text
    assert GIVEN_NAMES not in informed.get().text
    assert not Notification.objects.filter(recipient=prosecutors["clerk"]).exists()
    assert not Notification.objects.filter(recipient=prosecutors["other_contact"]).exists()
    response = claire.post(
        reverse("web:judicial_decision", args=[referral.pk]),
        {"outcome": "identified", "reasons": "Fictional: the complaint establishes the facts."},
    )
    assert_ok_redirect(response, reverse("web:judicial_referral", args=[referral.pk]))
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert Notification.objects.filter(recipient=prosecutors["contact"]).count() == 2
    # The referring organisation sees the outcome and the procedure reference.
    amina = client_as(cast, cast.amina)
    page = amina.get(reverse("web:identification", args=[case.reference])).content.decode()
    assert "PV-FICT-2026-0042" in page
    assert "Identified as a victim of trafficking in human beings" in page
    # The local coordination does not see the procedure reference, nor the page.
    assert (
        client_as(cast, cast.louis)
        .get(reverse("web:identification", args=[case.reference]))
        .status_code
        == 404
    )
    decision = IdentificationDecision.objects.get()
    assert decision.route == Route.JUDICIAL
    assert AuditEntry.objects.filter(action="judicial.statement_recorded").exists()


def test_platform_route_from_referral_to_identified_victim(cast, platform93):
    case = presumed_case(cast)
    referral = referred(cast, case, Route.PLATFORM)
    paul = client_as(cast, cast.paul)
    workspace = paul.get(reverse("web:platform")).content.decode()
    assert case.reference in workspace
    page = paul.get(reverse("web:platform_case", args=[referral.pk])).content.decode()
    assert "Fictional reasons: deceptive recruitment" in page  # the assessment is in the file
    for secret in (GIVEN_NAMES, FAMILY_NAME, ALIAS, case.person.pseudonym):
        assert secret not in page
    vote_through_pages(cast, platform93, referral, platform93.first, "identified")
    louis = client_as(cast, cast.louis)
    response = louis.post(
        reverse("web:platform_decision", args=[referral.pk]),
        {"outcome": "identified", "reasons": "Fictional: consistent and corroborated account."},
    )
    assert_ok_redirect(response, reverse("web:platform_case", args=[referral.pk]))
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    page = client_as(cast, cast.amina).get(reverse("web:identification", args=[case.reference]))
    assert page.status_code == 200
    assert reverse("web:status_attestation", args=[case.reference]) in page.content.decode()


def test_platform_case_not_identified_then_reconsidered_by_another_composition(cast, platform93):
    case = presumed_case(cast)
    referral = referred(cast, case, Route.PLATFORM)
    vote_through_pages(cast, platform93, referral, platform93.first, "not_identified")
    louis = client_as(cast, cast.louis)
    louis.post(
        reverse("web:platform_decision", args=[referral.pk]),
        {"outcome": "not_identified", "reasons": "Fictional: too little in the file."},
    )
    case.refresh_from_db()
    assert case.status == IdentificationStatus.NOT_IDENTIFIED
    first = IdentificationDecision.objects.get()
    assert first.reconsideration_due is not None
    # The referring organisation asks for a reconsideration with new elements.
    amina = client_as(cast, cast.amina)
    page = amina.get(reverse("web:identification", args=[case.reference])).content.decode()
    assert "Fictional: too little in the file." in page
    url = reverse("web:reconsideration_request", args=[first.pk])
    assert url in page
    response = amina.post(url, {"new_elements": "Fictional: a medical certificate."})
    assert_ok_redirect(response, reverse("web:identification", args=[case.reference]))
    second = Referral.objects.get(reconsideration_of=first)
    # The members who took the first decision cannot vote, nor can its chair record.
    refused = client_as(cast, cast.paul).post(
        reverse("web:platform_vote", args=[second.pk]),
        {"choice": "identified", "reasons": "Fictional."},
    )
    assert refused.status_code == 200
    assert "You took part in the decision being reconsidered" in refused.content.decode()
    vote_through_pages(cast, platform93, second, platform93.second, "identified")
    refused = louis.post(
        reverse("web:platform_decision", args=[second.pk]),
        {"outcome": "identified", "reasons": "Fictional."},
    )
    assert refused.status_code == 200
    assert "another chair records" in refused.content.decode()
    response = client_as(cast, platform93.lucie).post(
        reverse("web:platform_decision", args=[second.pk]),
        {"outcome": "identified", "reasons": "Fictional: the certificate corroborates."},
    )
    assert_ok_redirect(response, reverse("web:platform_case", args=[second.pk]))
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    decisions = list(IdentificationDecision.objects.order_by("decided_at"))
    first_voters = {m.pk for m in decisions[0].voters.all()} | {decisions[0].chair_id}
    second_voters = {m.pk for m in decisions[1].voters.all()} | {decisions[1].chair_id}
    assert not first_voters & second_voters


def test_a_vote_sent_after_the_decision_is_refused_and_says_so(cast, platform93):
    """The member's page still showed the vote form when the chair decided: the page after the
    refused vote no longer shows the form, so the reason is told above the decision."""
    from django.contrib.messages import get_messages

    from opennrm.identification import actions
    from tests.identification.conftest import vote_all

    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first)
    actions.record_platform_decision(
        referral, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    client = client_as(cast, platform93.users["paul"])
    response = client.post(
        reverse("web:platform_vote", args=[referral.pk]),
        {"choice": "not_identified", "reasons": "Fictional, too late."},
    )
    assert_ok_redirect(response, reverse("web:platform_case", args=[referral.pk]))
    told = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert told == [("error", "The decision on this case was already taken.")]
    vote = referral.votes.get(member=platform93.seats["paul"])
    assert vote.choice == "identified"  # unchanged
