"""Login through allauth (password, then TOTP), MFA enforcement, closed sign-up, admin login."""

import json
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.core.models import User
from tests.factories import PASSWORD, TOTP_SECRET, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Used TOTP codes and failed-login counters live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def totp_code() -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


def _path(response) -> str:
    return urlsplit(response["Location"]).path


@pytest.fixture
def no_mfa(cast):
    """A member of Association 93 who has not set up an authenticator yet."""
    membership = MembershipFactory(
        organisation=cast.association, user=UserFactory(mfa=False), role="field_worker"
    )
    return membership.user


# MFA enforcement -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/dashboard/", "/manage/directory/", "/audit/", "/admin/"],
)
def test_a_user_without_authenticator_is_sent_to_totp_activation(no_mfa, url):
    client = Client()
    client.force_login(no_mfa)
    response = client.get(url)
    assert response.status_code == 302
    assert _path(response) == reverse("mfa_activate_totp")


def test_the_organisation_page_is_not_shown_before_mfa(cast, no_mfa):
    client = Client()
    client.force_login(no_mfa)
    response = client.get(reverse("web:organisation", args=[cast.association.pk]))
    assert _path(response) == reverse("mfa_activate_totp")


@pytest.mark.parametrize("url", ["/", "/legal/", "/directory/"])
def test_a_user_without_authenticator_still_reaches_public_pages(no_mfa, url):
    client = Client()
    client.force_login(no_mfa)
    assert client.get(url).status_code == 200


def test_a_user_without_authenticator_can_log_out(no_mfa):
    client = Client()
    client.force_login(no_mfa)
    assert client.get(reverse("account_logout")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.logout", actor=no_mfa).count() == 1


def test_mfa_activation_itself_is_not_redirected_in_a_loop(no_mfa):
    client = Client()
    client.force_login(no_mfa)
    response = client.get(reverse("mfa_activate_totp"))
    # allauth asks to re-enter the password first; never back to the activation page itself.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert _path(response) != reverse("mfa_activate_totp")
        assert _path(response).startswith("/accounts/")


def test_mfa_is_not_required_when_the_setting_is_off(no_mfa, settings):
    settings.OPENNRM_REQUIRE_MFA = False
    client = Client()
    client.force_login(no_mfa)
    response = client.get("/dashboard/")
    assert response.status_code == 200


def test_a_user_with_authenticator_is_not_redirected(cast):
    assert cast.client_for(cast.hugo).get("/dashboard/").status_code == 200


# Admin login and closed sign-up --------------------------------------------------------------


def test_the_admin_login_goes_through_allauth(db):
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert _path(response) == reverse("account_login")
    assert "next=%2Fadmin%2Flogin%2F" in response["Location"]


def test_the_admin_login_refuses_a_signed_in_non_staff_user(cast):
    response = cast.client_for(cast.nadia).get("/admin/login/")
    assert response.status_code == 403
    assert cast.client_for(cast.nadia).get("/admin/").status_code == 302


def test_sign_up_is_closed(db):
    response = Client().get("/accounts/signup/")
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'name="password1"' not in html
    assert 'name="email"' not in html


def test_no_account_can_be_created_by_posting_to_sign_up(db):
    before = User.objects.count()
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "intruder@test.opennrm.invalid",
            "password1": "A-long-Fictional-pass-42",
            "password2": "A-long-Fictional-pass-42",
        },
    )
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert User.objects.count() == before
    assert not User.objects.filter(email="intruder@test.opennrm.invalid").exists()
    assert "_auth_user_id" not in response.client.session


# Login through allauth -----------------------------------------------------------------------


def _login_with_password(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_with_password_then_totp(cast):
    client = Client()
    response = _login_with_password(client, cast.claire.email)
    assert response.status_code == 302
    assert _path(response) == reverse("mfa_authenticate")
    # Not logged in yet: the password alone is not enough.
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302
    assert not AuditEntry.objects.filter(action="auth.login").exists()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert _path(response) == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(cast.claire.pk)
    assert client.get("/dashboard/").status_code == 200

    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == cast.claire
    assert entry.object_type == "core.user"
    assert entry.object_id == str(cast.claire.pk)
    assert entry.ip_address == "127.0.0.1"


def test_a_wrong_totp_code_does_not_log_in(cast):
    client = Client()
    _login_with_password(client, cast.claire.email)
    good = totp_code()
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_a_totp_code_cannot_be_used_twice(cast):
    code = totp_code()
    first = Client()
    _login_with_password(first, cast.claire.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    second = Client()
    _login_with_password(second, cast.claire.email)
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_a_user_without_authenticator_logs_in_then_must_set_it_up(no_mfa):
    client = Client()
    response = _login_with_password(client, no_mfa.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(no_mfa.pk)
    response = client.get(response["Location"])
    assert _path(response) == reverse("mfa_activate_totp")


def _entry_text(entry: AuditEntry) -> str:
    fields = {
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip_address,
        "details": entry.details,
        "payload": entry.payload().decode(),
    }
    return json.dumps(fields).lower()


def test_a_failed_login_is_audited_without_the_typed_address(cast):
    response = _login_with_password(Client(), cast.claire.email, "wrong-password-Fictive-1")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session

    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.details == {"known_account": True}
    assert entry.actor is None
    assert entry.ip_address == "127.0.0.1"
    text = _entry_text(entry)
    assert cast.claire.email.lower() not in text
    assert "claire" not in text
    assert "wrong-password" not in text
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_a_failed_login_for_an_unknown_address_is_audited_without_it(cast):
    typed = "Someone.Unknown@test.opennrm.invalid"
    response = _login_with_password(Client(), typed, "wrong-password-Fictive-1")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.details == {"known_account": False}
    assert entry.object_id == ""
    text = _entry_text(entry)
    assert typed.lower() not in text
    assert "someone.unknown" not in text


def test_login_and_failed_login_keep_the_chain_intact(cast):
    from opennrm.audit.trail import verify_chain

    _login_with_password(Client(), cast.claire.email, "nope-Fictive-password-1")
    client = Client()
    _login_with_password(client, cast.claire.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_logout"))
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    checked, broken = verify_chain()
    assert broken is None
    assert checked == 3
