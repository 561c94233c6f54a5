"""Managing the directory: who edits what, validation, and an audit entry for every change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.core.models import Territory
from opennrm.directory.models import ContactEntry

OLD = datetime.date(2025, 1, 10)


def _form(entry: ContactEntry | None = None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {}
    if entry is not None:
        data = {
            "organisation": entry.organisation_id,
            "territory": entry.territory_id,
            "post_title": entry.post_title,
            "remit": entry.remit,
            "email": entry.email,
            "phone": entry.phone,
            "address": entry.address,
        }
    data.update(changes)
    return data


def _audit(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


# Create ------------------------------------------------------------------------------------


def test_the_national_coordinator_creates_an_entry(cast, bodies):
    labour = bodies.labour_93
    data = _form(
        organisation=labour.pk,
        territory=Territory.objects.get(code="93").pk,
        post_title="THB contact post, labour directorate 93 (fictional)",
        remit="Labour exploitation",
        email="thb.ddets93@test.opennrm.invalid",
    )
    response = cast.client_for(cast.nadia).post(reverse("web:directory_create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:directory_manage")
    entry = ContactEntry.objects.get(organisation=labour)
    assert entry.is_published
    assert entry.last_confirmed_on == timezone.localdate()
    audit = _audit("directory.create")
    assert audit.actor == cast.nadia
    assert audit.organisation == cast.national
    assert (audit.object_type, audit.object_id) == ("directory.contactentry", str(entry.pk))
    assert "thb.ddets93" not in audit.payload().decode()


def test_a_contact_body_admin_creates_an_entry_for_their_own_body_only(cast, bodies):
    t93 = Territory.objects.get(code="93")
    client = cast.client_for(cast.sophie)
    form = client.get(reverse("web:directory_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [cast.prefecture]
    response = client.post(
        reverse("web:directory_create"),
        _form(
            organisation=bodies.prosecutor_93.pk,
            territory=t93.pk,
            post_title="Not hers",
            remit="Non-punishment",
            email="x@test.opennrm.invalid",
        ),
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not ContactEntry.objects.filter(post_title="Not hers").exists()
    response = client.post(
        reverse("web:directory_create"),
        _form(
            organisation=cast.prefecture.pk,
            territory=t93.pk,
            post_title="Hers",
            remit="Residence permits",
            phone="01 00 00 00 00",
        ),
    )
    assert response.status_code == 302
    assert ContactEntry.objects.get(post_title="Hers").organisation == cast.prefecture
    assert _audit("directory.create").actor == cast.sophie


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": "association"}, "organisation"),  # not a contact body
        ({"territory": "R11"}, "territory"),  # a région, not a département
        ({"territory": "13"}, "territory"),  # a département the body does not cover
        ({"email": "", "phone": ""}, "email"),  # no way to reach the post
        ({"post_title": ""}, "post_title"),
    ],
)
def test_create_validation(cast, bodies, changes, field):
    values: dict[str, object] = {
        "organisation": cast.prefecture.pk,
        "territory": Territory.objects.get(code="93").pk,
        "post_title": "Candidate post",
        "remit": "Residence permits",
        "email": "candidate@test.opennrm.invalid",
    }
    for key, value in changes.items():
        if key == "organisation":
            value = getattr(cast, value).pk
        elif key == "territory":
            value = Territory.objects.get(code=value).pk
        values[key] = value
    before = ContactEntry.objects.count()
    response = cast.client_for(cast.nadia).post(reverse("web:directory_create"), values)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ContactEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action="directory.create").exists()


def test_the_model_refuses_a_non_contact_body_and_a_region(cast, bodies):
    entry = ContactEntry(
        organisation=cast.association,
        territory=Territory.objects.get(code="R11"),
        post_title="Wrong",
        remit="Wrong",
        email="wrong@test.opennrm.invalid",
        last_confirmed_on=OLD,
    )
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    assert {"organisation", "territory"} <= set(caught.value.message_dict)


def test_the_model_refuses_a_departement_the_body_does_not_cover(cast, bodies):
    entry = ContactEntry(
        organisation=cast.prefecture,  # covers 93
        territory=Territory.objects.get(code="13"),
        post_title="Wrong place",
        remit="Residence permits",
        email="wrong@test.opennrm.invalid",
        last_confirmed_on=OLD,
    )
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    assert set(caught.value.message_dict) == {"territory"}


# Update, confirm, unpublish ----------------------------------------------------------------


def test_editing_updates_confirms_and_audits_the_changed_fields(cast, bodies):
    entry = bodies.entry_93
    ContactEntry.objects.filter(pk=entry.pk).update(last_confirmed_on=OLD)
    entry.refresh_from_db()
    url = reverse("web:directory_edit", args=[entry.pk])
    response = cast.client_for(cast.sophie).post(
        url, _form(entry, phone="01 11 11 11 11", remit="Residence permits and renewals")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.phone == "01 11 11 11 11"
    assert entry.last_confirmed_on == timezone.localdate()
    audit = _audit("directory.update")
    assert audit.details == {"fields": ["phone", "remit"]}
    assert audit.actor == cast.sophie
    assert audit.organisation == cast.prefecture
    assert audit.object_id == str(entry.pk)


def test_an_invalid_edit_changes_nothing(cast, bodies):
    entry = bodies.entry_93
    url = reverse("web:directory_edit", args=[entry.pk])
    response = cast.client_for(cast.nadia).post(url, _form(entry, email="", phone=""))
    assert response.status_code == 200
    assert response.context["form"].errors
    entry.refresh_from_db()
    assert entry.email
    assert not AuditEntry.objects.filter(action="directory.update").exists()


def test_confirming_an_entry(cast, bodies):
    entry = bodies.entry_93
    ContactEntry.objects.filter(pk=entry.pk).update(last_confirmed_on=OLD)
    client = cast.client_for(cast.sophie)
    url = reverse("web:directory_confirm", args=[entry.pk])
    assert client.get(url).status_code == 405
    entry.refresh_from_db()
    assert entry.last_confirmed_on == OLD
    response = client.post(url)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.last_confirmed_on == timezone.localdate()
    audit = _audit("directory.confirm")
    assert (audit.actor, audit.object_id) == (cast.sophie, str(entry.pk))


def test_unpublishing_asks_for_confirmation_first(cast, bodies):
    entry = bodies.entry_93
    client = cast.client_for(cast.nadia)
    url = reverse("web:directory_unpublish", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.is_published
    assert not AuditEntry.objects.filter(action="directory.unpublish").exists()

    response = client.post(url)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_published
    assert _audit("directory.unpublish").actor == cast.nadia
    public = client.get(reverse("web:directory")).content.decode()
    assert entry.post_title not in public


# Who edits what ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["directory_edit", "directory_unpublish"])
def test_a_contact_body_cannot_touch_another_bodys_entry(cast, bodies, view):
    other = bodies.entry_prosecutor_93
    client = cast.client_for(cast.sophie)
    url = reverse(f"web:{view}", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(other, post_title="Hijacked")).status_code == 404
    assert client.post(reverse("web:directory_confirm", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.post_title == "Prosecutor post 93"
    assert other.is_published
    assert not AuditEntry.objects.filter(action__startswith="directory.").exists()


def test_the_national_coordinator_edits_every_entry(cast, bodies):
    client = cast.client_for(cast.nadia)
    for entry in (bodies.entry_93, bodies.entry_prosecutor_93, bodies.entry_13, bodies.hidden_93):
        assert client.get(reverse("web:directory_edit", args=[entry.pk])).status_code == 200


def test_the_manage_list_shows_only_editable_entries(cast, bodies):
    sophie = cast.client_for(cast.sophie).get(reverse("web:directory_manage"))
    assert set(sophie.context["entries"]) == {bodies.entry_93, bodies.hidden_93}
    assert sophie.context["can_create"] is True
    nadia = cast.client_for(cast.nadia).get(reverse("web:directory_manage"))
    assert set(nadia.context["entries"]) == set(ContactEntry.objects.all())


def test_a_contact_person_who_is_not_admin_edits_but_does_not_create(cast, bodies):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=cast.prefecture, role="contact_person").user
    client = cast.client_for(colleague)
    response = client.get(reverse("web:directory_manage"))
    assert response.status_code == 200
    assert response.context["can_create"] is False
    assert client.get(reverse("web:directory_create")).status_code == 404
    assert client.get(reverse("web:directory_edit", args=[bodies.entry_93.pk])).status_code == 200


def test_the_stale_filter(cast, bodies):
    ContactEntry.objects.filter(pk=bodies.entry_13.pk).update(last_confirmed_on=OLD)
    response = cast.client_for(cast.nadia).get(reverse("web:directory_manage"), {"stale": "1"})
    assert list(response.context["entries"]) == [bodies.entry_13]


def test_the_dashboard_flags_stale_entries_to_the_national_coordinator(cast, bodies):
    ContactEntry.objects.filter(pk__in=[bodies.entry_13.pk, bodies.entry_93.pk]).update(
        last_confirmed_on=OLD
    )
    # An unpublished stale entry is not counted.
    ContactEntry.objects.filter(pk=bodies.hidden_93.pk).update(last_confirmed_on=OLD)
    response = cast.client_for(cast.nadia).get(reverse("web:dashboard"))
    assert response.context["stale_count"] == 2
    assert 'id="stale-alert"' in response.content.decode()
    for persona in ("sophie", "amina", "robert"):
        response = cast.client_for(getattr(cast, persona)).get(reverse("web:dashboard"))
        assert response.context["stale_count"] is None
        assert 'id="stale-alert"' not in response.content.decode()
