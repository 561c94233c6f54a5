"""The département platform: members and mix, conflicts, votes, interview, quorum, decision."""

import pytest
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.identification import actions
from opennrm.identification.actions import IdentificationError
from opennrm.identification.models import (
    IdentificationDecision,
    Referral,
    ReferralStatus,
    Vote,
)
from tests.identification.conftest import actor_for, vote_all

pytestmark = pytest.mark.django_db


def decide(platform93, referral, outcome="identified", chair="louis"):
    return actions.record_platform_decision(
        referral,
        outcome=outcome,
        reasons="Fictional reasons of the platform.",
        actor=platform93.actor(chair),
    )


def test_members_count_as_institution_or_civil_society_from_their_organisation(platform93):
    sectors = {name: seat.sector for name, seat in platform93.seats.items()}
    assert sectors["louis"] == "institution"  # coordination counts as institution
    assert sectors["prisca"] == "institution"  # prefecture
    assert sectors["paul"] == "civil_society"  # association
    assert sectors["lina"] == "civil_society"  # legal aid (a service): lawyers
    assert sectors["psyche"] == "civil_society"  # health (a service): psychologists
    assert sectors["ulysse"] == "civil_society"  # trade union
    assert platform93.seats["louis"].is_chair and not platform93.seats["louis"].is_deputy
    assert platform93.seats["lucie"].is_deputy and not platform93.seats["lucie"].is_chair
    assert not platform93.seats["paul"].is_chair and not platform93.seats["paul"].is_deputy


def test_only_the_chair_adds_members_and_only_from_the_departement(cast, platform93):
    from tests.identification.conftest import member, org

    outsider = member(
        org("Association 13 bis (fictional)", "association", "13"), "platform_member", "Marius"
    )
    with pytest.raises(IdentificationError):
        actions.add_member(
            platform93.platform,
            membership=outsider.memberships.get(),
            profession="association",
            actor=actor_for(cast.louis),
        )
    newcomer = member(cast.association, "platform_member", "Nouvelle")
    with pytest.raises(IdentificationError, match="chair"):
        actions.add_member(
            platform93.platform,
            membership=newcomer.memberships.get(),
            profession="association",
            actor=platform93.actor("paul"),
        )


def test_a_decision_with_quorum_and_mix_identifies_the_person(platform93, platform_referral):
    vote_all(platform93, platform_referral, platform93.first)
    decision = decide(platform93, platform_referral)
    platform_referral.refresh_from_db()
    case = platform_referral.case
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert platform_referral.status == ReferralStatus.DECIDED
    assert decision.tally["voters"] == 5
    assert decision.tally["institutional"] == 2 and decision.tally["civil_society"] == 3
    assert {m.pk for m in decision.voters.all()} == {
        platform93.seats[name].pk for name in platform93.first
    }
    assert AuditEntry.objects.filter(action="identification.decision").count() == 1


def test_without_quorum_the_decision_is_refused_naming_what_is_missing(
    platform93, platform_referral
):
    vote_all(platform93, platform_referral, ("prisca", "paul", "lina"))
    with pytest.raises(IdentificationError) as refused:
        decide(platform93, platform_referral)
    message = " ".join(refused.value.messages)
    assert "quorum not reached" in message
    assert "3 members" in message and "5 are needed (2 more)" in message
    assert "not enough institutional members: 1 has voted, at least 2" in message
    assert not IdentificationDecision.objects.exists()


def test_without_the_mix_the_decision_is_refused(platform93, platform_referral):
    vote_all(platform93, platform_referral, ("paul", "lina", "psyche", "medard", "ulysse"))
    with pytest.raises(IdentificationError) as refused:
        decide(platform93, platform_referral)
    message = " ".join(refused.value.messages)
    assert "quorum" not in message
    assert "not enough institutional members: 0 have voted, at least 2 are needed" in message


def test_a_member_with_a_conflict_cannot_vote_and_is_not_counted(platform93, platform_referral):
    vote_all(platform93, platform_referral, platform93.first)
    actions.declare_conflict(platform_referral, actor=platform93.actor("prisca"))
    assert not Vote.objects.filter(member=platform93.seats["prisca"]).exists()  # withdrawn
    with pytest.raises(IdentificationError, match="conflict of interest"):
        actions.cast_vote(
            platform_referral,
            choice="identified",
            reasons="Still fictional.",
            actor=platform93.actor("prisca"),
        )
    with pytest.raises(IdentificationError, match="not enough institutional members: 1"):
        decide(platform93, platform_referral)
    vote_all(platform93, platform_referral, ("igor",))
    decide(platform93, platform_referral)


def test_only_a_chair_records_the_decision(platform93, platform_referral):
    vote_all(platform93, platform_referral, platform93.first)
    with pytest.raises(IdentificationError, match="chair"):
        decide(platform93, platform_referral, chair="paul")


def test_the_decision_is_taken_once(platform93, platform_referral):
    vote_all(platform93, platform_referral, platform93.first)
    decide(platform93, platform_referral)
    with pytest.raises(IdentificationError, match="already taken"):
        decide(platform93, platform_referral, outcome="not_identified", chair="lucie")
    with pytest.raises(IdentificationError, match="already taken"):
        vote_all(platform93, platform_referral, ("igor",))
    assert IdentificationDecision.objects.count() == 1


def test_the_database_refuses_a_second_decision_for_a_referral(platform93, platform_referral):
    from django.db import IntegrityError, transaction

    vote_all(platform93, platform_referral, platform93.first)
    decision = decide(platform93, platform_referral)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentificationDecision.objects.create(
            referral=platform_referral,
            case=decision.case,
            route=decision.route,
            outcome="not_identified",
            reasons="A second decision",
            decided_on=decision.decided_on,
            decided_by=decision.decided_by,
            organisation=decision.organisation,
            status_before="identified_victim",
            status_after="identified_victim",
        )


def test_a_member_of_another_departement_cannot_act_on_the_case(
    cast, platform93, platform_referral
):
    from tests.identification.conftest import member, org

    other = member(
        org("Coordination 13 (fictional)", "local_coordination", "13"),
        "local_coordinator",
        "Marcel",
    )
    platform13 = actions.ensure_platform(other.memberships.get().organisation.territories.get())
    seat = actions.add_member(
        platform13,
        membership=other.memberships.get(),
        profession="other",
        actor=actor_for(other),
    )
    assert seat.pk
    with pytest.raises(IdentificationError, match="do not sit"):
        actions.cast_vote(
            platform_referral, choice="identified", reasons="x", actor=actor_for(other)
        )


def test_interview_by_designated_members_joins_the_file(platform93, platform_referral):

    seats = platform93.seats
    with pytest.raises(IdentificationError, match="exactly 2"):
        actions.designate_interviewers(
            platform_referral, members=[seats["psyche"]], actor=platform93.actor("louis")
        )
    actions.designate_interviewers(
        platform_referral,
        members=[seats["psyche"], seats["lina"]],
        actor=platform93.actor("louis"),
    )
    with pytest.raises(IdentificationError, match="designated interviewer"):
        actions.record_interview_report(
            platform_referral,
            held_on=timezone.localdate(),
            report="x",
            actor=platform93.actor("paul"),
        )
    interview = actions.record_interview_report(
        platform_referral,
        held_on=timezone.localdate(),
        report="Fictional report: consistent account.",
        actor=platform93.actor("lina"),
    )
    assert interview.reported_at is not None
    assert platform_referral.case.events.filter(kind="identification.interview_report").exists()


def test_a_conflicted_member_cannot_be_designated_interviewer(platform93, platform_referral):
    actions.declare_conflict(platform_referral, actor=platform93.actor("psyche"))
    with pytest.raises(IdentificationError, match="excluded"):
        actions.designate_interviewers(
            platform_referral,
            members=[platform93.seats["psyche"], platform93.seats["lina"]],
            actor=platform93.actor("louis"),
        )


def test_more_information_pauses_the_clock_and_the_answer_moves_the_deadline(
    cast, platform93, platform_referral, monkeypatch
):
    import datetime

    from django.utils import timezone

    from opennrm.core.models import Notification
    from opennrm.identification import actions as module

    start = platform_referral.decision_due
    asked_on = start - datetime.timedelta(days=10)
    monkeypatch.setattr(module, "_today", lambda: asked_on)
    info = actions.request_information(
        platform_referral,
        question="Fictional: when did the work start?",
        actor=platform93.actor("louis"),
    )
    platform_referral.refresh_from_db()
    assert platform_referral.paused_since == asked_on
    assert not Referral.objects.decision_overdue(start + datetime.timedelta(days=30)).exists()
    assert Notification.objects.filter(
        recipient=cast.amina, kind="identification.question"
    ).exists()
    with pytest.raises(IdentificationError, match="not answered"):
        vote_all(platform93, platform_referral, platform93.first)
        decide(platform93, platform_referral)
    monkeypatch.setattr(module, "_today", lambda: asked_on + datetime.timedelta(days=6))
    for name in ("paul", "lina"):  # paul sits for the referring association, as a member only
        with pytest.raises(IdentificationError, match="referring organisation"):
            actions.answer_information_request(info, answer="x", actor=platform93.actor(name))
    actions.answer_information_request(
        info, answer="Fictional: in March.", actor=actor_for(cast.amina)
    )
    platform_referral.refresh_from_db()
    assert platform_referral.paused_since is None
    assert platform_referral.paused_days == 6
    assert platform_referral.decision_due == start + datetime.timedelta(days=6)
    assert timezone.now()  # the decision can now be taken
    decide(platform93, platform_referral)
