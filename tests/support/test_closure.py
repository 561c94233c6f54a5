"""Closure with a reason, follow-up, reopening; closing ends what still runs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import TransitionError
from opennrm.support import closure, plans
from opennrm.support.models import (
    ClosureReason,
    OrientationStatus,
    SupportClosure,
    SupportRecord,
    SupportStatus,
)
from tests.support.conftest import acting, proposed, sent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_every_closing_reason_is_available():
    assert set(ClosureReason.values) == {
        "self_reliance",
        "chosen_return",
        "transferred",
        "lost_contact",
        "deceased",
        "withdrew",
    }


def test_a_follow_up_date_is_required_except_after_a_death(cast, presumed):
    with pytest.raises(ValidationError):
        closure.close_support(presumed, actor=acting(cast.amina), reason="lost_contact")
    closed = closure.close_support(presumed, actor=acting(cast.amina), reason="deceased")
    assert closed.follow_up_on is None


def test_closing_ends_running_orientations_frees_places_and_revokes_access(
    cast, presumed, providers
):
    shelter = sent(presumed, providers.shelter, cast.amina)
    plans.accept(shelter, actor=acting(cast.ines))
    providers.shelter.refresh_from_db()
    assert providers.shelter.places_free == 2
    health = sent(presumed, providers.health, cast.amina)
    draft = proposed(presumed, providers.legal, cast.amina)
    closed = closure.close_support(
        presumed,
        actor=acting(cast.amina),
        reason=ClosureReason.SELF_RELIANCE,
        follow_up_on=TODAY() + datetime.timedelta(days=90),
    )
    for orientation, status in (
        (shelter, OrientationStatus.COMPLETED),
        (health, OrientationStatus.CANCELLED),
        (draft, OrientationStatus.CANCELLED),
    ):
        orientation.refresh_from_db()
        assert orientation.status == status
        assert not plans.provider_has_access(orientation)
    providers.shelter.refresh_from_db()
    assert providers.shelter.places_free == 3
    assert SupportRecord.objects.get(case=presumed).status == SupportStatus.CLOSED
    assert presumed.status == "presumed_victim"  # identification is not touched
    assert AuditEntry.objects.filter(action="support.close", object_id=str(closed.pk)).exists()
    with pytest.raises(TransitionError, match="closed"):
        plans.add_need(presumed, service_type="health", actor=acting(cast.amina))
    with pytest.raises(TransitionError):
        closure.close_support(
            presumed, actor=acting(cast.amina), reason="withdrew", follow_up_on=TODAY()
        )


def test_follow_up_due_and_recorded(cast, presumed):
    closed = closure.close_support(
        presumed, actor=acting(cast.amina), reason="lost_contact", follow_up_on=TODAY()
    )
    assert list(SupportClosure.objects.follow_up_due()) == [closed]
    closure.record_follow_up(closed, actor=acting(cast.amina), followed_up_on=TODAY())
    assert list(SupportClosure.objects.follow_up_due()) == []
    with pytest.raises(TransitionError):
        closure.record_follow_up(closed, actor=acting(cast.amina), followed_up_on=TODAY())


def test_reopening_keeps_the_closure_on_record(cast, presumed):
    closed = closure.close_support(
        presumed, actor=acting(cast.amina), reason="withdrew", follow_up_on=TODAY()
    )
    with pytest.raises(TransitionError):
        closure.reopen_support(presumed, actor=acting(cast.amina), reason=" ")
    closure.reopen_support(presumed, actor=acting(cast.amina), reason="She came back.")
    closed.refresh_from_db()
    assert closed.reopened_at is not None
    assert closed.reopen_reason == "She came back."
    assert SupportRecord.objects.get(case=presumed).status == SupportStatus.OPEN
    assert closure.current_closure(presumed) is None
    assert list(SupportClosure.objects.follow_up_due()) == []
    assert plans.add_need(presumed, service_type="health", actor=acting(cast.amina))
    with pytest.raises(TransitionError):
        closure.reopen_support(presumed, actor=acting(cast.amina), reason="Again")


def test_only_the_responsible_organisation_closes(cast, presumed):
    with pytest.raises(TransitionError):
        closure.close_support(
            presumed, actor=acting(cast.yasmine), reason="withdrew", follow_up_on=TODAY()
        )


def test_transferred_names_the_organisation_only_then(cast, presumed):
    with pytest.raises(TransitionError):
        closure.close_support(
            presumed,
            actor=acting(cast.amina),
            reason="self_reliance",
            follow_up_on=TODAY(),
            transferred_to=cast.other_association,
        )
    closed = closure.close_support(
        presumed,
        actor=acting(cast.amina),
        reason="transferred",
        follow_up_on=TODAY(),
        transferred_to=cast.other_association,
    )
    assert closed.transferred_to == cast.other_association
