"""The decision letter and the attestation of status: PDF, in French and English, text checked
with pypdf. Reasons and how to ask for a reconsideration appear when the decision is negative;
the attestation never names the route."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from opennrm.audit.models import AuditEntry
from opennrm.identification import actions
from opennrm.identification.models import Route
from tests.identification.conftest import (
    FAMILY_NAME,
    GIVEN_NAMES,
    actor_for,
    client_as,
    presumed_case,
    referred,
    vote_all,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def refused(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first, "not_identified")
    return actions.record_platform_decision(
        referral,
        outcome="not_identified",
        reasons="Fictional reasons: the account could not be corroborated.",
        actor=platform93.actor("louis"),
    )


def identify(cast, platform93, route):
    case = presumed_case(cast)
    referral = referred(cast, case, route)
    if route == Route.JUDICIAL:
        actions.record_statement(
            referral,
            kind="complaint",
            recorded_on=timezone.localdate(),
            service="Fictional unit",
            offence="Fictional offence",
            procedure_reference="SECRET-PROC-9",
            actor=actor_for(cast.claire),
        )
        return actions.record_judicial_decision(
            referral, outcome="identified", reasons="Fictional.", actor=actor_for(cast.claire)
        )
    vote_all(platform93, referral, platform93.first)
    return actions.record_platform_decision(
        referral, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )


def test_negative_decision_letter_in_english_gives_reasons_and_reconsideration(cast, refused):
    url = reverse("web:decision_letter", args=[refused.pk])
    text = text_of(client_as(cast, cast.amina).get(url + "?language=en"))
    assert f"{GIVEN_NAMES} {FAMILY_NAME}" in text
    assert refused.case.reference in text
    assert "Fictional reasons: the account could not be corroborated." in text
    assert "How to ask for a reconsideration" in text
    with translation.override("en"):
        assert date_format(refused.reconsideration_due, "DATE_FORMAT") in text  # the deadline
    assert "Association 93 (fictional)" in text  # who asks for it
    assert AuditEntry.objects.filter(action="document.decision_letter").exists()


def test_negative_decision_letter_in_french(cast, refused):
    url = reverse("web:decision_letter", args=[refused.pk])
    text = text_of(client_as(cast, cast.amina).get(url + "?language=fr"))
    assert "Fictional reasons: the account could not be corroborated." in text
    assert "How to ask for a reconsideration" not in text  # it is in French
    assert "réexamen" in text
    with translation.override("fr"):
        assert date_format(refused.reconsideration_due, "DATE_FORMAT") in text


def test_positive_letter_lists_the_rights_without_the_reasons(cast, platform93):
    decision = identify(cast, platform93, Route.PLATFORM)
    url = reverse("web:decision_letter", args=[decision.pk])
    text = text_of(client_as(cast, cast.amina).get(url + "?language=en"))
    assert "You are formally identified as a victim of trafficking in human beings." in text
    assert "Pathway to a residence permit" in text
    assert "reconsideration" not in text


def test_the_attestation_is_the_same_whichever_route(cast, platform93):
    texts = {}
    for route in (Route.JUDICIAL, Route.PLATFORM):
        decision = identify(cast, platform93, route)
        url = reverse("web:status_attestation", args=[decision.case.reference])
        text = text_of(client_as(cast, cast.amina).get(url + "?language=en"))
        assert "Attestation of status: identified victim of trafficking in human beings" in text
        assert f"{GIVEN_NAMES} {FAMILY_NAME}" in text
        assert "Long-term support to self-reliance" in text
        for revealing in (
            "judicial",
            "Judicial",
            "platform",
            "Platform",
            "complaint",
            "SECRET-PROC-9",
            "Police 93",
            "Coordination 93",
        ):
            assert revealing not in text, revealing
        texts[route] = text.replace(decision.case.reference, "REF")
    assert texts[Route.JUDICIAL] == texts[Route.PLATFORM]


def test_documents_are_for_the_referring_organisations_staff_only(cast, platform93, refused):
    decision = identify(cast, platform93, Route.PLATFORM)
    urls = [
        reverse("web:decision_letter", args=[refused.pk]),
        reverse("web:status_attestation", args=[decision.case.reference]),
    ]
    for user in (cast.paul, cast.louis, cast.claire, cast.yasmine, cast.nadia):
        for url in urls:
            assert client_as(cast, user).get(url).status_code == 404


def test_no_attestation_before_identification(cast, refused):
    url = reverse("web:status_attestation", args=[refused.case.reference])
    assert client_as(cast, cast.amina).get(url).status_code == 404
