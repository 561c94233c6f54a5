"""The demo of formal identification and support (issues 4 and 5): a platform of 93 that can
decide, cases at each stage, a service directory with every type, a support plan with
orientations in every state — all made by the domain actions, logged, and seeded once."""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case, CaseEvent
from opennrm.core.models import Organisation, User
from opennrm.core.timeframes import due_date
from opennrm.demo.acting import as_persona
from opennrm.demo.personas import (
    AMINA,
    CASE_JUDICIAL_IDENTIFIED,
    CASE_NOT_IDENTIFIED,
    CASE_PLATFORM_IDENTIFIED,
    CASE_PRESUMED,
    CASE_SUPPORTED,
    DEMO_PASSWORD,
    DEMO_SERVICES,
    EXTRA_ORGANISATIONS,
    LOUIS,
    ODILE,
    PAUL,
    PERSONAS,
    PLATFORM_93,
    THOMAS,
)
from opennrm.identification import actions
from opennrm.identification.composition import (
    Composition,
    acting_chairs,
    composition,
    excluded_member_ids,
)
from opennrm.identification.entitlements import case_entitlements
from opennrm.identification.models import (
    IdentificationDecision,
    Outcome,
    PlatformMember,
    Referral,
    ReferralStatus,
    Route,
    Vote,
    VoteChoice,
)
from opennrm.profiles.loader import active_profile
from opennrm.support.models import (
    OrientationStatus,
    Placement,
    Service,
    ServiceType,
    SupportClosure,
    SupportStatus,
)

pytestmark = pytest.mark.django_db

NEIGHBOURS = {"75", "92", "93", "94", "95"}  # Seine-Saint-Denis and the départements around


@pytest.fixture
def seeded(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def platform_referral(reference: str) -> Referral:
    return Referral.objects.get(
        case__reference=reference, route=Route.PLATFORM, reconsideration_of__isnull=True
    )


def seats_93():
    return PlatformMember.objects.active().filter(platform__territory__code="93")


def everyone_could_vote(referral: Referral) -> Composition:
    """The composition if every active member not excluded from the case voted."""
    rules = active_profile().platform
    excluded = excluded_member_ids(referral)
    votes = tuple(
        Vote(referral=referral, member=seat, choice=VoteChoice.IDENTIFIED, sector=seat.sector)
        for seat in seats_93().select_related("membership__organisation")
        if seat.pk not in excluded
    )
    return Composition(
        votes=votes,
        quorum=rules.quorum,
        min_institutional=rules.min_institutional,
        min_civil_society=rules.min_civil_society,
        excluded=frozenset(excluded),
    )


def vote(referral: Referral, email: str, role: str = "platform_member") -> None:
    actions.cast_vote(
        referral,
        choice=VoteChoice.IDENTIFIED,
        reasons="Motifs fictifs (test).",
        actor=as_persona(email, role),
    )


# The platform ------------------------------------------------------------------------------


def test_the_platform_of_93_can_reach_its_quorum_and_mix(seeded):
    rules = active_profile().platform
    seats = list(seats_93().select_related("membership__user", "membership__organisation"))
    assert {seat.membership.user.email for seat in seats} == {s.email for s in PLATFORM_93}
    institutional = [seat for seat in seats if seat.sector == "institution"]
    civil_society = [seat for seat in seats if seat.sector == "civil_society"]
    assert len(seats) >= rules.quorum
    assert len(institutional) >= rules.min_institutional
    assert len(civil_society) >= rules.min_civil_society
    chair = next(seat for seat in seats if seat.membership.user.email == LOUIS)
    assert chair.is_chair
    assert {seat.profession for seat in seats} >= {
        "physician",
        "psychologist",
        "lawyer",
        "trade_union",
        "association",
    }

    # C-DEM0-9302 awaits votes: three cast, Paul excluded by his conflict of interest; the
    # decision is refused for now, and the members still to vote can make it valid.
    referral = platform_referral(CASE_PRESUMED)
    assert referral.is_pending and not hasattr(referral, "decision")
    assert referral.conflicts.get().member.membership.user.email == PAUL
    current = composition(referral)
    assert len(current.votes) == 3 and not current.is_valid
    assert everyone_could_vote(referral).is_valid

    # A demo user can do it: Odile and Louis vote, Louis records the decision.
    vote(referral, ODILE)
    vote(referral, LOUIS, "local_coordinator")
    assert composition(referral).is_valid
    decision = actions.record_platform_decision(
        referral,
        outcome=Outcome.IDENTIFIED,
        reasons="Décision fictive (test).",
        actor=as_persona(LOUIS, "local_coordinator"),
    )
    assert decision.case.status == IdentificationStatus.IDENTIFIED_VICTIM

    # Seeding again after what a demo user did neither fails nor adds anything.
    decisions, votes = IdentificationDecision.objects.count(), Vote.objects.count()
    seed()
    assert (IdentificationDecision.objects.count(), Vote.objects.count()) == (decisions, votes)


def test_cases_at_each_stage_of_formal_identification(seeded):
    today = timezone.localdate()
    territory = Case.objects.get(reference=CASE_PRESUMED).territory

    # Before the platform, with its deadline.
    pending = platform_referral(CASE_PRESUMED)
    assert pending.case.status == IdentificationStatus.PRESUMED_VICTIM
    assert pending.decision_due == due_date(
        "platform_decision", timezone.localtime(pending.referred_at).date(), territory
    )
    assert pending.decision_due >= today

    # Identified by the platform: an interview report, quorum and mix among the voters.
    by_platform = platform_referral(CASE_PLATFORM_IDENTIFIED)
    assert by_platform.status == ReferralStatus.DECIDED
    assert by_platform.interview.report and by_platform.interview.interviewers.count() == 2
    decision = by_platform.decision
    assert (decision.route, decision.outcome) == (Route.PLATFORM, Outcome.IDENTIFIED)
    assert composition(by_platform).is_valid
    assert decision.tally["institutional"] >= 2 and decision.tally["civil_society"] >= 2
    # Trade union's case: its own member did not vote on it.
    assert by_platform.referring_organisation.kind == "trade_union"
    assert all(v.member.organisation.kind != "trade_union" for v in by_platform.votes.all())

    # Identified by the judicial route, on a complaint: the same status, the same rights.
    judicial = Referral.objects.get(case__reference=CASE_JUDICIAL_IDENTIFIED)
    assert judicial.route == Route.JUDICIAL and judicial.target.kind == "police"
    assert judicial.judicial_record.kind == "complaint"
    assert judicial.decision.outcome == Outcome.IDENTIFIED
    both = [
        Case.objects.get(reference=r) for r in (CASE_PLATFORM_IDENTIFIED, CASE_JUDICIAL_IDENTIFIED)
    ]
    assert {case.status for case in both} == {IdentificationStatus.IDENTIFIED_VICTIM}
    assert case_entitlements(both[0]) == case_entitlements(both[1])

    # Not identified, and open to reconsideration until the profile's time limit.
    negative = platform_referral(CASE_NOT_IDENTIFIED).decision
    assert negative.case.status == IdentificationStatus.NOT_IDENTIFIED
    assert negative.reconsideration_due == due_date(
        "reconsideration_request", negative.decided_on, territory
    )
    assert negative.reconsideration_open()
    # The association asks; the members who took the first decision are excluded, and those
    # who remain can still make the quorum and the mix.
    again = actions.request_reconsideration(
        negative, new_elements="Éléments nouveaux fictifs (test).", actor=as_persona(AMINA)
    )
    excluded = excluded_member_ids(again)
    assert excluded == {member.pk for member in negative.voters.all()} | {negative.chair_id}
    assert everyone_could_vote(again).is_valid
    # Louis chaired the first decision: Thomas, the deputy chair, chairs the reconsideration.
    assert [seat.membership.user.email for seat in acting_chairs(again)] == [THOMAS]


# Services and support ----------------------------------------------------------------------


def test_the_service_directory(seeded):
    services = Service.objects.active()
    assert set(services.values_list("service_type", flat=True)) == set(ServiceType.values)
    for service in services.prefetch_related("territories"):
        codes = {territory.code for territory in service.territories.all()}
        assert service.national or (codes and codes <= NEIGHBOURS), service.name
        assert "fictif" in service.name.lower() or "fictive" in service.name.lower()
        assert service.name.endswith("(démo)")
    # Each added through the directory's action, by the provider or the national coordinator.
    assert AuditEntry.objects.filter(action="service.create").count() == services.count()

    shelters = services.filter(service_type=ServiceType.ACCOMMODATION)
    assert all(s.places_total is not None and s.places_free is not None for s in shelters)
    assert shelters.filter(places_free=0).exists()  # one full
    network = shelters.get(distancing_network=True)
    assert network.national and network.secure and network.specialised
    assert [s for s in shelters if s.is_capacity_stale()]  # one whose capacity is stale
    assert shelters.filter(places_free__gt=0, territories__code="93").exists()  # room in 93

    # Every organisation added for the demo is fictional, and says so.
    for item in EXTRA_ORGANISATIONS:
        organisation = Organisation.objects.get(name=item.name)
        assert "fictif" in organisation.name or "fictive" in organisation.name
        assert organisation.name.endswith("(démo)")


def test_a_support_plan_with_orientations_in_every_state(seeded):
    case = Case.objects.get(reference=CASE_SUPPORTED)
    assert case.status == IdentificationStatus.PRESUMED_VICTIM  # support does not wait
    assert not case.referrals.exists()
    assert case.support.status == SupportStatus.OPEN
    orientations = list(case.orientations.select_related("need", "service"))
    assert {o.status for o in orientations} >= {
        OrientationStatus.PROPOSED,
        OrientationStatus.SENT,
        OrientationStatus.ACCEPTED,
        OrientationStatus.IN_PROGRESS,
        OrientationStatus.COMPLETED,
        OrientationStatus.DECLINED,
    }
    declined = next(o for o in orientations if o.status == OrientationStatus.DECLINED)
    assert declined.decline_reason and declined.service.distancing_network
    sent = next(o for o in orientations if o.status == OrientationStatus.SENT)
    assert sent.response_due is not None and sent.response_due >= timezone.localdate()

    # The placement took one place of Inès's shelter.
    placement = Placement.objects.current().get(case=case)
    spec = next(item for item in DEMO_SERVICES if item.key == "shelter_93")
    assert placement.service.name == spec.name
    assert placement.service.places_free == spec.places_free - placement.places
    assert placement.places == 1
    assert placement.orientation.status == OrientationStatus.IN_PROGRESS

    application = case.residence_applications.get()
    assert application.basis == "reflection_period" and application.receipt_on is not None
    assert application.prefecture.kind == "prefecture"
    record = case.non_punishment_records.get()
    assert record.note_sent_on is not None and record.prosecutor.kind == "prosecutor"
    claim = case.compensation_claims.get()
    assert claim.kind == "labour_court" and claim.amount_claimed > 0

    # Support closed once the person was self-reliant, with a follow-up date.
    closed = Case.objects.get(reference=CASE_JUDICIAL_IDENTIFIED)
    assert closed.support.status == SupportStatus.CLOSED
    closure = SupportClosure.objects.in_force().get(case=closed)
    assert closure.reason == "self_reliance"
    assert closure.follow_up_on == closure.closed_on + datetime.timedelta(days=90)
    assert closed.orientations.get().status == OrientationStatus.COMPLETED
    assert closed.status == IdentificationStatus.IDENTIFIED_VICTIM  # not touched by closure


# Made by the actions -----------------------------------------------------------------------


def _audited(action: str, obj: Model) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_every_state_came_through_the_logged_path(seeded):
    cases = Case.objects.filter(reference__startswith="C-DEM0-")
    for case in cases:
        if case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT:
            continue
        # The status was reached by a transition: in the case's log and the audit trail.
        assert CaseEvent.objects.filter(
            case=case, kind=f"status.{case.status}", target=case.status
        ).exists(), case.reference
        assert _audited("case.transition", case), case.reference

    for decision in IdentificationDecision.objects.all():
        assert CaseEvent.objects.filter(case=decision.case, kind="identification.decision")
        assert _audited("identification.decision", decision)
    assert AuditEntry.objects.filter(action="platform.vote").count() >= Vote.objects.count()
    assert (
        AuditEntry.objects.filter(action="platform.member_add").count()
        == PlatformMember.objects.count()
    )

    orientations = [o for case in cases for o in case.orientations.all()]
    assert orientations
    for orientation in orientations:
        steps = list(orientation.transitions.order_by("at", "pk"))
        if orientation.status == OrientationStatus.PROPOSED:
            assert not steps
            continue
        # An unbroken chain from "proposed" to the current status, each step audited.
        assert steps[0].source == OrientationStatus.PROPOSED
        assert all(a.target == b.source for a, b in itertools.pairwise(steps))
        assert steps[-1].target == orientation.status
        assert CaseEvent.objects.filter(
            case=orientation.case, kind=f"orientation.{orientation.status}"
        ).exists()
        audited = AuditEntry.objects.filter(
            action="orientation.transition", object_id=str(orientation.pk)
        )
        assert audited.count() == len(steps)

    for placement in Placement.objects.all():
        assert _audited("placement.start", placement)
    for closure in SupportClosure.objects.all():
        assert CaseEvent.objects.filter(case=closure.case, kind="support.closed").exists()
        assert _audited("support.close", closure)


def test_the_new_personas_sign_in_with_the_demo_password(seeded):
    for persona in PERSONAS:
        user = User.objects.get(email=persona.email)
        assert user.check_password(DEMO_PASSWORD), persona.email
        assert "Fictif" in user.full_name or "Fictive" in user.full_name
        memberships = {(m.organisation_id, m.role) for m in user.memberships.filter(is_active=True)}
        assert len(memberships) == 1 + len(persona.also)
