"""Signing in and out through ProConnect, end to end against a local provider (issue #14, 8).

The provider (provider_site/, django-oidc-provider) runs as a subprocess on 127.0.0.1 and
answers as ProConnect does: it refuses short or missing state and nonce and unknown parameters,
its userinfo is a signed JWT, its ID token carries acr and amr, its end-session endpoint wants
id_token_hint and state. Its login form is filled over HTTP like a browser would; OpenNRM is
driven by Django's test client. Nothing is stubbed.
"""

import json
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from opennrm.audit.models import AuditEntry
from opennrm.core.models import User
from opennrm.web.proconnect import session as proconnect_session
from tests.factories import PASSWORD, TOTP_SECRET
from tests.proconnect.conftest import linked_agent
from tests.proconnect.local_provider import PROVIDER_PASSWORD

pytestmark = pytest.mark.django_db


def totp_code() -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


class ProviderBrowser:
    """The agent's browser at the provider: a cookie jar and its login form."""

    def __init__(self) -> None:
        self.http = requests.Session()

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Through the provider's login form; returns where it sends the browser back."""
        response = self.http.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        login_url = urljoin(authorize_url, response.headers["Location"])
        form = self.http.get(login_url, timeout=10)
        assert form.status_code == 200
        response = self.http.post(
            login_url,
            data={
                "username": username,
                "password": PROVIDER_PASSWORD,
                "next": parse_qs(urlsplit(login_url).query)["next"][0],
                "csrfmiddlewaretoken": self.http.cookies["provider_csrftoken"],
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text
        response = self.http.get(
            urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return str(response.headers["Location"])

    def follow(self, url: str) -> str:
        response = self.http.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return str(response.headers["Location"])


def onward(response) -> str:
    """Where one of our pages sends the browser on to ProConnect (a navigation of its own, not a
    redirect answering a form: the CSP's form-action 'self' would stop that)."""
    assert response.status_code == 200
    url = str(response.context["url"])
    assert f'content="0;url={escape(url)}"' in response.content.decode()
    return url


def start(client: Client) -> str:
    """Press ProConnect's button: the authorization URL OpenNRM sends the browser to."""
    return onward(client.post(reverse("proconnect_login")))


def sign_in(client: Client, username: str) -> tuple[ProviderBrowser, object]:
    browser = ProviderBrowser()
    back = browser.sign_in(start(client), username)
    assert back.startswith("http://testserver/accounts/proconnect/login/callback/?")
    return browser, client.get(back.removeprefix("http://testserver"))


def test_the_login_page_shows_proconnect_s_button(proconnect):
    page = Client().get(reverse("account_login")).content.decode()
    assert 'class="fr-connect"' in page
    assert f'action="{reverse("proconnect_login")}' in page
    assert "ProConnect" in page
    assert 'href="https://www.proconnect.gouv.fr/"' in page


def test_no_button_without_proconnect_settings(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = Client().get(reverse("account_login")).content.decode()
    assert "fr-connect" not in page
    assert Client().post(reverse("proconnect_login")).status_code == 404


def test_the_authorization_request_is_proconnect_s(proconnect):
    url = urlsplit(start(Client()))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{proconnect.issuer}/authorize"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert set(query["scope"].split()) == {
        "openid",
        "email",
        "given_name",
        "usual_name",
        "uid",
        "siret",
        "idp_id",
    }
    assert len(query["nonce"]) >= 32
    assert len(query["state"]) >= 32
    assert query["code_challenge_method"] == "S256"  # PKCE kept
    assert json.loads(query["claims"]) == {"id_token": {"amr": {"essential": True}}}
    assert query["redirect_uri"] == "http://testserver/accounts/proconnect/login/callback/"


@pytest.mark.parametrize("username", ["agent.totp", "agent.eidas2"])
def test_a_sign_in_proven_multi_factor_is_not_asked_for_totp(proconnect, cast, username):
    user = linked_agent(cast, username)
    client = Client()
    _browser, response = sign_in(client, username)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[proconnect_session.MFA_BY_PROVIDER_KEY] is True
    assert client.get("/dashboard/").status_code == 200
    entry = AuditEntry.objects.get(action="auth.mfa_by_provider")
    assert entry.actor == user
    assert entry.details == {"provider": "proconnect"}


def test_a_password_only_sign_in_still_asks_for_totp(proconnect, cast):
    user = linked_agent(cast, "agent.password")
    client = Client()
    _browser, response = sign_in(client, "agent.password")
    assert urlsplit(response["Location"]).path == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert urlsplit(response["Location"]).path == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert proconnect_session.MFA_BY_PROVIDER_KEY not in client.session
    assert not AuditEntry.objects.filter(action="auth.mfa_by_provider").exists()


def test_a_profile_without_proconnect_mfa_values_always_asks_for_totp(proconnect, cast, settings):
    settings.OPENNRM_PROFILE = "osce"
    linked_agent(cast, "agent.totp")
    client = Client()
    _browser, response = sign_in(client, "agent.totp")
    assert urlsplit(response["Location"]).path == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_mfa_proven_by_proconnect_spares_an_account_without_authenticator(proconnect, cast):
    linked_agent(cast, "agent.totp", mfa=False)
    client = Client()
    sign_in(client, "agent.totp")
    assert client.get("/dashboard/").status_code == 200


def test_without_proof_an_account_without_authenticator_must_set_one_up(proconnect, cast):
    linked_agent(cast, "agent.password", mfa=False)
    client = Client()
    sign_in(client, "agent.password")
    response = client.get("/dashboard/")
    assert urlsplit(response["Location"]).path == reverse("mfa_activate_totp")


def test_proconnect_never_creates_an_account(proconnect, cast):
    users = User.objects.count()
    client = Client()
    _browser, response = sign_in(client, "agent.stranger")
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users
    final = client.get(response["Location"]) if response.status_code == 302 else response
    assert final.status_code == 200  # allauth's "sign-up closed" page


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("agent.forged-nonce", "The ID token's nonce is not this login's."),
        ("agent.forged-userinfo", "Invalid userinfo: Signature verification failed"),
    ],
)
def test_a_forged_nonce_or_userinfo_signature_is_refused(
    proconnect, cast, caplog, username, reason
):
    linked_agent(cast, username)
    client = Client()
    _browser, response = sign_in(client, username)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 401  # allauth's authentication error page
    assert not AuditEntry.objects.filter(action="auth.login").exists()
    assert f"ProConnect sign-in refused: {reason}" in caplog.messages


def test_logout_goes_through_proconnect_s_end_session_endpoint(proconnect, cast):
    linked_agent(cast, "agent.totp")
    client = Client()
    browser, _response = sign_in(client, "agent.totp")
    id_token = client.session[proconnect_session.ID_TOKEN_KEY]

    response = client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("proconnect_logout")
    end_session = onward(client.get(response["Location"]))
    url = urlsplit(end_session)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{proconnect.issuer}/end-session"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == (
        "http://testserver/accounts/proconnect/logout/callback/"
    )
    assert len(query["state"]) >= 32

    back = browser.follow(end_session)
    assert urlsplit(back).path == reverse("proconnect_logout_callback")
    assert parse_qs(urlsplit(back).query)["state"] == [query["state"]]
    response = client.get(back.removeprefix("http://testserver"), follow=True)
    assert response.status_code == 200
    assert "ProConnect" in response.content.decode()  # "signed out of ProConnect too"
    # The provider's own session ended: signing in again asks for the password.
    again = browser.http.get(start(Client()), allow_redirects=False, timeout=10)
    assert urlsplit(again.headers["Location"]).path == "/login/"


def test_a_logout_return_with_another_state_says_nothing(proconnect, cast):
    client = Client()
    response = client.get(reverse("proconnect_logout_callback"), {"state": "forged" * 8})
    assert urlsplit(response["Location"]).path == reverse("web:home")
    assert "ProConnect" not in client.get(response["Location"]).content.decode()


def test_a_password_login_ignores_what_an_unfinished_proconnect_login_left(proconnect, cast):
    """An agent ProConnect proved but OpenNRM does not know leaves a verified outcome in the
    anonymous session; whoever then signs in with a password gets no part of it."""
    client = Client()
    sign_in(client, "agent.stranger")
    assert proconnect_session.PENDING_KEY in client.session
    client.post(reverse("account_login"), {"login": cast.claire.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(cast.claire.pk)
    for key in (
        proconnect_session.PENDING_KEY,
        proconnect_session.MFA_BY_PROVIDER_KEY,
        proconnect_session.ID_TOKEN_KEY,
    ):
        assert key not in client.session
    # And logging out stays local.
    response = client.post(reverse("account_logout"))
    assert urlsplit(response["Location"]).path == reverse("web:home")
