"""Where a case stands: the stepper's states and due dates, and the next steps, in every state
of a case (opennrm.web.cases.progress), then on the case page itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.detection.accounts import Completeness
from opennrm.web.cases.progress import (
    CaseFacts,
    ReferralFacts,
    State,
    Step,
    next_steps,
    progress,
)
from tests.cases.conftest import actor_for

TODAY = datetime.date(2027, 3, 15)
DETECTED = datetime.date(2027, 3, 1)
DUE = datetime.date(2027, 3, 20)
ENDS = datetime.date(2027, 4, 14)
D = DETECTED

OPENED = ("case.opened", D)
PRESUMED = ("status.presumed_victim", D)
SUPPORT = ("support.opened", D)
NEEDS = ("protection.immediate_needs", D)
RIGHTS = ("rights.informed", D)
PENDING = ReferralFacts(route="platform", status="sent", decision_due=DUE)
DECIDED = ReferralFacts(route="platform", status="decided", decision_due=DUE)

# name: (facts, states of the six steps, next steps expected, next steps never given)
STATES: dict[str, tuple[CaseFacts, str, set[str], set[str]]] = {
    "new": (
        CaseFacts("preliminary_assessment", False, D, assessment_due=DUE, events=(OPENED,)),
        "done current todo todo todo todo",
        {"web:account", "web:assessment_start", "web:rights"},
        {"web:protection", "web:refer", "web:case_close", "web:support_plan"},
    ),
    "under assessment": (
        CaseFacts(
            "preliminary_assessment",
            False,
            D,
            assessment_due=DUE,
            events=(OPENED, RIGHTS, ("assessment.started", D)),
        ),
        "done current todo todo todo todo",
        {"draft", "web:account"},
        {"web:assessment_start", "web:rights", "web:protection", "web:refer"},
    ),
    "not presumed": (
        CaseFacts("not_presumed", False, D, events=(OPENED, RIGHTS, ("status.not_presumed", D))),
        "done done not_applicable not_applicable not_applicable current",
        {"web:assessment_start", "web:case_close"},
        {"web:protection", "web:refer", "web:support_plan", "web:rights"},
    ),
    "presumed without needs": (
        CaseFacts(
            "presumed_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT),
            reflection_ends_on=ENDS,
        ),
        "done done current current current todo",
        {"web:protection", "web:consents", "web:anonymous_notification", "web:support_plan"},
        {"web:assessment_start", "web:refer", "web:case_close", "web:rights"},
    ),
    "presumed with needs": (
        CaseFacts(
            "presumed_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS),
            reflection_ends_on=ENDS,
            has_referral_consent=True,
        ),
        "done done done current current todo",
        {"web:refer", "web:support_plan"},
        {"web:protection", "web:consents", "web:anonymous_notification"},
    ),
    "refused referral": (
        CaseFacts(
            "presumed_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("referral.refused", D)),
        ),
        "done done done not_applicable current todo",
        {"web:consents", "web:support_plan"},
        {"web:refer", "web:anonymous_notification", "web:protection"},
    ),
    "referred": (
        CaseFacts(
            "presumed_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("referral.platform", D)),
            referrals=(PENDING,),
            reflection_ends_on=ENDS,
            has_referral_consent=True,
        ),
        "done done done current current todo",
        # One route taken: the other stays open.
        {"web:identification", "web:refer", "web:support_plan"},
        {"web:protection", "web:consents", "web:anonymous_notification"},
    ),
    "referred by both routes": (
        CaseFacts(
            "presumed_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS),
            referrals=(
                PENDING,
                ReferralFacts(route="judicial", status="received", decision_due=DUE),
            ),
            has_referral_consent=True,
        ),
        "done done done current current todo",
        {"web:identification", "web:support_plan"},
        {"web:refer", "web:protection", "web:consents"},
    ),
    "decided identified": (
        CaseFacts(
            "identified_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("status.identified_victim", D)),
            referrals=(DECIDED,),
        ),
        "done done done done current todo",
        {"web:support_plan"},
        {"web:refer", "web:protection", "web:account", "web:identification"},
    ),
    "decided not identified": (
        CaseFacts(
            "not_identified",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("status.not_identified", D)),
            referrals=(DECIDED,),
        ),
        "done done done done current todo",
        {"web:identification", "web:support_plan"},
        {"web:refer", "web:protection", "web:account"},
    ),
    "support open": (
        CaseFacts(
            "identified_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("support.reopened", D)),
        ),
        "done done done done current todo",
        {"web:support_plan"},
        {"web:refer", "web:protection"},
    ),
    "closed before support": (
        CaseFacts(
            "preliminary_assessment",
            False,
            D,
            assessment_due=DUE,
            events=(OPENED, ("case.closed", D)),
            closed_on=D,
        ),
        "done not_applicable not_applicable not_applicable not_applicable done",
        set(),
        {"web:assessment_start", "web:account", "web:rights", "web:case_close"},
    ),
    "closed after support": (
        CaseFacts(
            "identified_victim",
            False,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("support.closed", D)),
        ),
        "done done done done done done",
        set(),
        {"web:support_plan", "web:refer", "web:protection"},
    ),
    "child presumed": (
        CaseFacts(
            "presumed_victim",
            True,
            D,
            events=(OPENED, RIGHTS, PRESUMED, SUPPORT, NEEDS, ("child.guardian", D)),
        ),
        "done done done current current todo",
        {"web:child_protection", "web:refer", "web:support_plan"},
        {"web:guardian", "web:consents", "web:anonymous_notification", "web:protection"},
    ),
    "child referred": (
        CaseFacts(
            "presumed_victim",
            True,
            D,
            events=(
                OPENED,
                RIGHTS,
                PRESUMED,
                SUPPORT,
                NEEDS,
                ("child.guardian", D),
                ("child.protection_alerted", D),
            ),
            referrals=(PENDING,),
        ),
        "done done done current current todo",
        {"web:identification", "web:support_plan"},
        {"web:guardian", "web:child_protection", "web:consents", "web:protection"},
    ),
}


def _links(facts: CaseFacts) -> set[str]:
    drafting = facts.happened("assessment.started") and facts.status == "preliminary_assessment"
    state = progress(facts, TODAY)
    account = Completeness(filled=2, total=6, sections=("journey", "background"))
    steps = next_steps(
        facts,
        state,
        url=lambda name: name,
        account=account,
        draft_url="draft" if drafting else None,
    )
    return {step.url for step in steps if step.url}


@pytest.mark.parametrize("name", list(STATES))
def test_the_steps_and_their_state(name):
    facts, states, _expected, _never = STATES[name]
    state = progress(facts, TODAY)
    assert [step.step for step in state.steps] == list(Step)
    assert " ".join(step.state for step in state.steps) == states


@pytest.mark.parametrize("name", list(STATES))
def test_the_next_steps_follow_the_state(name):
    facts, _states, expected, never = STATES[name]
    links = _links(facts)
    assert expected <= links, expected - links
    assert not links & never, links & never


def test_due_dates_of_the_steps_and_overdue():
    facts, *_ = STATES["new"]
    assert progress(facts, TODAY).of(Step.PRELIMINARY).due == DUE
    assert not progress(facts, TODAY).of(Step.PRELIMINARY).overdue
    assert progress(facts, DUE + datetime.timedelta(days=1)).of(Step.PRELIMINARY).overdue
    facts, *_ = STATES["referred"]
    state = progress(facts, TODAY)
    assert state.of(Step.FORMAL).due == DUE
    assert state.of(Step.PROTECTION).due == ENDS
    # A clock paused by a question is not overdue; the question is a next step.
    paused = CaseFacts(
        "presumed_victim",
        False,
        D,
        events=(NEEDS, RIGHTS),
        referrals=(ReferralFacts("platform", "received", DUE, paused=True),),
    )
    assert not progress(paused, DUE + datetime.timedelta(days=3)).of(Step.FORMAL).overdue
    assert "web:identification" in _links(paused)


def test_the_current_step_and_the_one_after():
    facts, *_ = STATES["presumed without needs"]
    state = progress(facts, TODAY)
    assert state.current.step == Step.PROTECTION
    assert state.current_index == 3
    assert state.following.step == Step.FORMAL
    facts, *_ = STATES["closed after support"]
    state = progress(facts, TODAY)
    assert state.current_index == 6
    assert state.following is None


def test_the_account_is_asked_for_until_complete():
    facts, *_ = STATES["presumed with needs"]
    state = progress(facts, TODAY)
    complete = Completeness(filled=6, total=6, sections=())
    steps = next_steps(facts, state, url=lambda name: name, account=complete)
    assert "web:account" not in {step.url for step in steps}
    steps = next_steps(facts, state, url=lambda name: name, account=None)
    assert "web:account" in {step.url for step in steps}


# On the case page ----------------------------------------------------------------------------


def _page(cast, case):
    response = cast.client_for(cast.amina).get(reverse("web:case", args=[case.reference]))
    assert response.status_code == 200
    return response


def _states(response) -> dict[str, str]:
    return {step.step: step.state for step in response.context["progress"].steps}


def test_the_case_page_shows_the_stepper_of_a_new_case(cast, case):
    response = _page(cast, case)
    html = response.content.decode()
    assert 'class="fr-stepper"' in html
    assert 'data-fr-current-step="2"' in html
    assert _states(response)[Step.PRELIMINARY] == State.CURRENT


def test_once_needs_are_recorded_and_the_case_referred_they_are_no_longer_asked(cast, case):
    """The issue's case: the page kept asking for immediate needs after they were recorded."""
    from opennrm.detection import actions
    from opennrm.identification.services import refer
    from opennrm.support.services import open_protection, record_immediate_needs

    request = actor_for(cast.amina)
    case.transition("presumed_victim", actor=request)
    open_protection(case, actor=request)
    protection_url = reverse("web:protection", args=[case.reference])
    assert protection_url in [s.url for s in _page(cast, case).context["next_steps"]]
    record_immediate_needs(case, actor=request, shelter=True)
    consent = actions.record_consent(
        case, scope="referral", method="oral", organisation=None, actor=request
    )
    refer(case, route="platform", target=cast.coordination, consent=consent, actor=request)
    response = _page(cast, case)
    urls = [step.url for step in response.context["next_steps"]]
    assert protection_url not in urls
    assert reverse("web:identification", args=[case.reference]) in urls
    states = _states(response)
    assert states[Step.PROTECTION] == State.DONE
    assert states[Step.FORMAL] == State.CURRENT
    assert states[Step.SUPPORT] == State.CURRENT
    html = response.content.decode()
    assert 'data-state="done"' in html


def test_a_case_closed_before_support_shows_closure_done_and_asks_nothing(cast, case):
    from opennrm.cases import closure

    closure.close_case(
        case, actor=actor_for(cast.amina), reason="withdrew", closed_on=timezone.localdate()
    )
    response = _page(cast, case)
    states = _states(response)
    assert states[Step.CLOSURE] == State.DONE
    assert states[Step.SUPPORT] == State.NOT_APPLICABLE
    assert response.context["next_steps"] == []
