"""Deputy chairs of the département platform (ADR 0010).

The local coordinator chairs. They designate deputy chairs among the members; a deputy acts as
the chair only on a case every chair is excluded from (conflict of interest, or part of the
decision being reconsidered), and is excluded on the same grounds. When nobody remains, the
chair's workspace says so and the case still counts as overdue in the national view.
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.identification import actions
from opennrm.identification.actions import IdentificationError
from opennrm.identification.composition import acting_chair_ids, chairless
from opennrm.identification.models import PlatformMember, Referral, Route
from opennrm.identification.tasks import reminder_recipients
from tests.identification.conftest import (
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


def seat(platform93, name: str) -> PlatformMember:
    return PlatformMember.objects.get(pk=platform93.seats[name].pk)


def decide(platform93, referral, chair: str, outcome: str = "identified"):
    return actions.record_platform_decision(
        referral, outcome=outcome, reasons="Fictional reasons.", actor=platform93.actor(chair)
    )


@pytest.fixture
def refused(cast, platform93):
    """A negative decision taken by Louis (the chair) and the first composition."""
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first, "not_identified")
    return decide(platform93, referral, "louis", "not_identified")


@pytest.fixture
def reconsideration(cast, refused) -> Referral:
    return actions.request_reconsideration(
        refused, new_elements="Fictional: a new certificate.", actor=actor_for(cast.amina)
    )


@pytest.fixture
def platform13(cast):
    """The platform of 13, its chair Marcel and a deputy, Zoe."""
    marcel = member(
        org("Coordination 13 (fictional)", "local_coordination", "13"),
        "local_coordinator",
        "Marcel",
    )
    zoe = member(cast.other_association, "platform_member", "Zoe")
    platform = actions.ensure_platform(cast.other_association.territories.get())
    chair = actor_for(marcel)
    for user, profession in ((marcel, "other"), (zoe, "association")):
        added = actions.add_member(
            platform, membership=user.memberships.get(), profession=profession, actor=chair
        )
    actions.designate_deputy_chair(added, actor=chair)
    return {"marcel": marcel, "zoe": zoe}


# Designation ------------------------------------------------------------------------------


def test_the_chair_designates_and_ends_a_deputy_with_audit_entries(cast, platform93):
    chair = platform93.actor("louis")
    actions.designate_deputy_chair(platform93.seats["medard"], actor=chair)
    medard = seat(platform93, "medard")
    assert medard.is_deputy_chair and medard.is_deputy and medard.is_active
    entry = AuditEntry.objects.filter(action="platform.deputy_chair_designate").last()
    assert entry.actor == cast.louis
    assert entry.object_id == str(medard.pk)
    assert entry.details == {"platform": platform93.platform.pk, "member": medard.pk}
    with pytest.raises(IdentificationError, match="already a deputy"):
        actions.designate_deputy_chair(medard, actor=chair)

    actions.end_deputy_chair(medard, actor=chair)
    medard.refresh_from_db()
    assert not medard.is_deputy_chair and medard.removed_at is None  # the seat stays
    entry = AuditEntry.objects.get(action="platform.deputy_chair_end")
    assert entry.details == {"platform": platform93.platform.pk, "member": medard.pk}
    with pytest.raises(IdentificationError, match="not a deputy"):
        actions.end_deputy_chair(medard, actor=chair)
    for entry in AuditEntry.objects.filter(action__startswith="platform.deputy_chair"):
        assert "Medard" not in json.dumps(entry.details)


def test_only_the_chair_designates_or_ends_a_deputy(cast, platform93, platform13):
    medard = platform93.seats["medard"]
    lucie = platform93.seats["lucie"]
    others = [
        platform93.actor("paul"),  # a member
        platform93.actor("lucie"),  # a deputy does not designate deputies
        actor_for(cast.nadia),  # the national coordinator
        actor_for(cast.yasmine),  # an outsider
        actor_for(platform13["marcel"]),  # the chair of another département
    ]
    for request in others:
        with pytest.raises(IdentificationError, match="chair"):
            actions.designate_deputy_chair(medard, actor=request)
        with pytest.raises(IdentificationError, match="chair"):
            actions.end_deputy_chair(lucie, actor=request)
    assert not seat(platform93, "medard").is_deputy_chair
    assert seat(platform93, "lucie").is_deputy_chair
    assert not AuditEntry.objects.filter(action="platform.deputy_chair_end").exists()


def test_designation_through_the_members_page_is_for_the_chair_only(cast, platform93, platform13):
    designate = reverse("web:platform_member_deputy", args=[platform93.seats["medard"].pk])
    end = reverse("web:platform_member_deputy_end", args=[platform93.seats["lucie"].pk])
    for user in (
        cast.paul,
        platform93.lucie,
        cast.nadia,
        cast.yasmine,
        platform13["marcel"],
        platform13["zoe"],
    ):
        client = client_as(cast, user)
        assert client.post(designate).status_code == 404
        assert client.post(end).status_code == 404
    louis = client_as(cast, cast.louis)
    assert louis.get(designate).status_code == 405
    page = louis.get(reverse("web:platform_members")).content.decode()
    assert "Deputy chair" in page
    assert designate in page and end in page
    response = louis.post(designate, follow=True)
    assert "is a deputy chair" in response.content.decode()
    response = louis.post(end, follow=True)
    assert "is no longer a deputy chair" in response.content.decode()
    assert seat(platform93, "medard").is_deputy_chair
    assert not seat(platform93, "lucie").is_deputy_chair


def test_a_chair_or_a_member_who_left_is_not_designated(cast, platform93):
    chair = platform93.actor("louis")
    with pytest.raises(IdentificationError, match="already chairs"):
        actions.designate_deputy_chair(platform93.seats["louis"], actor=chair)
    actions.remove_member(platform93.seats["medard"], actor=chair)
    with pytest.raises(IdentificationError, match="no longer sits"):
        actions.designate_deputy_chair(platform93.seats["medard"], actor=chair)
    url = reverse("web:platform_member_deputy", args=[platform93.seats["medard"].pk])
    assert client_as(cast, cast.louis).post(url).status_code == 404


# Who chairs which case ---------------------------------------------------------------------


def test_a_deputy_does_not_chair_a_case_the_chair_is_not_excluded_from(
    cast, platform93, platform_referral
):
    vote_all(platform93, platform_referral, platform93.first)
    assert acting_chair_ids(platform_referral) == {platform93.seats["louis"].pk}
    refusal = "deputy chair acts only on a case every chair is excluded from"
    with pytest.raises(IdentificationError, match=refusal):
        decide(platform93, platform_referral, "lucie")
    with pytest.raises(IdentificationError, match=refusal):
        actions.request_information(
            platform_referral, question="Fictional?", actor=platform93.actor("lucie")
        )
    with pytest.raises(IdentificationError, match=refusal):
        actions.designate_interviewers(
            platform_referral,
            members=[platform93.seats["medard"], platform93.seats["igor"]],
            actor=platform93.actor("lucie"),
        )
    lucie = client_as(cast, platform93.lucie)
    page = lucie.get(reverse("web:platform_case", args=[platform_referral.pk]))
    assert page.context["can_chair"] is False
    decision_form = f'action="/platform/cases/{platform_referral.pk}/decision/"'
    assert decision_form not in page.content.decode()
    response = lucie.post(
        reverse("web:platform_decision", args=[platform_referral.pk]),
        {"outcome": "identified", "reasons": "Fictional."},
    )
    assert response.status_code == 200
    assert refusal in response.content.decode()
    decision = decide(platform93, platform_referral, "louis")
    assert decision.chair_id == platform93.seats["louis"].pk
    entry = AuditEntry.objects.get(action="identification.decision")
    assert entry.details["chair"] == platform93.seats["louis"].pk
    assert entry.details["deputy_chair"] is False


def test_a_deputy_chairs_the_reconsideration_without_the_first_decisions_members(
    cast, platform93, reconsideration
):
    """Louis chaired the first decision: Lucie, his deputy, chairs the reconsideration, and a
    valid decision is taken with quorum and mix among members who did not take the first."""
    assert acting_chair_ids(reconsideration) == {platform93.seats["lucie"].pk}
    lucie = client_as(cast, platform93.lucie)
    page = lucie.get(reverse("web:platform_case", args=[reconsideration.pk])).content.decode()
    assert "You chair this case as a deputy chair" in page
    actions.designate_interviewers(
        reconsideration,
        members=[platform93.seats["medard"], platform93.seats["igor"]],
        actor=platform93.actor("lucie"),
    )
    vote_all(platform93, reconsideration, platform93.second)
    response = lucie.post(
        reverse("web:platform_decision", args=[reconsideration.pk]),
        {"outcome": "identified", "reasons": "Fictional: the certificate corroborates."},
    )
    assert response.status_code == 302
    decision = reconsideration.decision
    assert decision.chair_id == platform93.seats["lucie"].pk
    assert decision.tally["voters"] == 5
    first = reconsideration.reconsideration_of
    first_members = {m.pk for m in first.voters.all()} | {first.chair_id}
    assert not first_members & ({m.pk for m in decision.voters.all()} | {decision.chair_id})
    case = reconsideration.case
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    entry = AuditEntry.objects.filter(action="identification.decision").last()
    assert entry.details["chair"] == platform93.seats["lucie"].pk
    assert entry.details["deputy_chair"] is True
    assert entry.details["referral"] == reconsideration.pk
    assert case.events.filter(kind="identification.decision").count() == 2
    designated = AuditEntry.objects.get(action="platform.interview_designated")
    assert designated.details["deputy_chair"] is True


def test_a_deputy_chairs_a_case_the_chair_declared_a_conflict_on(
    cast, platform93, platform_referral
):
    actions.declare_conflict(platform_referral, actor=platform93.actor("louis"))
    vote_all(platform93, platform_referral, platform93.first)
    with pytest.raises(IdentificationError, match="another chair acts on it"):
        decide(platform93, platform_referral, "louis")
    decision = decide(platform93, platform_referral, "lucie")
    assert decision.chair_id == platform93.seats["lucie"].pk


def test_a_deputy_who_took_part_in_the_first_decision_is_refused(cast, platform93, reconsideration):
    chair = platform93.actor("louis")
    actions.end_deputy_chair(platform93.seats["lucie"], actor=chair)
    actions.designate_deputy_chair(platform93.seats["paul"], actor=chair)  # voted first
    vote_all(platform93, reconsideration, platform93.second)
    with pytest.raises(IdentificationError, match="Nobody can chair this case yet"):
        decide(platform93, reconsideration, "paul")
    with pytest.raises(IdentificationError, match="Nobody can chair this case yet"):
        decide(platform93, reconsideration, "louis")
    assert acting_chair_ids(reconsideration) == set()
    assert chairless([reconsideration]) == [reconsideration]
    # Lucie did not take part: designated again, she chairs it.
    actions.designate_deputy_chair(platform93.seats["lucie"], actor=chair)
    with pytest.raises(IdentificationError, match="took part in the decision"):
        decide(platform93, reconsideration, "paul")
    assert decide(platform93, reconsideration, "lucie").chair_id == platform93.seats["lucie"].pk


def test_a_conflicted_deputy_is_excluded_too(cast, platform93, platform_referral):
    for name in ("louis", "lucie"):
        actions.declare_conflict(platform_referral, actor=platform93.actor(name))
    vote_all(platform93, platform_referral, platform93.first)
    for name in ("louis", "lucie"):
        with pytest.raises(IdentificationError, match="Nobody can chair"):
            decide(platform93, platform_referral, name)


def test_a_deputy_of_another_departement_gets_404_and_is_refused(
    cast, platform93, platform13, platform_referral
):
    zoe = client_as(cast, platform13["zoe"])
    for name in ("platform_case", "platform_decision", "platform_interview"):
        method = zoe.get if name == "platform_case" else zoe.post
        assert method(reverse(f"web:{name}", args=[platform_referral.pk])).status_code == 404
    with pytest.raises(IdentificationError, match="do not sit"):
        actions.record_platform_decision(
            platform_referral,
            outcome="identified",
            reasons="Fictional.",
            actor=actor_for(platform13["zoe"]),
        )


# Nobody left to chair ---------------------------------------------------------------------


@pytest.fixture
def nobody(cast, platform93, reconsideration):
    """The reconsideration, overdue, with no deputy who did not take part."""
    actions.end_deputy_chair(platform93.seats["lucie"], actor=platform93.actor("louis"))
    Referral.objects.filter(pk=reconsideration.pk).update(
        decision_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    reconsideration.refresh_from_db()
    return reconsideration


def test_the_chairs_workspace_says_plainly_that_nobody_can_chair(cast, platform93, nobody):
    louis = client_as(cast, cast.louis)
    response = louis.get(reverse("web:platform"))
    page = response.content.decode()
    assert "Cases nobody can chair" in page
    assert "Designate a deputy chair who did not take part" in page
    assert nobody.case.reference in page
    # Who could be designated: members who took no part in the first decision.
    candidates = next(item["candidates"] for item in response.context["unchaired"])
    assert {s.pk for s in candidates} == {platform93.seats[n].pk for n in platform93.second}
    assert GIVEN_NAMES not in page and FAMILY_NAME not in page
    entry = AuditEntry.objects.filter(action="platform.workspace_read").last()
    assert entry.details["unchaired"] == [nobody.pk]
    members = louis.get(reverse("web:platform_members")).content.decode()
    assert "Cases nobody can chair" in members and nobody.case.reference in members
    case_page = louis.get(reverse("web:platform_case", args=[nobody.pk])).content.decode()
    assert "Nobody can chair this case" in case_page
    # A member who is not a chair does not get the alert.
    paul = client_as(cast, cast.paul).get(reverse("web:platform")).content.decode()
    assert "Cases nobody can chair" not in paul
    # Once a deputy who did not take part is designated, the alert goes.
    actions.designate_deputy_chair(platform93.seats["igor"], actor=platform93.actor("louis"))
    assert "Cases nobody can chair" not in louis.get(reverse("web:platform")).content.decode()


def test_the_national_overdue_view_still_counts_the_case(cast, platform93, nobody):
    response = client_as(cast, cast.nadia).get(reverse("web:overdue"))
    assert response.status_code == 200
    rows = {row["territory"].code: row for row in response.context["by_territory"]}
    assert rows["93"]["referrals"] == 1
    deadlines = client_as(cast, cast.nadia).get(reverse("web:identification_deadlines"))
    assert deadlines.status_code == 200


def test_the_deputy_chairing_a_case_is_reminded_even_after_voting(
    cast, platform93, reconsideration
):
    vote_all(platform93, reconsideration, ("lucie", "igor"))
    Referral.objects.filter(pk=reconsideration.pk).update(
        decision_due=timezone.localdate() + datetime.timedelta(days=1)
    )
    waiting = reminder_recipients(timezone.localdate())
    assert reconsideration.pk in waiting[platform93.lucie.pk]  # she chairs it
    assert reconsideration.pk not in waiting[platform93.users["igor"].pk]  # voted: waits
