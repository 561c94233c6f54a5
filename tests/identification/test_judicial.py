"""The judicial route: complaint or testimony, decision, the prosecutor informed; one status
whichever the route, kept when the person later cooperates or stops cooperating."""

import pytest
from django.utils import timezone

from opennrm.cases.enums import IdentificationStatus
from opennrm.core.models import Notification
from opennrm.identification import actions
from opennrm.identification.actions import IdentificationError
from opennrm.identification.models import IdentificationDecision, Route
from opennrm.identification.services import case_entitlements
from opennrm.profiles import loader
from opennrm.profiles.schema import JudicialRouteRules
from tests.identification.conftest import (
    GIVEN_NAMES,
    actor_for,
    presumed_case,
    referred,
    vote_all,
)

pytestmark = pytest.mark.django_db


def statement(cast, referral, user=None):
    return actions.record_statement(
        referral,
        kind="complaint",
        recorded_on=timezone.localdate(),
        service="Fictional unit",
        offence="Traite des êtres humains",
        procedure_reference="PV-FICT-1",
        actor=actor_for(user or cast.claire),
    )


def judicial_decision(cast, referral, outcome="identified"):
    return actions.record_judicial_decision(
        referral, outcome=outcome, reasons="Fictional reasons.", actor=actor_for(cast.claire)
    )


def test_the_decision_needs_the_complaint_or_testimony_first(cast, judicial_referral):
    with pytest.raises(IdentificationError, match="complaint or testimony before"):
        judicial_decision(cast, judicial_referral)
    statement(cast, judicial_referral)
    with pytest.raises(IdentificationError, match="already recorded"):
        statement(cast, judicial_referral)
    judicial_decision(cast, judicial_referral)
    with pytest.raises(IdentificationError, match="already taken"):
        judicial_decision(cast, judicial_referral, "not_identified")


def test_only_the_service_the_case_was_referred_to_records(cast, judicial_referral):
    from tests.identification.conftest import member, org

    gendarmerie = org("Gendarmerie 93 (fictional)", "gendarmerie")
    other_officer = member(gendarmerie, "judicial_officer", "Gaston")
    for user in (other_officer, cast.amina, cast.louis):
        with pytest.raises(IdentificationError, match="judicial service"):
            statement(cast, judicial_referral, user)


def test_the_prosecutor_contact_person_is_informed_with_the_reference_only(
    cast, prosecutors, judicial_referral
):
    statement(cast, judicial_referral)
    judicial_decision(cast, judicial_referral)
    notes = Notification.objects.filter(recipient=prosecutors["contact"])
    assert notes.count() == 2
    for note in notes:
        assert note.params == {"reference": judicial_referral.case.reference}
        assert GIVEN_NAMES not in note.text
        assert note.link == ""  # the office does not see the case
    assert not Notification.objects.filter(recipient=prosecutors["other_contact"]).exists()


def test_who_is_informed_comes_from_the_profile(monkeypatch, cast, prosecutors, judicial_referral):
    """A jurisdiction that informs nobody of the judicial route: no notification is sent, and
    no code changes (the profile's `judicial_route.informed`)."""
    profile = loader.load_profile("fr")
    silent = profile.model_copy(update={"judicial_route": JudicialRouteRules(informed=())})
    monkeypatch.setattr(loader, "load_profile", lambda code: silent)
    statement(cast, judicial_referral)
    assert not Notification.objects.filter(recipient=prosecutors["contact"]).exists()


def test_the_platform_route_then_the_judicial_route_keeps_the_status(cast, platform93):
    case = presumed_case(cast)
    platform = referred(cast, case, Route.PLATFORM)
    vote_all(platform93, platform, platform93.first)
    actions.record_platform_decision(
        platform, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    case.refresh_from_db()
    rights = case_entitlements(case)
    # Later the person cooperates: a second referral, by the judicial route.
    judicial = referred(cast, case, Route.JUDICIAL)
    statement(cast, judicial)
    decision = judicial_decision(cast, judicial, "not_identified")
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert decision.status_after == IdentificationStatus.IDENTIFIED_VICTIM
    assert decision.reconsideration_due is None  # nothing to reconsider: still identified
    assert case_entitlements(case) == rights
    assert IdentificationDecision.objects.filter(case=case).count() == 2


def test_a_person_who_stops_cooperating_keeps_the_status(cast, judicial_referral):
    statement(cast, judicial_referral)
    judicial_decision(cast, judicial_referral)
    case = judicial_referral.case
    case.refresh_from_db()
    rights = case_entitlements(case)
    record = actions.end_cooperation(judicial_referral, actor=actor_for(cast.amina))
    assert record.cooperation_ended_on == timezone.localdate()
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert case_entitlements(case) == rights
    assert case.events.filter(kind="identification.cooperation_ended").exists()
    with pytest.raises(IdentificationError, match="already recorded"):
        actions.end_cooperation(judicial_referral, actor=actor_for(cast.claire))


def test_stopping_cooperation_before_a_decision_leaves_the_platform_route_open(
    cast, platform93, judicial_referral
):
    statement(cast, judicial_referral)
    actions.end_cooperation(judicial_referral, actor=actor_for(cast.claire))
    case = judicial_referral.case
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRESUMED_VICTIM
    platform = referred(cast, case, Route.PLATFORM)
    vote_all(platform93, platform, platform93.first)
    actions.record_platform_decision(
        platform, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM


def test_a_negative_judicial_decision_can_be_reconsidered_by_the_platform(cast, platform93):
    case = presumed_case(cast)
    judicial = referred(cast, case, Route.JUDICIAL)
    statement(cast, judicial)
    decision = judicial_decision(cast, judicial, "not_identified")
    case.refresh_from_db()
    assert case.status == IdentificationStatus.NOT_IDENTIFIED
    second = actions.request_reconsideration(
        decision, new_elements="Fictional new element.", actor=actor_for(cast.amina)
    )
    assert second.route == Route.PLATFORM and second.target == cast.coordination
    vote_all(platform93, second, platform93.first)
    actions.record_platform_decision(
        second, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
