"""Reconsideration of a negative decision: asked by the referring organisation, in time, with
new elements; examined without the members who took the first decision."""

import datetime

import pytest

from opennrm.cases.enums import IdentificationStatus
from opennrm.identification import actions
from opennrm.identification.actions import IdentificationError
from opennrm.identification.composition import composition, first_decision_member_ids
from opennrm.identification.models import Route
from tests.identification.conftest import actor_for, presumed_case, referred, vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first, "not_identified")
    return actions.record_platform_decision(
        referral,
        outcome="not_identified",
        reasons="Fictional.",
        actor=platform93.actor("louis"),
    )


def ask(cast, decision, user=None, elements="Fictional: new certificate."):
    return actions.request_reconsideration(
        decision, new_elements=elements, actor=actor_for(user or cast.amina)
    )


def test_the_time_limit_comes_from_the_profile(refused):
    assert refused.reconsideration_due == refused.decided_on + datetime.timedelta(days=30)
    assert refused.reconsideration_open(refused.reconsideration_due)
    assert not refused.reconsideration_open(refused.reconsideration_due + datetime.timedelta(1))


def test_after_the_time_limit_it_is_refused(cast, refused, monkeypatch):
    from opennrm.identification import actions as module

    late = refused.reconsideration_due + datetime.timedelta(days=1)
    monkeypatch.setattr(module, "_today", lambda: late)
    with pytest.raises(IdentificationError, match="time limit"):
        ask(cast, refused)


def test_only_the_referring_organisation_asks_with_new_elements(cast, platform93, refused):
    for user in (cast.louis, cast.claire, cast.yasmine, cast.paul):
        with pytest.raises(IdentificationError):
            ask(cast, refused, user)
    with pytest.raises(IdentificationError, match="new elements"):
        ask(cast, refused, elements="  ")
    ask(cast, refused)
    with pytest.raises(IdentificationError, match="already asked"):
        ask(cast, refused)


def test_a_positive_decision_cannot_be_reconsidered(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first)
    decision = actions.record_platform_decision(
        referral, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    with pytest.raises(IdentificationError, match="Only a negative decision"):
        ask(cast, decision)


def test_the_first_composition_is_excluded_and_not_counted(cast, platform93, refused):
    second = ask(cast, refused)
    excluded = first_decision_member_ids(second)
    expected = {platform93.seats[name].pk for name in (*platform93.first, "louis")}
    assert excluded == expected
    for name in platform93.first:
        with pytest.raises(IdentificationError, match="decision being reconsidered"):
            actions.cast_vote(
                second, choice="identified", reasons="x", actor=platform93.actor(name)
            )
    with pytest.raises(IdentificationError, match="excluded"):
        actions.designate_interviewers(
            second,
            members=[platform93.seats["lina"], platform93.seats["medard"]],
            actor=platform93.actor("lucie"),
        )
    vote_all(platform93, second, platform93.second[:4])
    counted = composition(second)
    assert len(counted.votes) == 4
    with pytest.raises(IdentificationError, match="quorum not reached"):
        actions.record_platform_decision(
            second, outcome="identified", reasons="x", actor=platform93.actor("lucie")
        )
    vote_all(platform93, second, platform93.second[4:])
    with pytest.raises(IdentificationError, match="another chair"):
        actions.record_platform_decision(
            second, outcome="identified", reasons="x", actor=platform93.actor("louis")
        )
    decision = actions.record_platform_decision(
        second, outcome="identified", reasons="Fictional.", actor=platform93.actor("lucie")
    )
    case = second.case
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert decision.status_before == IdentificationStatus.NOT_IDENTIFIED


def test_a_second_negative_decision_keeps_not_identified_and_opens_a_new_time_limit(
    cast, platform93, refused
):
    second = ask(cast, refused)
    vote_all(platform93, second, platform93.second, "not_identified")
    decision = actions.record_platform_decision(
        second, outcome="not_identified", reasons="x", actor=platform93.actor("lucie")
    )
    case = second.case
    case.refresh_from_db()
    assert case.status == IdentificationStatus.NOT_IDENTIFIED
    assert decision.reconsideration_open()
    # A third examination would exclude both compositions.
    third = ask(cast, decision)
    assert len(first_decision_member_ids(third)) == 11


def test_a_chair_who_took_the_first_decision_does_not_steer_the_reconsideration(
    cast, platform93, refused
):
    second = ask(cast, refused)
    with pytest.raises(IdentificationError, match="another chair"):
        actions.request_information(second, question="x", actor=platform93.actor("louis"))
    with pytest.raises(IdentificationError, match="another chair"):
        actions.designate_interviewers(
            second,
            members=[platform93.seats["medard"], platform93.seats["igor"]],
            actor=platform93.actor("louis"),
        )
    actions.designate_interviewers(
        second,
        members=[platform93.seats["medard"], platform93.seats["igor"]],
        actor=platform93.actor("lucie"),
    )


def test_a_conflicted_chair_leaves_the_case_to_another_chair(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    actions.declare_conflict(referral, actor=platform93.actor("louis"))
    vote_all(platform93, referral, platform93.first)
    with pytest.raises(IdentificationError, match="conflict of interest"):
        actions.record_platform_decision(
            referral, outcome="identified", reasons="x", actor=platform93.actor("louis")
        )
    actions.record_platform_decision(
        referral, outcome="identified", reasons="x", actor=platform93.actor("lucie")
    )
