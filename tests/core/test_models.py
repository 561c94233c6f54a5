"""Rules the core models enforce against the active jurisdiction profile (France)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from opennrm.core.models import Membership, Organisation, TrainingRecord
from opennrm.profiles.capabilities import Capability
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

DAY = datetime.date(2026, 3, 15)


def _errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
def test_an_unknown_organisation_type_is_refused():
    assert "kind" in _errors(Organisation(name="Fictional", kind="space_agency"))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["association", "prefecture", "national_coordinator", "health"])
def test_known_organisation_types_are_accepted(kind):
    Organisation(name="Fictional", kind=kind).full_clean()


@pytest.mark.django_db
def test_an_unknown_role_is_refused():
    membership = Membership(
        user=UserFactory(), organisation=OrganisationFactory(), role="supreme_leader"
    )
    assert "role" in _errors(membership)


@pytest.mark.django_db
def test_a_known_role_is_accepted():
    Membership(
        user=UserFactory(), organisation=OrganisationFactory(), role="field_worker"
    ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("recognised_on", "reference"),
    [(None, ""), (DAY, ""), (None, "AR-1")],
)
def test_an_authorised_reporter_needs_date_and_reference(recognised_on, reference):
    organisation = Organisation(
        name="Fictional",
        kind="association",
        authorised_reporter=True,
        reporter_recognised_on=recognised_on,
        reporter_recognition_ref=reference,
    )
    assert "reporter_recognition_ref" in _errors(organisation)


@pytest.mark.django_db
def test_an_authorised_reporter_with_date_and_reference_is_accepted():
    Organisation(
        name="Fictional",
        kind="association",
        authorised_reporter=True,
        reporter_recognised_on=DAY,
        reporter_recognition_ref="AR-1",
    ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["prefecture", "prosecutor", "legal_aid", "national_coordinator"])
def test_some_bodies_cannot_be_authorised_reporters(kind):
    organisation = Organisation(
        name="Fictional",
        kind=kind,
        authorised_reporter=True,
        reporter_recognised_on=DAY,
        reporter_recognition_ref="AR-1",
    )
    assert "authorised_reporter" in _errors(organisation)


@pytest.mark.django_db
def test_training_expiry_must_follow_completion():
    record = TrainingRecord(
        user=UserFactory(),
        course="Fictional course",
        completed_on=DAY,
        expires_on=DAY - datetime.timedelta(days=1),
    )
    assert "expires_on" in _errors(record)
    TrainingRecord(
        user=record.user, course="Fictional course", completed_on=DAY, expires_on=DAY
    ).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("completed", "expires", "day", "valid"),
    [
        (DAY, None, DAY, True),  # completion day counts
        (DAY, None, DAY - datetime.timedelta(days=1), False),  # not yet trained
        (
            DAY,
            DAY + datetime.timedelta(days=10),
            DAY + datetime.timedelta(days=10),
            True,
        ),  # expiry day counts
        (
            DAY,
            DAY + datetime.timedelta(days=10),
            DAY + datetime.timedelta(days=11),
            False,
        ),  # expired
        (DAY, None, DAY + datetime.timedelta(days=3650), True),  # no expiry
    ],
)
def test_valid_training_on(completed, expires, day, valid):
    user = UserFactory()
    record = TrainingRecord.objects.create(
        user=user, course="Fictional course", completed_on=completed, expires_on=expires
    )
    assert user.valid_training_on(day) is valid
    assert record.is_valid_on(day) is valid


@pytest.mark.django_db
def test_valid_training_on_with_several_records():
    user = UserFactory()
    assert not user.valid_training_on(DAY)
    TrainingRecord.objects.create(
        user=user,
        course="Old",
        completed_on=DAY - datetime.timedelta(days=800),
        expires_on=DAY - datetime.timedelta(days=70),
    )
    assert not user.valid_training_on(DAY)
    TrainingRecord.objects.create(
        user=user,
        course="Renewed",
        completed_on=DAY - datetime.timedelta(days=60),
        expires_on=DAY + datetime.timedelta(days=300),
    )
    assert user.valid_training_on(DAY)
    other = UserFactory()
    assert not other.valid_training_on(DAY)


@pytest.mark.django_db
def test_capabilities_come_from_the_role_and_the_admin_flag():
    membership = MembershipFactory(role="field_worker")
    assert membership.capabilities == {Capability.REPORT}
    membership.is_admin = True
    assert membership.capabilities == {Capability.REPORT, Capability.ADMINISTER_ORGANISATION}
    assert MembershipFactory(role="data_protection_officer").can(Capability.READ_AUDIT)
    assert not MembershipFactory(role="platform_member").can(Capability.READ_AUDIT)
    assert Membership(role="vanished_role").capabilities == frozenset()


@pytest.mark.django_db
def test_a_user_has_one_membership_per_role_and_organisation():
    from django.db import IntegrityError, transaction

    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, organisation=membership.organisation, role=membership.role
        )
    Membership.objects.create(
        user=membership.user, organisation=membership.organisation, role="platform_member"
    )


@pytest.mark.django_db
def test_emails_are_stored_in_lower_case():
    from opennrm.core.models import User

    user = User.objects.create_user(email="Mixed.Case@Test.OpenNRM.invalid", full_name="Fictional")
    assert user.email == "mixed.case@test.opennrm.invalid"
    assert not user.has_usable_password()
