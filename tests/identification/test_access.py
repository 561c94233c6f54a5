"""Who reaches which page of formal identification: every URL × every persona of the cast.

Outsiders get 404, never 403; anonymous visitors go to the login page. Platform members of
another département get 404. Reads and decisions leave audit entries. The platform's pages
show the file, never the person's identity.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.identification import actions
from opennrm.identification.models import Route
from opennrm.web.identification import urls as identification_urls
from opennrm.web.monitoring import urls as monitoring_urls
from tests.identification.conftest import (
    ALIAS,
    FAMILY_NAME,
    GIVEN_NAMES,
    actor_for,
    client_as,
    member,
    org,
    presumed_case,
    referred,
    vote_all,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "nadia",
    "louis",
    "amina",
    "hugo",
    "claire",
    "sophie",
    "paul",
    "ines",
    "robert",
    "yasmine",
)
REFERRER = {"amina": 200, "hugo": 200}


@dataclass(frozen=True)
class Page:
    name: str
    expected: dict[str, int]
    default: int = 404
    method: str = "get"


PAGES = [
    Page("identification", REFERRER),
    Page("status_attestation", REFERRER),
    Page("identification_answer", REFERRER),
    Page("reconsideration_request", REFERRER),
    Page("decision_letter", REFERRER),
    Page("referral_cooperation_end", {}, 405),
    Page("referral_cooperation_end", {"amina": 302, "hugo": 302}, method="post"),
    Page("identification_deadlines", {"nadia": 200, "louis": 200, "claire": 200, "paul": 200}),
    Page("notifications", {}, 200),
    Page("notification_preferences", {}, 200),
    Page("judicial_referrals", {"claire": 200}),
    Page("judicial_referral", {"claire": 200}),
    Page("judicial_statement", {}, 405),
    Page("judicial_statement", {"claire": 200}, method="post"),  # the form comes back
    Page("judicial_decision", {}, 405),
    Page("judicial_decision", {"claire": 200}, method="post"),
    Page("judicial_cooperation_end", {}, 405),
    Page("judicial_cooperation_end", {"claire": 200}, method="post"),
    Page("platform", {"louis": 200, "paul": 200}),
    Page("platform_members", {"louis": 200}),
    Page("platform_member_remove", {"louis": 200}),
    Page("platform_member_deputy", {}, 405),
    Page("platform_member_deputy", {"louis": 302}, method="post"),
    Page("platform_member_deputy_end", {}, 405),
    Page("platform_member_deputy_end", {"louis": 302}, method="post"),
    Page("platform_case", {"louis": 200, "paul": 200}),
    Page("platform_conflict", {}, 405),
    Page("platform_conflict", {"louis": 200, "paul": 200}, method="post"),
    Page("platform_vote", {}, 405),
    Page("platform_vote", {"louis": 200, "paul": 200}, method="post"),
    Page("platform_interview", {}, 405),
    Page("platform_interview", {"louis": 200, "paul": 200}, method="post"),
    Page("platform_interview_report", {}, 405),
    Page("platform_interview_report", {"louis": 200, "paul": 200}, method="post"),
    Page("platform_decision", {}, 405),
    Page("platform_decision", {"louis": 200, "paul": 200}, method="post"),
]


@pytest.fixture
def world(cast, platform93):
    """A negative platform decision (letter, reconsideration), a pending platform case with a
    question (answer), an identified judicial case (attestation, cooperation)."""
    refused = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, refused, platform93.first, "not_identified")
    decision = actions.record_platform_decision(
        refused, outcome="not_identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    pending = referred(cast, presumed_case(cast), Route.PLATFORM)
    question = actions.request_information(
        pending, question="Fictional question?", actor=platform93.actor("louis")
    )
    judicial = referred(cast, presumed_case(cast), Route.JUDICIAL)
    actions.record_statement(
        judicial,
        kind="testimony",
        recorded_on=timezone.localdate(),
        service="Fictional unit",
        offence="Fictional offence",
        procedure_reference="PROC-SECRET-77",
        actor=actor_for(cast.claire),
    )
    actions.record_judicial_decision(
        judicial, outcome="identified", reasons="Fictional.", actor=actor_for(cast.claire)
    )
    return {
        "cast": cast,
        "platform93": platform93,
        "refused": refused,
        "decision": decision,
        "pending": pending,
        "question": question,
        "judicial": judicial,
    }


def _url(name: str, world) -> str:
    args = {
        "identification": [world["refused"].case.reference],
        "status_attestation": [world["judicial"].case.reference],
        "identification_answer": [world["question"].pk],
        "reconsideration_request": [world["decision"].pk],
        "decision_letter": [world["decision"].pk],
        "referral_cooperation_end": [world["judicial"].pk],
        "judicial_referral": [world["judicial"].pk],
        "judicial_statement": [world["judicial"].pk],
        "judicial_decision": [world["judicial"].pk],
        "judicial_cooperation_end": [world["judicial"].pk],
        "platform_member_remove": [world["platform93"].seats["medard"].pk],
        "platform_member_deputy": [world["platform93"].seats["medard"].pk],
        "platform_member_deputy_end": [world["platform93"].seats["lucie"].pk],
        "platform_case": [world["pending"].pk],
        "platform_conflict": [world["pending"].pk],
        "platform_vote": [world["pending"].pk],
        "platform_interview": [world["pending"].pk],
        "platform_interview_report": [world["pending"].pk],
        "platform_decision": [world["pending"].pk],
    }.get(name, [])
    return reverse(f"web:{name}", args=args)


def test_the_table_covers_every_url_of_identification():
    """Every URL of identification, and the decisions' deadline lists (a monitoring page)."""
    names = {pattern.name for pattern in identification_urls.urlpatterns}
    names |= {p.name for p in monitoring_urls.urlpatterns if p.name == "identification_deadlines"}
    assert names == {page.name for page in PAGES}


def test_access_by_persona(world):
    cast = world["cast"]
    failures = []
    for page in PAGES:
        url = _url(page.name, world)
        anonymous = getattr(cast.client_for(None), page.method)(url)
        if anonymous.status_code != 302 or urlsplit(anonymous["Location"]).path != reverse(
            "account_login"
        ):
            failures.append((page.name, page.method, "anonymous", anonymous.status_code))
        for persona in PERSONAS:
            client = client_as(cast, getattr(cast, persona))
            response = getattr(client, page.method)(url)
            expected = page.expected.get(persona, page.default)
            if response.status_code != expected:
                failures.append((page.name, page.method, persona, response.status_code, expected))
            assert response.status_code != 403
    assert failures == []


def test_a_platform_member_of_another_departement_gets_404(world):
    cast = world["cast"]
    coordinator13 = member(
        org("Coordination 13 (fictional)", "local_coordination", "13"),
        "local_coordinator",
        "Marcel",
    )
    member13 = member(cast.other_association, "platform_member", "Zoe")
    platform13 = actions.ensure_platform(cast.other_association.territories.get())
    for user, profession in ((coordinator13, "other"), (member13, "association")):
        actions.add_member(
            platform13,
            membership=user.memberships.get(),
            profession=profession,
            actor=actor_for(coordinator13),
        )
    for user in (coordinator13, member13):
        client = client_as(cast, user)
        for name in ("platform_case", "platform_vote", "platform_decision", "platform_conflict"):
            method = "get" if name == "platform_case" else "post"
            assert getattr(client, method)(_url(name, world)).status_code == 404, name
        workspace = client.get(reverse("web:platform")).content.decode()
        assert world["pending"].case.reference not in workspace
    # The chair of 13 does not manage the platform of 93.
    response = client_as(cast, coordinator13).get(
        reverse("web:platform_member_remove", args=[world["platform93"].seats["medard"].pk])
    )
    assert response.status_code == 404
    response = client_as(cast, coordinator13).get(reverse("web:platform_members") + "?territory=93")
    assert response.status_code == 404


def test_the_platform_pages_show_the_file_and_never_the_identity(world):
    cast = world["cast"]
    case = world["pending"].case
    secrets = [GIVEN_NAMES, FAMILY_NAME, ALIAS, case.person.pseudonym]
    for user in (cast.paul, cast.louis, world["platform93"].users["lina"]):
        client = client_as(cast, user)
        for url in (reverse("web:platform"), _url("platform_case", world)):
            page = client.get(url).content.decode()
            assert case.reference in page
            for secret in secrets:
                assert secret not in page, (user, url, secret)
    page = client_as(cast, cast.paul).get(_url("platform_case", world)).content.decode()
    assert "Fictional reasons: deceptive recruitment and withheld wages." in page
    assert "Fictional: promised a job." in page  # the indicator's note
    assert "Referral to formal identification" in page  # the consent record
    assert "Fictional question?" in page


def test_the_procedure_reference_is_for_the_judicial_service_and_the_referrer(world):
    cast = world["cast"]
    reference = world["judicial"].case.reference
    amina = client_as(cast, cast.amina).get(reverse("web:identification", args=[reference]))
    assert "PROC-SECRET-77" in amina.content.decode()
    claire = client_as(cast, cast.claire).get(_url("judicial_referral", world))
    assert "PROC-SECRET-77" in claire.content.decode()
    for persona in PERSONAS:
        if persona in {"amina", "hugo", "claire"}:
            continue
        client = client_as(cast, getattr(cast, persona))
        for url in (
            reverse("web:identification", args=[reference]),
            _url("judicial_referral", world),
            reverse("web:identification_deadlines"),
            reverse("web:notifications"),
        ):
            assert "PROC-SECRET-77" not in client.get(url).content.decode()


def test_reads_and_decisions_are_audited(world):
    cast = world["cast"]
    client_as(cast, cast.paul).get(_url("platform_case", world))
    assert AuditEntry.objects.filter(action="platform.file_read", actor=cast.paul).exists()
    client_as(cast, cast.claire).get(_url("judicial_referral", world))
    assert AuditEntry.objects.filter(action="judicial.referral_read", actor=cast.claire).exists()
    client_as(cast, cast.amina).get(_url("identification", world))
    assert AuditEntry.objects.filter(action="case.read", actor=cast.amina).exists()
    decisions = AuditEntry.objects.filter(action="identification.decision")
    assert decisions.count() == 2
    for action in (
        "platform.vote",
        "platform.information_requested",
        "judicial.statement_recorded",
        "case.transition",
    ):
        assert AuditEntry.objects.filter(action=action).exists(), action
    personal = (GIVEN_NAMES, FAMILY_NAME, ALIAS)
    for entry in AuditEntry.objects.all():
        assert not any(secret in str(entry.details) for secret in personal)
