"""An organisation administrator invites staff (a real e-mail), records training, removes access."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.core.models import Membership, TrainingRecord, User

NEW_PASSWORD = "Chosen-Fictive-password-2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _invite(cast, client, django_capture_on_commit_callbacks, **values):
    data = {
        "full_name": "Fictional Newcomer",
        "email": "Newcomer@Test.OpenNRM.invalid",
        "role": "field_worker",
    }
    data.update(values)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("web:invite", args=[cast.association.pk]), data)


def test_inviting_a_new_person_creates_account_membership_audit_and_sends_a_real_mail(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.amina)
    response = _invite(cast, client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:organisation", args=[cast.association.pk])

    user = User.objects.get(email="newcomer@test.opennrm.invalid")
    assert user.full_name == "Fictional Newcomer"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.is_admin) == (
        cast.association,
        "field_worker",
        False,
    )
    audit = AuditEntry.objects.get(action="organisation.invite")
    assert audit.actor == cast.amina
    assert audit.organisation == cast.association
    assert (audit.object_type, audit.object_id) == ("core.membership", str(membership.pk))
    assert audit.details == {"role": "field_worker", "new_account": True}
    assert "newcomer" not in audit.payload().decode().lower()

    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail.recipients == ["newcomer@test.opennrm.invalid"]
    body = mail.body
    # No personal data but the recipient's address (in the header): not the name, not the
    # inviter's name or address.
    for personal in ("Fictional Newcomer", "Newcomer", "Amina", cast.amina.email):
        assert personal.lower() not in body.lower()
        assert personal.lower() not in str(mail.message["Subject"]).lower()
    assert "newcomer@test.opennrm.invalid" not in body.lower()
    assert cast.association.name in body

    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1
    link = urlsplit(links[0])
    assert link.path.startswith("/accounts/password/reset/key/")

    # The link works: choose a password, then log in with it.
    visitor = Client()
    response = visitor.get(link.path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.path
    assert "password1" in response.content.decode()
    response = visitor.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link cannot be used a second time.
    second = Client().get(link.path, follow=True)
    assert "password1" not in second.content.decode()

    login = Client()
    response = login.post(
        reverse("account_login"),
        {"login": "newcomer@test.opennrm.invalid", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert login.session["_auth_user_id"] == str(user.pk)
    # Logged in, then sent to set up the second factor before anything else.
    assert urlsplit(login.get(reverse("web:dashboard"))["Location"]).path == reverse(
        "mfa_activate_totp"
    )


def test_inviting_someone_who_already_has_an_account(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.amina)
    response = _invite(
        cast,
        client,
        django_capture_on_commit_callbacks,
        email=cast.yasmine.email.upper(),
        full_name="Ignored name",
        role="platform_member",
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=cast.yasmine, organisation=cast.association, role="platform_member"
    ).exists()
    cast.yasmine.refresh_from_db()
    assert cast.yasmine.full_name == "Yasmine"  # the inviter does not rename people
    assert AuditEntry.objects.get(action="organisation.invite").details == {
        "role": "platform_member",
        "new_account": False,
    }
    assert len(smtp_server) == 1
    body = smtp_server[0].body
    assert "/accounts/password/reset/key/" not in body
    assert reverse("account_login") in body
    assert "Yasmine" not in body


def test_inviting_a_member_again_with_the_same_role_is_a_form_error(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.amina)
    before = Membership.objects.count()
    response = _invite(
        cast, client, django_capture_on_commit_callbacks, email=cast.hugo.email, role="field_worker"
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Membership.objects.count() == before
    assert not AuditEntry.objects.filter(action="organisation.invite").exists()
    assert smtp_server == []


def test_a_refused_invitation_creates_no_account(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.amina)
    response = _invite(cast, client, django_capture_on_commit_callbacks, role="not_a_role")
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="newcomer@test.opennrm.invalid").exists()
    assert smtp_server == []


def test_a_non_admin_member_cannot_invite(cast, smtp_server, django_capture_on_commit_callbacks):
    response = _invite(cast, cast.client_for(cast.hugo), django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not User.objects.filter(email="newcomer@test.opennrm.invalid").exists()
    assert smtp_server == []


# Training records ---------------------------------------------------------------------------


def _training_url(cast) -> str:
    membership = cast.hugo.memberships.get()
    return reverse("web:add_training", args=[cast.association.pk, membership.pk])


def test_adding_a_training_record(cast):
    TrainingRecord.objects.filter(user=cast.hugo).delete()
    day = datetime.date(2026, 1, 12)
    assert not cast.hugo.valid_training_on(day)
    response = cast.client_for(cast.amina).post(
        _training_url(cast),
        {
            "course": "Identifying victims (fictional)",
            "provider": "Fictional institute",
            "completed_on": "2026-01-12",
            "expires_on": "2028-01-12",
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(user=cast.hugo)
    assert record.completed_on == day
    assert cast.hugo.valid_training_on(day)
    assert not cast.hugo.valid_training_on(datetime.date(2028, 1, 13))
    audit = AuditEntry.objects.get(action="training.add")
    assert audit.actor == cast.amina
    assert audit.object_id == str(record.pk)
    assert audit.details == {"user": cast.hugo.pk}


def test_a_training_that_expires_before_completion_is_refused(cast):
    before = TrainingRecord.objects.count()
    response = cast.client_for(cast.amina).post(
        _training_url(cast),
        {
            "course": "Backwards (fictional)",
            "completed_on": "2026-01-12",
            "expires_on": "2026-01-11",
        },
    )
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert TrainingRecord.objects.count() == before
    assert not AuditEntry.objects.filter(action="training.add").exists()


def test_a_training_without_expiry_is_accepted(cast):
    response = cast.client_for(cast.amina).post(
        _training_url(cast), {"course": "Open-ended (fictional)", "completed_on": "2026-01-12"}
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get(course="Open-ended (fictional)").expires_on is None


# Deactivation --------------------------------------------------------------------------------


def test_deactivation_asks_for_confirmation_and_needs_post(cast):
    membership = cast.hugo.memberships.get()
    url = reverse("web:deactivate_member", args=[cast.association.pk, membership.pk])
    client = cast.client_for(cast.amina)
    response = client.get(url)
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.is_active
    assert not AuditEntry.objects.filter(action="organisation.deactivate_member").exists()

    response = client.post(url)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    audit = AuditEntry.objects.get(action="organisation.deactivate_member")
    assert (audit.actor, audit.object_id) == (cast.amina, str(membership.pk))
    # hugo no longer reaches the organisation, and the member list no longer shows him.
    assert (
        cast.client_for(cast.hugo)
        .get(reverse("web:organisation", args=[cast.association.pk]))
        .status_code
        == 404
    )
    members = client.get(reverse("web:organisation", args=[cast.association.pk])).context["members"]
    assert cast.hugo not in [m.user for m in members]


def test_the_organisation_page_lists_members_and_is_audited(cast):
    response = cast.client_for(cast.hugo).get(
        reverse("web:organisation", args=[cast.association.pk])
    )
    assert response.status_code == 200
    users = {m.user for m in response.context["members"]}
    assert users == {cast.amina, cast.hugo, cast.paul}
    assert response.context["is_admin"] is False
    audit = AuditEntry.objects.get(action="organisation.view_members")
    assert (audit.actor, audit.object_id) == (cast.hugo, str(cast.association.pk))
    admin_view = cast.client_for(cast.amina).get(
        reverse("web:organisation", args=[cast.association.pk])
    )
    assert admin_view.context["is_admin"] is True
    assert reverse("web:invite", args=[cast.association.pk]) in admin_view.content.decode()
    assert reverse("web:invite", args=[cast.association.pk]) not in response.content.decode()
