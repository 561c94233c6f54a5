"""The support step's narratives about a person are encrypted at rest (ADR 0008)."""

import pytest
from django.db import connection
from django.utils import timezone

from opennrm.crypto.fields import encrypted_fields
from opennrm.support import closure, compensation, non_punishment, plans, residence
from tests.support.conftest import acting, sent

pytestmark = pytest.mark.django_db

SECRET = "Fictional: she was made to steal at the Rue des Lilas market"


def raw(instance, field_name):
    field = instance._meta.get_field(field_name)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(instance._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(instance._meta.pk.column)} = %s",
            [instance.pk],
        )
        return cursor.fetchone()[0]


def test_the_expected_fields_are_encrypted():
    labels = {f"{model._meta.label}.{field.name}" for model, field in encrypted_fields()}
    assert {
        "support.Need.description",
        "support.Orientation.brief",
        "support.Orientation.decline_reason",
        "support.Orientation.cancel_reason",
        "support.Orientation.best_interests",
        "support.OrientationTransition.note",
        "support.ResidenceApplication.refusal_details",
        "support.NonPunishmentRecord.offences",
        "support.NonPunishmentRecord.circumstances",
        "support.NonPunishmentRecord.proceedings_reference",
        "support.NonPunishmentRecord.outcome_details",
        "support.CompensationClaim.notes",
        "support.SupportClosure.note",
        "support.SupportClosure.best_interests",
        "support.SupportClosure.reopen_reason",
    } <= labels


def test_the_database_holds_ciphertext_only(cast, presumed, providers):
    orientation = sent(presumed, providers.health, cast.amina, brief=SECRET)
    plans.decline(orientation, reason=SECRET, actor=acting(providers.doctor))
    entry = non_punishment.record_offences(
        presumed, actor=acting(cast.amina), offences=SECRET, circumstances=SECRET
    )
    claim = compensation.lodge(
        presumed, actor=acting(cast.amina), kind="labour_court", body_name="Court", notes=SECRET
    )
    application = residence.apply(
        presumed,
        actor=acting(cast.amina),
        basis="residence_complaint",
        prefecture=cast.prefecture,
        applied_on=timezone.localdate(),
    )
    residence.decide(
        application,
        actor=acting(cast.amina),
        outcome="refused",
        decided_on=timezone.localdate(),
        refusal_reason="other",
        refusal_details=SECRET,
    )
    closed = closure.close_support(
        presumed,
        actor=acting(cast.amina),
        reason="withdrew",
        follow_up_on=timezone.localdate(),
        note=SECRET,
    )
    for instance, field in (
        (orientation, "brief"),
        (orientation, "decline_reason"),
        (orientation.transitions.get(target="declined"), "note"),
        (entry, "offences"),
        (entry, "circumstances"),
        (claim, "notes"),
        (application, "refusal_details"),
        (closed, "note"),
    ):
        value = raw(instance, field)
        assert SECRET not in value
        assert value.startswith("v1:")
        instance.refresh_from_db()
        assert getattr(instance, field) == SECRET
