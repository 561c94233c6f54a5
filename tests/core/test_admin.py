"""The administration: reached through allauth with MFA, every change audited, audit read-only."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.audit.trail import verify_chain
from opennrm.core.models import Membership, Organisation, TrainingRecord, User
from opennrm.directory.models import ContactEntry
from tests.factories import ContactEntryFactory, OrganisationFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True, full_name="Fictional Admin")


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_the_core_and_directory_models_are_registered():
    registered = admin.site._registry
    for model in (User, Organisation, Membership, TrainingRecord, ContactEntry, AuditEntry):
        assert model in registered, model


def test_bulk_deletion_is_disabled_so_that_every_deletion_is_audited():
    assert "delete_selected" not in dict(admin.site.actions)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:core_user_changelist",
        "admin:core_organisation_changelist",
        "admin:core_membership_changelist",
        "admin:core_trainingrecord_changelist",
        "admin:core_territory_changelist",
        "admin:directory_contactentry_changelist",
        "admin:audit_auditentry_changelist",
        "admin:core_organisation_add",
        "admin:directory_contactentry_add",
    ],
)
def test_admin_pages_open_for_a_superuser_with_mfa(cast, admin_client, url_name):
    ContactEntryFactory(organisation=cast.prefecture)
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_the_admin_needs_mfa(db):
    user = UserFactory(is_staff=True, is_superuser=True, mfa=False)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def _organisation_form(organisation: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": organisation.name,
        "kind": organisation.kind,
        "territories": [t.pk for t in organisation.territories.all()],
        "reporter_recognised_on": organisation.reporter_recognised_on or "",
        "reporter_recognition_ref": organisation.reporter_recognition_ref,
        "agreement_signed_on": organisation.agreement_signed_on or "",
        "agreement_ref": organisation.agreement_ref,
        "email": organisation.email,
        "phone": organisation.phone,
        "address": organisation.address,
    }
    if organisation.national:
        data["national"] = "on"
    if organisation.authorised_reporter:
        data["authorised_reporter"] = "on"
    data.update(changes)
    return data


def test_changing_an_organisation_in_the_admin_is_audited(cast, admin_client, superuser):
    organisation = cast.association
    url = reverse("admin:core_organisation_change", args=[organisation.pk])
    response = admin_client.post(
        url, _organisation_form(organisation, phone="01 02 03 04 05", agreement_ref="AGR-1")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.phone == "01 02 03 04 05"

    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.actor == superuser
    assert entry.object_type == "core.organisation"
    assert entry.object_id == str(organisation.pk)
    # Field labels only (as Django logs them), never the values typed.
    assert entry.details == {"changed_fields": ["Cooperation agreement reference", "Telephone"]}
    assert "01 02 03 04 05" not in entry.payload().decode()
    assert verify_chain()[1] is None


def test_the_admin_applies_the_model_rules(cast, admin_client):
    """A prefecture cannot be made an authorised reporter, even through the admin."""
    organisation = cast.prefecture
    url = reverse("admin:core_organisation_change", args=[organisation.pk])
    response = admin_client.post(
        url,
        _organisation_form(
            organisation,
            authorised_reporter="on",
            reporter_recognised_on="2025-01-06",
            reporter_recognition_ref="REF-1",
        ),
    )
    assert response.status_code == 200
    assert "authorised_reporter" in response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert not organisation.authorised_reporter
    assert not AuditEntry.objects.filter(action="admin.change").exists()


def test_adding_and_deleting_in_the_admin_are_audited(cast, admin_client, superuser):
    response = admin_client.post(
        reverse("admin:core_organisation_add"),
        {"name": "Added in the admin (fictional)", "kind": "association"},
    )
    assert response.status_code == 302
    added = Organisation.objects.get(name="Added in the admin (fictional)")
    entry = AuditEntry.objects.get(action="admin.addition")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        superuser,
        "core.organisation",
        str(added.pk),
    )
    assert entry.details == {}

    response = admin_client.post(
        reverse("admin:core_organisation_delete", args=[added.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=added.pk).exists()
    entry = AuditEntry.objects.get(action="admin.deletion")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        superuser,
        "core.organisation",
        str(added.pk),
    )
    assert verify_chain()[1] is None


def test_changing_a_directory_entry_in_the_admin_is_audited(cast, admin_client, superuser):
    entry = ContactEntryFactory(organisation=cast.prefecture)
    response = admin_client.post(
        reverse("admin:directory_contactentry_change", args=[entry.pk]),
        {
            "organisation": entry.organisation_id,
            "territory": entry.territory_id,
            "post_title": "Renamed post (fictional)",
            "remit": entry.remit,
            "email": entry.email,
            "phone": "",
            "address": "",
            "last_confirmed_on": entry.last_confirmed_on.isoformat(),
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    audit = AuditEntry.objects.get(action="admin.change")
    assert audit.object_type == "directory.contactentry"
    assert audit.object_id == str(entry.pk)
    assert audit.actor == superuser
    assert audit.details == {"changed_fields": ["Post"]}


def test_changed_fields_leave_out_related_objects_names(db, superuser):
    """Inline changes name the related object (a person, perhaps): only top-level fields stay."""
    organisation = OrganisationFactory()
    LogEntry.objects.log_actions(
        superuser.pk,
        [organisation],
        2,
        change_message=[
            {"changed": {"fields": ["Name"]}},
            {"changed": {"name": "membership", "object": "Fictional Person", "fields": ["Role"]}},
            {"added": {"name": "membership", "object": "Other Fictional Person"}},
        ],
        single_object=True,
    )
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.details == {"changed_fields": ["Name"]}
    assert "Fictional Person" not in entry.payload().decode()


def test_the_audit_trail_is_read_only_in_the_admin(cast, admin_client):
    from opennrm.audit.trail import record

    audit = record("test.event")
    model_admin = admin.site._registry[AuditEntry]
    request = admin_client.get(reverse("admin:index")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, audit)
    assert not model_admin.has_delete_permission(request, audit)
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:audit_auditentry_delete", args=[audit.pk])).status_code
        == 403
    )
    # The change page shows the entry read-only; posting changes nothing.
    url = reverse("admin:audit_auditentry_change", args=[audit.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"action": "test.innocent"}).status_code == 403
    audit.refresh_from_db()
    assert audit.action == "test.event"
