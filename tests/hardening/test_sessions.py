"""Sessions and login: idle expiry, lockout after failed logins, Argon2, MFA for every staff
account (pages, API, administration), secure cookies in production."""

import time

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.audit.trail import verify_chain
from opennrm.web.security import LAST_ACTIVITY_KEY
from tests.factories import PASSWORD
from tests.hardening.helpers import production_setting

# Idle session expiry ---------------------------------------------------------------------------


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_the_default_idle_timeout_is_thirty_minutes():
    from config.settings import base

    assert base.SESSION_IDLE_TIMEOUT == 30 * 60


def test_activity_keeps_the_session(cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = cast.client_for(cast.hugo)
    assert client.get("/dashboard/").status_code == 200
    assert isinstance(client.session[LAST_ACTIVITY_KEY], int)
    _age_session(client, 599)
    assert client.get("/dashboard/").status_code == 200
    # The request renewed the stamp.
    assert int(time.time()) - client.session[LAST_ACTIVITY_KEY] < 5
    assert not AuditEntry.objects.filter(action="auth.idle_logout").exists()


def test_the_login_is_the_first_activity_and_requests_rarely_write_the_session(cast, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SESSION_IDLE_TIMEOUT = 600
    client = cast.client_for(cast.hugo)
    assert isinstance(client.session[LAST_ACTIVITY_KEY], int)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/indicators/catalogues").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert not [sql for sql in writes if sql.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_an_idle_session_is_signed_out_and_audited(cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = cast.client_for(cast.hugo)
    assert client.get("/dashboard/").status_code == 200
    _age_session(client, 601)

    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # Signed out for good: the next request is anonymous too.
    assert client.get("/dashboard/").status_code == 302

    entry = AuditEntry.objects.get(action="auth.idle_logout")
    assert entry.actor == cast.hugo
    assert entry.object_id == str(cast.hugo.pk)
    assert entry.details["timeout"] == 600
    assert entry.details["idle_seconds"] >= 601
    assert not AuditEntry.objects.filter(action="auth.logout").exists()
    assert verify_chain()[1] is None


def test_the_login_page_says_why(cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = cast.client_for(cast.hugo)
    client.get("/dashboard/")
    _age_session(client, 700)
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert "10" in messages[0]


def test_the_api_is_covered_too(cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = cast.client_for(cast.hugo)
    assert client.get("/api/v1/indicators/catalogues").status_code == 200
    _age_session(client, 601)
    assert client.get("/api/v1/indicators/catalogues").status_code == 401


def test_zero_turns_the_idle_timeout_off(cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client = cast.client_for(cast.hugo)
    _age_session(client, 10 * 24 * 3600)
    assert client.get("/dashboard/").status_code == 200


def test_anonymous_visitors_are_untouched(client, db, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    assert client.get("/").status_code == 200
    assert LAST_ACTIVITY_KEY not in client.session


# Login throttling and lockout -----------------------------------------------------------------


def _login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_failed_logins_lock_the_account_even_for_the_right_password(cast, fresh_cache, settings):
    """ACCOUNT_RATE_LIMITS: 5 failed logins per account in 5 minutes, then refused (per account,
    whatever the address the attempts come from)."""
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    for attempt in range(5):
        client = Client(REMOTE_ADDR=f"192.0.2.{attempt + 1}")
        response = _login(client, cast.claire.email, f"wrong-Fictive-password-{attempt}")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    client = Client(REMOTE_ADDR="198.51.100.7")
    response = _login(client, cast.claire.email, PASSWORD)
    assert response.status_code == 200  # the form again, with an error; no MFA step
    assert "_auth_user_id" not in client.session
    assert reverse("mfa_authenticate") not in response.headers.get("Location", "")
    errors = response.context["form"].non_field_errors()
    assert errors, "a locked account must say so"

    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert failed.count() == 5
    locked = AuditEntry.objects.get(action="auth.login_locked")
    assert locked.object_id == str(cast.claire.pk)
    assert locked.details == {"known_account": True}
    assert locked.ip_address == "198.51.100.7"
    assert cast.claire.email not in locked.payload().decode()
    assert verify_chain()[1] is None

    # Other accounts are not locked.
    response = _login(Client(REMOTE_ADDR="198.51.100.7"), cast.hugo.email, PASSWORD)
    assert response.status_code == 302


def test_the_lock_ends_after_the_period(cast, fresh_cache, settings):
    from django.core.cache import cache

    for attempt in range(5):
        _login(Client(), cast.claire.email, f"wrong-Fictive-password-{attempt}")
    assert _login(Client(), cast.claire.email, PASSWORD).status_code == 200
    cache.clear()  # what the end of the period does to allauth's counters
    response = _login(Client(), cast.claire.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))


def test_an_unknown_address_is_locked_out_without_revealing_it(db, fresh_cache):
    typed = "Nobody.Here@test.opennrm.invalid"
    for attempt in range(6):
        _login(Client(), typed, f"wrong-Fictive-password-{attempt}")
    entry = AuditEntry.objects.get(action="auth.login_locked")
    assert entry.details == {"known_account": False}
    assert entry.object_id == ""
    assert "nobody" not in entry.payload().decode().lower()


def test_production_keeps_the_lockout():
    limits = production_setting("s.ACCOUNT_RATE_LIMITS['login_failed']")
    assert "/key" in limits
    assert "/ip" in limits


# Password hashing -------------------------------------------------------------------------------


def test_argon2_is_the_password_hasher_outside_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_argon2_hasher_works(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    encoded = make_password("A-fictional-passphrase-42")
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("A-fictional-passphrase-42", encoded)
    assert not check_password("a-fictional-passphrase-42", encoded)


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_login(settings, db):
    from opennrm.core.models import User

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user(email="old.hash@test.opennrm.invalid", full_name="Old Hash")
    user.password = make_password("A-fictional-passphrase-42", hasher="pbkdf2_sha256")
    user.save()
    assert user.check_password("A-fictional-passphrase-42")
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_production_hashes_with_argon2():
    hasher = production_setting("s.PASSWORD_HASHERS[0]")
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"


# MFA for every staff account ------------------------------------------------------------------


def test_the_api_requires_mfa(no_mfa):
    client = Client()
    client.force_login(no_mfa)
    for path in ["/api/v1/indicators/catalogues", "/api/v1/openapi.json", "/api/v1/docs"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    response = client.post("/api/v1/indicators/evaluate", data={}, content_type="application/json")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/core/user/", "/admin/audit/auditentry/", "/admin/logout/"]
)
def test_the_administration_requires_mfa(staff_without_mfa, path):
    client = Client()
    client.force_login(staff_without_mfa)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_superuser_with_mfa_reaches_the_administration(cast):
    cast.nadia.is_staff = cast.nadia.is_superuser = True
    cast.nadia.save()
    assert cast.client_for(cast.nadia).get("/admin/").status_code == 200


def test_production_cannot_turn_mfa_off():
    assert production_setting("s.OPENNRM_REQUIRE_MFA", OPENNRM_REQUIRE_MFA="false") == "True"


# Cookies and HSTS in production -----------------------------------------------------------------


def test_production_cookies_and_headers():
    values = production_setting(
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_IDLE_TIMEOUT, "
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.DEBUG"
    )
    assert values.split() == [
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "31536000",
        "True",
        "True",
        "1800",
        "__Host-sessionid",
        "__Host-csrftoken",
        "False",
    ]


def test_hsts_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_the_session_cookie_is_http_only(cast):
    client = Client()
    response = _login(client, cast.hugo.email, PASSWORD)
    assert response.status_code == 302
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
