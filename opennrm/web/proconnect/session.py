"""What a ProConnect sign-in leaves in the session: the ID token (for logout) and whether it
proved a second factor (then the local TOTP step is not asked again for that session).

The callback verifies the tokens and keeps the outcome as *pending*, bound to the ProConnect
subject; only when that login completes (`user_logged_in`, with its social login) does it become
the session's. Any other login clears it.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

PROVIDER_ID = "proconnect"
PENDING_KEY = "proconnect_pending"  # {"sub", "id_token", "mfa"}: verified, login not complete
# The signed-in session's ID token (id_token_hint at logout).
ID_TOKEN_KEY = "proconnect_id_token"  # noqa: S105 — a session key's name, not a secret
END_SESSION_KEY = "proconnect_end_session_endpoint"
LOGOUT_STATE_KEY = "proconnect_logout_state"
LOGOUT_URL_KEY = "proconnect_logout_url"  # the end-session address, kept across the logout
# Set when a second factor was proven by the identity provider for this session.
MFA_BY_PROVIDER_KEY = "opennrm_mfa_by_provider"

logger = logging.getLogger(__name__)


def keep_pending(
    request: HttpRequest, *, subject: str, id_token: str, mfa: bool, end_session: str
) -> None:
    request.session[PENDING_KEY] = {
        "sub": subject,
        "id_token": id_token,
        "mfa": mfa,
        "end_session": end_session,
    }


def _pending_for(request: HttpRequest, sociallogin: Any) -> dict[str, Any] | None:
    """The pending outcome if `sociallogin` is the ProConnect login it was verified for."""
    pending = request.session.get(PENDING_KEY)
    account = getattr(sociallogin, "account", None)
    if (
        not isinstance(pending, dict)
        or account is None
        or account.provider != PROVIDER_ID
        or str(account.uid) != pending.get("sub")
    ):
        return None
    return pending


def login_proves_mfa(request: HttpRequest, login: Any) -> bool:
    """Whether the login being completed (allauth's `Login`) is a ProConnect one whose ID token
    proved a second factor."""
    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    pending = _pending_for(request, sociallogin) if sociallogin is not None else None
    return bool(pending and pending.get("mfa"))


def on_login(request: HttpRequest, sociallogin: Any | None) -> dict[str, Any]:
    """Called once a user is signed in: keep the ProConnect outcome if this login is the one it
    was verified for, clear everything otherwise. Returns audit details (no personal data)."""
    pending = _pending_for(request, sociallogin) if sociallogin is not None else None
    for key in (PENDING_KEY, ID_TOKEN_KEY, END_SESSION_KEY, MFA_BY_PROVIDER_KEY):
        request.session.pop(key, None)
    if sociallogin is None:
        return {}
    details: dict[str, Any] = {"provider": sociallogin.account.provider}
    if pending is not None:
        request.session[ID_TOKEN_KEY] = pending["id_token"]
        request.session[END_SESSION_KEY] = pending["end_session"]
        if pending["mfa"]:
            request.session[MFA_BY_PROVIDER_KEY] = True
        details["mfa_by_provider"] = bool(pending["mfa"])
    return details


def mfa_proven_by_provider(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(MFA_BY_PROVIDER_KEY))


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser to sign out of ProConnect too: its end_session_endpoint with
    the ID token as hint, a fresh state and our post-logout address. None when this session was
    not opened through ProConnect. Both wait in the session (`take_logout`, `restore_logout`)."""
    id_token = request.session.get(ID_TOKEN_KEY)
    endpoint = request.session.get(END_SESSION_KEY)
    if not id_token or not endpoint:
        return None
    state = secrets.token_urlsafe(32)
    request.session[LOGOUT_STATE_KEY] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("proconnect_logout_callback")
            ),
        }
    )
    separator = "&" if "?" in endpoint else "?"
    url = f"{endpoint}{separator}{query}"
    request.session[LOGOUT_URL_KEY] = url
    return url


def take_logout(request: HttpRequest) -> dict[str, str]:
    return {
        key: request.session.pop(key)
        for key in (LOGOUT_STATE_KEY, LOGOUT_URL_KEY)
        if key in request.session
    }


def restore_logout(request: HttpRequest, kept: dict[str, str]) -> None:
    """After the local logout emptied the session, keep the end-session address (for the next
    page) and the state the provider will send back."""
    for key, value in kept.items():
        request.session[key] = value


def take_end_session_url(request: HttpRequest) -> str | None:
    url = request.session.pop(LOGOUT_URL_KEY, None)
    return str(url) if url else None


def check_logout_state(request: HttpRequest, state: str) -> bool:
    expected = request.session.pop(LOGOUT_STATE_KEY, None)
    if not expected or not secrets.compare_digest(str(expected), state):
        logger.warning("ProConnect logout came back with an unknown state.")
        return False
    return True
