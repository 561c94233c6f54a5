"""The support plan: needs answered by orientations, the state machine, consent to share with
the provider, need-to-know, due dates, overdue lists, transition log and audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope, ShareReason
from opennrm.cases.models import CaseShare, TransitionError
from opennrm.core.timeframes import due_date
from opennrm.detection.actions import record_consent
from opennrm.support import plans
from opennrm.support.models import (
    ORIENTATION_TRANSITIONS,
    Need,
    Orientation,
    OrientationStatus,
    ServiceType,
)
from opennrm.support.services import open_protection
from tests.factories import CaseFactory
from tests.support.conftest import acting, consented, proposed, sent

pytestmark = pytest.mark.django_db

S = OrientationStatus


def test_the_transition_table_is_complete_and_ends_in_terminal_states():
    assert set(ORIENTATION_TRANSITIONS) == set(OrientationStatus.values)
    for terminal in (S.DECLINED, S.COMPLETED, S.CANCELLED):
        assert ORIENTATION_TRANSITIONS[terminal] == frozenset()
    assert S.ACCEPTED in ORIENTATION_TRANSITIONS[S.SENT]
    assert S.DECLINED in ORIENTATION_TRANSITIONS[S.SENT]
    assert S.ACCEPTED not in ORIENTATION_TRANSITIONS[S.PROPOSED]


def test_needs_come_from_the_immediate_needs_assessment(cast, presumed):
    created = plans.needs_from_immediate(presumed, actor=acting(cast.amina))
    assert sorted(n.service_type for n in created) == [
        ServiceType.ACCOMMODATION,
        ServiceType.HEALTH,
    ]
    assert plans.needs_from_immediate(presumed, actor=acting(cast.amina)) == []  # not twice


def test_no_plan_before_presumed_victim(cast):
    case = CaseFactory(owner=cast.association)  # still under preliminary assessment
    with pytest.raises(TransitionError, match="presumed victim"):
        plans.add_need(case, service_type=ServiceType.HEALTH, actor=acting(cast.amina))


def test_only_the_responsible_organisation_adds_needs(cast, presumed):
    with pytest.raises(TransitionError):
        plans.add_need(presumed, service_type=ServiceType.HEALTH, actor=acting(cast.ines))


def test_an_adults_orientation_is_sent_only_with_consent_to_share_with_the_provider(
    cast, presumed, providers
):
    orientation = proposed(presumed, providers.health, cast.amina)
    with pytest.raises(TransitionError, match="consent"):
        plans.send(orientation, actor=acting(cast.amina))
    assert not CaseShare.objects.filter(organisation=providers.health_org).exists()
    # A consent naming another organisation does not do.
    other = record_consent(
        presumed,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.ORAL,
        organisation=providers.legal_org,
        actor=acting(cast.amina),
    )
    with pytest.raises(TransitionError):
        plans.record_consent(orientation, other, actor=acting(cast.amina))


def test_sending_shares_the_case_for_the_orientation_with_a_due_date(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    assert orientation.status == S.SENT
    share = CaseShare.objects.get(
        case=presumed, organisation=providers.health_org, reason=ShareReason.ORIENTATION
    )
    assert share.consent_id == orientation.consent_id
    assert share.identity is False  # need-to-know: a pseudonym unless identity is needed
    assert orientation.sent_on == timezone.localdate()
    assert orientation.response_due == due_date(
        "orientation_response", orientation.sent_on, presumed.territory
    )


def test_identity_goes_only_when_the_orientation_needs_it(cast, presumed, providers):
    sent(presumed, providers.legal, cast.amina, identity_needed=True)
    assert CaseShare.objects.get(
        case=presumed, organisation=providers.legal_org, reason=ShareReason.ORIENTATION
    ).identity


def test_a_childs_orientation_needs_no_consent(cast, child, providers):
    orientation = proposed(child, providers.health, cast.amina)
    plans.send(orientation, actor=acting(cast.amina))
    orientation.refresh_from_db()
    assert orientation.status == S.SENT
    assert CaseShare.objects.filter(
        case=child, organisation=providers.health_org, consent__isnull=True
    ).exists()


def test_transitions_outside_the_table_are_refused(cast, presumed, providers):
    orientation = consented(presumed, providers.health, cast.amina)
    with pytest.raises(TransitionError):
        plans.accept(orientation, actor=acting(providers.doctor))  # not sent yet
    plans.send(orientation, actor=acting(cast.amina))
    plans.accept(orientation, actor=acting(providers.doctor))
    with pytest.raises(TransitionError):
        plans.decline(orientation, reason="Too late", actor=acting(providers.doctor))
    with pytest.raises(TransitionError):
        orientation.transition(S.PROPOSED, actor=acting(cast.amina))
    plans.complete(orientation, actor=acting(providers.doctor))
    with pytest.raises(TransitionError):
        plans.cancel(orientation, reason="Never mind", actor=acting(cast.amina))


def test_only_the_provider_answers(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    for someone in (cast.amina, cast.ines, cast.yasmine):
        with pytest.raises(TransitionError):
            plans.accept(orientation, actor=acting(someone))


def test_a_decline_needs_a_reason_and_ends_the_providers_access(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    with pytest.raises(TransitionError):
        plans.decline(orientation, reason="  ", actor=acting(providers.doctor))
    plans.decline(orientation, reason="No appointment before May", actor=acting(providers.doctor))
    orientation.refresh_from_db()
    assert orientation.status == S.DECLINED
    assert orientation.decline_reason == "No appointment before May"
    assert not plans.provider_has_access(orientation)
    assert orientation.transitions.last().note == "No appointment before May"


def test_every_step_is_logged_on_the_orientation_and_the_timeline_and_audited(
    cast, presumed, providers
):
    orientation = sent(presumed, providers.health, cast.amina)
    plans.accept(orientation, actor=acting(providers.doctor))
    plans.start(orientation, actor=acting(providers.doctor))
    plans.complete(orientation, actor=acting(providers.doctor))
    steps = [(t.source, t.target) for t in orientation.transitions.all()]
    assert steps == [
        (S.PROPOSED, S.CONSENTED),
        (S.CONSENTED, S.SENT),
        (S.SENT, S.ACCEPTED),
        (S.ACCEPTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED),
    ]
    kinds = list(presumed.events.values_list("kind", flat=True))
    for kind in ("orientation.proposed", "orientation.sent", "orientation.completed"):
        assert kind in kinds
    audited = AuditEntry.objects.filter(
        object_type="support.orientation", object_id=str(orientation.pk)
    )
    assert audited.filter(action="orientation.propose").count() == 1
    assert audited.filter(action="orientation.transition").count() == 5
    for entry in audited:
        assert "reason" not in entry.details  # codes and ids only


def test_the_best_interests_note_is_required_for_a_childs_placement(cast, child, providers):
    from tests.support.conftest import service

    home = service(
        cast.accommodation,
        name="Children's home",
        accepts_adults=False,
        accepts_children=True,
    )
    with pytest.raises(ValidationError) as raised:
        proposed(child, home, cast.amina)
    assert "best_interests" in raised.value.error_dict
    orientation = proposed(child, home, cast.amina, best_interests="Close to school, safe.")
    assert orientation.best_interests


def test_withdrawing_consent_ends_the_providers_access_at_once(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    assert plans.provider_has_access(orientation)
    orientation.consent.withdraw(actor=acting(cast.amina))
    assert not plans.provider_has_access(orientation)
    with pytest.raises(TransitionError, match="withdrew"):
        plans.accept(orientation, actor=acting(providers.doctor))


def test_overdue_orientations_for_the_organisation_and_the_departement(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina)
    later = orientation.response_due + datetime.timedelta(days=1)
    assert list(Orientation.objects.overdue(orientation.response_due)) == []
    assert list(Orientation.objects.overdue(later)) == [orientation]
    # The responsible organisation and the provider both see it; an outsider does not.
    for organisation in (cast.association, providers.health_org):
        assert list(plans.orientations_overdue(organisation=organisation, today=later)) == [
            orientation
        ]
    assert not plans.orientations_overdue(organisation=cast.other_association, today=later)
    # The département's list (local coordinator) and the country's.
    territories = cast.coordination.territories.all()
    assert list(plans.orientations_overdue(territories=territories, today=later)) == [orientation]
    assert not plans.orientations_overdue(
        territories=cast.other_association.territories.all(), today=later
    )
    # Answered: no longer overdue.
    plans.accept(orientation, actor=acting(providers.doctor))
    assert not plans.orientations_overdue(today=later)


def test_the_plan_survives_only_while_support_is_open(cast, presumed, providers):
    need = Need.objects.create(
        support=presumed.support,
        case=presumed,
        service_type=ServiceType.HEALTH,
        recorded_by=cast.amina,
        organisation=cast.association,
    )
    open_protection(presumed, actor=acting(cast.amina))  # idempotent
    assert plans.open_support(presumed).pk == presumed.support.pk
    assert need.orientations.count() == 0
